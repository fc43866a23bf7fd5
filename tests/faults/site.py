"""A real Jiju site for the fault campaign: its own database (an SQLite file, or a fresh PostgreSQL database
under DATABASE_URL), `jiju runserver` and `jiju db_worker` as subprocesses, a small HTTP client and direct SQL."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

JIJU = str(Path(sys.executable).with_name("jiju"))
PASSWORD = "fault-campaign-2026"
TIMEOUT = 90.0  # generous: the machine may be busy; every wait polls and returns as soon as it can
FIRMS = 3000  # enough that a run spends a while between its first progress report and its results

SEED = f"""
import datetime as dt
import django
django.setup()
from django.contrib.auth import get_user_model
from jiju.accounts.models import Profile
from jiju.assessment.models import EnterpriseYear
from jiju.core import credit_code
from jiju.registry.models import Enterprise, Industry, Parcel, Region, Zone

city = Region.objects.get(code="410100")
zone = Zone.objects.create(code="G411031", name="郑州经济技术开发区", level="national", kind="etdz", region=city)
industry = Industry.objects.get(code="3670")
firms = Enterprise.objects.bulk_create(
    Enterprise(credit_code=credit_code.make("410100", f"{{n:08d}}"), name=f"郑州测试{{n}}号有限公司", zone=zone,
               region=city, industry=industry, scale="above", production_start=dt.date(2015, 3, 1))
    for n in range(1, {FIRMS} + 1)
)
Parcel.objects.bulk_create(
    Parcel(number=f"P-{{f.pk}}", zone=zone, holder=f, area_m2=10_000 + 7 * f.pk, supply_date=dt.date(2016, 1, 1))
    for f in firms
)
EnterpriseYear.objects.bulk_create(
    EnterpriseYear(enterprise=f, year=2025, tax=50_000 + 997 * (f.pk % 1000), revenue=900_000 + 31 * f.pk,
                   energy_tce=5 + f.pk % 17)
    for f in firms
)
user = get_user_model().objects.create_user(username="city", password="{PASSWORD}")
Profile.objects.create(user=user, role="city_office").regions.set([city])
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what: str, check: Callable[[], object], timeout: float = TIMEOUT, every: float = 0.02):
    """Poll `check` until it returns something true; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


class Site:
    def __init__(self, folder: Path, postgres_url: str | None) -> None:
        self.folder = folder
        self.admin_url = postgres_url
        if postgres_url:
            self.dbname = f"jiju_faults_{uuid.uuid4().hex[:8]}"
            with self._pg(postgres_url) as db:
                db.execute(f'CREATE DATABASE "{self.dbname}"')
            self.url = urlsplit(postgres_url)._replace(path=f"/{self.dbname}").geturl()
        else:
            self.url = f"sqlite:///{folder / 'jiju.sqlite3'}"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "JIJU_DATA_DIR": str(folder),
            "JIJU_SECRET_KEY": secrets.token_urlsafe(40),
            "JIJU_DEBUG": "",
            "JIJU_RUN_LEASE": "2",
            "DJANGO_SETTINGS_MODULE": "jiju.web.settings",
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("JIJU_TASK_BACKEND", None)
        self.processes: list[subprocess.Popen] = []
        subprocess.run([JIJU, "migrate", "--noinput"], env=self.env, check=True, capture_output=True, cwd=folder)
        subprocess.run([sys.executable, "-c", SEED], env=self.env, check=True, capture_output=True, cwd=folder)
        self.port = 0
        self.server: subprocess.Popen | None = None

    @property
    def postgres(self) -> bool:
        return self.admin_url is not None

    @staticmethod
    def _pg(url: str):
        import psycopg

        return psycopg.connect(url, autocommit=True)

    def connect(self):
        """A direct connection to the site's database, in autocommit, for the test's own reads and locks."""
        if self.postgres:
            return self._pg(self.url)
        return sqlite3.connect(self.folder / "jiju.sqlite3", isolation_level=None, timeout=30)

    def sql(self, query: str, *params) -> list[tuple]:
        query = query if self.postgres else query.replace("%s", "?")
        with contextlib.closing(self.connect()) as db:
            return list(db.execute(query, params).fetchall())

    def one(self, query: str, *params):
        rows = self.sql(query, *params)
        return rows[0][0] if rows else None

    def start(self, *args: str) -> subprocess.Popen:
        log = open(self.folder / f"{args[0]}-{len(self.processes)}.log", "wb")  # noqa: SIM115 - kept with the process
        process = subprocess.Popen([JIJU, *args], env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=self.folder)
        self.processes.append(process)
        return process

    def start_worker(self) -> subprocess.Popen:
        return self.start("db_worker", "--no-startup-delay", "--interval", "0.1")

    def start_server(self) -> subprocess.Popen:
        self.port = free_port()
        self.server = self.start("runserver", "--noreload", f"127.0.0.1:{self.port}")
        wait_for("the server to answer", lambda: _answers(self.port))
        return self.server

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        """kill -9: the process gets no chance to clean up."""
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=TIMEOUT)

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    self.kill(process)
        if self.postgres:
            with self._pg(self.admin_url) as db:
                db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (self.dbname,))
                db.execute(f'DROP DATABASE IF EXISTS "{self.dbname}"')


def _answers(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/login/")
        return connection.getresponse().status == 200
    except OSError:
        return False


class Browser:
    """Just enough of a browser: cookies, the CSRF token, forms and multipart uploads over plain HTTP."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.site.port, timeout=TIMEOUT)
        connection.request(method, path, body=body or None, headers={**self._headers(), **(headers or {})})
        response = connection.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location", ""), response.read().decode("utf-8", "replace")

    def _headers(self) -> dict:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {"Cookie": cookie, "X-CSRFToken": self.cookies.get("csrftoken", "")} if cookie else {}

    def login(self, username: str = "city", password: str = PASSWORD) -> None:
        self.request("GET", "/login/")
        status, location, _ = self.post("/login/", {"username": username, "password": password})
        assert status == 302 and "/login/" not in location, "login failed"

    def post(self, path: str, data: dict):
        body = urlencode({"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def upload_request(self, path: str, fields: dict, filename: str, content: bytes) -> tuple[bytes, bytes]:
        """The head and body of a multipart POST, to send whole or in part."""
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: text/csv\r\n\r\n".encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        body = b"".join(parts)
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.site.port}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {len(body)}\r\n"
            + "".join(f"{k}: {v}\r\n" for k, v in self._headers().items())
            + "Connection: close\r\n\r\n"
        ).encode("latin-1", "replace")
        return head, body

    def upload(self, path: str, fields: dict, filename: str, content: bytes):
        head, body = self.upload_request(path, fields, filename, content)
        with socket.create_connection(("127.0.0.1", self.site.port), timeout=TIMEOUT) as s:
            s.sendall(head + body)
            answer = b"".join(iter(lambda: s.recv(65536), b""))
        status = int(answer.split(b" ", 2)[1])
        return status, answer.partition(b"\r\n\r\n")[2].decode("utf-8", "replace")


def firms_csv(first: int, count: int) -> bytes:
    """New enterprises of the site's zone, as an office's CSV."""
    from jiju.core import credit_code

    lines = ["统一社会信用代码,企业名称,所在开发区,行业代码,投产时间"]
    lines += [
        f"{credit_code.make('410100', f'{n:08d}')},郑州新建{n}号有限公司,郑州经济技术开发区,3670,2020年1月"
        for n in range(first, first + count)
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


@contextlib.contextmanager
def writes_held(site: Site, table: str, mode: str = "EXCLUSIVE") -> Iterator[object]:
    """Hold other writers off: a table lock on PostgreSQL (reads still pass), the write lock on SQLite."""
    db = site.connect()
    try:
        db.execute("BEGIN IMMEDIATE" if not site.postgres else "BEGIN")
        if site.postgres:
            db.execute(f"LOCK TABLE {table} IN {mode} MODE")
        yield db
    finally:
        db.execute("ROLLBACK")
        db.close()


def run_pk(location: str) -> int:
    return int(re.search(r"/assessment/runs/(\d+)/", location).group(1))
