from typing import Any

from django.db import transaction

from wildlife.audit.services import audit_record
from wildlife.core.access import ensure_in_scope
from wildlife.core.exceptions import ConflictError
from wildlife.core.services import resolve_area
from wildlife.core.tests.sample.models import SampleRecord


def sample_create(*, actor: Any, name: str, area: Any = None, location: Any = None, **_: Any) -> SampleRecord:
    with transaction.atomic():
        town, district = resolve_area(actor=actor, area=area, point=location)
        record = SampleRecord.objects.create(name=name, area=town, district=district, location=location, created_by=actor)
        ensure_in_scope(record, actor, action="add")
        audit_record(action="sample_create", actor=actor, obj=record)
    return record


def sample_update(*, actor: Any, obj: SampleRecord, name: str, version: int, **_: Any) -> SampleRecord:
    with transaction.atomic():
        updated = SampleRecord.objects.filter(pk=obj.pk, version=version).update(name=name, version=version + 1)
        if not updated:
            raise ConflictError("记录已被他人修改，请刷新后重试", code="version_conflict")
        obj.refresh_from_db()
        ensure_in_scope(obj, actor, action="change")
        audit_record(action="sample_update", actor=actor, obj=obj)
    return obj


def sample_delete(*, actor: Any, obj: SampleRecord) -> None:
    with transaction.atomic():
        audit_record(action="sample_delete", actor=actor, obj=obj)
        obj.delete()
