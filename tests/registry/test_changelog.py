"""One changelog for every create, update and delete, from every path, with who, when, path, before, after."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from jiju.accounts.models import ApiToken
from jiju.changelog.models import ObjectChange
from jiju.registry.models import Enterprise, Zone
from tests.conftest import make_code


def entries(obj):
    return list(ObjectChange.for_object(obj).order_by("id"))


def test_web_edit_records_user_path_and_before_after(world):
    client = Client()
    client.force_login(world.users["city"])
    zone = world.zones["zz"]
    response = client.post(
        f"/zones/{zone.pk}/edit/",
        {
            "code": zone.code,
            "name": zone.name,
            "level": zone.level,
            "kind": zone.kind,
            "region": zone.region_id,
            "approved_area_m2": "1249",
            "management_committee": "郑州经开区管委会",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    change = entries(zone)[-1]
    assert (change.action, change.source, change.username) == ("update", "web", "city")
    assert change.before["management_committee"] == ""
    assert change.after["management_committee"] == "郑州经开区管委会"
    assert change.time is not None
    assert dict((k, (b, a)) for k, b, a in change.changed_fields()) == {
        "management_committee": ("", "郑州经开区管委会")
    }
    page = client.get(f"/zones/{zone.pk}/").content.decode()
    assert "变更记录" in page and "郑州经开区管委会" in page and "网页" in page


def test_api_create_update_delete_are_logged_as_api(world):
    token = ApiToken.objects.create(user=world.users["province"])
    api = Client(headers={"Authorization": f"Bearer {token.key}"})
    code = make_code("410100", 77)
    created = api.post(
        "/api/enterprises",
        {"credit_code": code, "name": "接口新增有限公司", "zone_id": world.zones["zz"].pk, "industry_code": "3670"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert api.patch(f"/api/enterprises/{pk}", {"scale": "above"}, content_type="application/json").status_code == 200
    assert api.delete(f"/api/enterprises/{pk}").status_code == 204
    log = list(ObjectChange.objects.filter(object_id=pk, content_type__model="enterprise").order_by("id"))
    assert [(c.action, c.source, c.username) for c in log] == [
        ("create", "api", "province"),
        ("update", "api", "province"),
        ("delete", "api", "province"),
    ]
    assert log[0].before is None and log[0].after["credit_code"] == code
    assert log[1].before["scale"] == "below" and log[1].after["scale"] == "above"
    assert log[2].before["name"] == "接口新增有限公司" and log[2].after is None


def test_import_is_logged_as_import(world):
    client = Client()
    client.force_login(world.users["province"])
    code = make_code("410181", 88)
    text = f"统一社会信用代码,企业名称,所在开发区\n{code},导入新增有限公司,巩义市产业集聚区\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post("/import/", {"kind": "enterprise", "file": SimpleUploadedFile("a.csv", text.encode())})
    enterprise = Enterprise.objects.get(credit_code=code)
    [change] = entries(enterprise)
    assert (change.action, change.source, change.username) == ("create", "import", "province")


@pytest.mark.django_db
def test_commands_are_logged_as_command():
    call_command("demo", enterprises=50)
    zone = Zone.objects.order_by("pk").first()
    [change] = entries(zone)
    assert change.source == "import"  # the catalog goes through the ordinary zone import
    enterprise = Enterprise.objects.order_by("pk").first()
    assert entries(enterprise)[0].source == "command"


def test_unchanged_save_writes_no_entry(world):
    zone = world.zones["gy"]
    before = len(entries(zone))
    zone.save()
    assert len(entries(zone)) == before


def test_update_of_an_instance_not_loaded_from_the_database_still_has_before(world):
    zone = world.zones["gy"]
    stale = Zone(pk=zone.pk, code=zone.code, name="巩义新名", level=zone.level, kind=zone.kind, region=zone.region)
    stale.save()
    change = entries(zone)[-1]
    assert change.before["name"] == "巩义市产业集聚区" and change.after["name"] == "巩义新名"


def test_tag_changes_are_logged_with_names(world):
    client = Client()
    client.force_login(world.users["province"])
    enterprise = world.enterprises["zz"]
    from jiju.registry.models import Tag

    hitech = Tag.objects.get(code="hitech")
    response = client.post(
        f"/enterprises/{enterprise.pk}/edit/",
        {
            "credit_code": enterprise.credit_code,
            "name": enterprise.name,
            "zone": enterprise.zone_id,
            "scale": "above",
            "industry": "3670",
            "tags": [hitech.pk],
        },
    )
    assert response.status_code == 302
    change = entries(enterprise)[-1]
    assert (change.before, change.after) == ({"tags": []}, {"tags": ["高新技术企业"]})
    assert "高新技术企业" in client.get(f"/enterprises/{enterprise.pk}/").content.decode()


@pytest.mark.django_db
def test_bulk_created_rows_log_their_tags():
    call_command("demo", enterprises=200)
    tagged = Enterprise.objects.filter(tags__code="flagship").first()
    assert "镇园之宝" in entries(tagged)[0].after["tags"]


@pytest.mark.django_db
def test_bulk_written_entries_read_back_like_the_others():
    """Bulk paths insert entries with one prepared statement: times and JSON must read back as usual."""
    call_command("demo", enterprises=100)
    created = ObjectChange.objects.filter(content_type__model="enterpriseyear", action="create").first()
    assert created.time is not None and created.time.tzinfo is not None
    # The province's office uploads the demo's departmental files.
    assert created.source == "import" and created.username == "province" and "tax" in created.after
    updated = ObjectChange.objects.filter(content_type__model="enterpriseyear", action="update").first()
    assert updated.before != updated.after and updated.changed_fields()
