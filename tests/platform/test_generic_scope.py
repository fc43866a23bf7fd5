"""The generic scope test: every scoped model through every access path, every registered action
through an out-of-scope user, built from the registry of models (platform/registry.py), the registry
of actions (platform/actions.py) and one record of each model in city A (tests/factories.py).

City A is 郑州 (its office `city`, its zone officer `zone`); city B is 洛阳 (`city2`, `zone2`).
A record of city A is absent for B's office and B's zone officer (404, not listed, not exported,
not found by search) and present for A's office and the province. Each action, called by B on
A's record, is refused with a Chinese message and writes nothing. The ids of the cases say what
was covered (`pytest -v`); the last tests fail when a model or an action has no case."""

from __future__ import annotations

import datetime as dt
import inspect
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.test import Client
from django.urls import Resolver404, resolve
from docx import Document
from python_calamine import CalamineWorkbook

from jiju.platform.actions import REFUSALS, registered
from jiju.platform.files import DOCX
from jiju.platform.permissions import ACCOUNTS, CHANGE, DELETE, VIEW, Scope
from jiju.platform.registry import declaration, jiju_models
from tests.factories import FACTORIES, MONTH, YEAR, monthly_form

OUTSIDERS = ("city2", "zone2")
INSIDERS = ("city", "province")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


# --- access paths -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Path:
    """One way a user reaches a record. `shows` None: the URL is the record's own (404 outside);
    else the URL lists records and `shows(record)` is the text that gives this one away."""

    url: Callable[[models.Model], str]
    shows: Callable[[models.Model], str] | None = None
    api: bool = False
    needs: str = VIEW  # a role without it may be told 403 for the whole page, as well as 404


def _text(response) -> str:
    """What a response shows: its page, its JSON, every cell of its workbook or every paragraph
    and table cell of its Word document."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "") == DOCX:
        document = Document(io.BytesIO(body))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats-officedocument.spreadsheetml"):
        book = CalamineWorkbook.from_filelike(io.BytesIO(body))
        return "\n".join(
            "\t".join(str(c) for c in row)
            for name in book.sheet_names
            for row in book.get_sheet_by_name(name).to_python()
        )
    return body.decode("utf-8", errors="replace")


def _registry(slug: str, key: str) -> dict[str, Path]:
    """A registry kind's list page, detail page, search, export and API."""
    return {
        "page-list": Path(lambda r: f"/{slug}/", lambda r: f"/{slug}/{r.pk}/"),
        "page-detail": Path(lambda r: f"/{slug}/{r.pk}/"),
        "search": Path(lambda r: f"/{slug}/?q={getattr(r, key)}", lambda r: f"/{slug}/{r.pk}/"),
        "export-csv": Path(lambda r: f"/{slug}/?format=csv", lambda r: str(getattr(r, key))),
        "export-xlsx": Path(lambda r: f"/{slug}/?format=xlsx", lambda r: str(getattr(r, key))),
        "api-list": Path(lambda r: f"/api/{slug}?page_size=100", lambda r: f'"id": {r.pk}', api=True),
        "api-detail": Path(lambda r: f"/api/{slug}/{r.pk}", api=True),
    }


def _report_url(r) -> str:
    return f"/monitoring/reports/{r.form.code}/{r.zone_id}/{r.year}/{r.month}/"


ZZ = "郑州经济技术开发区"  # city A's zone, as pages name it
PERIOD = f"?year={YEAR}&month={MONTH}"
RANKED = f"{PERIOD}&indicator=revenue"

