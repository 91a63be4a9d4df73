"""Small typed readers for the environment that fail fast on bad values."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"环境变量 {name} 未设置 (environment variable {name} is required)")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"环境变量 {name} 应为 true/false，实际为 {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"环境变量 {name} 应为整数，实际为 {value!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url: str, *, base_dir: Path) -> dict[str, object]:
    """Turn `spatialite:///path/db.sqlite3` or `postgis://user:pw@host:port/name` into a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme in {"spatialite", "sqlite"}:
        raw = unquote(parsed.path)
        # spatialite:///var/db.sqlite3 is relative to the project, spatialite:////abs/db.sqlite3 is absolute
        path = Path(raw[1:] if raw.startswith("/") else raw)
        if not path.is_absolute():
            path = base_dir / path
        return {
            "ENGINE": "django.contrib.gis.db.backends.spatialite",
            "NAME": str(path),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    if parsed.scheme in {"postgis", "postgres", "postgresql"}:
        options = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.contrib.gis.db.backends.postgis",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(f"不支持的数据库地址 {url!r}：请使用 spatialite:/// 或 postgis://")
