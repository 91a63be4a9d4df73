"""Scope contracts (pages, exports, API) for stations, reports, events and alerts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.gis.geos import Point
from django.utils import timezone

from wildlife.core.testing.cast import make_business_user
from wildlife.core.testing.contracts import ScopedRegisterContract
from wildlife.disease import services
from wildlife.disease.models import Alert, DailyReport, MortalityEvent, Station
from wildlife.geo.models import AdminArea
from wildlife.species.testing import make_species

POINT = {"王村镇": (117.74, 36.76)}


def _maker() -> Any:
    district = AdminArea.objects.get(name="周村区")
    return make_business_user("contract_maker", department_code="natural_resources", area=district)


def _station(area: Any) -> Station:
    return services.station_create(
        actor=_maker(), name=f"{area.name}合同站", level="county", location=Point(*POINT[area.name], srid=4326), established_on=dt.date(2025, 1, 1)
    )


class TestStationContract(ScopedRegisterContract):
    model = Station
    list_url_name = "disease:station_list"
    detail_url_name = "disease:station_detail"
    api_list_path = "/api/v1/disease/stations/"
    no_permission_user = "police_officer"

    def make_record(self, area: Any) -> Station:
        return _station(area)


class TestDailyReportContract(ScopedRegisterContract):
    model = DailyReport
    list_url_name = "disease:report_list"
    detail_url_name = "disease:report_detail"
    api_list_path = "/api/v1/disease/daily-reports/"
    no_permission_user = "market_officer"

    def make_record(self, area: Any) -> DailyReport:
        station = _station(area)
        return services.daily_report_zero(actor=_maker_cached(), station=station, date=timezone.localdate() - dt.timedelta(days=1))


class TestMortalityEventContract(ScopedRegisterContract):
    model = MortalityEvent
    list_url_name = "disease:event_list"
    detail_url_name = "disease:event_detail"
    api_list_path = "/api/v1/disease/events/"
    no_permission_user = "police_officer"

    def make_record(self, area: Any) -> MortalityEvent:
        duck = make_species("斑嘴鸭", "Anas zonorhyncha", taxon_class="鸟纲", taxon_order="雁形目", taxon_family="鸭科")
        return services.event_report(
            actor=_maker(),
            source="citizen",
            location=Point(*POINT[area.name], srid=4326),
            detected_at=timezone.now() - dt.timedelta(hours=2),
            species=[services.SpeciesCount(duck, 0, 2)],
        )


class TestAlertContract(ScopedRegisterContract):
    model = Alert
    list_url_name = "disease:alert_list"
    detail_url_name = "disease:alert_detail"
    api_list_path = "/api/v1/disease/alerts/"
    no_permission_user = "market_officer"

    def make_record(self, area: Any) -> Alert:
        return Alert.objects.create(
            kind="cluster", level="yellow", title="王村镇聚集性死亡", dedupe_key="contract", raised_at=timezone.now(), area=area, district=area.district_ancestor()
        )


def _maker_cached() -> Any:
    from wildlife.accounts.models import User

    return User.objects.get(username="contract_maker")