PATHS: dict[str, dict[str, Path]] = {
    "registry.Zone": {
        **_registry("zones", "code"),
        "regions-page": Path(lambda r: f"/regions/{r.region.parent.code}/", lambda r: f"/regions/{r.region.code}/"),
    },
    "registry.Enterprise": _registry("enterprises", "credit_code"),
    "registry.Parcel": _registry("parcels", "number"),
    "registry.SubPark": {
        "page-detail": Path(lambda r: f"/subparks/{r.pk}/"),
        "zone-page": Path(lambda r: f"/zones/{r.zone_id}/", lambda r: r.name),
    },
    "registry.PlanDocument": {
        "page-detail": Path(lambda r: f"/plans/{r.pk}/"),
        "zone-page": Path(lambda r: f"/zones/{r.zone_id}/", lambda r: r.title),
    },
    "registry.Tenancy": {
        "page-detail": Path(lambda r: f"/tenancies/{r.pk}/"),
        "api-parcel": Path(lambda r: f"/api/parcels/{r.parcel_id}", api=True),
    },
    "assessment.EnterpriseYear": {
        "runs-page-years": Path(lambda r: "/assessment/runs/", lambda r: f'<option value="{r.year}">'),
    },
    "assessment.DepartmentUpload": {
        "upload-page": Path(lambda r: f"/assessment/upload/?department={r.department}", lambda r: r.filename),
    },
    "assessment.EvaluationRun": {
        "page-list": Path(lambda r: "/assessment/runs/", lambda r: f"/assessment/runs/{r.pk}/"),
        "page-detail": Path(lambda r: f"/assessment/runs/{r.pk}/"),
        "summary": Path(lambda r: f"/assessment/runs/{r.pk}/summary/"),
        "notice-docx": Path(lambda r: f"/assessment/runs/{r.pk}/notice.docx"),
    },
    "assessment.EvaluationResult": {
        "run-page": Path(lambda r: f"/assessment/runs/{r.run_id}/", lambda r: r.enterprise.name),
        "scorecard": Path(lambda r: f"/assessment/runs/{r.run_id}/results/{r.pk}/"),
        "notice-docx": Path(lambda r: f"/assessment/runs/{r.run_id}/notice.docx", lambda r: r.enterprise.zone.name),
    },
    "assessment.Objection": {
        "run-page": Path(lambda r: f"/assessment/runs/{r.run_id}/", lambda r: r.claim),
    },
    "assessment.ObjectionEvidence": {
        "download": Path(lambda r: f"/assessment/evidence/{r.pk}/"),
        "run-page": Path(lambda r: f"/assessment/runs/{r.objection.run_id}/", lambda r: r.filename),
    },
    "monitoring.Deadline": {},  # read through the queryset only: a page shows the user's own office's
    "monitoring.Report": {
        "page-detail": Path(_report_url),
        "template-xlsx": Path(lambda r: _report_url(r) + "template.xlsx"),
        "status-page": Path(lambda r: f"/monitoring/status/{PERIOD}", lambda r: ZZ),
        "status-xlsx": Path(lambda r: f"/monitoring/status/{PERIOD}&format=xlsx", lambda r: ZZ),
        "api-list": Path(lambda r: "/api/reports?page_size=100", lambda r: f'"id": {r.pk}', api=True),
        "rankings": Path(lambda r: f"/monitoring/rankings/{RANKED}", lambda r: ZZ),
        "rankings-xlsx": Path(lambda r: f"/monitoring/rankings/{RANKED}&format=xlsx", lambda r: ZZ),
        "bulletin-xlsx": Path(lambda r: f"/monitoring/bulletin.xlsx{PERIOD}", lambda r: ZZ),
        "bulletin-docx": Path(lambda r: f"/monitoring/bulletin.docx{PERIOD}", lambda r: ZZ),
        "dashboard": Path(lambda r: f"/dashboard/{PERIOD}", lambda r: "9.8765"),  # 万元 as 亿元, in the chart data
    },
    "monitoring.Target": {
        "targets-page": Path(lambda r: f"/monitoring/targets/{PERIOD}", lambda r: ZZ),
        "export-xlsx": Path(lambda r: f"/monitoring/targets/{PERIOD}&format=xlsx", lambda r: ZZ),
    },
    "monitoring.ZoneEvaluation": {
        "page-list": Path(lambda r: "/monitoring/evaluations/", lambda r: f"/monitoring/evaluations/{r.pk}/"),
        "page-detail": Path(lambda r: f"/monitoring/evaluations/{r.pk}/"),
    },
    "monitoring.ZoneResult": {
        "evaluation-page": Path(lambda r: f"/monitoring/evaluations/{r.evaluation_id}/", lambda r: ZZ),
        "history-page": Path(lambda r: f"/monitoring/evaluations/history/?scheme={r.evaluation.scheme}", lambda r: ZZ),
    },
    "monitoring.RatingEvent": {
        "page-list": Path(lambda r: "/monitoring/ratings/", lambda r: f"/monitoring/ratings/{r.pk}/"),
        "page-detail": Path(lambda r: f"/monitoring/ratings/{r.pk}/"),
        "template-xlsx": Path(lambda r: f"/monitoring/ratings/{r.pk}/template.xlsx"),
    },
    "monitoring.RatingScore": {
        "event-page": Path(lambda r: f"/monitoring/ratings/{r.event_id}/", lambda r: ZZ),
    },
    "accounts.Profile": {
        "page-list": Path(lambda r: "/accounts/users/", lambda r: f"/accounts/users/{r.user_id}/", needs=ACCOUNTS),
        "page-detail": Path(lambda r: f"/accounts/users/{r.user_id}/", needs=ACCOUNTS),
    },
}
# Every scoped model is also read through its restricted queryset, the path all the others take.
ACCESS_CASES = [(model, "queryset") for model in PATHS] + [(model, p) for model, paths in PATHS.items() for p in paths]


