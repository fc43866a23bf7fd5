"""Every kind of upload is refused over its size limit before it is read, with the limit in the message (issue 9)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jiju.changelog.models import ObjectChange
from jiju.monitoring import sheets
from jiju.monitoring.models import Indicator, ReportForm
from jiju.platform.files import UPLOAD_KINDS
from tests.ingest.hostile import far_corner

# Garbage that the readers would refuse in words of their own ("无法读取…"): seeing the size message
# instead shows that the file was refused before any reader opened it.
UNREADABLE = b"\x00\xff" * 3000
READ, DECODED = "无法读取 Excel 文件", "无法识别文件编码"


@pytest.fixture
def posts(world):
    """For each kind of upload, how its page receives a file, as the user who may send it."""
    province, city, zone_user, provider = (world.users[k] for k in ("province", "city", "zone", "provider"))
    provider.profile.department = "tax"
    provider.profile.save()
    form = ReportForm.objects.create(code="T01", name="测试月报", frequency="month", deadline_day=10)
    form.items.create(indicator=Indicator.objects.get(code="revenue"), order=1, required=True)
    event = sheets.do_create_event(province, "观摩", "2026-07-15", "进度:40")
    report_url = f"/monitoring/reports/T01/{world.zones['zz'].pk}/2026/3/"

    def client(user) -> Client:
        browser = Client()
        browser.force_login(user)
        return browser

    def file(data: bytes, name: str) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, data)

    return {
        "registry": lambda d, n: client(province).post("/import/", {"kind": "enterprise", "file": file(d, n)}),
        "department": lambda d, n: client(provider).post(
            "/assessment/upload/", {"department": "tax", "year": 2025, "file": file(d, n)}
        ),
        "report": lambda d, n: client(zone_user).post(
            report_url, {"action": "upload", "file": file(d, n)}, follow=True
        ),
        "rating": lambda d, n: client(province).post(f"/monitoring/ratings/{event.pk}/", {"file": file(d, n)}),
        "targets": lambda d, n: client(city).post(
            "/monitoring/targets/", {"target_year": "2026", "file": file(d, n)}, follow=True
        ),
    }


# Evidence for an objection is kept, not read: its limit is tested in tests/web/test_objections.py.
READ_KINDS = sorted(set(UPLOAD_KINDS) - {"evidence"})


def test_every_kind_of_upload_has_a_page_here():
    assert set(READ_KINDS) == {"registry", "department", "report", "rating", "targets"}


@pytest.mark.parametrize("kind", READ_KINDS)
@pytest.mark.parametrize("name", ["大.csv", "大.xlsx"])
def test_a_file_over_its_kinds_limit_is_refused_unread_with_the_limit(posts, settings, kind, name):
    settings.JIJU_UPLOAD_LIMITS = {**settings.JIJU_UPLOAD_LIMITS, kind: 1024}
    changes = ObjectChange.objects.count()
    response = posts[kind](UNREADABLE, name)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"文件过大（6 KB）：{UPLOAD_KINDS[kind]}最大 1 KB，文件未读取" in page
    assert READ not in page and DECODED not in page and ObjectChange.objects.count() == changes


@pytest.mark.parametrize("kind", READ_KINDS)
def test_a_file_within_its_limit_is_read(posts, settings, kind):
    settings.JIJU_UPLOAD_LIMITS = {**settings.JIJU_UPLOAD_LIMITS, kind: 1024 * 1024}
    page = posts[kind](far_corner(), "远.xlsx").content.decode()
    assert "文件过大" not in page and "工作表范围过大" in page
    assert READ in posts[kind](UNREADABLE, "大.xlsx").content.decode()
    assert DECODED in posts[kind](UNREADABLE, "大.csv").content.decode()
