"""Production: PostgreSQL/PostGIS, secrets from the environment, no demo data, HTTPS only."""

from config.env import env_bool, env_int, env_list, env_str

from .base import *

DEBUG = False
WILDLIFE_DEMO_MODE = False
WILDLIFE_AUDIT_ALLOW_FLUSH = False  # the audit log is kept; flush refuses
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
WILDLIFE_AUDIT_KEY = env_str("WILDLIFE_AUDIT_KEY")
WILDLIFE_FIELD_KEYS = env_list("WILDLIFE_FIELD_KEYS")
if not WILDLIFE_FIELD_KEYS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("生产环境必须设置 WILDLIFE_FIELD_KEYS (personal-data encryption keys)")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CONN_MAX_AGE = env_int("WILDLIFE_CONN_MAX_AGE", 60)
SECURE_SSL_REDIRECT = env_bool("WILDLIFE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("WILDLIFE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("WILDLIFE_HSTS_PRELOAD", False)
if env_str("WILDLIFE_TASKS_BACKEND", "db") == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