def _client(user, api: bool) -> Client:
    if api:
        from jiju.accounts.models import ApiToken

        return Client(headers={"Authorization": f"Bearer {ApiToken.objects.create(user=user).key}"})
    client = Client()
    client.force_login(user)
    return client


def _reach(user, record: models.Model, path: Path) -> tuple[int, str]:
    response = _client(user, path.api).get(path.url(record))
    return response.status_code, _text(response)


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "path"), ACCESS_CASES, ids=[f"{m}:{p}" for m, p in ACCESS_CASES])
def test_a_record_of_city_a_is_absent_for_city_b_and_present_for_a_and_the_province(world, records, model, path):
    record = records[model]
    for who in (*OUTSIDERS, *INSIDERS):
        user = world.users[who]
        inside = who in INSIDERS
        if path == "queryset":
            found = type(record).objects.visible_to(user).filter(pk=record.pk).exists()
            assert found == inside, (who, model)
            continue
        way = PATHS[model][path]
        status, text = _reach(user, record, way)
        assert status != 500, (who, text[:500])
        if way.shows is None:
            refused = (404,) if Scope.of(user).allows(way.needs, type(record)) else (403, 404)
            assert status in ((200, 302) if inside else refused), (who, status, text[:300])
        elif inside:
            assert status == 200 and way.shows(record) in text, (who, status, way.shows(record))
        else:
            assert way.shows(record) not in text, (who, status, way.shows(record))


def _write_paths() -> list[tuple[str, str, str]]:
    """(model, method, url pattern) of every page and API route that changes or deletes a registry record."""
    from jiju.registry.kinds import KINDS

    paths = []
    for slug, kind in KINDS.items():
        try:
            resolve(f"/api/{slug}/1")
            api = True
        except Resolver404:
            api = False  # a kind without an API router
        paths += [
            (label(kind.model), "POST", f"/{slug}/{{pk}}/edit/"),
            (label(kind.model), "POST", f"/{slug}/{{pk}}/delete/"),
        ]
        if api:
            paths += [
                (label(kind.model), "PATCH", f"/api/{slug}/{{pk}}"),
                (label(kind.model), "DELETE", f"/api/{slug}/{{pk}}"),
            ]
    return paths


WRITE_PATHS = _write_paths()


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "method", "url"), WRITE_PATHS, ids=[f"{m}:{v} {u}" for m, v, u in WRITE_PATHS])
def test_a_page_or_api_write_to_a_record_of_city_a_by_city_b_is_absent_and_writes_nothing(
    world, records, model, method, url
):
    record = records[model]
    for who in OUTSIDERS:
        client = _client(world.users[who], api=url.startswith("/api/"))  # its token is a row too
        counts, city_a = _counts(), _city_a()
        response = client.generic(method, url.format(pk=record.pk), '{"name": "改名"}', "application/json")
        needs = DELETE if "delete" in url or method == "DELETE" else CHANGE
        refused = (404,) if Scope.of(world.users[who]).allows(needs, type(record)) else (403, 404)
        assert response.status_code in refused, (who, response.status_code)
        assert _counts() == counts
        assert _city_a() == city_a


# --- actions ------------------------------------------------------------------------------------

Thunk = Callable[[], object]


def _xlsx(headers: list[str], rows: list[list]) -> bytes:
    from jiju.platform.files import grid_to_xlsx

    return grid_to_xlsx([("Sheet1", headers, rows)])


def _new_zone(world) -> dict:
    return {
        "code": "G419999",
        "name": "新设开发区",
        "level": "provincial",
        "kind": "park",
        "region": world.zones["zz"].region,
    }


