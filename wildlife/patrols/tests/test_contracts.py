"""Scope, export, page and API contract for every scoped register of the app."""

from __future__ import annotations

from typing import Any

from wildlife.core.testing.contracts import ScopedRegisterContract
from wildlife.patrols.choices import TargetKind
from wildlife.patrols.models import EnforcementOfficer, Equipment, Inspection, InspectionTarget, Patrol, TrainingSession
from wildlife.patrols.tests.factories import (
    make_equipment,
    make_inspection,
    make_officer,
    make_patrol,
    make_target,
    make_training,
)


class TestPatrolContract(ScopedRegisterContract):
    model = Patrol
    list_url_name = "patrols:patrol_list"
    detail_url_name = "patrols:patrol_detail"
    api_list_path = "/api/v1/enforcement/patrols/"
    no_permission_user = "market_officer"

    def make_record(self, area: Any) -> Patrol:
        return make_patrol(area)


class TestInspectionContract(ScopedRegisterContract):
    model = Inspection
    list_url_name = "patrols:inspection_list"
    detail_url_name = "patrols:inspection_detail"
    api_list_path = "/api/v1/enforcement/inspections/"

    def make_record(self, area: Any) -> Inspection:
        return make_inspection(area)


class TestBreedingInspectionContract(TestInspectionContract):
    """A breeding-site inspection: market supervision has no business there."""

    no_permission_user = "market_officer"

    def make_record(self, area: Any) -> Inspection:
        return make_inspection(area, kind=TargetKind.BREEDING)


class TestInspectionTargetContract(ScopedRegisterContract):
    model = InspectionTarget
    list_url_name = "patrols:target_list"
    detail_url_name = "patrols:target_detail"
    api_list_path = "/api/v1/enforcement/inspection-targets/"

    def make_record(self, area: Any) -> InspectionTarget:
        return make_target(area)


class TestTrainingContract(ScopedRegisterContract):
    model = TrainingSession
    list_url_name = "patrols:training_list"
    detail_url_name = "patrols:training_detail"
    api_list_path = "/api/v1/enforcement/trainings/"

    def make_record(self, area: Any) -> TrainingSession:
        return make_training(area)


class TestOfficerContract(ScopedRegisterContract):
    model = EnforcementOfficer
    list_url_name = "patrols:officer_list"
    detail_url_name = "patrols:officer_detail"
    api_list_path = "/api/v1/enforcement/officers/"
    no_permission_user = "police_officer"

    def make_record(self, area: Any) -> EnforcementOfficer:
        return make_officer(area)


class TestEquipmentContract(ScopedRegisterContract):
    model = Equipment
    list_url_name = "patrols:equipment_list"
    detail_url_name = "patrols:equipment_detail"
    api_list_path = "/api/v1/enforcement/equipment/"
    no_permission_user = "market_officer"

    def make_record(self, area: Any) -> Equipment:
        return make_equipment(area)
