"""Settings shared by every environment. Values that differ per machine come from the environment."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.gis",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "template_partials",
    "django_filters",
    "rest_framework",
    "rest_framework_gis",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    # platform apps: foundation first, then the modules
    "wildlife.core",
    "wildlife.geo",
    "wildlife.accounts",
    "wildlife.audit",
    "wildlife.jobs",
    "wildlife.species",
    # business modules
    "wildlife.surveys",
    "wildlife.enforcement",
    "wildlife.trade",
    "wildlife.patrols",
    "wildlife.disease",
    "wildlife.portal",
]

MIDDLEWARE = [
    "wildlife.core.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "wildlife.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "wildlife.accounts.middleware.SessionPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wildlife.core.context_processors.platform",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

DATABASES = {
    "default": database_from_url(
        env_str("WILDLIFE_DATABASE_URL", "spatialite:///var/wildlife.sqlite3"), base_dir=BASE_DIR
    )
}
SPATIALITE_LIBRARY_PATH = "mod_spatialite"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CONN_MAX_AGE = 0

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["wildlife.accounts.backends.PlatformBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "wildlife.accounts.passwords.PolicyPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("WILDLIFE_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
WILDLIFE_MAX_UPLOAD_MB = env_int("WILDLIFE_MAX_UPLOAD_MB", 200)

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 12 * 3600
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_str("WILDLIFE_REDIS_URL", "") != "":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("WILDLIFE_REDIS_URL")}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "wildlife.core.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "wildlife.core.api.renderers.GeoJSONRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "wildlife.core.api.pagination.PlatformPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "wildlife.core.api.errors.problem_exception_handler",
    "DEFAULT_THROTTLE_RATES": {"public": "20/min", "token": "20/min"},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "野生动物保护管理平台 API",
    "DESCRIPTION": "周村区野生动物保护管理平台的集成接口 (REST API v1)。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_FAVICON_HREF": "/static/favicon.svg",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": False},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "wildlife.core.logging.RequestIdFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": "INFO"},
    # WeasyPrint logs every layout step at INFO
    "loggers": {"django.db.backends": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# --- platform settings -------------------------------------------------------------------------------------------
WILDLIFE_DEMO_MODE = env_bool("WILDLIFE_DEMO_MODE", False)
# HMAC key of the audit chain; never stored in the database
WILDLIFE_AUDIT_KEY = env_str("WILDLIFE_AUDIT_KEY", "development-audit-key")
# key for personal data encrypted at rest (Fernet / AES-128-CBC + HMAC); comma-separated, first one encrypts
WILDLIFE_FIELD_KEYS = env_list("WILDLIFE_FIELD_KEYS", ["ZGV2ZWxvcG1lbnQta2V5LWRldmVsb3BtZW50LWtleSE="])
# 天地图 key; without it maps show only the platform's own layers (no basemap, no network request)
WILDLIFE_TIANDITU_KEY = env_str("WILDLIFE_TIANDITU_KEY", "")
WILDLIFE_DISTRICT_CODE = env_str("WILDLIFE_DISTRICT_CODE", "370306")
WILDLIFE_TRUSTED_PROXY_COUNT = env_int("WILDLIFE_TRUSTED_PROXY_COUNT", 0)
WILDLIFE_API_TOKEN_HOURS = env_int("WILDLIFE_API_TOKEN_HOURS", 12)
# hosts the online-trade collector may fetch from (nothing is fetched until an operator lists them)
WILDLIFE_TRADE_COLLECTOR_HOSTS = env_list("WILDLIFE_TRADE_COLLECTOR_HOSTS", [])
WILDLIFE_JOB_HEARTBEAT_SECONDS = env_int("WILDLIFE_JOB_HEARTBEAT_SECONDS", 30)
# default security policy; the security administrator edits the live values in the platform
WILDLIFE_SECURITY_DEFAULTS = {
    "password_min_length": 8,
    "password_min_classes": 3,
    "lockout_threshold": 5,
    "lockout_window_minutes": 15,
    "lockout_minutes": 30,
    "idle_timeout_minutes": 30,
    "absolute_timeout_hours": 12,
    "mfa_required_for_all": False,
}

# GDAL 3.6 (Debian 12) cannot block file/network access from spatial references (gis.W001). Uploaded geometry files
# are parsed only after the checks in wildlife/geo/uploads.py (names, sizes, contents, no references to other files
# or URLs); the residual risk is documented in docs/deploy.md.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]
