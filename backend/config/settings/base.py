"""Settings shared by every environment. Values come from the environment (see .env.example)."""

from __future__ import annotations

from pathlib import Path

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_database,
    env_int,
    env_json,
    env_list,
    env_optional,
    env_positive_int,
    env_rate,
    env_redis,
    env_str,
    env_url,
)
from shuxuan.common.spa_headers import spa_cache_headers
from shuxuan.settlement.windows import AFTER_SALE_DAYS_DEFAULT, AFTER_SALE_DAYS_MAX, AFTER_SALE_DAYS_MIN

# Lets the typed generics of django-stubs (ModelAdmin[Model], QuerySet[Model]) work at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # backend/
REPO_DIR = BASE_DIR.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str(
    "DJANGO_SECRET_KEY",
    # Only a development default: production.py refuses to start with it.
    default="dev-insecure-shuxuan-key-change-me-0123456789abcdefghijklmnop" if DEBUG else None,
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "shuxuan.common",
    "shuxuan.parties",
    "shuxuan.catalog",
    "shuxuan.selection",
    "shuxuan.audit",
    "shuxuan.ledger",
    "shuxuan.supply",
    "shuxuan.orders",
    "shuxuan.settlement",
    "shuxuan.payments",
    "shuxuan.reconciliation",
    "shuxuan.insights",
    "shuxuan.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

SPA_DIST_DIR = Path(env_str("SHUXUAN_SPA_DIR", default=str(REPO_DIR / "frontend" / "dist")))

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DJANGO_CONN_MAX_AGE", 60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "parties.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("SHUXUAN_MEDIA_ROOT", default=str(BASE_DIR / "media")))

REDIS_URL = env_redis("REDIS_URL")

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Without Redis, throttling state lives in the database so that all server processes share it.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "shuxuan_cache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Pull orders from the platforms configured in SHUXUAN_ORDER_CONNECTORS (none by default).
    "orders-pull": {"task": "orders.connector_pull_all", "schedule": 600.0},
    # Sample requests past the brand's deadline expire; idempotent.
    "selection-sample-requests-expire": {"task": "selection.sample_requests_expire", "schedule": 600.0},
    # Samples shipped from supply's screens end their selection hold; idempotent.
    "selection-sample-holds-settle": {"task": "selection.sample_holds_settle", "schedule": 300.0},
    # Rate cuts take effect at midnight: refresh the search rows' commission (looks back 2 h; idempotent).
    "selection-commission-refresh": {"task": "selection.commission_signals_refresh_due", "schedule": 3600.0},
    # Settlement runs nobody executes (no heartbeat for SETTLEMENT_RUN_STALE_SECONDS) are queued again,
    # or failed with the reason after SETTLEMENT_RUN_MAX_RESUMES fruitless tries; idempotent.
    "settlement-runs-resume": {"task": "settlement.runs_resume_stale", "schedule": 60.0},
    # Freeze the terms of newly imported lines (estimated splits for the earnings pages); idempotent.
    "settlement-terms-freeze": {"task": "settlement.terms_freeze", "schedule": 300.0},
    # Slot fees of sessions that aired go to the anchor; those of cancelled sessions are refunded. Idempotent.
    "payments-slot-fees-release": {"task": "payments.slot_fees_release_due", "schedule": 900.0},
    # Reconcile the current month's imported statements every night (skipped once it is closed); idempotent.
    "reconciliation-reconcile-current": {"task": "reconciliation.reconcile_current", "schedule": 86400.0},
}
# Platform API connectors, as JSON: {"douyin": {"base_url": "...", "app_key": "...", "access_token": "...", "page_size": 100}}
SHUXUAN_ORDER_CONNECTORS: dict[str, dict[str, object]] = env_json("SHUXUAN_ORDER_CONNECTORS", {})

