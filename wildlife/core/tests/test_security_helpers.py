"""Masking, field encryption, client address, request ids, CSP."""

import pytest
from django.test import RequestFactory, override_settings

from wildlife.core import crypto, masking
from wildlife.core.net import client_ip


def test_masking():
    assert masking.mask_id_number("370306199001011234") == "370306********1234"
    assert masking.mask_phone("13812345678") == "138****5678"
    assert masking.mask_name("张三") == "张*"
    assert masking.mask_name("欧阳明月") == "欧阳**"
    assert masking.mask_bank_account("6222 0212 3456 7890") == "************7890"
    assert masking.mask_phone("") == "" and masking.mask_id_number(None) == ""


def test_encrypt_roundtrip_and_tamper():
    token = crypto.encrypt("举报人 13812345678")
    assert "1381234" not in token and token.startswith("enc1:")
    assert crypto.decrypt(token) == "举报人 13812345678"
    with pytest.raises(ValueError):
        crypto.decrypt(token[:-4] + "AAAA")


def test_key_rotation_decrypts_old_values():
    old = crypto.encrypt("旧密钥数据")
    with override_settings(WILDLIFE_FIELD_KEYS=["bmV3LWtleS1uZXcta2V5LW5ldy1rZXktbmV3LWtleSE=", "ZGV2ZWxvcG1lbnQta2V5LWRldmVsb3BtZW50LWtleSE="]):
        assert crypto.decrypt(old) == "旧密钥数据"


def test_blind_index_is_stable_and_purpose_bound():
    assert crypto.blind_index("138 1234 5678", purpose="phone") == crypto.blind_index("13812345678", purpose="phone")
    assert crypto.blind_index("13812345678", purpose="phone") != crypto.blind_index("13812345678", purpose="id")


def test_client_ip_ignores_forwarded_header_without_trusted_proxy():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.1"
    with override_settings(WILDLIFE_TRUSTED_PROXY_COUNT=1):
        request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
        assert client_ip(request) == "1.2.3.4"


@pytest.mark.django_db
def test_response_headers(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert len(response["X-Request-ID"]) >= 8
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_pages_have_no_inline_script(client):
    import re

    body = client.get("/accounts/login/").content.decode()
    for tag in re.findall(r"<script[^>]*>", body):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert " onclick=" not in body and " onload=" not in body
