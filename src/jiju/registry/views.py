"""Registry pages. Thin: queries go through visible_to, changes through actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from jiju.changelog.history import history_rows
from jiju.changelog.models import ObjectChange
from jiju.core import units
from jiju.core.divisions import city_of, scope_prefix
from jiju.platform import files
from jiju.platform.actions import NotInScope, get_for, placement
from jiju.platform.files import TooLarge, upload_data
from jiju.platform.listing import listing
from jiju.platform.permissions import ADD, CHANGE, DATA_PROVIDER, DELETE, EXPORT, IMPORT, VIEW, Scope, restrict_regions
from jiju.platform.tables import Col, importable
from jiju.registry import actions
from jiju.registry.importing import do_import
from jiju.registry.kinds import KINDS, Kind, by_import_kind
from jiju.registry.models import Enterprise, Industry, Parcel, Region, Tag, Tenancy, Zone

EXPORT_LIMIT = 1_000_000


def _kind(slug: str) -> Kind:
    if slug not in KINDS:
        raise Http404
    return KINDS[slug]


def _get(request, kind: Kind, pk: int, action: str):
    try:
        return get_for(request.user, kind.model, action, pk=pk)
    except NotInScope:
        raise Http404(f"{kind.label}不存在或不在您的管辖范围内") from None


def _require(request, action: str, model) -> Scope:
    scope = Scope.of(request.user)
    if not scope.allows(action, model):
        raise PermissionDenied("您的角色无权执行此操作")
    return scope


@login_required
def home(request):
    if Scope.of(request.user).role == DATA_PROVIDER:
        return redirect("assessment_upload")  # a department reads nothing here; it sends its data
    zones = Zone.objects.visible_to(request.user)
    enterprises = Enterprise.objects.visible_to(request.user)
    parcels = Parcel.objects.visible_to(request.user)
    land = parcels.aggregate(total=Sum("area_m2"))["total"] or 0
    per_city: dict[str, int] = {}
    for row in zones.values("region__code").annotate(n=Count("id")):
        city = city_of(row["region__code"])
        per_city[city] = per_city.get(city, 0) + row["n"]
    names = {r.code: r.name for r in Region.objects.filter(code__in=per_city)}
    levels = dict(Zone.LEVELS)
    return render(
        request,
        "registry/home.html",
        {
            "zone_count": zones.count(),
            "enterprise_count": enterprises.count(),
            "above_count": enterprises.filter(scale="above").count(),
            "parcel_count": parcels.count(),
            "land_mu": round(units.from_m2(land, units.AreaUnit.MU)),
            "city_counts": sorted(([names.get(c, c), n] for c, n in per_city.items()), key=lambda kv: -kv[1]),
            "level_counts": [
                [str(levels[r["level"]]), r["n"]]
                for r in zones.values("level").annotate(n=Count("id")).order_by("level")
            ],
        },
    )


@login_required
def regions(request, code: str | None = None):
    _require(request, VIEW, Zone)
    region = None
    if code:
        region = Region.objects.filter(code=code).select_related("parent__parent").first()
        if region is None:
            raise Http404("区划不存在")
        children = region.children.all()
    else:
        children = Region.objects.filter(level=Region.PROVINCE)
    zones = Zone.objects.visible_to(request.user)
    placed = list(zones.values_list("region__code", flat=True))  # one query, not one per child
    counts = {c.code: sum(code.startswith(scope_prefix(c.code)) for code in placed) for c in children}
    if not Scope.of(request.user).everything:
        children = [c for c in children if counts[c.code]]
    direct = zones.filter(region=region).select_related("region") if region else Zone.objects.none()
    trail = []
    node = region
    while node is not None:
        trail.insert(0, node)
        node = node.parent
    return render(
        request,
        "registry/regions.html",
        {
            "region": region,
            "trail": trail,
            "children": [(c, counts[c.code]) for c in children],
            "direct_zones": direct,
        },
    )


@login_required
def record_list(request, slug: str):
    kind = _kind(slug)
    if kind.columns is None:
        raise Http404
    _require(request, VIEW, kind.model)
    queryset = kind.apply_filters(kind.queryset(kind.model.objects.visible_to(request.user)), request.GET)
    columns = kind.columns()
    export_format = request.GET.get("format")
    if export_format in ("xlsx", "csv"):
        _require(request, EXPORT, kind.model)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        filename = f"{kind.label}-{stamp}.{export_format}"
        return files.export(columns, queryset[:EXPORT_LIMIT], kind.label, filename)
    shown = [c for c in columns if c.key in kind.list_keys]
    rows_listing = listing(request, queryset, shown, _orders(kind.model, shown))
    page = rows_listing.page
    rows = [(record, [c.show(record) for c in shown]) for record in page.object_list]
    return render(
        request,
        "registry/list.html",
        {
            "kind": kind,
            "columns": shown,
            "rows": rows,
            "page": page,
            "listing": rows_listing,
            "query": rows_listing.query,
            "filters": _filter_choices(request, kind),
            "params": request.GET,
            "can_add": Scope.of(request.user).allows(ADD, kind.model),
            "import_kind": kind.import_kind if Scope.of(request.user).allows(IMPORT, kind.model) else None,
        },
    )


def _orders(model, columns) -> dict[str, str]:
    """The field path each shown column sorts by: its own field, a related record by its name
    (行政区划名称 → region__name), none for a derived column such as 标签."""
    fields = {f.name: f for f in model._meta.concrete_fields}
    orders = {}
    for column in columns:
        name = column.key.removesuffix("_name")
        field = fields.get(column.key) or fields.get(name)
        if field is None:
            continue
        if field.many_to_one:
            related = {f.name for f in field.related_model._meta.concrete_fields}
            orders[column.key] = f"{field.name}__{'name' if 'name' in related else 'code'}"
        else:
            orders[column.key] = field.name
    return orders


def _filter_choices(request, kind: Kind) -> list[dict]:
    """The drop-downs of a list page, offering only what the user can see."""
    user = request.user
    cities = restrict_regions(Region.objects.filter(level=Region.CITY), user).select_related("parent")
    region_choices = [(r.code, r.full_name) for r in cities.order_by("code")]
    result = [{"name": "region", "label": "所在市", "choices": region_choices}]
    if kind.model is Zone:
        result += [
            {"name": "level", "label": "级别", "choices": Zone.LEVELS},
            {"name": "kind", "label": "类型", "choices": Zone.KINDS},
        ]
    else:
        zones = Zone.objects.visible_to(user).only("pk", "name").order_by("name")
        result.append({"name": "zone", "label": "开发区", "choices": [(str(z.pk), z.name) for z in zones]})
    if kind.model is Enterprise:
        sections = Industry.objects.filter(level=Industry.SECTION)
        result += [
            {"name": "section", "label": "行业门类", "choices": [(s.code, f"{s.code} {s.name}") for s in sections]},
            {"name": "scale", "label": "规模", "choices": Enterprise.SCALES},
            {"name": "tag", "label": "标签", "choices": [(t.code, t.name) for t in Tag.objects.all()]},
        ]
    if kind.model is Parcel:
        result.append({"name": "use", "label": "用途", "choices": Parcel.USES})
    return result


@login_required
def record_detail(request, slug: str, pk: int):
    kind = _kind(slug)
    instance = _get(request, kind, pk, VIEW)
    if kind.parent:
        return redirect(getattr(instance, kind.parent).get_absolute_url())
    scope = Scope.of(request.user)
    context = {
        "kind": kind,
        "object": instance,
        "history": history_rows(instance),
        "can_change": scope.allows(CHANGE, kind.model),
        "can_delete": scope.allows(DELETE, kind.model),
        "fields": _field_rows(instance, kind),
    }
    if isinstance(instance, Zone):
        enterprises = Enterprise.objects.visible_to(request.user).filter(zone=instance)
        parcels = Parcel.objects.visible_to(request.user).filter(zone=instance)
        context.update(
            {
                "enterprise_count": enterprises.count(),
                "above_count": enterprises.filter(scale="above").count(),
                "parcel_count": parcels.count(),
                "land_mu": round(units.from_m2(parcels.aggregate(t=Sum("area_m2"))["t"] or 0, units.AreaUnit.MU)),
                "subparks": instance.subparks.all(),
                "plans": instance.plans.all(),
                "industries": instance.industries.all(),
                "top_industries": enterprises.values(
                    division_code=F("industry__parent__parent__code"), division_name=F("industry__parent__parent__name")
                )
                .annotate(n=Count("id"))
                .order_by("-n")[:8],
                "can_edit_children": scope.allows(ADD, Enterprise) and scope.covers(*placement(instance)),
            }
        )
    elif isinstance(instance, Enterprise):
        context.update(
            {
                "parcels": Parcel.objects.visible_to(request.user).filter(holder=instance).select_related("zone"),
                "tenancies": Tenancy.objects.visible_to(request.user)
                .filter(tenant=instance)
                .select_related("parcel__zone", "parcel__holder"),
            }
        )
    elif isinstance(instance, Parcel):
        context.update(
            {
                "tenancies": Tenancy.objects.visible_to(request.user).filter(parcel=instance).select_related("tenant"),
                # A tenant from outside the scope is named as the parcel's tenant, not opened.
                "visible_tenants": set(
                    Enterprise.objects.visible_to(request.user)
                    .filter(tenancies__parcel=instance)
                    .values_list("pk", flat=True)
                ),
                "can_edit_children": scope.allows(ADD, Parcel),
            }
        )
    return render(request, f"registry/{instance._meta.model_name}_detail.html", context)


def _field_rows(instance, kind: Kind) -> list[tuple[str, object]]:
    if kind.columns is None:
        return []
    return [(c.header, c.show(instance)) for c in kind.columns() if c.key not in ("name",)]


def _save_form(request, kind: Kind, form, instance=None):
    """Hand the form's data to the action; model validation errors go back onto the form."""
    m2m = {f.name: form.cleaned_data[f.name] for f in kind.model._meta.many_to_many if f.name in form.cleaned_data}
    fields = {k: v for k, v in form.cleaned_data.items() if k not in m2m}
    try:
        if instance is None:
            return actions.do_create(request.user, kind.model, fields, m2m)
        return actions.do_update(request.user, instance, fields, m2m)
    except ValidationError as exc:
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    return None


