"""Settings shared by every environment; the environment is read here and only here."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A persistent connection is checked before each request reuses it, so a database that restarted is
# reconnected to without restarting the portal.
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The covering indexes' INCLUDE columns serve PostgreSQL; SQLite builds the index without them,
    # which is all `make run` needs (the warning printed at every migrate and runserver).
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL compiles a query with LLVM when its estimated cost is high; the search queries'
    # estimates are (core.search), and compiling took 10-60 ms of a 100 ms query. Short web queries
    # never win it back.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "allauth",
    "config.apps.PortalAccountConfig",  # allauth.account, allauth.mfa, axes and django_tasks_db with
    "config.apps.PortalMFAConfig",  # Japanese names in the admin (config/apps.py)
    "config.apps.PortalAxesConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "django_tasks",
    "config.apps.PortalTasksConfig",
    "csp",
    "template_partials",
    "simple_history",
    "import_export",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    # ours
    "core",
    "accounts",
    "organizations",
    "listings",
    "events",
    "matching",
    "projects",
    "proposals",
    "notifications",
    "surveys",
    "stats",
    "api",
    "privacy",
    "portal",
    "ops",
]
# Demo data (seed_demo, demo_logins, the factories): installed for `make run`, the tests and the
# benchmark; a production deployment leaves it out. No other app imports it (.importlinter).
if env.bool("DEMO_APP", default=False):
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    "core.observability.RequestMiddleware",  # request id, one log line and metrics per request
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "api.middleware.PublicDataConditionalGetMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "accounts.middleware.SessionSecurityMiddleware",
    "accounts.middleware.MFARequiredMiddleware",
    "core.middleware.PrivatePagesMiddleware",
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
                "csp.context_processors.nonce",
                "core.context_processors.portal",
                "notifications.context_processors.unread_notices",
                "accounts.context_processors.roles_context",
            ],
            "builtins": ["template_partials.templatetags.partials", "core.templatetags.text_tags"],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# ASVS 6: at least 8 characters, long passphrases welcome (no maximum below 64, no composition rules,
# no forced rotation). Reset links are single-use (the token hashes the password) and last 3 hours.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60 * 3)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/mypage/"

PORTAL_NAME = env("PORTAL_NAME", default="協働マッチング")
PORTAL_NAME_EN = env("PORTAL_NAME_EN", default="Collaboration Matching")  # on English pages

# django-allauth: e-mail is the login; group staff sign themselves up, verified by e-mail.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"  # adds names and readings
ACCOUNT_ADAPTER = "accounts.adapter.PortalAccountAdapter"  # links in its mails from SITE_URL
ACCOUNT_FORMS = {"signup": "accounts.signup.PortalSignupForm"}  # equal work for taken addresses
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PORTAL_NAME}] "
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "協働マッチング"
MFA_ADAPTER = "accounts.mfa.PortalMFAAdapter"
# Two-factor login is required for coordinators and admins (accounts.middleware.MFARequiredMiddleware).
MFA_REQUIRED_FOR_PRIVILEGED = env.bool("MFA_REQUIRED_FOR_PRIVILEGED", default=True)
MFA_FORMS = {"authenticate": "accounts.mfa.AuthenticateForm", "reauthenticate": "accounts.mfa.ReauthenticateForm"}
# Failed logins and wrong two-factor codes are locked out by django-axes (below), per account and per
# address, counted together (accounts.mfa, accounts.security); allauth's own throttle would stop at 5 and hide
# axes' lockout, so it is switched off. A used TOTP code is refused for its 30-second window by
# allauth through the shared cache.
ACCOUNT_RATE_LIMITS = {"login_failed": None}

# django-axes: 10 failures lock an account and an address for 15 minutes.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "login"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_USERNAME_CALLABLE = "accounts.security.axes_username"
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
# Behind one reverse proxy that appends X-Forwarded-For, the client is its last entry (accounts.security).
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
FORMAT_MODULE_PATH = ["config.formats"]  # DATETIME_FORMAT as officials write it (config/formats/ja)
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploads go through Django's storage API only, so every app server sees the same files when
# MEDIA_ROOT is a shared volume, and an object store is a matter of configuration, e.g.
# MEDIA_STORAGE_BACKEND=storages.backends.s3.S3Storage MEDIA_STORAGE_OPTIONS='{"bucket_name": "kyodo"}'.
MEDIA_STORAGE = {
    "BACKEND": env("MEDIA_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"),
    "OPTIONS": env.json("MEDIA_STORAGE_OPTIONS", default={}),
}
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads: PDF/PNG/JPEG only, at most 10 MB (checked by core.validators).
MAX_UPLOAD_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Imports of past records: at most this many rows, and an xlsx may unpack to at most this many bytes
# (checked from the zip directory before the workbook is parsed).
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=100_000)
IMPORT_XLSX_MAX_UNPACKED = env.int("IMPORT_XLSX_MAX_UNPACKED", default=100 * 1024 * 1024)
# Files with more rows than this are imported by the background worker (progress shown in the admin).
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=2_000)
# PDFs of the records are rendered in a child process that is killed after this many seconds.
PDF_RENDER_TIMEOUT = env.int("PDF_RENDER_TIMEOUT", default=20)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="協働マッチング <noreply@kyodo.example.jp>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where core.devmail.DevMailBackend (used by `make run`) keeps copies for the /dev/mail/ page.
DEV_MAIL_DIR = env("DEV_MAIL_DIR", default=str(BASE_DIR / ".dev-mail"))

EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=None)  # only for the file backend (the cluster test)

# Background work (e-mail, reminders, digests) runs through django-tasks on the database: any number
# of `db_worker`s share the queue and each task is taken by one (SELECT … FOR UPDATE SKIP LOCKED).
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
# run_scheduler (core.scheduler): daily jobs from this local hour; the name runs are recorded under.
SCHEDULER_DAILY_HOUR = env.int("SCHEDULER_DAILY_HOUR", default=7)
INSTANCE_NAME = env("INSTANCE_NAME", default="")
# /readyz reports not ready when no worker has run the scheduler's heartbeat for this long.
WORKER_SEEN_SECONDS = env.int("WORKER_SEEN_SECONDS", default=15 * 60)
# /metrics answers only requests carrying "Authorization: Bearer <METRICS_TOKEN>"; unset = no metrics.
METRICS_TOKEN = env("METRICS_TOKEN", default="")

# The cache holds security state (allauth's rate limits, used TOTP codes), so every process of a
# site must share it: Redis at CACHE_URL or REDIS_URL. Django's own RedisCache is used (it needs
# only the redis client), made tolerant (core.cache): while Redis is away reads are misses, pages are
# served, and rate limits, which cannot take their lock, refuse. Production refuses a per-process
# cache (core.checks), `make run` uses the database (local.py), tests use memory unless CACHE_URL
# points at Redis.
CACHE_URL = env("CACHE_URL", default="") or env("REDIS_URL", default="")
REDIS_CACHE_BACKEND = "core.cache.TolerantRedisCache"


def cache_settings(url: str) -> dict:
    """The CACHES entry for a cache URL; redis:// always maps to Django's RedisCache (tolerant)."""
    redis = url.startswith(("redis://", "rediss://"))
    return env.cache_url_config(url, backend=REDIS_CACHE_BACKEND if redis else None)


