"""The fault campaign (issue 9): real processes on a real database, killed at the worst moment.

A worker is killed with -9 in the middle of a run, the server in the middle of an upload, and (under
DATABASE_URL) PostgreSQL drops the connection of a request in the middle of its transaction. Each time
nothing is half-written, the failure is visible in Chinese, and the site recovers. Waits poll the database
or the server with a generous timeout; nothing assumes the machine's speed.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading

import pytest

from tests.faults.site import FIRMS, TIMEOUT, Browser, Site, firms_csv, run_pk, wait_for, writes_held

RESULTS = (
    "SELECT enterprise_id, score, rank, grade, list_name, excluded_reason FROM assessment_evaluationresult "
    "WHERE run_id = %s ORDER BY enterprise_id"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    url = os.environ.get("DATABASE_URL", "")
    site = Site(tmp_path_factory.mktemp("site"), url if url.startswith("postgres") else None)
    yield site
    site.close()


@pytest.fixture(scope="module")
def city(site) -> Browser:
    site.start_server()
    browser = Browser(site)
    browser.login()
    return browser


def state(site: Site, pk: int) -> tuple:
    return tuple(site.sql("SELECT state, progress, attempt FROM assessment_evaluationrun WHERE id = %s", pk)[0])


def start_run(city: Browser) -> int:
    status, location, _ = city.post("/assessment/runs/", {"scheme": "huaian_2024", "year": "2025"})
    assert status == 302, "the run was not started"
    return run_pk(location)


def test_a_run_whose_worker_is_killed_fails_visibly_and_its_retry_gives_the_right_results(site, city):
    worker = site.start_worker()
    reference = start_run(city)
    wait_for("the reference run", lambda: state(site, reference)[0] == "draft")
    expected = site.sql(RESULTS, reference)
    assert len(expected) == FIRMS

    with contextlib.ExitStack() as held:
        if site.postgres:  # the worker reports progress freely but cannot write results while the lock is held
            held.enter_context(writes_held(site, "assessment_evaluationresult"))
            pk = start_run(city)
            wait_for("progress 60 %", lambda: state(site, pk)[1] >= 60)
        else:  # SQLite has one writer: take the write lock as soon as the run reports progress (~1 s early)
            pk = start_run(city)
            wait_for("the first progress report", lambda: state(site, pk)[1] >= 10, every=0.005)
            held.enter_context(writes_held(site, ""))
            assert state(site, pk)[0] == "running", "the run finished before it could be held: raise FIRMS"
        site.kill(worker)
    assert state(site, pk)[0] == "running" and site.sql(RESULTS, pk) == []

    page = wait_for(
        "the run page to report the dead worker",
        lambda: (text := city.request("GET", f"/assessment/runs/{pk}/")[2]) and "后台任务中断" in text and text,
        every=0.2,
    )
    assert "后台任务中断（执行进程已停止），可重试或删除" in page and "location.reload" not in page
    assert "重试" in page and state(site, pk)[0] == "failed" and site.sql(RESULTS, pk) == []
    assert "失败" in city.request("GET", "/assessment/runs/")[2]

    status, _, _ = city.post(f"/assessment/runs/{pk}/retry/", {})
    assert status == 302 and state(site, pk)[::2] == ("running", 2)
    site.start_worker()
    wait_for("the retried run", lambda: state(site, pk)[0] == "draft")
    assert state(site, pk) == ("draft", 100, 2)
    assert site.sql(RESULTS, pk) == expected


def counts(site: Site) -> tuple[int, int]:
    return site.one("SELECT count(*) FROM registry_enterprise"), site.one("SELECT count(*) FROM changelog_objectchange")


def test_a_server_killed_in_the_middle_of_an_upload_writes_nothing(site, city):
    before = counts(site)
    head, body = city.upload_request("/import/", {"kind": "enterprise"}, "企业.csv", firms_csv(100_000, 200))
    with socket.create_connection(("127.0.0.1", site.port), timeout=TIMEOUT) as connection:
        connection.sendall(head + body[: len(body) // 2])  # the server reads half the file and waits for the rest
        site.kill(site.server)
    assert counts(site) == before

    site.start_server()  # the same upload, sent whole to a new server, is written whole
    status, text = city.upload("/import/", {"kind": "enterprise"}, "企业.csv", firms_csv(100_000, 200))
    assert status == 200 and "导入成功：新增 200 条" in text
    assert counts(site)[0] == before[0] + 200


def test_a_database_lost_in_the_middle_of_a_request_gives_a_chinese_page_and_writes_nothing(site, city):
    if not site.postgres:
        pytest.skip("PostgreSQL only (DATABASE_URL)")
    before = counts(site)
    upload = firms_csv(200_000, 50)
    answer: dict = {}
    with writes_held(site, "changelog_objectchange", "SHARE ROW EXCLUSIVE"):
        request = threading.Thread(
            target=lambda: answer.update(upload=city.upload("/import/", {"kind": "enterprise"}, "企业.csv", upload))
        )
        request.start()
        # The import has inserted its firms and waits to log them: its connection is cut there. (Polled
        # from outside the lock's transaction, which would see one frozen snapshot of the activity.)
        waiting = wait_for(
            "the import to wait inside its transaction",
            lambda: site.sql(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ),
        )
        site.sql("SELECT pg_terminate_backend(%s)", waiting[0][0])
        request.join(TIMEOUT)
    status, text = answer["upload"]
    assert status == 500 and "系统出错" in text and "Traceback" not in text and "psycopg" not in text
    assert counts(site) == before

    status, text = city.upload("/import/", {"kind": "enterprise"}, "企业.csv", upload)  # the database is back
    assert status == 200 and "导入成功：新增 50 条" in text and counts(site)[0] == before[0] + 50