def _new_enterprise(world) -> dict:
    from jiju.registry.models import Industry
    from tests.conftest import make_code

    zz = world.zones["zz"]
    return {
        "credit_code": make_code("410100", 77),
        "name": "新设企业有限公司",
        "zone": zz,
        "region": zz.region,
        "industry": Industry.objects.get(code="3670"),
        "scale": "above",
    }


def registry_create(world, rec, user) -> Iterable[Thunk]:
    from jiju.registry.actions import do_create
    from jiju.registry.models import Enterprise, Parcel, PlanDocument, SubPark, Tenancy, Zone

    zz = world.zones["zz"]
    for model, fields in (
        (Zone, _new_zone(world)),
        (Enterprise, _new_enterprise(world)),
        (Parcel, {"number": "P-new", "zone": zz, "area_m2": 1000}),
        (SubPark, {"zone": zz, "name": "新园"}),
        (PlanDocument, {"zone": zz, "kind": "development", "title": "新规划", "state": "drafting"}),
        (Tenancy, {"parcel": world.parcels["zz"], "tenant": world.enterprises["zz"], "floor_area_m2": 10}),
    ):
        yield lambda model=model, fields=fields: do_create(user, model, fields)


REGISTRY_RECORDS = ("registry.Zone", "registry.Enterprise", "registry.Parcel", "registry.SubPark")
REGISTRY_RECORDS += ("registry.PlanDocument", "registry.Tenancy")


def registry_update(world, rec, user) -> Iterable[Thunk]:
    from jiju.registry.actions import do_update

    for key in REGISTRY_RECORDS:
        yield lambda record=rec[key]: do_update(user, record, {})


def registry_delete(world, rec, user) -> Iterable[Thunk]:
    from jiju.registry.actions import do_delete

    for key in REGISTRY_RECORDS:
        yield lambda record=rec[key]: do_delete(user, record)


def registry_import(world, rec, user) -> Iterable[Thunk]:
    """City A's own export of each importable kind, imported by B: every row refused."""
    from jiju.platform.files import to_xlsx
    from jiju.platform.tables import importable
    from jiju.registry.importing import do_import
    from jiju.registry.kinds import KINDS

    for kind in KINDS.values():
        if kind.import_kind:
            record = rec[label(kind.model)]
            data = to_xlsx(importable(kind.columns()), [record], kind.label)
            yield lambda kind=kind, data=data: do_import(user, kind.import_kind, data, "甲市导出.xlsx")


def create_account(world, rec, user) -> Iterable[Thunk]:
    from jiju.accounts.actions import Grant, do_create_account

    grant = Grant("zone_officer", zones=(world.zones["zz"],))
    yield lambda: do_create_account(user, "new-zz-officer", "新园区管理员", "Another-pass-789", grant)


def update_account(world, rec, user) -> Iterable[Thunk]:
    from jiju.accounts.actions import Grant, do_update_account

    grant = Grant("zone_officer", zones=(world.zones["ly"],))
    yield lambda: do_update_account(user, rec["accounts.Profile"].user, "改名", grant)


def set_active(world, rec, user) -> Iterable[Thunk]:
    from jiju.accounts.actions import do_set_active

    yield lambda: do_set_active(user, rec["accounts.Profile"].user, False)


def reset_password(world, rec, user) -> Iterable[Thunk]:
    from jiju.accounts.actions import do_reset_password

    yield lambda: do_reset_password(user, rec["accounts.Profile"].user, "Another-pass-789")


def delete_token(world, rec, user) -> Iterable[Thunk]:
    from jiju.accounts.actions import do_create_token, do_delete_token

    token = do_create_token(world.users["city"], "甲市令牌")
    yield lambda: do_delete_token(user, token.pk)


def set_mapping(world, rec, user) -> Iterable[Thunk]:
    from jiju.assessment.actions import do_set_mapping

    yield lambda: do_set_mapping(user, "tax", "本年纳税", "tax")


def save_indicator_card(world, rec, user) -> Iterable[Thunk]:
    from jiju.assessment.actions import do_save_indicator_card
    from jiju.assessment.models import IndicatorCard

    card = IndicatorCard.objects.get(code="tax_per_mu")
    card.alert_threshold = 1.0
    yield lambda: do_save_indicator_card(user, card)


def upload(world, rec, user) -> Iterable[Thunk]:
    from jiju.assessment.actions import do_upload

    firm = world.enterprises["zz"]
    data = _xlsx(["统一社会信用代码", "企业名称", "实缴税金"], [[firm.credit_code, firm.name, 123]])
    yield lambda: do_upload(user, "tax", YEAR, data, "税务.xlsx")


