"""Scope contract (restrict, pages, exports, API) for every survey register: a record in 王村镇 is seen by the
王村镇 officer and the district, is 404 for the 北郊镇 officer, and is refused to departments without permission."""

from __future__ import annotations

from typing import Any

from wildlife.core.testing.contracts import ScopedRegisterContract
from wildlife.surveys.models import (
    MigrationCount,
    Observation,
    SamplingEvent,
    SpeciesArchive,
    SurveyProject,
    SurveySite,
    WaterQualityReading,
)
from wildlife.surveys.tests import factories as f


class TestSurveyProjectContract(ScopedRegisterContract):
    model = SurveyProject
    list_url_name = "surveys:project_list"
    detail_url_name = "surveys:project_detail"
    api_list_path = "/api/v1/surveys/projects/"
    no_permission_user = "police_officer"

    def make_record(self, area: Any) -> SurveyProject:
        return f.SurveyProjectFactory(area=area)


class TestSurveySiteContract(ScopedRegisterContract):
    model = SurveySite
    list_url_name = "surveys:site_list"
    detail_url_name = "surveys:site_detail"
    api_list_path = "/api/v1/surveys/sites/"
    no_permission_user = "police_officer"

    def make_record(self, area: Any) -> SurveySite:
        return f.TransectSiteFactory(area=area)


class TestSamplingEventContract(ScopedRegisterContract):
    model = SamplingEvent
    list_url_name = "surveys:event_list"
    detail_url_name = "surveys:event_detail"
    no_permission_user = "market_officer"

    def make_record(self, area: Any) -> SamplingEvent:
        return f.SamplingEventFactory(site=f.SurveySiteFactory(area=area))


class TestObservationContract(ScopedRegisterContract):
    model = Observation
    list_url_name = "surveys:observation_list"
    detail_url_name = "surveys:observation_detail"
    api_list_path = "/api/v1/surveys/observations/"
    no_permission_user = "police_officer"

    def make_record(self, area: Any) -> Observation:
        return f.ObservationFactory(site=f.SurveySiteFactory(area=area))


class TestMigrationCountContract(ScopedRegisterContract):
    model = MigrationCount
    list_url_name = "surveys:migration_list"
    detail_url_name = "surveys:migration_detail"
    no_permission_user = "police_officer"

    def make_record(self, area: Any) -> MigrationCount:
        return f.MigrationCountFactory(site=f.WaterSiteFactory(area=area))


class TestWaterQualityContract(ScopedRegisterContract):
    model = WaterQualityReading
    list_url_name = "surveys:water_list"
    detail_url_name = "surveys:water_detail"
    no_permission_user = "market_officer"

    def make_record(self, area: Any) -> WaterQualityReading:
        return f.WaterQualityReadingFactory(site=f.WaterSiteFactory(area=area))


class TestSpeciesArchiveContract(ScopedRegisterContract):
    model = SpeciesArchive
    list_url_name = "surveys:archive_list"
    detail_url_name = "surveys:archive_detail"
    no_permission_user = "police_officer"

    def make_record(self, area: Any) -> SpeciesArchive:
        return f.SpeciesArchiveFactory(area=area)
