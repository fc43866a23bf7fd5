"""Safe by default: DEBUG off, no serving with a known secret key, a cache shared by every process, SQLite
writers that wait for each other, error pages that reveal nothing, and `check --deploy` clean in production."""

from __future__ import annotations

import os
import re
import runpy
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import include, path

import jiju.web
from tests.conftest import World

JIJU = str(Path(sys.executable).with_name("jiju"))
SETTINGS = Path(jiju.web.__file__).with_name("settings.py")
TEMPLATES = Path(jiju.web.__file__).with_name("templates")
SECRET = secrets.token_urlsafe(50)


def _boom(request):
    raise RuntimeError("secret internal detail of the failure")


def _forbidden(request):
    raise PermissionDenied("secret internal reason of the refusal")


# The site's URLs plus two views that fail on purpose (used with pytest.mark.urls(__name__)).
urlpatterns = [path("boom/", _boom), path("forbidden/", _forbidden), path("", include("jiju.web.urls"))]


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    """A `jiju` process on its own SQLite file under data_dir, whatever database or cache the suite runs on."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIJU_", "DATABASE_URL", "DJANGO_"))}
    return {**env, "JIJU_DATA_DIR": str(data_dir), "JIJU_SECRET_KEY": SECRET, **extra}


def jiju(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [JIJU, *args], env=env or environment(data_dir), cwd=data_dir, capture_output=True, text=True, timeout=180
    )


def settings_under(monkeypatch, tmp_path, **env: str) -> dict:
    """The settings module as a fresh process would read it with this environment."""
    for name in [k for k in os.environ if k.startswith("JIJU_") or k == "DATABASE_URL"]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("JIJU_DATA_DIR", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """One file-based SQLite database, made by `jiju migrate` as a fresh install makes it."""
    data_dir = tmp_path_factory.mktemp("jiju")
    done = jiju(data_dir, "migrate", "--noinput", "-v0")
    assert done.returncode == 0, done.stderr
    return data_dir


def test_debug_is_off_unless_the_environment_turns_it_on(monkeypatch, tmp_path):
    assert settings_under(monkeypatch, tmp_path)["DEBUG"] is False
    assert settings_under(monkeypatch, tmp_path, JIJU_DEBUG="1")["DEBUG"] is True


def test_secret_key_from_the_environment_or_the_install_s_key_file(monkeypatch, tmp_path):
    assert settings_under(monkeypatch, tmp_path)["SECRET_KEY"].startswith("django-insecure-")
    (tmp_path / "secret_key").write_text("per-install-key\n")
    assert settings_under(monkeypatch, tmp_path)["SECRET_KEY"] == "per-install-key"
    assert settings_under(monkeypatch, tmp_path, JIJU_SECRET_KEY="from-env")["SECRET_KEY"] == "from-env"


def test_refuses_to_serve_with_the_default_secret_key_in_chinese_without_a_traceback(tmp_path):
    env = environment(tmp_path)
    del env["JIJU_SECRET_KEY"]
    server = subprocess.run(
        [JIJU, "runserver", "127.0.0.1:0"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    wsgi = subprocess.run([sys.executable, "-c", "import jiju.web.wsgi"], env=env, cwd=tmp_path, capture_output=True)
    wsgi.stderr = wsgi.stderr.decode()
    check = jiju(tmp_path, "check", env=env)
    for done in (server, wsgi, check):
        assert done.returncode != 0
        assert "未设置密钥" in done.stderr and "JIJU_SECRET_KEY" in done.stderr
        assert "Traceback" not in done.stderr
    assert jiju(tmp_path, "check", env={**env, "JIJU_DEBUG": "1"}).returncode == 0
    (tmp_path / "secret_key").write_text(SECRET)
    assert jiju(tmp_path, "check", env=env).returncode == 0


def test_cache_is_shared_across_processes_for_the_login_throttle_and_marked_workbooks(migrated):
    write = jiju(
        migrated,
        "shell",
        "-c",
        "from types import SimpleNamespace\n"
        "from django.conf import settings\n"
        "from jiju.accounts import throttle\n"
        "from jiju.assessment.actions import keep_marked\n"
        "for _ in range(settings.LOGIN_FAILURE_LIMIT): throttle.record_failure('luoyang', '10.0.0.7')\n"
        "print('TOKEN', keep_marked(SimpleNamespace(pk=41), b'red-marked workbook'))",
    )
    assert write.returncode == 0, write.stderr
    token = re.search(r"TOKEN (\S+)", write.stdout).group(1)
    read = jiju(
        migrated,
        "shell",
        "-c",
        "from types import SimpleNamespace\n"
        "from jiju.accounts import throttle\n"
        "from jiju.assessment.actions import marked_workbook\n"
        "print('LOCKED', throttle.is_locked('luoyang', '10.0.0.7'), throttle.is_locked('luoyang', '10.0.0.8'))\n"
        f"print('MARKED', marked_workbook(SimpleNamespace(pk=41), {token!r}))\n"
        f"print('OTHER', marked_workbook(SimpleNamespace(pk=42), {token!r}))",
    )
    assert read.returncode == 0, read.stderr
    assert "LOCKED True False" in read.stdout
    assert "MARKED b'red-marked workbook'" in read.stdout and "OTHER None" in read.stdout


def test_redis_when_a_url_is_given(monkeypatch, tmp_path):
    assert settings_under(monkeypatch, tmp_path)["CACHES"]["default"]["BACKEND"].endswith("DatabaseCache")
    caches = settings_under(monkeypatch, tmp_path, JIJU_REDIS_URL="redis://127.0.0.1:6379/2")["CACHES"]
    assert caches["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/2",
    }


def test_two_concurrent_sqlite_writers_wait_for_each_other(migrated):
    """Each reads, holds its transaction open, then writes: without WAL and BEGIN IMMEDIATE one of them
    fails with "database is locked"."""
    start = time.time() + 8  # both processes have started Django by then
    code = (
        "import time\n"
        "from django.contrib.auth.models import Group\n"
        "from django.db import transaction\n"
        f"time.sleep(max(0, {start} - time.time()))\n"
        "with transaction.atomic():\n"
        "    Group.objects.count()\n"
        "    time.sleep(1)\n"
        "    Group.objects.create(name='writer-%s' % __import__('os').getpid())\n"
        "print('WROTE')"
    )
    env = environment(migrated)
    writers = [
        subprocess.Popen(
            [JIJU, "shell", "-c", code], env=env, cwd=migrated, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    outputs = [w.communicate(timeout=120) for w in writers]
    for writer, (out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0 and b"WROTE" in out, err.decode()[-2000:]
    count = jiju(migrated, "shell", "-c", "from django.contrib.auth.models import Group; print(Group.objects.count())")
    assert count.stdout.strip().endswith("2")


def test_check_deploy_is_clean_under_the_production_settings(tmp_path):
    env = environment(tmp_path, JIJU_HTTPS="1", JIJU_ALLOWED_HOSTS="kfq.example.gov.cn", JIJU_DEBUG="0")
    done = jiju(tmp_path, "check", "--deploy", "--fail-level", "WARNING", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_the_demo_server_serves_static_files_and_refuses_a_path_out_of_them(migrated):
    """As `make demo` runs it: DEBUG off, static files served by the application, never a 500."""
    port = 18000 + os.getpid() % 1000
    env = environment(migrated, JIJU_SERVE_STATIC="1")
    server = subprocess.Popen(
        [JIJU, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=migrated,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def get(url_path: str) -> tuple[int, str, dict]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{url_path}", timeout=10) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    try:
        for _ in range(100):
            try:
                get("/login/")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        status, body, headers = get("/login/")
        assert status == 200 and "Content-Security-Policy" in headers
        assert get("/static/jiju/site.css")[0] == 200
        assert get("/static/vendor/echarts.min.js")[0] == 200
        status, body, _ = get("/static/%2e%2e/")
        assert status == 400 and "请求有误" in body
        status, body, _ = get("/static/%2e%2e/%2e%2e/settings.py")
        assert 400 <= status < 500
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.urls(__name__)
def test_404_is_chinese_and_lists_no_url_patterns(world):
    client = Client()
    client.force_login(world.users["province"])
    response = client.get("/no/such/page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and 'lang="zh-hans"' in body
    assert "接口文档" in body  # the site's own navigation: the page extends base.html
    for leak in ("URLconf", "urlpatterns", "<str:slug>", "boom/", "forbidden/", "Not Found"):
        assert leak not in body


@pytest.mark.urls(__name__)
def test_403_is_chinese_and_keeps_the_reason_to_itself(world):
    client = Client()
    client.force_login(world.users["zone"])
    response = client.get("/forbidden/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "无权操作" in body and "接口文档" in body
    assert "secret internal reason" not in body and "Forbidden" not in body


@pytest.mark.urls(__name__)
def test_500_is_chinese_and_reveals_nothing(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["province"])
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "系统出错" in body
    for leak in ("secret internal detail", "RuntimeError", "Traceback", "Server Error"):
        assert leak not in body


def test_400_is_chinese(db):
    response = Client().get("/login/", HTTP_HOST="attacker.example")
    body = response.content.decode()
    assert response.status_code == 400
    assert "请求有误" in body and "attacker.example" not in body and "Bad Request" not in body


def test_csrf_failure_is_chinese(world):
    response = Client(enforce_csrf_checks=True).post("/login/", {"username": "province", "password": World.password})
    body = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in body
    assert "CSRF" not in body and "Forbidden" not in body


def test_static_path_out_of_the_static_folders_is_4xx(db, settings):
    settings.SERVE_STATIC = True
    assert Client().get("/static/jiju/site.css").status_code == 200
    response = Client().get("/static/%2e%2e/")
    assert response.status_code == 400 and "请求有误" in response.content.decode()
    settings.SERVE_STATIC = False
    assert Client().get("/static/jiju/site.css").status_code == 404


def test_every_page_carries_a_content_security_policy_with_a_fresh_nonce(world):
    client = Client()
    client.force_login(world.users["province"])
    nonces = []
    for _ in range(2):
        response = client.get("/")
        policy = response["Content-Security-Policy"]
        assert (
            "default-src 'self'" in policy
            and "object-src 'none'" in policy
            and "'unsafe-inline'" not in (policy.split("script-src")[1].split(";")[0])
        )
        nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
        assert f'<script nonce="{nonce}">' in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_templates_hold_no_inline_handlers_and_no_inline_script_without_the_nonce():
    """The policy refuses both; a template that brings one back breaks its page in the browser."""
    found = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        found += [f"{template.name}: {m}" for m in re.findall(r"\son[a-z]+=\"", text)]
        found += [f"{template.name}: {m}" for m in re.findall(r"<script(?![^>]*\b(?:src|nonce)=)[^>]*>", text)]
        found += [f"{template.name}: javascript:" for _ in re.findall(r"javascript:", text)]
    assert found == []
