"""Hostile and clumsy API requests (issue 9): each is a Chinese 4xx in one shape, never a 500, and
changes nothing. Each test here failed before the API's error handling was rewritten."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from jiju.platform.actions import OUTSIDE_SCOPE

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = ("Input should", "Field required", "Unauthorized", "Cannot parse", "Not Found", "loc", "msg")


def refused(response, status: int) -> dict:
    """The body of an error answer, after checking its status and the one shape every error has."""
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert set(body) == {"detail", "fields"}
    assert isinstance(body["detail"], str) and CJK.search(body["detail"]), body
    assert all(isinstance(reasons, list) and all(CJK.search(r) for r in reasons) for reasons in body["fields"].values())
    text = response.content.decode()
    assert not any(word in text for word in ENGLISH), text
    return body


@pytest.fixture
def api(api_as) -> Client:
    return api_as("province")


def patch(client: Client, path: str, body) -> object:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.patch(path, data, content_type="application/json")


def test_body_validation_errors_name_each_field_in_chinese(api):
    body = refused(api.post("/api/zones", {"name": 5}, content_type="application/json"), 422)
    assert body["fields"] == {
        "name": ["应为文本（不能为 null）"],
        "level": ["必填"],
        "kind": ["必填"],
        "region_code": ["必填"],
    }
    assert body["detail"].startswith("请求有误：请求体 name：应为文本")
    assert "请求体 level：必填" in body["detail"]


def test_query_and_path_parameters_are_named_in_chinese(api):
    body = refused(api.get("/api/zones", {"page": "abc"}), 422)
    assert body["fields"] == {"page": ["应为整数"]} and "查询参数 page" in body["detail"]
    body = refused(api.get("/api/zones/abc"), 422)
    assert body["fields"] == {"pk": ["应为整数"]} and "路径参数 pk" in body["detail"]
    body = refused(api.post("/api/zones", {"name": "新区", "approval_date": "2020-13-45"}, "application/json"), 422)
    assert body["fields"]["approval_date"] == ["应为有效日期（YYYY-MM-DD）"]


def test_null_for_a_text_field_in_a_patch_is_refused(api, world):
    zone = world.zones["zz"]
    for field in ("name", "code", "leading_industries", "region_code"):
        body = refused(patch(api, f"/api/zones/{zone.pk}", {field: None}), 422)
        assert body["fields"] == {field: ["应为文本（不能为 null）"]}
    zone.refresh_from_db()
    assert (zone.name, zone.code) == ("郑州经济技术开发区", "G411031")


@pytest.mark.parametrize("page", [0, -3, 2**63, 10**30])
def test_zero_negative_or_huge_page_numbers_are_refused(api, page):
    body = refused(api.get("/api/zones", {"page": page}), 422)
    assert list(body["fields"]) == ["page"]
    assert refused(api.get("/api/regions", {"page_size": 0}), 422)["fields"] == {"page_size": ["不能小于 1"]}
    assert refused(api.get("/api/parcels", {"page_size": 501}), 422)["fields"] == {"page_size": ["不能大于 500"]}


def test_pages_are_ninjas_with_the_page_and_size_they_give(api):
    page = api.get("/api/regions", {"level": 1, "page": 2, "page_size": 30}).json()
    assert (page["count"], page["page"], page["page_size"], len(page["items"])) == (31, 2, 30, 1)
    assert api.get("/api/zones").json()["page_size"] == 50


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/api/enterprises", "zone"),
        ("/api/parcels", "zone"),
        ("/api/reports", "zone"),
        ("/api/reports", "year"),
        ("/api/regions", "level"),
    ],
)
def test_integer_filters_beyond_64_bits_are_refused(api, path, param):
    assert list(refused(api.get(path, {param: 2**64}), 422)["fields"]) == [param]


def test_ids_beyond_64_bits_are_refused(api, world):
    assert list(refused(api.get(f"/api/zones/{2**64}"), 422)["fields"]) == ["pk"]
    body = refused(patch(api, f"/api/parcels/{world.parcels['zz'].pk}", {"zone_id": 2**64}), 422)
    assert list(body["fields"]) == ["zone_id"]
    body = refused(patch(api, f"/api/enterprises/{world.enterprises['zz'].pk}", {"employees": 2**70}), 422)
    assert body["fields"] == {"employees": ["不能大于 2147483647"]}


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
@pytest.mark.parametrize("field", ["area_m2", "floor_area_m2", "contract_investment_yuan"])
def test_non_finite_numbers_are_refused_in_chinese(api, world, number, field):
    parcel = world.parcels["zz"]
    body = refused(patch(api, f"/api/parcels/{parcel.pk}", f'{{"{field}": {number}}}'), 422)
    assert body["fields"] == {field: ["不是有限的数字（NaN、Infinity 等不能作为数值）"]}
    parcel.refresh_from_db()
    assert parcel.area_m2 == 20_000 and parcel.floor_area_m2 is None


def test_figures_beyond_what_the_importer_accepts_are_refused_the_same_way(api, world):
    """The API holds numbers to jiju.core.values, the importers' rule: 1e16 m² is no area."""
    body = refused(patch(api, f"/api/zones/{world.zones['zz'].pk}", {"approved_area_m2": 1e16}), 422)
    assert body["fields"]["approved_area_m2"][0].startswith("数值过大")
    body = refused(patch(api, f"/api/enterprises/{world.enterprises['zz'].pk}", {"registered_capital_yuan": 1e16}), 422)
    assert body["fields"]["registered_capital_yuan"][0].startswith("数值过大")


