"""Excel/CSV imports of the inspection target, enforcement officer and equipment registers (wildlife/core/imports.py).

Natural keys (a row whose key is already registered within the user's scope is skipped):
- inspection target: name + type + town (the model's unique constraint); the town comes from the coordinates when
  given, else from 所属镇街, else from the importer's only area;
- enforcement officer: the certificate number, or name + department;
- equipment: type + serial number (required in the import for that reason).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wildlife.core.crypto import blind_index
from wildlife.core.imports import ImportColumn, RegisterImport, located_point
from wildlife.core.services import resolve_area
from wildlife.patrols.choices import EquipmentKind, EquipmentStatus, TargetKind
from wildlife.patrols.models import EnforcementOfficer, Equipment, InspectionTarget
from wildlife.patrols.services import equipment_create, inspection_target_create, officer_create

LOCATION_HEADER = gettext_lazy("经度/纬度")

# --- inspection targets ----------------------------------------------------------------------------------------------


def _prepare_target(user: Any, values: dict[str, Any]) -> dict[str, Any]:
    longitude, latitude = values.pop("longitude", None), values.pop("latitude", None)
    if (longitude is None) != (latitude is None):
        raise ValidationError({"location": _("经度和纬度要同时填写（或同时留空）")})
    if longitude is not None and latitude is not None:
        values["location"], values["area"] = located_point(user, longitude, latitude)
    else:
        values["area"], _district = resolve_area(actor=user, area=values.get("area"))
    return values


TARGET_IMPORT = RegisterImport(
    model=InspectionTarget,
    title=gettext_lazy("检查对象"),
    filename="inspection-targets",
    columns=(
        ImportColumn(gettext_lazy("名称"), "name", required=True, example="王村镇花鸟市场"),
        ImportColumn(gettext_lazy("类型"), "kind", required=True, kind="choice", choices=TargetKind.choices, example=TargetKind.MARKET.label),
        ImportColumn(gettext_lazy("地址"), "address", required=True, example="王村镇政府路 8 号"),
        ImportColumn(
            gettext_lazy("所属镇街"), "area", kind="area", example="王村镇",
            help=gettext_lazy("填写经纬度时按位置确定；否则必填（只负责一个镇街的用户可留空）"),
        ),
        ImportColumn(gettext_lazy("经度"), "longitude", kind="decimal", help=gettext_lazy("可留空；WGS84 十进制度，如 117.72")),
        ImportColumn(gettext_lazy("纬度"), "latitude", kind="decimal", help=gettext_lazy("可留空；WGS84 十进制度，如 36.765")),
        ImportColumn(gettext_lazy("经营者/负责人"), "operator_name"),
        ImportColumn(gettext_lazy("联系电话"), "contact_phone"),
        ImportColumn(gettext_lazy("统一社会信用代码"), "uscc"),
        ImportColumn(gettext_lazy("在营"), "is_active", kind="bool", example="是", help=gettext_lazy("留空为“是”")),
        ImportColumn(gettext_lazy("备注"), "notes"),
    ),
    key=("name", "kind", "area"),
    prepare=_prepare_target,
    field_headers={"location": LOCATION_HEADER},
    create=inspection_target_create,
)


# --- enforcement officers --------------------------------------------------------------------------------------------


def _officer_exists(user: Any, values: dict[str, Any]) -> bool:
    match = Q(name=values.get("name", ""), department=values.get("department"))
    certificate = "".join(str(values.get("certificate_no") or "").split())
    if certificate:
        match |= Q(certificate_digest=blind_index(certificate, purpose="enforcement-certificate"))
    return EnforcementOfficer.objects.restrict(user, "view").filter(match).exists()


OFFICER_IMPORT = RegisterImport(
    model=EnforcementOfficer,
    title=gettext_lazy("执法人员"),
    filename="enforcement-officers",
    columns=(
        ImportColumn(gettext_lazy("姓名"), "name", required=True, example="张三"),
        ImportColumn(gettext_lazy("所在单位"), "department", required=True, kind="department", help=gettext_lazy("从下拉列表选择")),
        ImportColumn(gettext_lazy("职务"), "position", example="执法队员"),
        ImportColumn(gettext_lazy("执法证号"), "certificate_no", max_length=40, help=gettext_lazy("加密保存；填写时也用于判断是否已登记")),
        ImportColumn(gettext_lazy("证件有效期至"), "certificate_valid_until", kind="date", example="2027-12-31"),
        ImportColumn(gettext_lazy("在岗"), "is_active", kind="bool", example="是", help=gettext_lazy("留空为“是”")),
        ImportColumn(gettext_lazy("备注"), "notes"),
    ),
    key=("name", "department"),
    find_existing=_officer_exists,
    field_headers={"area": gettext_lazy("所在单位")},
    scope_field="department",
    create=officer_create,
)


# --- equipment -------------------------------------------------------------------------------------------------------


def _officer_label(officer: EnforcementOfficer, duplicated: bool) -> str:
    return f"{officer.name}（{officer.department.name}）" if duplicated else officer.name


def _holders(user: Any) -> list[EnforcementOfficer]:
    return list(EnforcementOfficer.objects.restrict(user, "view").filter(is_active=True).select_related("department").order_by("name", "pk"))


def _holder_options(user: Any) -> list[str]:
    officers = _holders(user)
    counts = Counter(o.name for o in officers)
    return [_officer_label(o, counts[o.name] > 1) for o in officers][:1000]


def _holder_lookup(user: Any, text: str) -> EnforcementOfficer:
    officers = _holders(user)
    same_name = [o for o in officers if o.name == text]
    if len(same_name) == 1:
        return same_name[0]
    labelled = [o for o in officers if _officer_label(o, True) == text.replace("(", "（").replace(")", "）")]
    if len(labelled) == 1:
        return labelled[0]
    if len(same_name) > 1:
        raise ValidationError(_("有多名在岗执法人员名为“%(name)s”，请写成“姓名（所在单位）”") % {"name": text})
    raise ValidationError(_("您的管辖范围内没有名为“%(name)s”的在岗执法人员，请先登记执法人员") % {"name": text})


EQUIPMENT_IMPORT = RegisterImport(
    model=Equipment,
    title=gettext_lazy("执法装备"),
    filename="enforcement-equipment",
    columns=(
        ImportColumn(gettext_lazy("装备类别"), "kind", required=True, kind="choice", choices=EquipmentKind.choices, example=EquipmentKind.BODY_CAMERA.label),
        ImportColumn(gettext_lazy("型号"), "model_name", required=True, example="DSJ-V9"),
        ImportColumn(gettext_lazy("编号/序列号"), "serial_no", required=True, example="SN-000123", help=gettext_lazy("导入时必填，用于判断是否已登记")),
        ImportColumn(
            gettext_lazy("保管人"), "holder", kind="lookup", lookup=_holder_lookup, options=_holder_options,
            help=gettext_lazy("已登记的在岗执法人员；装备归保管人所在的区划"),
        ),
        ImportColumn(gettext_lazy("所属区划"), "area", kind="area", help=gettext_lazy("无保管人时使用；留空为您所在的区划")),
        ImportColumn(gettext_lazy("状态"), "status", kind="choice", choices=EquipmentStatus.choices, example=EquipmentStatus.IN_USE.label, help=gettext_lazy("留空为“在用”")),
        ImportColumn(gettext_lazy("购置日期"), "purchased_on", kind="date", example="2023-05-10"),
        ImportColumn(gettext_lazy("上次检查日期"), "last_checked_on", kind="date"),
        ImportColumn(gettext_lazy("下次检查日期"), "next_check_on", kind="date"),
        ImportColumn(gettext_lazy("备注"), "notes"),
    ),
    key=("kind", "serial_no"),
    create=equipment_create,
)
