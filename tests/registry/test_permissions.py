"""The permission matrix: for every role, kind of record and access path, out of scope is invisible.

Invisible means 404 (never 403, which would leak that the record exists) on pages
and the API, absent from lists, searches and exports, and unchangeable by edit,
delete and import. Each row has its in-scope twin, so a check that could not
fail would show up as a failing positive case.
"""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from jiju.accounts.models import ApiToken
from jiju.registry.models import Enterprise, Parcel, Zone

# role -> (zones whose records it may see, zones whose records it must not see)
SCOPES = {
    "province": ({"zz", "gy", "ly"}, {"sjz"}),
    "city": ({"zz", "gy"}, {"ly", "sjz"}),
    "zone": ({"zz"}, {"gy", "ly", "sjz"}),
    "leader": ({"zz", "gy", "ly"}, {"sjz"}),
    "provider": (set(), {"zz", "gy", "ly", "sjz"}),
}
EDITORS = {"province", "city", "zone"}
KINDS = ["zones", "enterprises", "parcels"]


def record(world, kind: str, key: str):
    return {"zones": world.zones, "enterprises": world.enterprises, "parcels": world.parcels}[kind][key]


def label(obj) -> str:
    return getattr(obj, "credit_code", None) or getattr(obj, "number", None) or obj.name


def api_for(world, role: str) -> Client:
    token = ApiToken.objects.create(user=world.users[role])
    return Client(headers={"Authorization": f"Bearer {token.key}"})


def cases():
    for role, (inside, outside) in SCOPES.items():
        for kind in KINDS:
            for key in sorted(outside):
                yield pytest.param(role, kind, key, False, id=f"{role}-{kind}-{key}-outside")
            for key in sorted(inside):
                yield pytest.param(role, kind, key, True, id=f"{role}-{kind}-{key}-inside")


@pytest.mark.parametrize(("role", "kind", "key", "visible"), list(cases()))
def test_page_api_list_detail_export_search(world, role, kind, key, visible):
    obj = record(world, kind, key)
    web, api = world.client(role), api_for(world, role)
    can_list = role != "provider"

    assert web.get(f"/{kind}/{obj.pk}/").status_code == (200 if visible else 404)
    assert api.get(f"/api/{kind}/{obj.pk}").status_code == (200 if visible else 404)

    listing = api.get(f"/api/{kind}?page_size=500")
    assert listing.status_code == 200
    assert (obj.pk in {item["id"] for item in listing.json()["items"]}) is visible

    search = web.get(f"/{kind}/", {"q": label(obj)})
    assert search.status_code == (200 if can_list else 403)
    if can_list:
        assert (f'href="/{kind}/{obj.pk}/"' in search.content.decode()) is visible

    export = web.get(f"/{kind}/", {"format": "xlsx"})
    assert export.status_code == (200 if can_list else 403)
    if can_list:
        sheet = load_workbook(io.BytesIO(export.getvalue())).active
        cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None}
        assert (label(obj) in cells) is visible
        csv_text = web.get(f"/{kind}/", {"format": "csv"}).getvalue().decode("utf-8-sig")
        assert (label(obj) in csv_text) is visible


@pytest.mark.parametrize(("role", "kind", "key", "visible"), list(cases()))
def test_edit_and_delete(world, role, kind, key, visible):
    obj = record(world, kind, key)
    model = type(obj)
    web, api = world.client(role), api_for(world, role)
    may_change = visible and role in EDITORS  # a zone officer edits its zone but cannot remove it
    may_delete = visible and role in EDITORS and not (role == "zone" and kind == "zones")

    edit_page = web.get(f"/{kind}/{obj.pk}/edit/")
    assert edit_page.status_code == (200 if may_change else 404)

    patch = {
        "zones": {"management_committee": "改名管委会"},
        "enterprises": {"name": "改名有限公司"},
        "parcels": {"area_m2": 1234.5},
    }[kind]
    response = api.patch(f"/api/{kind}/{obj.pk}", patch, content_type="application/json")
    assert response.status_code == (200 if may_change else 404)
    field, value = next(iter(patch.items()))
    obj.refresh_from_db()
    assert (getattr(obj, field) == value) is may_change

    if kind == "zones":
        return  # zones hold enterprises and parcels; their deletion is tested in test_views
    if kind == "enterprises":
        Parcel.objects.filter(holder=obj).update(holder=None)  # a land holder is protected from deletion
    response = web.post(f"/{kind}/{obj.pk}/delete/")
    assert response.status_code == (302 if may_delete else 404)
    assert model.objects.filter(pk=obj.pk).exists() is not may_delete
    if not may_delete:
        assert api.delete(f"/api/{kind}/{obj.pk}").status_code == 404
        assert model.objects.filter(pk=obj.pk).exists()