def publish_run(world, rec, user) -> Iterable[Thunk]:
    from jiju.platform.runs import do_publish_run

    for key in ("assessment.EvaluationRun", "monitoring.ZoneEvaluation"):
        yield lambda run=rec[key]: do_publish_run(user, run)


def publish(world, rec, user) -> Iterable[Thunk]:
    from jiju.assessment.evaluations import do_publish

    yield lambda: do_publish(user, rec["assessment.EvaluationRun"])


def record_objection(world, rec, user) -> Iterable[Thunk]:
    from jiju.assessment.objections import do_record_objection

    run, firm = rec["assessment.Objection"].run, world.enterprises["zz"]
    yield lambda: do_record_objection(user, run, firm.credit_code, "tax", 1, "少计", [("证明.pdf", b"%PDF")])


def accept_objection(world, rec, user) -> Iterable[Thunk]:
    from jiju.assessment.objections import do_accept_objection

    yield lambda: do_accept_objection(user, rec["assessment.Objection"], "采纳")


def reject_objection(world, rec, user) -> Iterable[Thunk]:
    from jiju.assessment.objections import do_reject_objection

    yield lambda: do_reject_objection(user, rec["assessment.Objection"], "不予采纳")


def finalise_run(world, rec, user) -> Iterable[Thunk]:
    from jiju.assessment.objections import do_finalise_run

    yield lambda: do_finalise_run(user, rec["assessment.EvaluationRun"])


def delete_run(world, rec, user) -> Iterable[Thunk]:
    from jiju.assessment.evaluations import do_delete_run

    yield lambda: do_delete_run(user, rec["assessment.EvaluationRun"])


def retry_run(world, rec, user) -> Iterable[Thunk]:
    from jiju.assessment.evaluations import do_retry_run

    yield lambda: do_retry_run(user, rec["assessment.EvaluationRun"])


def retry_background_run(world, rec, user) -> Iterable[Thunk]:
    from jiju.assessment.evaluations import enqueue
    from jiju.platform.runs import do_retry_run

    yield lambda: do_retry_run(user, rec["assessment.EvaluationRun"], enqueue)


def _report_action(name: str, *args) -> Callable:
    def case(world, rec, user) -> Iterable[Thunk]:
        from jiju.monitoring import actions

        yield lambda: getattr(actions, name)(user, rec["monitoring.Report"], *args)

    return case


def save_indicator(world, rec, user) -> Iterable[Thunk]:
    from jiju.monitoring.actions import do_save_indicator
    from jiju.monitoring.models import Indicator

    indicator = Indicator.objects.get(code="revenue")
    indicator.name = "改名的指标"
    yield lambda: do_save_indicator(user, indicator)


def save_form(world, rec, user) -> Iterable[Thunk]:
    from jiju.monitoring.actions import do_save_form

    form = monthly_form()
    yield lambda: do_save_form(user, form, [])


def import_report(world, rec, user) -> Iterable[Thunk]:
    from jiju.monitoring.actions import TEMPLATE_HEADERS, do_import_report

    data = _xlsx(list(TEMPLATE_HEADERS), [["revenue", "营业收入", "亿元", 5]])
    yield lambda: do_import_report(user, rec["monitoring.Report"], data, "报表.xlsx")


def set_target(world, rec, user) -> Iterable[Thunk]:
    from jiju.monitoring.actions import do_set_target
    from jiju.monitoring.models import Indicator

    revenue = Indicator.objects.get(code="revenue")
    for year in (YEAR, YEAR + 1):  # the existing target, and a new one
        yield lambda year=year: do_set_target(user, world.zones["zz"], year, revenue, 1.0)


def import_scores(world, rec, user) -> Iterable[Thunk]:
    from jiju.monitoring.sheets import do_import_scores

    data = _xlsx(["评委", "开发区", "观摩项目", "进度（满分40）"], [["张评委", ZZ, "新项目", 20]])
    for event in (rec["monitoring.RatingEvent"], rec["monitoring.RatingScore"].event):
        yield lambda event=event: do_import_scores(user, event, data, "评分.xlsx")


def import_targets(world, rec, user) -> Iterable[Thunk]:
    from jiju.monitoring.sheets import do_import_targets

    data = _xlsx(["开发区", "指标代码", "目标值"], [[ZZ, "revenue", 99]])
    yield lambda: do_import_targets(user, YEAR, data, "目标.xlsx")