STRIPE_SECRET_KEY = env_optional("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = env_optional("STRIPE_WEBHOOK_SECRET")
# Where the Stripe client sends API calls; tests point it at local stand-ins (shuxuan.payments.testing).
STRIPE_API_BASE = env_url("STRIPE_API_BASE", default="https://api.stripe.com")

# Order files of at least this many rows (on disk) are parsed by a second process while the
# importer writes (orders/adapters/second_process.py); 0 turns that off.
ORDERS_PARSE_AHEAD_MIN_ROWS = env_int("ORDERS_PARSE_AHEAD_MIN_ROWS", 20_000)

# Limits on uploaded files (shuxuan/common/uploads.py, ADR 0013). A file over a limit is refused
# with a 400 naming the limit (and the line, for a cell or a row count) before anything is written.
# Size in bytes and rows below the header, per kind of file; a cell's text in characters, for all;
# an XLSX is refused before it is opened when its parts would inflate past the total or one part
# compresses more than the ratio (a decompression bomb).
UPLOAD_LIMITS = {
    "products": {
        "max_bytes": env_positive_int("UPLOAD_PRODUCTS_MAX_BYTES", 20 * 1024 * 1024),
        "max_rows": env_positive_int("UPLOAD_PRODUCTS_MAX_ROWS", 5_000),
    },
    "orders": {
        "max_bytes": env_positive_int("UPLOAD_ORDERS_MAX_BYTES", 1024 * 1024 * 1024),
        "max_rows": env_positive_int("UPLOAD_ORDERS_MAX_ROWS", 5_000_000),
    },
    "bills": {
        "max_bytes": env_positive_int("UPLOAD_BILLS_MAX_BYTES", 512 * 1024 * 1024),
        "max_rows": env_positive_int("UPLOAD_BILLS_MAX_ROWS", 2_000_000),
    },
    "bank_results": {
        "max_bytes": env_positive_int("UPLOAD_BANK_RESULTS_MAX_BYTES", 64 * 1024 * 1024),
        "max_rows": env_positive_int("UPLOAD_BANK_RESULTS_MAX_ROWS", 500_000),
    },
}
UPLOAD_MAX_CELL_CHARS = env_positive_int("UPLOAD_MAX_CELL_CHARS", 65_536)

# Product and bill uploads at or under both of these (bytes; data rows, counted by newlines for a
# CSV or the sheet's stated extent for an XLSX) are imported in the request and answered with the
# result; bigger ones are stored and imported by a Celery task whose record the SPA polls.
IMPORT_INLINE_MAX_BYTES = env_positive_int("IMPORT_INLINE_MAX_BYTES", 1024 * 1024)
IMPORT_INLINE_MAX_ROWS = env_positive_int("IMPORT_INLINE_MAX_ROWS", 2_000)
UPLOAD_XLSX_MAX_UNCOMPRESSED_BYTES = env_positive_int("UPLOAD_XLSX_MAX_UNCOMPRESSED_BYTES", 2 * 1024 * 1024 * 1024)
UPLOAD_XLSX_MAX_RATIO = env_positive_int("UPLOAD_XLSX_MAX_RATIO", 100)

# Settlement defaults (docs/domain.md section 6); per-platform fees and windows live in PlatformTerms,
# per-brand margins and fees in contracts.
SETTLEMENT_DEFAULT_PLATFORM_FEE_BPS = env_int("SETTLEMENT_DEFAULT_PLATFORM_FEE_BPS", 500)
SETTLEMENT_DEFAULT_MARGIN_BPS = env_int("SETTLEMENT_DEFAULT_MARGIN_BPS", 500)
# The window of a platform without terms; its bounds are shuxuan/settlement/windows.py's.
SETTLEMENT_AFTER_SALE_DAYS = env_int("SETTLEMENT_AFTER_SALE_DAYS", AFTER_SALE_DAYS_DEFAULT, minimum=AFTER_SALE_DAYS_MIN)
if SETTLEMENT_AFTER_SALE_DAYS > AFTER_SALE_DAYS_MAX:
    raise ImproperlyConfigured(
        f"Environment variable SETTLEMENT_AFTER_SALE_DAYS={SETTLEMENT_AFTER_SALE_DAYS} must be at most {AFTER_SALE_DAYS_MAX}."
    )
# Below this (minor units) a payout waits for the balance to grow.
SETTLEMENT_MIN_PAYOUT_MINOR = env_int("SETTLEMENT_MIN_PAYOUT_MINOR", 10_000)
# Lines per committed chunk of a run, and a pause after each chunk (ms) to leave the database
# headroom for the day's traffic when a large run goes during business hours. Each chunk pays a
# fixed cost (its query, its ledger entry, its commit): 1M lines settled in 37.4 s in chunks of
# 5,000, 34.1-35.1 s of 10,000, 33.0 s of 20,000 (ADR 0005). A killed worker redoes at most two.
SETTLEMENT_CHUNK_LINES = env_int("SETTLEMENT_CHUNK_LINES", 20_000)
SETTLEMENT_CHUNK_PAUSE_MS = env_int("SETTLEMENT_CHUNK_PAUSE_MS", 0)
# Split the next chunk on a second thread while the current one is written (runs.py).
SETTLEMENT_PIPELINE = env_bool("SETTLEMENT_PIPELINE", True)
# The sweep (settlement.runs_resume_stale) queues again an active run nobody executes after this
# many seconds without a sign of life, and fails it after this many fruitless resumptions.
SETTLEMENT_RUN_STALE_SECONDS = env_int("SETTLEMENT_RUN_STALE_SECONDS", 120)
SETTLEMENT_RUN_MAX_RESUMES = env_int("SETTLEMENT_RUN_MAX_RESUMES", 3)
# Reconciliation: an accepted or written-off difference above this (fen) needs a second finance
# user's approval; unresolved exceptions above the close threshold block closing the month.
# Neither may be negative; reconciliation/thresholds.py is where they are read.
RECONCILIATION_APPROVAL_THRESHOLD_MINOR = env_int("RECONCILIATION_APPROVAL_THRESHOLD_MINOR", 100_000, minimum=0)
RECONCILIATION_CLOSE_THRESHOLD_MINOR = env_int("RECONCILIATION_CLOSE_THRESHOLD_MINOR", 0, minimum=0)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The SPA reads the CSRF token from this cookie and echoes it in X-CSRFToken.
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "shuxuan.common.errors.csrf_failure"  # JSON under /api/

# How many reverse proxies in front of the web server append to X-Forwarded-For (0: none, the
# header is ignored). docker-compose.yml publishes web directly, so it sets 0.
SHUXUAN_TRUSTED_PROXIES = env_int("SHUXUAN_TRUSTED_PROXIES", 0, minimum=0)
# Login attempts (shuxuan.parties.login_guard, ADR 0014): every attempt per client address; failed
# ones per username from anywhere; per (username, address) pair a free number of failures, then a
# back-off that doubles from LOGIN_BACKOFF_SECONDS up to LOGIN_BACKOFF_MAX_SECONDS.
LOGIN_ADDRESS_RATE = env_rate("SHUXUAN_LOGIN_RATE", "10/min")
LOGIN_USERNAME_FAILURE_RATE = env_rate("SHUXUAN_LOGIN_USER_RATE", "50/hour")
LOGIN_PAIR_FREE_FAILURES = 5
LOGIN_BACKOFF_SECONDS = 60
LOGIN_BACKOFF_MAX_SECONDS = 3600

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "shuxuan.common.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "shuxuan.common.schema.ShuxuanAutoSchema",
    "DEFAULT_THROTTLE_RATES": {"invitation": "30/hour"},
    # The client address of a throttle is REMOTE_ADDR, or with N trusted proxies the address the
    # outermost of them appended to X-Forwarded-For; a header the client sent is never believed.
    "NUM_PROXIES": SHUXUAN_TRUSTED_PROXIES,
    "EXCEPTION_HANDLER": "shuxuan.common.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Shuxuan (蜀选) API",
    "DESCRIPTION": "Selection and settlement platform of a Sichuan live-commerce supply chain.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "shuxuan.parties.models.OrganizationKind",
        "AnchorKindEnum": "shuxuan.parties.models.AnchorKind",
        "PlatformEnum": "shuxuan.parties.models.Platform",
        "RoleEnum": "shuxuan.parties.models.Role",
        "LocationKindEnum": "shuxuan.supply.models.LocationKind",
        "MovementKindEnum": "shuxuan.supply.models.MovementKind",
        "ShipmentKindEnum": "shuxuan.supply.models.ShipmentKind",
        "CertificationStatusEnum": "shuxuan.catalog.models.CertificationStatus",
        "OrderSourceEnum": "shuxuan.orders.models.Source",
        "OrderStatusEnum": "shuxuan.orders.models.OrderStatus",
        "ImportBatchStateEnum": "shuxuan.orders.models.BatchState",
        "ImportBatchKindEnum": "shuxuan.orders.models.BatchKind",
        "SettlementRunStateEnum": "shuxuan.settlement.models.RunState",
        "StatementStateEnum": "shuxuan.settlement.models.StatementState",
        "PayoutStateEnum": "shuxuan.settlement.models.PayoutState",
        "AdvanceStateEnum": "shuxuan.settlement.models.AdvanceState",
        "PayeeKindEnum": "shuxuan.settlement.models.PayeeKind",
        "PayoutRailEnum": "shuxuan.settlement.models.Rail",
        "LegKindEnum": "shuxuan.settlement.models.LegKind",
        "SettledByEnum": "shuxuan.settlement.models.SettledBy",
        "ChargeKindEnum": "shuxuan.payments.models.ChargeKind",
        "ChargeStateEnum": "shuxuan.payments.models.ChargeState",
        "TransferStatusEnum": "shuxuan.payments.models.TransferStatus",
        "StatementSourceEnum": "shuxuan.reconciliation.models.Source",
        "MatchOutcomeEnum": "shuxuan.reconciliation.models.Outcome",
        "MatchRuleKindEnum": "shuxuan.reconciliation.models.RuleKind",
        "ExceptionStateEnum": "shuxuan.reconciliation.models.ExceptionState",
        "ExceptionResolutionEnum": "shuxuan.reconciliation.models.Resolution",
        "PeriodCloseStateEnum": "shuxuan.reconciliation.models.CloseState",
        "ImportStatusEnum": "shuxuan.common.import_jobs.ImportStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

SHUXUAN_DEMO_PASSWORD = "shuxuan-demo"  # noqa: S105 - the published password of the demo world only

# The built SPA's files (index.html, assets/) are served from the site root by WhiteNoise.
WHITENOISE_ROOT = SPA_DIST_DIR if SPA_DIST_DIR.is_dir() else None
# Hashed assets immutable for a year, index.html not cached (shuxuan/common/spa.py).
WHITENOISE_ADD_HEADERS_FUNCTION = spa_cache_headers