def import_file(world, kind: str, key: str) -> tuple[str, bytes]:
    """A CSV that would change the record of `kind` in zone `key`, and the import kind."""
    if kind == "zones":
        zone = world.zones[key]
        text = (
            f"代码,开发区名称,级别,开发区类型,所在区划代码,管委会\n"
            f"{zone.code},{zone.name},国家级,经济技术开发区,{zone.region.code},被改管委会\n"
        )
        return "zone", text.encode("gbk")
    if kind == "enterprises":
        return "enterprise", f"统一社会信用代码,企业名称\n{world.enterprises[key].credit_code},被改名的企业\n".encode()
    parcel = world.parcels[key]
    return "parcel", f"地块编号,所在开发区,用地面积(亩)\n{parcel.number},{parcel.zone.name},99\n".encode("utf-8-sig")


def import_cases():
    for role, (_, outside) in SCOPES.items():
        for kind in KINDS:
            yield pytest.param(role, kind, sorted(outside)[0], id=f"{role}-{kind}")


@pytest.mark.parametrize(("role", "kind", "key"), list(import_cases()))
def test_import_cannot_touch_out_of_scope_records(world, role, kind, key):
    """Importing a file that names an out-of-scope record changes nothing and says why."""
    obj = record(world, kind, key)
    before = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    import_kind, data = import_file(world, kind, key)
    response = world.client(role).post("/import/", {"kind": import_kind, "file": _upload(data, "a.csv")})
    obj.refresh_from_db()
    assert {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields} == before
    may_import = role in EDITORS and not (role == "zone" and kind == "zones")
    assert response.status_code == (200 if may_import else 403)
    if may_import:
        assert "无法登记，请联系上级开发区办核实" in response.content.decode()  # without saying it exists


def test_import_by_an_editor_inside_scope_does_change(world):
    target = world.enterprises["zz"]
    text = f"统一社会信用代码,企业名称\n{target.credit_code},郑州改名有限公司\n"
    response = world.client("zone").post("/import/", {"kind": "enterprise", "file": _upload(text.encode(), "a.csv")})
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.name == "郑州改名有限公司"


def test_data_provider_reads_nothing(world):
    client = world.client("provider")
    for path in ["/zones/", "/enterprises/", "/parcels/", "/regions/"]:
        assert client.get(path).status_code == 403
    assert Zone.objects.visible_to(world.users["provider"]).count() == 0
    assert client.get("/import/").status_code == 403


def test_moving_a_record_out_of_scope_is_refused(world):
    api = api_for(world, "city")
    enterprise = world.enterprises["zz"]
    response = api.patch(
        f"/api/enterprises/{enterprise.pk}", {"zone_id": world.zones["ly"].pk}, content_type="application/json"
    )
    assert response.status_code == 404  # the target zone is invisible to this user
    enterprise.refresh_from_db()
    assert enterprise.zone == world.zones["zz"]


def test_creating_outside_scope_is_refused(world):
    api = api_for(world, "city")
    response = api.post(
        "/api/zones",
        {"name": "洛阳新区", "level": "city", "kind": "park", "region_code": "410300"},
        content_type="application/json",
    )
    assert response.status_code == 422  # a placement outside the scope is a fault of the request
    assert response.json()["detail"] == "该记录所在的区划或开发区不在您的管辖范围内"
    assert not Zone.objects.filter(name="洛阳新区").exists()
    response = api.post(
        "/api/zones",
        {"name": "郑州新区", "level": "city", "kind": "park", "region_code": "410100"},
        content_type="application/json",
    )
    assert response.status_code == 201


def test_anonymous_is_sent_to_login_and_api_refuses(world):
    client = Client()
    for path in ["/", "/zones/", f"/zones/{world.zones['zz'].pk}/", "/import/"]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/api/zones").status_code == 401
    assert Client(headers={"Authorization": "Bearer nope"}).get("/api/zones").status_code == 401


def test_restricted_queryset_counts(world):
    assert Enterprise.objects.visible_to(world.users["city"]).count() == 2
    assert Parcel.objects.visible_to(world.users["zone"]).count() == 1
    assert Zone.objects.visible_to(world.users["admin"]).count() == 4
    assert Zone.objects.visible_to(world.users["leader"], "change").count() == 0


def _upload(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def every_page(world) -> list[str]:
    zone, enterprise, parcel = world.zones["zz"], world.enterprises["zz"], world.parcels["zz"]
    pages = [
        "/",
        "/regions/",
        "/regions/410000/",
        "/import/",
        "/import/template/zone.xlsx",
        "/changes/",
        "/account/",
        "/assessment/upload/",
        "/assessment/marked/x/",
    ]
    for kind, obj in (("zones", zone), ("enterprises", enterprise), ("parcels", parcel)):
        pages += [
            f"/{kind}/",
            f"/{kind}/new/",
            f"/{kind}/{obj.pk}/",
            f"/{kind}/{obj.pk}/edit/",
            f"/{kind}/{obj.pk}/delete/",
        ]
    return pages


def test_every_page_sends_anonymous_users_to_log_in(world):
    client = Client()
    for path in every_page(world):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next="), path


def test_global_changelog_is_for_system_administrators_only(world):
    """It lists every scope's records, so a province administrator reads histories on record pages instead."""
    assert world.client("admin").get("/changes/").status_code == 200
    for role in ("province", "city", "zone", "leader", "provider"):
        assert world.client(role).get("/changes/").status_code == 403
