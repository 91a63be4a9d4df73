"""Every API error as application/problem+json: type, title (Chinese), status, code, errors, request_id."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from wildlife.core.context import current_facts
from wildlife.core.exceptions import ConflictError, OutOfScopeError

PROBLEM_CONTENT_TYPE = "application/problem+json"

_TITLES: dict[int, tuple[str, str]] = {
    400: ("validation_error", "提交的数据有误"),
    401: ("not_authenticated", "未登录或认证失败"),
    403: ("permission_denied", "没有执行此操作的权限"),
    404: ("not_found", "对象不存在或不在您的权限范围内"),
    405: ("method_not_allowed", "不支持的请求方法"),
    406: ("not_acceptable", "不支持的响应格式"),
    409: ("conflict", "与当前状态冲突"),
    413: ("payload_too_large", "上传内容过大"),
    415: ("unsupported_media_type", "不支持的内容类型"),
    422: ("unprocessable", "请求无法处理"),
    429: ("throttled", "请求过于频繁，请稍后再试"),
}


def problem_response(
    *,
    status_code: int,
    code: str | None = None,
    title: str | None = None,
    detail: str | None = None,
    errors: dict[str, list[str]] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    default_code, default_title = _TITLES.get(status_code, ("error", "请求失败"))
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or default_title,
        "status": status_code,
        "code": code or default_code,
        "errors": errors or {},
        "request_id": current_facts().request_id,
    }
    if detail:
        body["detail"] = detail
    if extra:
        body.update(extra)
    response = Response(body, status=status_code)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _flatten(data: Any, prefix: str = "") -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            result.update(_flatten(value, name))
    elif isinstance(data, list):
        if all(not isinstance(item, (dict, list)) for item in data):
            result[prefix or "non_field_errors"] = [str(item) for item in data]
        else:
            for index, item in enumerate(data):
                result.update(_flatten(item, f"{prefix}[{index}]" if prefix else str(index)))
    else:
        result[prefix or "non_field_errors"] = [str(data)]
    return result


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ConflictError):
        return problem_response(status_code=409, code=exc.code, title=exc.message, extra={"current": exc.current} if exc.current else None)
    if isinstance(exc, OutOfScopeError):
        return problem_response(status_code=403, code="out_of_scope", title=str(exc))
    if isinstance(exc, DjangoValidationError):
        messages = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": list(exc.messages)}
        return problem_response(status_code=400, errors={k: [str(m) for m in v] for k, v in messages.items()})
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    status_code = response.status_code
    errors: dict[str, list[str]] = {}
    detail: str | None = None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
    elif isinstance(exc, exceptions.APIException):
        detail = str(exc.detail) if not isinstance(exc.detail, (dict, list)) else None
    code = None
    if isinstance(exc, exceptions.Throttled):
        code = "throttled"
    elif isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        code = "not_authenticated"
    problem = problem_response(status_code=status_code, code=code, errors=errors, detail=detail if status_code != status.HTTP_404_NOT_FOUND else None)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            problem[header] = response[header]
    return problem
