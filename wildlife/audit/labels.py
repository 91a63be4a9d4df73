"""Chinese labels for audit action codes. Apps add theirs with `audit_action_labels = {...}` on their AppConfig;
unknown codes are shown as they are."""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.utils.translation import gettext_lazy as _

BASE_LABELS = {
    "login": _("登录"),
    "login_failed": _("登录失败"),
    "logout": _("退出登录"),
    "account_locked": _("账号锁定"),
    "account_unlocked": _("账号解锁"),
    "session_expired": _("会话超时"),
    "mfa_enrol": _("开始绑定双因素认证"),
    "mfa_enrolled": _("绑定双因素认证"),
    "mfa_verified": _("双因素认证通过"),
    "mfa_disabled": _("关闭双因素认证"),
    "mfa_reset": _("重置双因素认证"),
    "password_changed": _("修改密码"),
    "password_reset": _("重置密码"),
    "admin_created": _("创建管理员"),
    "user_created": _("创建用户"),
    "user_updated": _("修改用户"),
    "user_enabled": _("启用/停用用户"),
    "user_departments_changed": _("调整用户部门"),
    "user_area_assigned": _("分配管辖区域"),
    "user_area_removed": _("移除管辖区域"),
    "security_policy_changed": _("修改安全策略"),
    "department_permissions_changed": _("修改部门权限"),
    "api_token_issued": _("签发 API 令牌"),
    "api_token_revoked": _("吊销 API 令牌"),
    "api_token_refused": _("拒绝签发 API 令牌"),
    "audit_verify": _("校验审计链"),
    "export": _("导出数据"),
    "import": _("导入数据"),
    "register_import": _("批量导入登记"),
    "reveal": _("查看个人信息明文"),
    "delete": _("删除"),
    "job_start": _("提交后台任务"),
    "job_failed": _("后台任务失败"),
    "job_requeued": _("后台任务重新排队"),
    "job_recovered": _("处理中断的后台任务"),
    "area_create": _("新建区划"),
    "area_update": _("修改区划"),
    "boundary_import": _("导入边界"),
    "boundary_import_stage": _("上传边界待确认"),
    "boundary_import_rematch": _("重新匹配边界"),
    "boundary_import_discard": _("放弃边界导入"),
    "species_create": _("新增物种"),
    "species_update": _("修改物种"),
    "species_import": _("导入名录"),
    "species_demo_load": _("加载演示名录"),
    "species_alias_add": _("新增别名"),
    "species_alias_remove": _("删除别名"),
    "species_status_set": _("设置保护级别"),
    "species_status_remove": _("删除保护级别"),
    "species_protection_refresh": _("刷新现行保护级别"),
    "list_version_create": _("新建名录版本"),
    "list_version_update": _("修改名录版本"),
    "group_rule_create": _("新建类群规则"),
    "group_rule_apply": _("应用类群规则"),
}


@cache
def all_labels() -> dict[str, object]:
    """Action code → label (lazy translations, rendered in the reader's language by action_label)."""
    labels: dict[str, object] = dict(BASE_LABELS)
    for config in apps.get_app_configs():
        labels.update(getattr(config, "audit_action_labels", {}) or {})
    return labels


def action_label(code: str) -> str:
    label = all_labels().get(code)
    return str(label) if label else code