def _back(kind: Kind, instance) -> str:
    target = getattr(instance, kind.parent) if kind.parent else instance
    return target.get_absolute_url()


@login_required
def record_create(request, slug: str):
    kind = _kind(slug)
    _require(request, ADD, kind.model)
    initial = {k: v for k, v in request.GET.items() if k in ("zone", "parcel")}
    form = kind.form(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        instance = _save_form(request, kind, form)
        if instance is not None:
            messages.success(request, f"已新增{kind.label}“{instance}”")
            return redirect(_back(kind, instance))
    return render(request, "registry/form.html", {"kind": kind, "form": form, "creating": True})


@login_required
def record_edit(request, slug: str, pk: int):
    kind = _kind(slug)
    instance = _get(request, kind, pk, CHANGE)
    form = kind.form(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid() and _save_form(request, kind, form, instance) is not None:
        messages.success(request, f"已保存{kind.label}“{instance}”")
        return redirect(_back(kind, instance))
    return render(request, "registry/form.html", {"kind": kind, "form": form, "object": instance})


@login_required
def record_delete(request, slug: str, pk: int):
    kind = _kind(slug)
    instance = _get(request, kind, pk, DELETE)
    if request.method == "POST":
        back = reverse("record_list", args=[slug]) if not kind.parent else _back(kind, instance)
        try:
            actions.do_delete(request.user, instance)
        except Exception as exc:  # ProtectedError: records still refer to it
            if type(exc).__name__ != "ProtectedError":
                raise
            messages.error(request, f"无法删除“{instance}”：仍有企业、地块等记录引用它，请先处理这些记录")
            return redirect(_back(kind, instance))
        messages.success(request, f"已删除{kind.label}“{instance}”")
        return redirect(back)
    return render(request, "registry/confirm_delete.html", {"kind": kind, "object": instance})


@login_required
def import_page(request):
    scope = Scope.of(request.user)
    allowed = {k.import_kind: k for k in KINDS.values() if k.import_kind and scope.allows(IMPORT, k.model)}
    if not allowed:
        raise PermissionDenied("您的角色无权导入数据")
    report = None
    chosen = request.POST.get("kind") or request.GET.get("kind") or next(iter(allowed))
    if chosen not in allowed:
        raise PermissionDenied("您的角色无权导入此类数据")
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择要导入的文件")
        else:
            try:
                report = do_import(request.user, chosen, upload_data(upload, "registry"), upload.name)
            except TooLarge as exc:
                messages.error(request, str(exc))
            else:
                if report.ok:
                    messages.success(request, f"导入成功：新增 {report.created} 条，更新 {report.updated} 条")
    return render(
        request,
        "registry/import.html",
        {"allowed": allowed, "kind": chosen, "report": report, "columns": importable(allowed[chosen].columns())},
    )


@login_required
def import_template(request, kind: str):
    found = by_import_kind(kind)
    if found is None:
        raise Http404
    _require(request, IMPORT, found.model)
    body = files.to_xlsx(importable(found.columns()), [], f"{found.label}导入模板")
    return files.attachment(body, found.label + "导入模板.xlsx")


@login_required
def changes(request):
    # The log spans every record of every scope, so only whole-system administrators read it here;
    # everyone else reads a record's history on the record's own page.
    if not Scope.of(request.user).everything:
        raise PermissionDenied("仅系统管理员可查看全部变更记录；各记录的变更历史见其详情页")
    entries = ObjectChange.objects.select_related("content_type")
    if request.GET.get("source"):
        entries = entries.filter(source=request.GET["source"])
    changes_listing = listing(request, entries, CHANGE_COLUMNS, CHANGE_ORDERS)
    return render(
        request,
        "registry/changes.html",
        {
            "page": changes_listing.page,
            "listing": changes_listing,
            "columns": CHANGE_COLUMNS,
            "rows": [[c.show(e) for c in CHANGE_COLUMNS] for e in changes_listing.page.object_list],
            "query": changes_listing.query,
            "sources": ObjectChange.SOURCES,
        },
    )


# The changelog page's columns (shown by its template) and what each sorts by.
CHANGE_COLUMNS = [
    Col("time", "时间", lambda e: timezone.localtime(e.time).strftime("%Y-%m-%d %H:%M")),
    Col("user", "用户", lambda e: e.username or None),
    Col("source", "途径", lambda e: e.get_source_display()),
    Col("action", "操作", lambda e: e.get_action_display()),
    Col("kind", "类别", lambda e: e.content_type.model_class()._meta.verbose_name),
    Col("object", "对象", lambda e: e.object_repr),
]
CHANGE_ORDERS = {"time": "time", "user": "username", "source": "source", "action": "action", "object": "object_repr"}