CACHES = {"default": cache_settings(CACHE_URL or "locmemcache://")}
# Production settings set this: core.checks then require a shared cache and SITE_URL.
PRODUCTION = False

# Sessions live in the database, shared by every app server and untouched by a cache restart.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Portal settings (PORTAL_NAME is near the top: allauth's subject prefix uses it)
# Every absolute link (e-mails, .ics, open data) starts with SITE_URL, never the request's Host.
# `make run` sets it from HOST/PORT; production requires it (core.checks).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
CITY_NAME = env("CITY_NAME", default="みなと市")
CITY_NAME_EN = env("CITY_NAME_EN", default="Minato City")  # on English pages
SECURITY_LOG_RETENTION_DAYS = env.int("SECURITY_LOG_RETENTION_DAYS", default=400)
# Sessions (accounts.middleware.SessionSecurityMiddleware): idle and absolute limits, in seconds.
SESSION_IDLE_TIMEOUT_PRIVILEGED = env.int("SESSION_IDLE_TIMEOUT_PRIVILEGED", default=30 * 60)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=4 * 60 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)

# Logs go to stdout (journald under systemd). Production writes one JSON object per line
# (python-json-logger) with the request id and the instance; `make run` keeps plain lines.
LOG_FORMAT = env("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "core.observability.LogContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(instance)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["context"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "security": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # One line per request (method, path, status, duration_ms, queries); runserver has its own.
        "portal.request": {"level": env("REQUEST_LOG_LEVEL", default="WARNING")},
        "core.scheduler": {"level": "INFO"},
    },
}

# django-import-export: quote formula-looking cells if an admin export is ever enabled (the portal's
# own CSV/xlsx go through core.spreadsheets.safe_cell).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# Read-only API (/api/v1/) and feeds (api app). The API is public and read-only: anonymous GETs,
# a per-client rate limit in the shared cache, errors as application/problem+json.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": env("API_RATE_LIMIT", default="600/hour")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "協働マッチング API",
    "DESCRIPTION": "市民活動団体・市の担当課・協働事業の公開情報を読み取る API（読み取り専用）。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {},
}
# CORS: any origin may read the API and the feeds; nothing else is shared.
CORS_URLS_REGEX = r"^/(api/|feeds/(?!calendar/)).*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "Link"]
# Open data: the city's 全国地方公共団体コード and the licence of every file and API response.
LOCAL_GOVERNMENT_CODE = env("LOCAL_GOVERNMENT_CODE", default="000000")
OPEN_DATA_LICENSE = env("OPEN_DATA_LICENSE", default="CC BY 4.0")
OPEN_DATA_LICENSE_URL = env("OPEN_DATA_LICENSE_URL", default="https://creativecommons.org/licenses/by/4.0/deed.ja")
