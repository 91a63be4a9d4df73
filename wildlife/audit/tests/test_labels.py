from django.apps import apps

from wildlife.audit.labels import action_label, all_labels


def test_known_codes_have_chinese_labels_and_unknown_codes_pass_through():
    assert action_label("login") == "登录"
    assert action_label("account_locked") == "账号锁定"
    assert action_label("no_such_action") == "no_such_action"


def test_apps_can_add_labels(monkeypatch):
    config = apps.get_app_config("core")
    monkeypatch.setattr(config, "audit_action_labels", {"core_thing": "核心事项"}, raising=False)
    all_labels.cache_clear()
    try:
        assert action_label("core_thing") == "核心事项"
    finally:
        monkeypatch.undo()
        all_labels.cache_clear()
