"""GET /api/v1/species/ and /api/v1/species/{id}/status/?on=."""

import pytest

from wildlife.species.choices import Protection
from wildlife.species.models import Species

pytestmark = pytest.mark.django_db
URL = "/api/v1/species/"
FIELDS = {"id", "name_zh", "scientific_name", "aliases", "protection", "wild_only", "aquatic", "taxon_class", "taxon_order", "taxon_family"}


def test_list_fields_and_pagination(catalogue, client_for, town_officer):
    body = client_for(town_officer).get(URL, {"page_size": 10}).json()
    assert body["count"] == len(catalogue) and len(body["results"]) == 10 and body["next"]
    assert set(body["results"][0]) >= FIELDS
    page2 = client_for(town_officer).get(URL, {"page_size": 10, "page": 2}).json()
    assert {r["id"] for r in page2["results"]}.isdisjoint({r["id"] for r in body["results"]})


def test_search_and_filters(catalogue, client_for, police_officer):
    client = client_for(police_officer)
    for term in ("禾花雀", "hxw", "emberiza aureola", "黄胸鹀"):
        first = client.get(URL, {"search": term}).json()["results"][0]
        assert first["name_zh"] == "黄胸鹀", term
    bunting = client.get(URL, {"search": "禾花雀"}).json()["results"][0]
    assert bunting["protection"] == "national_1" and "禾花雀" in bunting["aliases"] and bunting["taxon_family"] == "鹀科"
    assert client.get(URL, {"search": "果子狸"}).json()["results"][0]["name_zh"] == "花面狸"
    sanyou = client.get(URL, {"protection": "sanyou", "page_size": 500}).json()
    assert sanyou["count"] == Species.objects.filter(protection=Protection.SANYOU).count()
    assert {r["protection"] for r in sanyou["results"]} == {"sanyou"}
    assert client.get(URL, {"protection": "national_3"}).json()["count"] == 0
    aquatic = client.get(URL, {"aquatic": "true", "page_size": 500}).json()["results"]
    assert aquatic and all(r["aquatic"] for r in aquatic)
    ordered = client.get(URL, {"ordering": "-scientific_name", "page_size": 5}).json()["results"]
    names = [r["scientific_name"] for r in ordered]
    assert names == sorted(names, reverse=True)


def test_detail_and_status_on_date(catalogue, client_for, market_officer):
    client = client_for(market_officer)
    bunting = catalogue["黄胸鹀"]
    assert client.get(f"{URL}{bunting.pk}/").json()["scientific_name"] == "Emberiza aureola"
    before = client.get(f"{URL}{bunting.pk}/status/", {"on": "2021-02-04"}).json()
    assert before["protection"] == "sanyou" and before["list_version"]["document"] == "国家林业局令第7号"
    after = client.get(f"{URL}{bunting.pk}/status/", {"on": "2021-02-05"}).json()
    assert after["protection"] == "national_1" and after["list_version"]["code"] == "national-key-2021"
    assert after["list_version"]["effective_from"] == "2021-02-05" and len(after["entries"]) == 2
    today = client.get(f"{URL}{bunting.pk}/status/").json()
    assert today["protection"] == "national_1"
    turtle = client.get(f"{URL}{catalogue['黄缘闭壳龟'].pk}/status/", {"on": "2022-01-01"}).json()
    assert turtle["origin"] == "group_rule" and turtle["group_rule"] == "闭壳龟属所有种" and turtle["wild_only"] is True
    none = client.get(f"{URL}{bunting.pk}/status/", {"on": "1990-01-01"}).json()
    assert none["protection"] == "none" and none["list_version"] is None


def test_bad_date_is_a_problem_response(catalogue, client_for, town_officer):
    response = client_for(town_officer).get(f"{URL}{catalogue['黄胸鹀'].pk}/status/", {"on": "2021-02-30"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "validation_error" and "on" in body["errors"] and "YYYY-MM-DD" in body["errors"]["on"][0]


def test_refusals(catalogue, client_for, anonymous, system_admin, security_admin, town_officer, district_officer):
    pk = catalogue["黄胸鹀"].pk
    assert client_for(anonymous).get(URL).status_code == 401
    assert client_for(anonymous).get(f"{URL}{pk}/status/").status_code == 401
    for admin in (system_admin, security_admin):
        response = client_for(admin).get(URL)
        assert response.status_code == 403 and response["Content-Type"].startswith("application/problem+json")
        assert client_for(admin).get(f"{URL}{pk}/status/").status_code == 403
    missing = client_for(town_officer).get(f"{URL}999999/status/")
    assert missing.status_code == 404 and missing["Content-Type"].startswith("application/problem+json")
    assert client_for(town_officer).post(URL, {"name_zh": "x"}).status_code == 403  # no add permission
    assert client_for(district_officer).post(URL, {"name_zh": "x"}).status_code == 405  # read-only resource
