"""Demo accounts (demo mode only): exactly the usernames and scopes of the API contract."""

from __future__ import annotations

import base64
from typing import Any

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from wildlife.accounts.choices import AdminRole, AssignmentRole
from wildlife.accounts.models import AreaAssignment, Department, User
from wildlife.accounts.reference import ensure_departments, town_department_code
from wildlife.accounts.roles import ensure_admin_group
from wildlife.geo.models import AdminArea
from wildlife.geo.reference import DISTRICT_CODE

# username → (display name, department code or None, area code or None, admin role)
DEMO_USERS: dict[str, tuple[str, str | None, str | None, str]] = {
    "demo_district": ("演示·自然资源局 李明", "natural_resources", DISTRICT_CODE, ""),
    "demo_agri": ("演示·农业农村局 王芳", "agriculture", DISTRICT_CODE, ""),
    "demo_market": ("演示·市场监管局 赵强", "market", DISTRICT_CODE, ""),
    "demo_police": ("演示·公安分局 孙伟", "police", DISTRICT_CODE, ""),
    "demo_town": ("演示·王村镇 刘洋", town_department_code("370306100"), "370306100", ""),
    "demo_town2": ("演示·北郊镇 陈静", town_department_code("370306102"), "370306102", ""),
    "demo_sysadmin": ("演示·系统管理员", None, None, AdminRole.SYSTEM),
    "demo_secadmin": ("演示·安全管理员", None, None, AdminRole.SECURITY),
    "demo_auditor": ("演示·审计管理员", None, None, AdminRole.AUDIT),
}


@transaction.atomic
def ensure_demo_users(password: str) -> dict[str, Any]:
    """Create the demo accounts (idempotent). Administrators get a confirmed TOTP device whose secret is printed."""
    ensure_departments()
    created = 0
    totp: dict[str, str] = {}
    for username, (display, department_code, area_code, admin_role) in DEMO_USERS.items():
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            user = User(username=username, display_name=display, admin_role=admin_role, is_demo=True)
            user.set_password(password)
            user.save()
            created += 1
        elif not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        if admin_role:
            user.groups.add(ensure_admin_group(admin_role))
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="演示令牌", confirmed=True)
            totp[username] = base64.b32encode(device.bin_key).decode()
        else:
            assert department_code and area_code
            user.groups.add(Department.objects.get(code=department_code).group)
            AreaAssignment.objects.get_or_create(user=user, area=AdminArea.objects.get(code=area_code), defaults={"role": AssignmentRole.OFFICER})
    return {"users_created": created, "totp_secrets": totp}
