"""Survey pages: forms through the services (errors next to the fields), filters, map layers, permissions."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from wildlife.surveys import selectors
from wildlife.surveys.models import Observation, SamplingEvent, SurveyProject, SurveySite
from wildlife.surveys.tests import factories as f

pytestmark = pytest.mark.django_db


def when(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def test_navigation_and_dashboard_cards(zhoucun: Any, district_officer: Any, police_officer: Any, client_for: Any) -> None:
    f.ObservationFactory(observed_at=timezone.now() - dt.timedelta(hours=1), species=f.species("黑鹳"))
    home = client_for(district_officer).get("/").content.decode()
    for text in ("资源调查", "调查记录", "分布图", "密度估计", "本年调查记录", "本年记录物种", "进行中的调查项目", "其中国家一级 1 种"):
        assert text in home, text
    police_home = client_for(police_officer).get("/").content.decode()
    assert "本年调查记录" not in police_home and reverse("surveys:observation_list") not in police_home


def test_project_create_form_and_town_is_refused(zhoucun: Any, district_officer: Any, town_officer: Any, client_for: Any) -> None:
    url = reverse("surveys:project_create")
    data = {"name": "2025 春季鸟类调查", "kind": "terrestrial", "status": "active", "lead_department": f.department("natural_resources").pk, "start_date": "2025-03-01", "end_date": "2025-06-30"}
    response = client_for(district_officer).post(url, data)
    project = SurveyProject.objects.get(name="2025 春季鸟类调查")
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    bad = client_for(district_officer).post(url, {**data, "name": "另一个", "end_date": "2025-01-01"})
    assert 'data-field-error="end_date"' in bad.content.decode()
    assert client_for(town_officer).get(url).status_code == 403


def test_project_detail_and_close(zhoucun: Any, district_officer: Any, town_officer: Any, client_for: Any) -> None:
    project = f.SurveyProjectFactory()
    f.TransectSiteFactory(project=project)
    page = client_for(district_officer).get(project.get_absolute_url()).content.decode()
    assert 'data-testid="close-form"' in page and 'data-testid="effort"' in page and "样线总长" in page
    town_page = client_for(town_officer).get(project.get_absolute_url()).content.decode()
    assert 'data-testid="close-form"' not in town_page  # town officers see, do not manage, district projects
    assert client_for(town_officer).post(reverse("surveys:project_close", args=[project.pk]), {"end_date": "2026-01-01"}).status_code == 403
    client_for(district_officer).post(reverse("surveys:project_close", args=[project.pk]), {"end_date": "2026-01-01"})
    project.refresh_from_db()
    assert project.status == "completed"
    sites = client_for(district_officer).get(reverse("surveys:project_sites_geojson", args=[project.pk])).json()
    assert sites["features"][0]["geometry"]["type"] == "LineString"


def test_site_drawn_on_the_map_and_typed(zhoucun: Any, town_officer: Any, client_for: Any) -> None:
    project = f.SurveyProjectFactory()
    start = f.point_in("王村镇")
    drawn = json.dumps({"type": "LineString", "coordinates": [[start.x, start.y], [start.x + 0.0112, start.y]]})
    client = client_for(town_officer)
    page = client.get(reverse("surveys:site_create") + f"?kind=transect&project={project.pk}").content.decode()
    assert 'data-draw="line"' in page
    response = client.post(reverse("surveys:site_create") + "?kind=transect", {"project": project.pk, "kind": "transect", "name": "王村镇样线 A", "geometry": drawn, "strip_half_width_m": 50})
    site = SurveySite.objects.get(name="王村镇样线 A")
    assert response.status_code == 302 and 980 < site.length_m < 1020 and site.area.name == "王村镇"
    typed = client.post(reverse("surveys:site_create"), {"project": project.pk, "kind": "point", "name": "样点 B", "geometry": f"{start.x},{start.y}"})
    assert typed.status_code == 302 and SurveySite.objects.get(name="样点 B").geometry.geom_type == "Point"
    outside = client.post(reverse("surveys:site_create"), {"project": project.pk, "kind": "point", "name": "越界", "geometry": "116.4,39.9"})
    assert 'data-field-error="geometry"' in outside.content.decode() and "超出本区" in outside.content.decode()
    garbage = client.post(reverse("surveys:site_create"), {"project": project.pk, "kind": "point", "name": "乱码", "geometry": "abc"})
    assert 'data-field-error="geometry"' in garbage.content.decode()
    other_town_page = client.get(reverse("surveys:site_create") + "?kind=plot").content.decode()
    assert 'data-draw="polygon"' in other_town_page


def test_event_form_with_nothing_seen(zhoucun: Any, town_officer: Any, client_for: Any) -> None:
    site = f.SurveySiteFactory()
    client = client_for(town_officer)
    page = client.get(reverse("surveys:event_create") + f"?site={site.pk}").content.decode()
    assert f'value="{site.pk}" selected' in page
    response = client.post(reverse("surveys:event_create"), {"project": site.project_id, "site": site.pk, "started_at": "2025-05-02T07:00", "method": "point_count", "duration_hours": "0.5", "nothing_seen": "on"})
    event = SamplingEvent.objects.get()
    assert response.status_code == 302 and event.nothing_seen
    detail = client.get(event.get_absolute_url()).content.decode()
    assert 'data-testid="nothing-seen"' in detail and 'data-testid="add-observation"' not in detail
    future = client.post(reverse("surveys:event_create"), {"project": site.project_id, "site": site.pk, "started_at": "2099-05-02T07:00"})
    assert 'data-field-error="started_at"' in future.content.decode()


def test_observation_form_phone_flow(zhoucun: Any, town_officer: Any, client_for: Any) -> None:
    site = f.TransectSiteFactory()
    event = f.SamplingEventFactory(site=site)
    f.species("环颈雉")
    client = client_for(town_officer)
    page = client.get(reverse("surveys:observation_create") + f"?event={event.pk}").content.decode()
    assert 'data-use-gps' in page and 'data-draw="point"' in page and 'name="viewport"' in page and "surveys/surveys.js" in page
    point = f.point_in("王村镇", dx=0.003)
    data = {"project": site.project_id, "event": event.pk, "site": site.pk, "species_text": "环颈雉", "count": 2, "observed_at": "2025-05-10T08:30", "lon": point.x, "lat": point.y, "distance_m": "35", "next": "another"}
    response = client.post(reverse("surveys:observation_create"), data)
    assert response.status_code == 302 and response["Location"].endswith(f"?event={event.pk}")
    obs = Observation.objects.get()
    assert obs.species.name_zh == "环颈雉" and obs.distance_m == 35 and obs.event == event and obs.observer == ""


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"species_text": "不存在的鸟"}, "species", "名录中没有"),
        ({"lon": "116.40", "lat": "39.90"}, "lon", "超出本区"),
        ({"lat": ""}, "lat", "同时填写"),
        ({"observed_at": "2099-01-01T08:00"}, "observed_at", "晚于现在"),
        ({"count": "-2"}, "count", ""),
    ],
)
def test_observation_form_errors_next_to_the_fields(zhoucun: Any, town_officer: Any, client_for: Any, change: dict[str, str], field: str, text: str) -> None:
    project = f.SurveyProjectFactory()
    f.species("环颈雉")
    point = f.point_in("王村镇")
    data = {"project": project.pk, "species_text": "环颈雉", "count": 1, "observed_at": "2025-05-10T08:30", "lon": point.x, "lat": point.y, **change}
    html = client_for(town_officer).post(reverse("surveys:observation_create"), data).content.decode()
    assert f'data-field-error="{field}"' in html and text in html
    assert not Observation.objects.exists()


def test_species_autocomplete(zhoucun: Any, catalogue: Any, town_officer: Any, client_for: Any) -> None:
    html = client_for(town_officer).get(reverse("surveys:species_autocomplete") + "?q=hjz").content.decode()
    assert 'data-name="环颈雉"' in html
    alias = client_for(town_officer).get(reverse("surveys:species_autocomplete") + "?q=野鸡").content.decode()
    assert 'data-name="环颈雉"' in alias


def test_observation_edit_and_delete(zhoucun: Any, town_officer: Any, other_town_officer: Any, district_officer: Any, client_for: Any) -> None:
    obs = f.ObservationFactory()
    url = reverse("surveys:observation_update", args=[obs.pk])
    assert client_for(other_town_officer).get(url).status_code == 404
    form = client_for(town_officer).get(url).content.decode()
    assert 'value="环颈雉"' in form
    response = client_for(town_officer).post(url, {"species_text": "环颈雉", "species": obs.species_id, "count": 5, "observed_at": "2025-05-10T09:00", "version": obs.version})
    obs.refresh_from_db()
    assert response.status_code == 302 and obs.count == 5 and obs.version == 2
    stale = client_for(town_officer).post(url, {"species": obs.species_id, "count": 6, "observed_at": "2025-05-10T09:00", "version": 1})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    assert client_for(town_officer).post(reverse("surveys:observation_delete", args=[obs.pk])).status_code == 403  # towns do not delete
    client_for(district_officer).post(reverse("surveys:observation_delete", args=[obs.pk]))
    assert not Observation.objects.filter(pk=obs.pk).exists()


def test_observation_list_filters(zhoucun: Any, district_officer: Any, client_for: Any) -> None:
    project = f.SurveyProjectFactory(start_date=dt.date(2024, 1, 1))
    f.ObservationFactory(project=project, species=f.species("环颈雉"), observed_at=when(2025, 5, 1, 8))
    f.ObservationFactory(project=project, species=f.species("喜鹊"), observed_at=when(2025, 6, 1, 8))
    f.ObservationFactory(project=project, species=f.species("喜鹊"), observed_at=when(2024, 6, 1, 8), location=f.point_in("北郊镇"), area=f.area("北郊镇"))
    f.ObservationFactory(species=f.species("喜鹊"), observed_at=when(2025, 6, 1, 8))  # another project

    def count(query: str) -> int:
        return selectors.observation_list(user=district_officer, params=dict(p.split("=") for p in query.split("&") if p)).count()

    assert count("") == 4
    assert count("species=喜鹊") == 3
    assert count(f"species={f.species('环颈雉').pk}") == 1
    assert count("species=xq") == 3  # pinyin initials
    assert count(f"project={project.pk}") == 3
    assert count(f"area={f.area('北郊镇').pk}") == 1
    assert count("date_from=2025-05-01&date_to=2025-05-31") == 1
    assert count("date_to=2024-12-31") == 1
    page = client_for(district_officer).get(reverse("surveys:observation_list") + "?species=喜鹊&date_from=2025-01-01").content.decode()
    assert "共 2 条" in page and 'data-testid="map-toggle"' in page


def test_layer_switches_to_grid_cells_above_the_limit(zhoucun: Any, district_officer: Any, police_officer: Any, client_for: Any, monkeypatch: Any) -> None:
    for dx in (0.0, 0.0002, 0.02):
        f.ObservationFactory(location=f.point_in("王村镇", dx=dx))
    url = reverse("surveys:observation_layer")
    points = client_for(district_officer).get(url).json()
    assert points["mode"] == "points" and len(points["features"]) == 3 and points["count"] == 3
    monkeypatch.setattr(selectors, "POINT_LIMIT", 2)
    cells = client_for(district_officer).get(url).json()
    assert cells["mode"] == "grid" and cells["count"] == 3
    assert sorted(feat["properties"]["records"] for feat in cells["features"]) == [1, 2]
    bad = client_for(district_officer).get(url + "?date_from=notadate")
    assert bad.status_code == 400
    assert client_for(police_officer).get(url).status_code == 403


def test_distribution_page(zhoucun: Any, district_officer: Any, client_for: Any) -> None:
    obs = f.ObservationFactory(species=f.species("喜鹊"))
    page = client_for(district_officer).get(reverse("surveys:distribution") + f"?species={obs.species_id}").content.decode()
    assert 'data-testid="distribution-species">喜鹊' in page and "data-grid-url" in page and "mode=grid" in page
    assert 'data-testid="species-table"' in page


def test_fish_migration_water_pages(zhoucun: Any, agri_officer: Any, client_for: Any) -> None:
    event = f.SamplingEventFactory(site=f.WaterSiteFactory(), method="net", net_hauls=5)
    f.ObservationFactory(event=event, species=f.species("鲫"), count=10, method="net")
    f.MigrationCountFactory()
    f.WaterQualityReadingFactory()
    client = client_for(agri_officer)
    fish = client.get(reverse("surveys:fish_list")).content.decode()
    assert '<td class="text-end" data-testid="cpue">2.0</td>' in fish
    migration = client.get(reverse("surveys:migration_list")).content.decode()
    assert "aquatic-chart" in migration and "上溯" in migration
    water = client.get(reverse("surveys:water_list")).content.decode()
    assert "aquatic-chart" in water and "溶解氧" in water
    form = client.post(reverse("surveys:fish_create"), {"event": event.pk, "species_0": f.species("鲤").pk, "count_0": 3})
    assert form.status_code == 302 and Observation.objects.filter(event=event, species__name_zh="鲤", count=3).exists()
    reading = client.post(reverse("surveys:water_create"), {"project": event.project_id, "site": event.site_id, "measured_at": "2025-06-01T09:00", "ph": "15"})
    assert 'data-field-error="ph"' in reading.content.decode()


def test_archive_pages_and_print(zhoucun: Any, district_officer: Any, town_officer: Any, client_for: Any) -> None:
    archive = f.SpeciesArchiveFactory(area=f.area("周村区"))
    f.ObservationFactory(species=archive.species)
    page = client_for(town_officer).get(archive.get_absolute_url()).content.decode()  # a district archive: towns read it
    assert 'data-testid="archive-threats"' in page and "非法捕猎" in page and 'data-testid="archive-records"' in page
    printed = client_for(town_officer).get(reverse("surveys:archive_print", args=[archive.pk])).content.decode()
    assert 'data-testid="archive-sheet"' in printed and "第十一条" in printed and "surveys/surveys.css" in printed
    response = client_for(district_officer).post(reverse("surveys:archive_create"), {"species": f.species("喜鹊").pk, "area": f.area("王村镇").pk, "threats": "栖息地减少"})
    assert response.status_code == 302
    assert client_for(town_officer).get(reverse("surveys:archive_create")).status_code == 403


def test_pages_refuse_departments_without_permission(zhoucun: Any, police_officer: Any, client_for: Any) -> None:
    for name in ("surveys:observation_list", "surveys:distribution", "surveys:density", "surveys:trends", "surveys:fish_list", "surveys:observation_create"):
        assert client_for(police_officer).get(reverse(name)).status_code == 403, name


def test_cached_grid_cells_follow_writes(zhoucun: Any, district_officer: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any) -> None:
    from wildlife.surveys import services

    monkeypatch.setattr(selectors, "CACHE_CELLS_ABOVE", 0)
    project = f.SurveyProjectFactory()
    f.ObservationFactory(project=project, location=f.point_in("王村镇"))

    def records() -> list[int]:
        layer = selectors.observation_layer(user=district_officer, queryset=Observation.objects.all(), point_limit=0)
        return sorted(feat["properties"]["records"] for feat in layer["features"])

    assert records() == [1]
    with django_capture_on_commit_callbacks(execute=True):
        obs = services.observation_create(actor=district_officer, project=project, species=f.species("喜鹊"), observed_at=when(2025, 5, 1, 8), location=f.point_in("王村镇", dx=0.0001))
    assert records() == [2]
    with django_capture_on_commit_callbacks(execute=True):
        services.observation_update(actor=district_officer, obj=obs, version=obs.version, location=f.point_in("北郊镇"))
    assert records() == [1, 1]  # same count, same newest id: the version bump rebuilt the cells
