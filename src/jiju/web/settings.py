"""Settings: SQLite under JIJU_DATA_DIR by default, PostgreSQL when DATABASE_URL says so."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("JIJU_DATA_DIR", Path.cwd() / "var"))

SECRET_KEY = os.environ.get("JIJU_SECRET_KEY", "jiju-demo-secret-change-me-in-production-0123456789")
DEBUG = os.environ.get("JIJU_DEBUG", "1") == "1"
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
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Failed logins per (username, address) allowed within the window before refusal.
LOGIN_FAILURE_LIMIT = int(os.environ.get("JIJU_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW = int(os.environ.get("JIJU_LOGIN_FAILURE_WINDOW", "900"))

DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
PAGE_SIZE = 50

# Long jobs (evaluation runs) go to a task queue in the database; `jiju db_worker` runs them.
# The same tasks move to an RQ or Celery backend by changing BACKEND (django-tasks-rq, -celery).
TASKS = {"default": {"BACKEND": os.environ.get("JIJU_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)

# ── Uploaded files: size per kind of upload and reading limits (docs/operations.md, "上传文件的限制") ──
# Sizes in bytes; each can be set in the environment in megabytes, e.g. JIJU_UPLOAD_MB_REGISTRY=50.
JIJU_UPLOAD_LIMITS = {
    kind: int(float(os.environ.get(f"JIJU_UPLOAD_MB_{kind.upper()}", default)) * 1024 * 1024)
    for kind, default in {"registry": 20, "department": 20, "report": 2, "rating": 5, "targets": 5}.items()
}
# What a workbook or CSV may hold once unpacked and read (jiju.ingest.guard.Limits takes these names).
JIJU_READING_LIMITS = {
    "max_rows": int(os.environ.get("JIJU_READ_MAX_ROWS", "100000")),
    "max_columns": int(os.environ.get("JIJU_READ_MAX_COLUMNS", "256")),
    "max_cells": int(os.environ.get("JIJU_READ_MAX_CELLS", "2000000")),
    "max_unpacked_bytes": int(float(os.environ.get("JIJU_READ_MAX_UNPACKED_MB", "256")) * 1024 * 1024),
    "max_ratio": int(os.environ.get("JIJU_READ_MAX_RATIO", "200")),
    "max_cell_chars": int(os.environ.get("JIJU_READ_MAX_CELL_CHARS", "32767")),
}
