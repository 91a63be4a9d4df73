from django import template

from wildlife.audit.labels import action_label as _action_label

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    """登录 for "login"; unknown codes as they are."""
    return _action_label(code)