def test_a_placement_outside_the_scope_is_a_422_with_the_refusal(api_as, world):
    zone = world.zones["zz"]
    body = refused(patch(api_as("zone"), f"/api/zones/{zone.pk}", {"region_code": "110101"}), 422)
    assert body == {"detail": OUTSIDE_SCOPE, "fields": {}}
    zone.refresh_from_db()
    assert zone.region.code == "410100"
    assert api_as("city").get(f"/api/zones/{zone.pk}").status_code == 200


def test_a_record_outside_the_scope_is_a_404(api_as, world):
    officer = api_as("zone")
    assert refused(officer.get(f"/api/zones/{world.zones['ly'].pk}"), 404) == {"detail": "开发区不存在", "fields": {}}
    refused(patch(officer, f"/api/parcels/{world.parcels['ly'].pk}", {"area_m2": 1}), 404)
    body = {"number": "P-new", "zone_id": world.zones["ly"].pk, "area_m2": 10}
    refused(officer.post("/api/parcels", body, content_type="application/json"), 404)


def test_a_body_that_is_not_json_is_a_400_in_chinese(api, world):
    body = refused(api.post("/api/zones", "{not json", content_type="application/json"), 400)
    assert body["detail"] == "请求体不是有效的 JSON（第 1 行第 2 列）"
    body = refused(patch(api, f"/api/zones/{world.zones['zz'].pk}", b'{"name": "\xff"}'), 400)
    assert body["detail"] == "请求体不是有效的 UTF-8 文本"


def test_every_error_has_the_same_shape(api, api_as, world):
    refused(Client().get("/api/zones"), 401)
    refused(Client(headers={"Authorization": "Bearer nope"}).get("/api/zones"), 401)
    refused(api_as("provider").get("/api/indicators"), 403)
    refused(api.delete(f"/api/zones/{world.zones['zz'].pk}"), 409)
    body = {"name": "新区", "level": "city", "kind": "park", "region_code": "999999"}
    assert refused(api.post("/api/zones", body, content_type="application/json"), 422)["fields"] == {
        "region": ["区划代码不存在"]
    }


def test_every_operation_declares_the_errors_it_gives(db):
    document = Client().get("/api/openapi.json").json()
    error = {"$ref": "#/components/schemas/ErrorOut"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            answers = operation["responses"]
            for status in ("401", "422"):
                assert answers[status]["content"]["application/json"]["schema"] == error, (method, path, status)
            if "{pk}" in path:
                assert "404" in answers, (method, path)
            if "requestBody" in operation:
                assert "400" in answers, (method, path)
    assert document["components"]["schemas"]["ErrorOut"]["required"] == ["detail", "fields"]


def test_an_unexpected_fault_is_a_chinese_500_without_a_traceback(api, world, monkeypatch, settings):
    import jiju.api.api as module

    def broken(*args, **kwargs):
        raise RuntimeError("internal detail")

    settings.DEBUG = True  # ninja shows a traceback while DEBUG is on; the API must not
    monkeypatch.setattr(module, "get_for", broken)
    response = api.get(f"/api/zones/{world.zones['zz'].pk}")
    assert response.status_code == 500
    assert response.json() == {"detail": "服务器内部错误，已记录，请稍后重试或联系管理员", "fields": {}}
    assert "internal detail" not in response.content.decode()


@pytest.mark.parametrize(
    ("path", "param"), [("/api/enterprises", "q"), ("/api/zones", "region"), ("/api/regions", "parent")]
)
def test_a_nul_in_a_filter_is_refused(api, path, param):
    """PostgreSQL refuses NUL even in a lookup: it must never reach the database (the campaign found it)."""
    body = refused(api.get(path, {param: "41\x00"}), 422)
    assert body["fields"] == {param: ["含有不可见的控制字符（U+0000），请删除后重试"]}


@pytest.mark.parametrize("field", ["region_code", "name"])
def test_a_nul_in_a_body_text_is_refused(api, world, field):
    body = refused(patch(api, f"/api/zones/{world.zones['zz'].pk}", {field: "410100\x00"}), 422)
    assert body["fields"] == {field: ["含有不可见的控制字符（U+0000），请删除后重试"]}