def publish_zones(world, rec, user) -> Iterable[Thunk]:
    from jiju.monitoring.zone_evaluations import do_publish_zones

    yield lambda: do_publish_zones(user, rec["monitoring.ZoneEvaluation"])


# Actions that make a record for the caller's own scope or act on the caller's own account: B
# runs them and nothing of city A changes (no row placed in A added, changed or removed).
def start_evaluation(world, rec, user) -> Iterable[Thunk]:
    from jiju.assessment.evaluations import do_start_evaluation
    from tests.factories import _scheme

    yield lambda: do_start_evaluation(user, _scheme()[0], YEAR)


def evaluate_zones(world, rec, user) -> Iterable[Thunk]:
    from jiju.monitoring.zone_evaluations import do_evaluate_zones
    from tests.factories import _zone_scheme

    yield lambda: do_evaluate_zones(user, _zone_scheme()[0], YEAR)


def set_deadline(world, rec, user) -> Iterable[Thunk]:
    from jiju.monitoring.actions import do_set_deadline

    yield lambda: do_set_deadline(user, monthly_form(), YEAR, MONTH, dt.date(2026, 2, 1))


def create_event(world, rec, user) -> Iterable[Thunk]:
    from jiju.monitoring.sheets import do_create_event

    yield lambda: do_create_event(user, "乙市观摩", "2025-07-01", "进度:40")


def change_password(world, rec, user) -> Iterable[Thunk]:
    from jiju.accounts.actions import do_change_password

    yield lambda: do_change_password(user, "Another-pass-789")


def create_token(world, rec, user) -> Iterable[Thunk]:
    from jiju.accounts.actions import do_create_token

    yield lambda: do_create_token(user, "乙市令牌")


REFUSED = {
    "jiju.registry.actions.do_create": registry_create,
    "jiju.registry.actions.do_update": registry_update,
    "jiju.registry.actions.do_delete": registry_delete,
    "jiju.registry.importing.do_import": registry_import,
    "jiju.accounts.actions.do_create_account": create_account,
    "jiju.accounts.actions.do_update_account": update_account,
    "jiju.accounts.actions.do_set_active": set_active,
    "jiju.accounts.actions.do_reset_password": reset_password,
    "jiju.accounts.actions.do_delete_token": delete_token,
    "jiju.assessment.actions.do_set_mapping": set_mapping,
    "jiju.assessment.actions.do_save_indicator_card": save_indicator_card,
    "jiju.assessment.actions.do_upload": upload,
    "jiju.platform.runs.do_publish_run": publish_run,
    "jiju.assessment.evaluations.do_publish": publish,
    "jiju.assessment.evaluations.do_delete_run": delete_run,
    "jiju.assessment.objections.do_record_objection": record_objection,
    "jiju.assessment.objections.do_accept_objection": accept_objection,
    "jiju.assessment.objections.do_reject_objection": reject_objection,
    "jiju.assessment.objections.do_finalise_run": finalise_run,
    "jiju.assessment.evaluations.do_retry_run": retry_run,
    "jiju.platform.runs.do_retry_run": retry_background_run,
    "jiju.monitoring.actions.do_save_report": _report_action("do_save_report", {"revenue": 1.0}, {}),
    "jiju.monitoring.actions.do_submit_report": _report_action("do_submit_report", {"revenue": 1.0}, {}),
    "jiju.monitoring.actions.do_approve_report": _report_action("do_approve_report", "同意"),
    "jiju.monitoring.actions.do_return_report": _report_action("do_return_report", "请修改"),
    "jiju.monitoring.actions.do_unlock_report": _report_action("do_unlock_report", "数据有误"),
    "jiju.monitoring.actions.do_save_indicator": save_indicator,
    "jiju.monitoring.actions.do_save_form": save_form,
    "jiju.monitoring.actions.do_import_report": import_report,
    "jiju.monitoring.actions.do_set_target": set_target,
    "jiju.monitoring.sheets.do_import_scores": import_scores,
    "jiju.monitoring.sheets.do_import_targets": import_targets,
    "jiju.monitoring.zone_evaluations.do_publish_zones": publish_zones,
}
OWN = {
    "jiju.assessment.evaluations.do_start_evaluation": start_evaluation,
    "jiju.monitoring.zone_evaluations.do_evaluate_zones": evaluate_zones,
    "jiju.monitoring.actions.do_set_deadline": set_deadline,
    "jiju.monitoring.sheets.do_create_event": create_event,
    "jiju.accounts.actions.do_change_password": change_password,
    "jiju.accounts.actions.do_create_token": create_token,
}
# Bulk helpers take no user: only actions call them, after checking every row; nor does the system's
# check that fails the runs of a dead worker, which any reader's look sets off.
HELPERS = {
    "jiju.registry.actions.do_bulk_create",
    "jiju.registry.actions.do_bulk_update",
    "jiju.platform.runs.do_fail_dead_runs",
}


