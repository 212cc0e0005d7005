"""Settings for the 旅顺口区放心消费 portal.

One module for every environment. With no environment variables set it runs as an embedded
development system (SQLite in WAL mode, a file-system Celery broker, console e-mail). The variables
documented in README.md switch it to PostgreSQL, Redis and production hardening; every value is
parsed strictly by ``lyushunkou.env`` and a malformed one stops start-up with the variable's name.
Two helpers keep it short: ``lyushunkou.settings_db`` (DATABASES) and ``lyushunkou.settings_beat``
(the periodic jobs' defaults).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from lyushunkou.env import env_bool, env_choice, env_int, env_list, env_redis_url, env_str
from lyushunkou.settings_beat import beat_schedule
from lyushunkou.settings_db import databases

# Lets admin and form classes be subscripted for the type checker (ModelAdmin[Unit]).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
ENVIRONMENT = env_choice("DJANGO_ENV", "development", ("development", "production"))
PRODUCTION = ENVIRONMENT == "production"

# Writable runtime data of the embedded mode: SQLite file, broker folders, uploads, demo logins.
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / ".var")) or BASE_DIR / ".var")

# --- Core -------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must not be on when DJANGO_ENV=production.")

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY", required=True) or ""
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", required=True)
    if "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must list host names, not '*', in production.")
else:
    # Development only: a key that is obviously not secret, and local hosts.
    SECRET_KEY = env_str("SECRET_KEY", "django-insecure-embedded-development-key-not-for-use") or ""
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

# Encrypts personal data at rest (complainants' ID numbers) and must be kept: data encrypted with
# a lost key cannot be read. Unset, it derives from SECRET_KEY, which then cannot be rotated
# without re-encrypting; `check --deploy` reminds production to set its own (lyushunkou.I001).
FIELD_ENCRYPTION_KEY_SET = env_str("FIELD_ENCRYPTION_KEY") is not None
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY") or f"derived-from-secret-key:{SECRET_KEY}"
if FIELD_ENCRYPTION_KEY_SET and len(FIELD_ENCRYPTION_KEY) < 32:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be at least 32 characters long.")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address printed in plaque QR codes, e.g. https://fxxf.lvshun.gov.cn; when unset the
# address of the request that renders the plaque is used.
PUBLIC_BASE_URL = (env_str("PUBLIC_BASE_URL", "") or "").rstrip("/")
# The portal's address for links that leave it (notification e-mails): scheme and host.
PORTAL_BASE_URL = (
    env_str("PORTAL_BASE_URL", PUBLIC_BASE_URL or "http://127.0.0.1:8000") or ""
).rstrip("/")
_portal = urlsplit(PORTAL_BASE_URL)
if _portal.scheme not in {"http", "https"} or not _portal.netloc:
    raise ImproperlyConfigured(
        "The environment variable PORTAL_BASE_URL must look like https://fxxf.example.gov.cn; "
        f"got {PORTAL_BASE_URL!r}."
    )

INSTALLED_APPS = [
    "lyushunkou",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "django_celery_results",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # backup codes (two_factor_backup.py)
    "units",
    "complaints",
    "inspections",
    "supervision",  # risk-based supervision (issue 19): reads units, complaints, inspections
    "scoring",
    "areas",  # demonstration areas (issue 21): above scoring
    "rest_framework",  # the HTTP API (api/, issue 18)
    "drf_spectacular",
    "drf_spectacular_sidecar",  # the docs page's assets, vendored: no CDN under the CSP
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lyushunkou.middleware.ControlCharactersMiddleware",  # before anything reads input
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lyushunkou.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lyushunkou.request_context.CurrentRequestMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lyushunkou.middleware.SessionLifetimeMiddleware",
    "lyushunkou.middleware.PasswordChangeRequiredMiddleware",
    "lyushunkou.middleware.TwoFactorRequiredMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # gunicorn serves the collected static files itself; runserver does it in development.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "lyushunkou.urls"
WSGI_APPLICATION = "lyushunkou.wsgi.application"

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
                "lyushunkou.navigation.navigation",
                "lyushunkou.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------

# SQLite in DATA_DIR unless DATABASE_URL names PostgreSQL (lyushunkou.settings_db).
DATABASES, DATABASE_ROUTERS = databases(DATA_DIR)
# Seconds a user's reads stay on the primary after a request of theirs wrote something, so the
# page they are sent to next shows it even while the replica catches up.
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 5, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and background jobs ----------------------------------------------------------------

REDIS_URL = env_redis_url("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 3600}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Embedded broker: kombu's file-system transport, so a real worker and beat run without Redis.
    BROKER_DIR = DATA_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
    for _folder in ("queue", "control"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)

CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True  # keeps task name and arguments: the scheduled jobs' run history
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The targets of the running month, quarter and year are evaluated again this often (and right
# after every import, scoring run and appeal decision): scoring.targets.refreshing.
TARGETS_REFRESH_MINUTES = env_int("TARGETS_REFRESH_MINUTES", 30, minimum=1)
# A scoring run grades at most this many units at a time (one jurisdiction's units in an id
# range): a process holds one chunk in memory, and with a Redis broker the chunks are shared out
# among the Celery workers (scoring.grading, README).
SCORING_CHUNK_SIZE = env_int("SCORING_CHUNK_SIZE", 5000, minimum=1)
# The period the dashboard opens on: the last complete month or quarter
# (scoring.targets.dashboard.trends).
DASHBOARD_DEFAULT_PERIOD = env_choice("DASHBOARD_DEFAULT_PERIOD", "month", ("month", "quarter"))
# Re-evaluation of demonstration units (units.services_status): operators are invited to renew
# this many days before a certificate expires; a unit whose standard lapsed has this many days to
# rectify before staff are asked to revoke it.
RENEWAL_NOTICE_DAYS = env_int("RENEWAL_NOTICE_DAYS", 60, minimum=1)
RECTIFICATION_DAYS = env_int("RECTIFICATION_DAYS", 30, minimum=1)
# The public notice (公示) after a demonstration application is approved, in calendar days; the
# certificate is issued the day after it ends once every objection is resolved
# (units.services_notice).
NOTICE_DAYS = env_int("NOTICE_DAYS", 7, minimum=1)
# Defaults written into django-celery-beat's tables on first start; edit them in the admin.
CELERY_BEAT_SCHEDULE = beat_schedule(targets_refresh_minutes=TARGETS_REFRESH_MINUTES)
# PDF rendering has its own queue, so a long rendering never holds up the other jobs. Both queues
# are declared, so a worker started without --queues (make run, make worker) consumes both; a
# production host runs a dedicated worker for "reports" (README, docs/reports.md).
# Each queue has its own routing key: with one shared key a message would reach both queues.
CELERY_TASK_QUEUES = (
    Queue("celery", routing_key="celery"),
    Queue("reports", routing_key="reports"),
)
CELERY_TASK_ROUTES = {"scoring.tasks.render_report": {"queue": "reports"}}
# A worker child is replaced after this many tasks, returning whatever memory rendering (fonts,
# layout caches) kept; docs/benchmarks.md ("The periodic PDF reports") measured it over 50 renders.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 50, minimum=1)
# A report rendering or an import job beats every 30 s; one silent for this long is taken for
# dead and queued again by the 5-minute sweep. At least 60 s, so two missed beats never count.
JOB_HEARTBEAT_TIMEOUT = env_int("JOB_HEARTBEAT_TIMEOUT", 120, minimum=60)

# --- Authentication ---------------------------------------------------------------------------

AUTH_USER_MODEL = "lyushunkou.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses to authenticate a locked-out username or address at all.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "lyushunkou.backends.RolePermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Idle sessions end after SESSION_IDLE_MINUTES (the cookie's age, renewed on every request);
# every session ends SESSION_MAX_HOURS after login, however active (SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_MAX_AGE_SECONDS = env_int("SESSION_MAX_HOURS", 12, minimum=1) * 60 * 60
# Login lockout (django-axes): per username and, separately, per address.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "lyushunkou.security.lockout_response"
AXES_VERBOSE = False
# Two-factor login (TOTP, django-otp): when on, staff, leaders and the three administrators must
# set up an authenticator app and enter its code after each password login; an operator who has
# set one up (opt-in) must enter it too. Read at request time by TwoFactorRequiredMiddleware.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", default=PRODUCTION)
OTP_TOTP_ISSUER = "旅顺口区放心消费"
# The admin's device pages never show a secret key or its QR code; resetting means deleting.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Internationalisation ---------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Retention of personal data and of the audit log -------------------------------------------

# Audit events stay in the database at least this long (等保 2.0: at least 180 days), then a
# monthly job moves them, whole months at a time, into checksummed files in AUDIT_ARCHIVE_DIR.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 180, minimum=180)
AUDIT_ARCHIVE_DIR = Path(
    env_str("AUDIT_ARCHIVE_DIR", str(DATA_DIR / "audit-archives")) or DATA_DIR / "audit-archives"
)
# Complainants' personal data is anonymised this many years after a complaint is concluded.
COMPLAINT_RETENTION_YEARS = env_int("COMPLAINT_RETENTION_YEARS", 3, minimum=1)

# --- Static files and uploads -----------------------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")) or "")
# Uploads live outside the web root and are served only through views that check access.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")) or "")
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 10, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
# An import file of more rows than this is imported by a background job (an ImportJob), not
# inside the web request; the upload waits in the default storage until the job has run.
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 200, minimum=1)
# The most rows a 12315 complaint file may have (a city's year is ~100,000): a larger file is
# refused, naming this limit, and the import page states it before the upload.
COMPLAINT_IMPORT_MAX_ROWS = env_int("COMPLAINT_IMPORT_MAX_ROWS", 150_000, minimum=1)
# A list export of more rows than this is written by a background job (an ExportJob), not inside
# the web request; its file is kept in the default storage for EXPORT_KEEP_HOURS, then deleted.
EXPORT_BACKGROUND_ROWS = env_int("EXPORT_BACKGROUND_ROWS", 50_000, minimum=1)
EXPORT_KEEP_HOURS = env_int("EXPORT_KEEP_HOURS", 24, minimum=1)
# Hostile spreadsheets (lyushunkou.spreadsheets): what an uploaded .xlsx may unpack to, how much
# better than ordinary sheets a large part of it may compress, and how many rows (blank ones
# included; above the largest importer's 100 000) and columns of its first sheet are read.
IMPORT_XLSX_MAX_UNCOMPRESSED_MB = env_int("IMPORT_XLSX_MAX_UNCOMPRESSED_MB", 200, minimum=1)
IMPORT_XLSX_MAX_RATIO = env_int("IMPORT_XLSX_MAX_RATIO", 100, minimum=10)
IMPORT_MAX_SHEET_ROWS = env_int("IMPORT_MAX_SHEET_ROWS", 200_000, minimum=1000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 200, minimum=10)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail -----------------------------------------------------------------------------------

EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "") or ""
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "") or ""
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@localhost") or ""
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ---------------------------------------------------------------------------------

# Content-Security-Policy on every page, the admin included: scripts, styles, images and fonts
# only from the portal itself; no inline scripts (templates use none); forms post only to it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    # TLS ends at nginx, which sets X-Forwarded-Proto (README "Production").
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- HTTP API (api/, README "HTTP API") -------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.auth.HasScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_RATES": {
        "api_token": env_str("API_TOKEN_RATE", "600/min") or "600/min",
        "api_open": env_str("API_OPEN_RATE", "120/min") or "120/min",
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "旅顺口区放心消费 API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"SamplingResultEnum": "inspections.models.SamplingResult"},
}
API_OPEN_CACHE_SECONDS = env_int("API_OPEN_CACHE_SECONDS", 300, minimum=0)
OPEN_DATA_LICENCE = env_str("OPEN_DATA_LICENCE", "") or ""

# --- Logging ----------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
    },
}
