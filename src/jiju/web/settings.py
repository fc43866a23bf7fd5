"""Settings from the environment, safe by default: DEBUG off, SQLite under JIJU_DATA_DIR unless DATABASE_URL
says otherwise, a shared cache, HTTPS hardening with JIJU_HTTPS=1. docs/operations.md lists every variable."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("JIJU_DATA_DIR", Path.cwd() / "var"))


def _env_flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default) == "1"


SECRET_KEY_FILE = Path(os.environ.get("JIJU_SECRET_KEY_FILE", DATA_DIR / "secret_key"))


def _secret_key() -> str:
    """The environment's key, else the per-install key file (`make demo` writes one under var/), else Django's
    marked insecure key, which jiju.web.checks refuses outside DEBUG."""
    if key := os.environ.get("JIJU_SECRET_KEY", "").strip():
        return key
    if SECRET_KEY_FILE.is_file() and (key := SECRET_KEY_FILE.read_text(encoding="utf-8").strip()):
        return key
    return "django-insecure-jiju-development-key-not-for-serving"


SECRET_KEY = _secret_key()
DEBUG = _env_flag("JIJU_DEBUG")
ALLOWED_HOSTS = os.environ.get("JIJU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves Swagger UI from its own static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "jiju.web",
    "jiju.changelog",
    "jiju.accounts",
    "jiju.registry",
    "jiju.assessment",
    "jiju.monitoring",
    "jiju.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jiju.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jiju.web.middleware.ContentSecurityPolicyMiddleware",
    "jiju.changelog.middleware.ChangeContextMiddleware",
]

ROOT_URLCONF = "jiju.web.urls"
WSGI_APPLICATION = "jiju.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "jiju.web.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'jiju.sqlite3'}",
        conn_max_age=int(os.environ.get("JIJU_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at BEGIN, so a second writer waits
    # (up to `timeout` seconds) instead of failing with "database is locked" when its read turns into a write.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": int(os.environ.get("JIJU_SQLITE_TIMEOUT", "20")),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"

# Checked whenever a password is set through a form (account pages, password change); messages in Chinese.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "jiju.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# One cache for every process (the login throttle and the red-marked workbooks live there): the database's
# table `jiju_cache` (made by `jiju migrate`), or Redis when JIJU_REDIS_URL is set (`pip install 'jiju[redis]'`).
if REDIS_URL := os.environ.get("JIJU_REDIS_URL", ""):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "jiju_cache"}}

# Failed logins per (username, address) allowed within the window before refusal.
LOGIN_FAILURE_LIMIT = int(os.environ.get("JIJU_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW = int(os.environ.get("JIJU_LOGIN_FAILURE_WINDOW", "900"))

# Served over HTTPS (behind a proxy that sets X-Forwarded-Proto): Secure cookies, HSTS, redirect to https.
HTTPS = _env_flag("JIJU_HTTPS")
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("JIJU_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("JIJU_HSTS_INCLUDE_SUBDOMAINS", "1")
    SECURE_HSTS_PRELOAD = _env_flag("JIJU_HSTS_PRELOAD", "1")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("JIJU_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Sent with every response by jiju.web.middleware; "{nonce}" becomes the response's nonce, which the templates'
# inline <script nonce="{{ request.csp_nonce }}"> carry. Style attributes stay allowed: ECharts' tooltips use them.
CONTENT_SECURITY_POLICY = os.environ.get(
    "JIJU_CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'",
)

# Static files from the application itself (`make demo`, small installs); in production a web server serves
# STATIC_ROOT after `jiju collectstatic`.
SERVE_STATIC = _env_flag("JIJU_SERVE_STATIC")

DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
PAGE_SIZE = 50

# Long jobs (evaluation runs) go to a task queue in the database; `jiju db_worker` runs them.
# The same tasks move to an RQ or Celery backend by changing BACKEND (django-tasks-rq, -celery).
TASKS = {"default": {"BACKEND": os.environ.get("JIJU_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}
# A started run whose worker has written no heartbeat for this many seconds is taken as dead (its worker was
# killed or its machine stopped): it is marked failed and can be retried. The worker beats every quarter of it.
JIJU_RUN_LEASE = float(os.environ.get("JIJU_RUN_LEASE", "120"))

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)

# The earliest year a page or an import accepts (the latest is next year).
JIJU_YEAR_MIN = int(os.environ.get("JIJU_YEAR_MIN", "2000"))
# A reviewer may not approve or return a report they submitted; a one-person office sets this to 1.
JIJU_ALLOW_SELF_REVIEW = os.environ.get("JIJU_ALLOW_SELF_REVIEW", "0") == "1"

# ── Uploaded files: size per kind of upload and reading limits (docs/operations.md, "上传文件的限制") ──
# Sizes in bytes; each can be set in the environment in megabytes, e.g. JIJU_UPLOAD_MB_REGISTRY=50.
JIJU_UPLOAD_LIMITS = {
    kind: int(float(os.environ.get(f"JIJU_UPLOAD_MB_{kind.upper()}", default)) * 1024 * 1024)
    for kind, default in {
        "registry": 20,
        "department": 20,
        "report": 2,
        "rating": 5,
        "targets": 5,
        "evidence": 10,
    }.items()
}
# What a workbook or CSV may hold once unpacked and read (jiju.ingest.guard.Limits takes these names).
JIJU_READING_LIMITS = {
    "max_rows": int(os.environ.get("JIJU_READ_MAX_ROWS", "1048576")),
    "max_columns": int(os.environ.get("JIJU_READ_MAX_COLUMNS", "256")),
    "max_cells": int(os.environ.get("JIJU_READ_MAX_CELLS", "10000000")),
    "max_unpacked_bytes": int(float(os.environ.get("JIJU_READ_MAX_UNPACKED_MB", "256")) * 1024 * 1024),
    "max_ratio": int(os.environ.get("JIJU_READ_MAX_RATIO", "200")),
    "max_cell_chars": int(os.environ.get("JIJU_READ_MAX_CELL_CHARS", "32767")),
    # A sheet's rectangle over this many cells must have one filled cell in max_sparse_ratio.
    "sparse_floor": int(os.environ.get("JIJU_READ_SPARSE_FLOOR", "1000000")),
    "max_sparse_ratio": int(os.environ.get("JIJU_READ_MAX_SPARSE_RATIO", "50")),
}