def _counts() -> dict[str, int]:
    """Rows of every model, the changelog included."""
    return {label(m): m._default_manager.count() for m in jiju_models()}


def _city_a() -> dict[str, list]:
    """Every row placed in city A, of every scoped model, with its values; and A's accounts."""
    city_a = get_user_model().objects.get(username="city")
    scope = Scope.of(city_a)
    rows: dict[str, list] = {}
    for model in jiju_models():
        if getattr(model, "scope_region", None):
            rows[label(model)] = sorted(map(repr, model._default_manager.filter(scope.q(model)).values()))
    rows["users"] = sorted(map(repr, get_user_model().objects.filter(username__in=["city", "zone"]).values()))
    return rows


def _refusal(outcome: object) -> str | None:
    """The Chinese message of an outcome that stored nothing (an import's, an upload's), else None."""
    errors = getattr(outcome, "errors", None)
    accepted = getattr(outcome, "accepted", getattr(outcome, "ok", None))
    if accepted is False and errors:
        return "；".join(e.reason for e in errors)
    return None


ACTION_CASES = [(name, who) for name in sorted(REFUSED) for who in OUTSIDERS]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "who"), ACTION_CASES, ids=[f"{n.removeprefix('jiju.')}:{w}" for n, w in ACTION_CASES])
def test_an_action_on_a_record_of_city_a_by_city_b_is_refused_and_writes_nothing(world, records, name, who):
    thunks = list(REFUSED[name](world, records, world.users[who]))
    counts, city_a = _counts(), _city_a()
    for thunk in thunks:
        try:
            said = _refusal(thunk())
        except (*REFUSALS, ObjectDoesNotExist) as exc:
            said = str(exc) if not hasattr(exc, "messages") else "；".join(exc.messages)
        assert said is not None, f"{name} was not refused for {who}"
        assert CHINESE.search(said), said
        assert _counts() == counts
        assert _city_a() == city_a


OWN_CASES = [(name, who) for name in sorted(OWN) for who in OUTSIDERS]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "who"), OWN_CASES, ids=[f"{n.removeprefix('jiju.')}:{w}" for n, w in OWN_CASES])
def test_an_action_for_the_callers_own_scope_leaves_city_a_untouched(world, records, name, who):
    thunks = list(OWN[name](world, records, world.users[who]))
    city_a = _city_a()
    for thunk in thunks:
        try:
            thunk()
        except (*REFUSALS, ValueError):
            pass  # a role without the action is refused; either way city A must stay as it was
        assert _city_a() == city_a


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["jiju.registry.actions.do_create", "jiju.registry.importing.do_import"])
def test_what_city_b_is_refused_city_a_may_do(world, records, name):
    """The creations and imports refused above are refused for their scope, not for bad fields:
    A's own office makes every one of them."""
    for thunk in REFUSED[name](world, records, world.users["city"]):
        outcome = thunk()
        assert _refusal(outcome) is None, _refusal(outcome)


def test_bulk_helpers_take_no_user():
    for name in HELPERS:
        assert "user" not in inspect.signature(registered()[name].func).parameters


# --- coverage -----------------------------------------------------------------------------------


def test_every_scoped_model_has_a_factory_and_access_paths():
    scoped = {label(m) for m in jiju_models() if declaration(m) != "global"}
    assert set(FACTORIES) == scoped
    assert set(PATHS) == scoped
    print("access cases:", len(ACCESS_CASES), sorted(f"{m}:{p}" for m, p in ACCESS_CASES))


def test_every_registered_action_has_a_case():
    assert set(REFUSED) | set(OWN) | HELPERS == set(registered())
    assert not set(REFUSED) & set(OWN)
    print("action cases:", sorted(REFUSED), "own scope:", sorted(OWN), "helpers:", sorted(HELPERS))
