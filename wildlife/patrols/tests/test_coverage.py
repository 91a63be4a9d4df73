"""Coverage by town and month: kilometres inside each town, patrols counted per town crossed, scope."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from wildlife.patrols import services
from wildlife.patrols.selectors import coverage_geojson, patrol_coverage
from wildlife.patrols.tests.factories import BEIJIAO_LINE, MOSTLY_WANGCUN, WANGCUN_LINE, WANGCUN_LINE_M, track

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def record(actor, points, when):
    return services.patrol_record(actor=actor, title="巡护", track=track(points), track_source="drawn", started_at=when, ended_at=when + dt.timedelta(hours=2))


@pytest.fixture
def patrols(zhoucun, district_officer):
    return [
        record(district_officer, WANGCUN_LINE, dt.datetime(2025, 3, 2, 8, tzinfo=TZ)),
        record(district_officer, WANGCUN_LINE, dt.datetime(2025, 3, 20, 8, tzinfo=TZ)),
        record(district_officer, MOSTLY_WANGCUN, dt.datetime(2025, 4, 1, 0, 30, tzinfo=TZ)),  # 3月31日 16:30 UTC: April locally
        record(district_officer, BEIJIAO_LINE, dt.datetime(2025, 4, 5, 8, tzinfo=TZ)),
        record(district_officer, WANGCUN_LINE, dt.datetime(2024, 12, 30, 8, tzinfo=TZ)),  # another year
    ]


def test_km_and_counts_per_town_and_month(patrols, district_officer, zhoucun):
    coverage = patrol_coverage(user=district_officer, year=2025)
    wangcun, mengshui, beijiao = zhoucun["王村镇"].pk, zhoucun["萌水镇"].pk, zhoucun["北郊镇"].pk
    march = coverage.cell(wangcun, 3)
    assert march.patrols == 2 and march.km == pytest.approx(2 * WANGCUN_LINE_M / 1000, abs=0.01)
    april_shares = {s.town_id: s.metres for s in patrols[2].town_shares.all()}
    assert coverage.cell(wangcun, 4).patrols == 1
    assert coverage.cell(wangcun, 4).km == pytest.approx(april_shares[wangcun] / 1000, abs=0.01)
    assert coverage.cell(mengshui, 4).patrols == 1  # the same patrol counts in the town it crossed
    assert coverage.cell(mengshui, 4).km == pytest.approx(april_shares[mengshui] / 1000, abs=0.01)
    assert coverage.cell(beijiao, 4).patrols == 1
    assert coverage.cell(wangcun, 12).patrols == 0  # December 2024 is not in 2025
    assert coverage.town_total(wangcun).patrols == 3
    assert coverage.total_km == pytest.approx(sum(p.distance_m for p in patrols[:4]) / 1000, abs=0.05)
    option = coverage.chart_option()
    names = [series["name"] for series in option["series"]]
    assert names == ["王村镇", "北郊镇", "萌水镇"] or set(names) == {"王村镇", "北郊镇", "萌水镇"}


def test_month_filter_and_town_scope(patrols, town_officer, other_town_officer, zhoucun):
    wangcun, beijiao = zhoucun["王村镇"].pk, zhoucun["北郊镇"].pk
    town = patrol_coverage(user=town_officer, year=2025)
    assert town.town_total(wangcun).patrols == 3
    assert town.town_total(beijiao).patrols == 0  # 北郊镇's patrol is not 王村镇's to see
    assert {t.name for t in town.towns} == {"王村镇", "萌水镇"}  # its own town, plus the town its patrol crossed
    other = patrol_coverage(user=other_town_officer, year=2025)
    assert other.town_total(beijiao).patrols == 1 and other.town_total(wangcun).patrols == 0
    april = patrol_coverage(user=town_officer, year=2025, month=4)
    assert april.months == [4] and april.town_total(wangcun).patrols == 1


def test_coverage_layer_shades_towns_and_draws_tracks(patrols, district_officer, zhoucun):
    data = coverage_geojson(user=district_officer, year=2025)
    towns = {f["properties"]["name"]: f["properties"] for f in data["features"] if str(f["id"]).startswith("town-")}
    tracks = [f for f in data["features"] if f["geometry"]["type"] == "LineString"]
    assert towns["王村镇"]["patrols"] == 3 and towns["城北路街道"]["patrols"] == 0
    assert towns["王村镇"]["color"] != towns["城北路街道"]["color"]
    assert len(tracks) == 4


def test_coverage_page_chart_map_and_export(patrols, client_for, town_officer, police_officer, market_officer):
    client = client_for(town_officer)
    page = client.get(reverse("patrols:coverage") + "?year=2025")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-chart="coverage-chart"' in body and "coverage/layer.geojson?year=2025" in body
    assert "北郊镇" not in body.split('data-testid="coverage-table"')[1]
    export = client.get(reverse("patrols:coverage") + "?year=2025&export=xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    wangcun = next(r for r in rows if r[0] == "王村镇")
    assert wangcun[-2] == 3
    layer = client.get(reverse("patrols:coverage_layer") + "?year=2025").json()
    assert len([f for f in layer["features"] if f["geometry"]["type"] == "LineString"]) == 3
    assert client_for(police_officer).get(reverse("patrols:coverage")).status_code == 200
    assert client_for(market_officer).get(reverse("patrols:coverage")).status_code == 403


def test_coverage_api(patrols, client_for, town_officer, anonymous):
    body = client_for(town_officer).get("/api/v1/enforcement/patrols/coverage/?year=2025").json()
    wangcun = next(t for t in body["towns"] if t["name"] == "王村镇")
    assert wangcun["patrols"] == 3 and wangcun["months"][2]["patrols"] == 2
    assert client_for(town_officer).get("/api/v1/enforcement/patrols/coverage/?year=abc").status_code == 400
    assert client_for(anonymous).get("/api/v1/enforcement/patrols/coverage/").status_code == 401
