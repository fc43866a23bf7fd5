"""The REST API: token auth, paging, filters, validation messages and its OpenAPI document."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import make_code


@pytest.fixture
def api(api_as) -> Client:
    return api_as("province")


def test_openapi_document_and_interactive_docs(db):
    schema = Client().get("/api/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in [
        "/api/zones",
        "/api/zones/{pk}",
        "/api/enterprises",
        "/api/parcels",
        "/api/regions",
        "/api/industries",
    ]:
        assert path in paths
    docs = Client().get("/api/docs")
    assert docs.status_code == 200
    assert "swagger-ui-bundle.js" in docs.content.decode() and "cdn" not in docs.content.decode()  # works offline


def test_paging_and_filters(api, world):
    first = api.get("/api/zones", {"page_size": 2}).json()
    assert (first["count"], first["page"], len(first["items"])) == (3, 1, 2)
    second = api.get("/api/zones", {"page_size": 2, "page": 2}).json()
    assert len(second["items"]) == 1
    assert {z["id"] for z in first["items"] + second["items"]} == {world.zones[k].pk for k in ("zz", "gy", "ly")}
    assert [z["name"] for z in api.get("/api/zones", {"region": "410300"}).json()["items"]] == ["洛阳经济技术开发区"]
    assert api.get("/api/zones", {"level": "provincial"}).json()["count"] == 1
    assert api.get("/api/enterprises", {"q": world.enterprises["gy"].credit_code}).json()["count"] == 1
    assert api.get("/api/enterprises", {"industry": "36"}).json()["count"] == 3
    assert api.get("/api/parcels", {"zone": world.zones["zz"].pk}).json()["items"][0]["area_mu"] == pytest.approx(30)


def test_reference_data_is_complete(api):
    provinces = api.get("/api/regions", {"level": 1}).json()
    assert provinces["count"] == 31
    henan = api.get("/api/regions", {"parent": "410000", "page_size": 100}).json()
    # 17 prefecture-level cities and the group of county-level cities under the province (济源)
    assert henan["count"] == 18
    assert {"郑州市", "省直辖县级行政区划"} <= {r["name"] for r in henan["items"]}
    industries = api.get("/api/industries", {"level": 4, "page_size": 1}).json()
    assert industries["count"] == 1381
    assert api.get("/api/industries", {"prefix": "4416", "level": 4}).json()["items"][0]["name"] == "太阳能发电"


def test_invalid_credit_code_is_refused_with_the_reason(api, world):
    code = make_code("410100", 9)[:-1] + "0"
    response = api.post(
        "/api/enterprises",
        {"credit_code": code, "name": "错误代码有限公司", "zone_id": world.zones["zz"].pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "校验位不符" in response.json()["fields"]["credit_code"][0]


def test_unknown_region_is_a_field_error(api):
    response = api.post(
        "/api/zones",
        {"name": "新区", "level": "city", "kind": "park", "region_code": "999999"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["fields"]["region"] == ["区划代码不存在"]


def test_deleting_a_zone_that_still_holds_records_is_a_conflict(api, world):
    response = api.delete(f"/api/zones/{world.zones['zz'].pk}")
    assert response.status_code == 409


def test_reports_are_read_within_scope(world, token_for):
    from jiju.monitoring.models import Report, ReportForm

    form = ReportForm.objects.get(code="YB01")
    for key in ("zz", "ly"):
        Report.objects.create(form=form, zone=world.zones[key], year=2026, month=3, values={"revenue": 10.0})
    client = Client()
    token = token_for("city")
    response = client.get("/api/reports?form=YB01&year=2026", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["items"][0]["zone_name"] == "郑州经济技术开发区"
    assert body["items"][0]["values"] == {"revenue": 10.0} and body["items"][0]["form"] == "YB01"
    indicators = client.get("/api/indicators", headers={"Authorization": f"Bearer {token}"}).json()
    assert {"revenue", "hightech_share"} <= {i["code"] for i in indicators}
    provider = token_for("provider")
    assert client.get("/api/reports", headers={"Authorization": f"Bearer {provider}"}).json()["count"] == 0
    assert client.get("/api/indicators", headers={"Authorization": f"Bearer {provider}"}).status_code == 403
