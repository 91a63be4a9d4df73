"""Density (distance sampling) against simulated data with a known answer; trends and richness by hand."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils import timezone

from wildlife.surveys import analysis
from wildlife.surveys.analysis import TransectData, estimate_density, fit_half_normal
from wildlife.surveys.choices import ObservationMethod
from wildlife.surveys.tests import factories as f

TRUE_DENSITY = 40.0  # animals per km²
SIGMA = 50.0  # m
HALF_WIDTH = 200.0  # m: the strip animals are placed in (4σ: practically everything detectable lies inside)


def simulate(seed: int, *, transects: int = 20, length_km: float = 2.0, density: float = TRUE_DENSITY, sigma: float = SIGMA, cluster: bool = False) -> list[TransectData]:
    """Animals placed uniformly at `density` in a strip of ±HALF_WIDTH around each transect; each detected with
    probability g(x) = exp(−x²/2σ²) of its perpendicular distance x."""
    rng = np.random.default_rng(seed)
    result = []
    for k in range(transects):
        area_km2 = 2 * (HALF_WIDTH / 1000) * length_km
        groups = rng.poisson(density * area_km2 / (2.0 if cluster else 1.0))
        x = rng.uniform(0, HALF_WIDTH, groups)
        detected = rng.random(groups) < np.exp(-(x**2) / (2 * sigma**2))
        sizes = (rng.integers(1, 4, groups) if cluster else np.ones(groups, dtype=int))[detected]  # mean 2 when clustered
        result.append(TransectData(key=k, effort_km=length_km, distances_m=[float(d) for d in x[detected]], sizes=[int(s) for s in sizes]))
    return result


def test_half_normal_mle_closed_form() -> None:
    distances = [10.0, 20.0, 30.0, 40.0]
    fit = fit_half_normal(distances)
    sigma = math.sqrt(sum(d * d for d in distances) / 4)
    assert fit.sigma_m == pytest.approx(sigma)
    assert fit.f0_per_m == pytest.approx(1 / (sigma * math.sqrt(math.pi / 2)))


def test_truncated_fit_approaches_untruncated_when_w_is_large() -> None:
    distances = list(np.abs(np.random.default_rng(1).normal(0, 40, 400)))
    wide = fit_half_normal(distances, truncation=1000.0)
    plain = fit_half_normal(distances)
    assert wide.sigma_m == pytest.approx(plain.sigma_m, rel=1e-3)
    # with truncation close to σ the fitted σ still recovers the generating σ
    near = fit_half_normal([d for d in distances if d <= 60], truncation=60.0)
    assert near.sigma_m == pytest.approx(40, rel=0.2)


@pytest.mark.parametrize("truncation", [None, HALF_WIDTH])
def test_density_estimate_recovers_the_known_density(truncation: float | None) -> None:
    estimates = []
    covered = 0
    seeds = range(20)
    for seed in seeds:
        result = estimate_density(simulate(seed), truncation_m=truncation, method="half_normal", bootstrap=200, seed=seed)
        assert result.method == "half_normal" and result.n > 100 and result.effort_km == 40.0
        assert result.estimate_per_km2 is not None and result.ci_low is not None and result.ci_high is not None
        assert abs(result.estimate_per_km2 / TRUE_DENSITY - 1) < 0.3, result.estimate_per_km2
        assert result.ci_low < result.estimate_per_km2 < result.ci_high
        estimates.append(result.estimate_per_km2)
        covered += result.ci_low <= TRUE_DENSITY <= result.ci_high
    assert abs(np.mean(estimates) / TRUE_DENSITY - 1) < 0.06  # nearly unbiased on average
    assert covered >= 16  # a 95 % interval covers the truth in most runs


def test_clusters_scale_the_density_of_individuals() -> None:
    result = estimate_density(simulate(7, cluster=True, transects=30), method="half_normal", bootstrap=100)
    assert result.mean_cluster_size == pytest.approx(2.0, rel=0.15)
    assert abs(result.estimate_per_km2 / TRUE_DENSITY - 1) < 0.3


def test_strip_estimate_counts_everything_in_the_strip() -> None:
    # detection certain inside the strip (σ huge): D = n / (2wL) is unbiased
    data = simulate(3, sigma=1e6)
    result = estimate_density(data, strip_half_width_m=HALF_WIDTH, method="strip", bootstrap=200)
    counted = sum(len(t.distances_m) for t in data)
    assert result.method == "strip" and result.n == counted
    assert result.estimate_per_km2 == pytest.approx(counted / (2 * 0.2 * 40.0))
    assert abs(result.estimate_per_km2 / TRUE_DENSITY - 1) < 0.2
    assert result.ci_low is not None and result.ci_low < result.estimate_per_km2 < result.ci_high


def test_bootstrap_is_seeded() -> None:
    data = simulate(11)
    a = estimate_density(data, method="half_normal", bootstrap=100, seed=5)
    b = estimate_density(data, method="half_normal", bootstrap=100, seed=5)
    c = estimate_density(data, method="half_normal", bootstrap=100, seed=6)
    assert (a.ci_low, a.ci_high) == (b.ci_low, b.ci_high) != (c.ci_low, c.ci_high)


def test_no_effort_no_estimate() -> None:
    result = estimate_density([TransectData(key=1, effort_km=0.0)], method="auto")
    assert result.estimate_per_km2 is None and result.notes


def test_auto_falls_back_to_the_strip_with_few_distances() -> None:
    data = [TransectData(key=1, effort_km=2.0, distances_m=[10.0, None, 30.0], sizes=[1, 2, 1]), TransectData(key=2, effort_km=2.0)]
    result = estimate_density(data, strip_half_width_m=50.0, method="auto", bootstrap=50)
    assert result.method == "strip" and result.n == 4
    assert result.estimate_per_km2 == pytest.approx(4 / (2 * 0.05 * 4.0))


# --- from the database -------------------------------------------------------------------------------------------


def when(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def transect_survey(zhoucun: Any) -> dict[str, Any]:
    """Simulated detections stored as observations on 20 transects in 王村镇 (one visit each)."""
    project = f.SurveyProjectFactory()
    pheasant = f.species("环颈雉")
    data = simulate(2, transects=12)
    for k, transect in enumerate(data):
        site = f.TransectSiteFactory(project=project, strip_half_width_m=HALF_WIDTH, length_m=2000.0, code=f"TS{k:02d}")
        event = f.SamplingEventFactory(site=site, distance_km=transect.effort_km, started_at=when(2025, 5, 1 + k % 20, 7))
        for n, (distance, size) in enumerate(zip(transect.distances_m, transect.sizes, strict=True)):
            f.ObservationFactory(event=event, species=pheasant, count=size, distance_m=round(distance, 2), occurrence_id=f"D{k}-{n}")
    # another species and a visit outside the date filter do not count
    other = f.SamplingEventFactory(site=f.TransectSiteFactory(project=project, code="TX"), started_at=when(2024, 5, 1, 7))
    f.ObservationFactory(event=other, species=pheasant, count=50, distance_m=5.0)
    return {"project": project, "species": pheasant, "data": data}


def test_density_from_stored_observations_matches_the_pure_estimate(transect_survey: dict[str, Any], district_officer: Any) -> None:
    result = analysis.density_for(
        user=district_officer, project=transect_survey["project"], species=transect_survey["species"], date_from=dt.date(2025, 1, 1), bootstrap=100
    )
    expected = estimate_density(transect_survey["data"], truncation_m=HALF_WIDTH, strip_half_width_m=HALF_WIDTH, method="auto", bootstrap=100)
    assert result.transects == 12 and result.visits == 12 and result.effort_km == pytest.approx(24.0)
    assert result.n == expected.n
    assert result.estimate_per_km2 == pytest.approx(expected.estimate_per_km2, rel=1e-3)


def test_density_api(transect_survey: dict[str, Any], district_officer: Any, other_town_officer: Any, client_for: Any) -> None:
    project, species = transect_survey["project"], transect_survey["species"]
    url = f"/api/v1/surveys/density/?project={project.pk}&species={species.pk}&date_from=2025-01-01"
    body = client_for(district_officer).get(url).json()
    assert set(body) >= {"estimate_per_km2", "ci_low", "ci_high", "n", "effort_km", "method"}
    assert body["method"] == "half_normal" and body["effort_km"] == 24.0 and body["n"] > 20
    assert body["ci_low"] < body["estimate_per_km2"] < body["ci_high"]
    assert abs(body["estimate_per_km2"] / TRUE_DENSITY - 1) < 0.4
    # the 北郊镇 officer sees the district project but none of 王村镇's transects: no effort, no estimate
    outside = client_for(other_town_officer).get(url).json()
    assert outside["effort_km"] == 0 and outside["estimate_per_km2"] is None
    missing = client_for(district_officer).get("/api/v1/surveys/density/?species=1")
    assert missing.status_code == 400 and "project" in missing.json()["errors"]
    foreign = f.SurveyProjectFactory(area=f.area("北郊镇"))
    assert client_for(other_town_officer).get(f"/api/v1/surveys/density/?project={foreign.pk}&species={species.pk}").status_code == 200
    from wildlife.core.testing import cast

    assert client_for(cast.make_cast_member("town_officer")).get(f"/api/v1/surveys/density/?project={foreign.pk}&species={species.pk}").status_code == 404


def test_density_page_shows_formulas_and_effort(transect_survey: dict[str, Any], district_officer: Any, client_for: Any) -> None:
    project, species = transect_survey["project"], transect_survey["species"]
    page = client_for(district_officer).get(reverse("surveys:density") + f"?project={project.pk}&species={species.pk}").content.decode()
    assert "D = n / (2 · w · L)" in page and "D = n · f(0) · E[s] / (2 · L)" in page and "Buckland" in page
    assert 'data-testid="density-estimate"' in page and "公里" in page


# --- trends and richness ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cpue_trend_counts_absence_visits_in_the_effort(zhoucun: Any, district_officer: Any) -> None:
    project = f.SurveyProjectFactory(start_date=dt.date(2024, 1, 1))
    site = f.TransectSiteFactory(project=project)
    pheasant = f.species("环颈雉")
    # 2024: 10 birds over 2 km + an empty 2 km visit → 2.5 /km ; 2025: 6 birds over 3 km → 2.0 /km
    e1 = f.SamplingEventFactory(site=site, started_at=when(2024, 5, 1, 7), distance_km=2.0)
    f.SamplingEventFactory(site=site, started_at=when(2024, 6, 1, 7), distance_km=2.0, nothing_seen=True)
    e3 = f.SamplingEventFactory(site=site, started_at=when(2025, 5, 1, 7), distance_km=3.0)
    f.ObservationFactory(event=e1, species=pheasant, count=7)
    f.ObservationFactory(event=e1, species=pheasant, count=3)
    f.ObservationFactory(event=e3, species=pheasant, count=6)
    f.ObservationFactory(event=e3, species=f.species("喜鹊"), count=1)
    trends = analysis.cpue_trends(user=district_officer, measure="distance_km", project=project)
    assert trends["years"] == [2024, 2025] and trends["effort_by_year"] == [4.0, 3.0]
    series = {s["name"]: s["data"] for s in trends["series"]}
    assert series["环颈雉"] == [2.5, 2.0] and series["喜鹊"] == [0.0, pytest.approx(0.333, abs=1e-3)]
    row = next(r for r in trends["rows"] if r["species"] == "环颈雉" and r["year"] == 2024)
    assert row == {"year": 2024, "area": "王村镇", "species": "环颈雉", "individuals": 10, "effort": 4.0, "index": 2.5}
    assert trends["chart"]["xAxis"]["data"] == ["2024", "2025"]


@pytest.mark.django_db
def test_camera_index_per_hundred_trap_nights(zhoucun: Any, district_officer: Any) -> None:
    site = f.SurveySiteFactory(kind="camera")
    event = f.SamplingEventFactory(site=site, method=ObservationMethod.CAMERA_TRAP, trap_nights=50.0, started_at=when(2025, 5, 1, 7))
    f.ObservationFactory(event=event, species=f.species("黄鼬"), count=3)
    trends = analysis.cpue_trends(user=district_officer, measure="trap_nights")
    assert trends["series"][0]["data"] == [6.0]


@pytest.mark.django_db
def test_species_richness_per_town_and_year(zhoucun: Any, district_officer: Any, client_for: Any) -> None:
    project = f.SurveyProjectFactory(start_date=dt.date(2024, 1, 1))
    for name in ("环颈雉", "喜鹊", "珠颈斑鸠"):
        f.ObservationFactory(project=project, species=f.species(name), observed_at=when(2025, 5, 1, 8))
    f.ObservationFactory(project=project, species=f.species("喜鹊"), observed_at=when(2024, 5, 1, 8), location=f.point_in("北郊镇"), area=f.area("北郊镇"))
    f.ObservationFactory(project=project, species=f.species("蒙古兔"), count=0, observed_at=when(2025, 5, 1, 8))  # absence: not richness
    richness = analysis.species_richness(user=district_officer, project=project)
    table = {(r["area__name"], r["year"]): r["richness"] for r in richness["rows"]}
    assert table == {("王村镇", 2025): 3, ("北郊镇", 2024): 1}
    page = client_for(district_officer).get(reverse("surveys:trends") + f"?project={project.pk}").content.decode()
    assert 'data-testid="richness-table"' in page and 'data-testid="no-trend"' in page  # no effort in this project


@pytest.mark.django_db
def test_trends_respect_scope(zhoucun: Any, other_town_officer: Any) -> None:
    site = f.TransectSiteFactory()
    event = f.SamplingEventFactory(site=site, distance_km=2.0)
    f.ObservationFactory(event=event, count=5)
    trends = analysis.cpue_trends(user=other_town_officer)
    assert trends["rows"] == [] and trends["years"] == []


@pytest.mark.django_db
def test_archive_population_from_density(transect_survey: dict[str, Any], district_officer: Any, client_for: Any) -> None:
    archive = f.SpeciesArchiveFactory(species=transect_survey["species"], area=f.area("王村镇"))
    result = analysis.archive_population(archive=archive, user=district_officer)
    assert result is not None and result["project"] == transect_survey["project"]
    assert result["population"]["estimate"] == round(result["density"].estimate_per_km2 * float(archive.area.area_km2))
    page = client_for(district_officer).get(archive.get_absolute_url()).content.decode()
    assert "按面积推算" in page and "样线法密度" in page
    pdf = client_for(district_officer).get(reverse("surveys:archive_print", args=[archive.pk]) + "?format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_points_far_apart_are_distinct_cells() -> None:
    from wildlife.surveys.sensitive import snap

    assert snap(117.701, 36.701) != snap(117.711, 36.701)
    assert Point(*snap(117.7049, 36.7049)).coords == (117.705, 36.705)
