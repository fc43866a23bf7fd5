"""Forms for the registry, in the units officials use (公顷 for zones, 亩 for parcels, 万元 for money)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from jiju.core import units
from jiju.platform.permissions import CHANGE, VIEW, restrict_regions
from jiju.registry.models import Enterprise, Industry, Parcel, PlanDocument, Region, SubPark, Tenancy, Zone


class DateInput(forms.DateInput):
    input_type = "date"


Unit = units.AreaUnit | units.MoneyUnit


def _shown(stored, unit: Unit) -> Decimal:
    if isinstance(unit, units.AreaUnit):
        return round(Decimal(units.from_m2(stored, unit)), 4)
    return units.from_yuan(stored, unit).normalize()


def _stored(value: Decimal, unit: Unit):
    if isinstance(unit, units.AreaUnit):
        return units.to_m2(float(value), unit)
    return units.to_yuan(value, unit).quantize(Decimal("0.01"))


class UnitFormMixin:
    """Shows square-metre and yuan fields in a chosen unit and stores them back in the canonical one."""

    unit_fields: dict[str, Unit] = {}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name, unit in self.unit_fields.items():
            model_field = self._meta.model._meta.get_field(name)
            label = str(model_field.verbose_name).split("（")[0]
            stored = getattr(self.instance, name, None)
            self.fields[name] = forms.DecimalField(
                label=f"{label}（{unit.label}）",
                required=not model_field.null,
                min_value=Decimal(0),
                decimal_places=4 if isinstance(unit, units.AreaUnit) else 6,
                max_digits=20,
            )
            # A ModelForm's initial data is the stored value; show it in the form's unit instead.
            self.initial[name] = None if stored is None else _shown(stored, unit)
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget = DateInput(format="%Y-%m-%d")
        self.limit_choices()

    def limit_choices(self) -> None:
        """Offer only the zones and regions the user may place records in."""

    def validate_unique(self) -> None:
        """Left to the action, which knows who asks: a duplicate outside the user's scope must not
        be called one (`actions.check_unique`)."""

    def clean(self):
        data = super().clean()
        for name, unit in self.unit_fields.items():
            if data.get(name) is not None:
                data[name] = _stored(data[name], unit)
        return data


class ZoneForm(UnitFormMixin, forms.ModelForm):
    unit_fields = {
        "approved_area_m2": units.AreaUnit.HECTARE,
        "planned_area_m2": units.AreaUnit.HECTARE,
        "built_area_m2": units.AreaUnit.HECTARE,
    }

    class Meta:
        model = Zone
        fields = [
            "code",
            "name",
            "level",
            "kind",
            "region",
            "approval_authority",
            "approval_date",
            "approved_area_m2",
            "planned_area_m2",
            "built_area_m2",
            "leading_industries",
            "industries",
            "management_committee",
            "platform_company",
            "infrastructure",
            "road_km",
            "standard_factory_m2",
        ]
        widgets = {"industries": forms.SelectMultiple(attrs={"size": 8})}

    def limit_choices(self) -> None:
        regions = restrict_regions(Region.objects.exclude(level=Region.PROVINCE), self.user)
        self.fields["region"].queryset = regions.select_related("parent__parent").order_by("code")
        self.fields["region"].label_from_instance = lambda r: f"{r.code} {r.full_name}"
        self.fields["industries"].queryset = Industry.objects.filter(level=Industry.DIVISION)


class EnterpriseForm(UnitFormMixin, forms.ModelForm):
    unit_fields = {"registered_capital_yuan": units.MoneyUnit.WAN}
    industry = forms.ModelChoiceField(
        Industry.objects.all(),
        to_field_name="code",
        required=False,
        label=_("行业代码"),
        widget=forms.TextInput(attrs={"placeholder": "GB/T 4754-2017 小类代码，如 3670"}),
        error_messages={"invalid_choice": _("行业代码不在 GB/T 4754-2017 中")},
    )

    class Meta:
        model = Enterprise
        fields = [
            "credit_code",
            "name",
            "zone",
            "region",
            "industry",
            "scale",
            "production_start",
            "registered_capital_yuan",
            "employees",
            "address",
            "tags",
        ]
        widgets = {"tags": forms.CheckboxSelectMultiple}
        help_texts = {"region": _("填写所在开发区时自动取开发区所在区划")}

    def limit_choices(self) -> None:
        zones = Zone.objects.visible_to(self.user, CHANGE).select_related("region")
        self.fields["zone"].queryset = zones
        if not self.instance.pk and len(zones) == 1:
            self.initial.setdefault("zone", zones[0].pk)
        regions = restrict_regions(Region.objects.exclude(level=Region.PROVINCE), self.user)
        self.fields["region"].queryset = regions.select_related("parent__parent").order_by("code")
        self.fields["region"].required = False
        self.fields["region"].label_from_instance = lambda r: f"{r.code} {r.full_name}"

    def clean(self):
        data = super().clean()
        if data.get("zone"):
            data["region"] = data["zone"].region
            self.instance.region = data["region"]
        elif not data.get("region"):
            self.add_error("region", _("请填写所在开发区或所在区划"))
        return data


class ParcelForm(UnitFormMixin, forms.ModelForm):
    unit_fields = {
        "area_m2": units.AreaUnit.MU,
        "floor_area_m2": units.AreaUnit.M2,
        "footprint_m2": units.AreaUnit.M2,
        "contract_investment_yuan": units.MoneyUnit.WAN,
    }

    class Meta:
        model = Parcel
        fields = [
            "number",
            "zone",
            "holder",
            "area_m2",
            "use",
            "supply_date",
            "agreed_start_date",
            "actual_start_date",
            "completion_date",
            "floor_area_m2",
            "footprint_m2",
            "contract_investment_yuan",
        ]
        widgets = {"holder": forms.TextInput(attrs={"placeholder": "统一社会信用代码"})}

    holder = forms.ModelChoiceField(
        Enterprise.objects.none(),
        to_field_name="credit_code",
        required=False,
        label=_("土地使用权人信用代码"),
        widget=forms.TextInput(attrs={"placeholder": "统一社会信用代码"}),
        error_messages={"invalid_choice": _("未找到该统一社会信用代码的企业，或不在您的管辖范围内")},
    )

    def limit_choices(self) -> None:
        self.fields["zone"].queryset = Zone.objects.visible_to(self.user, CHANGE)
        self.fields["holder"].queryset = Enterprise.objects.visible_to(self.user, VIEW)
        if self.instance.holder_id:
            self.initial["holder"] = self.instance.holder.credit_code


class SubParkForm(UnitFormMixin, forms.ModelForm):
    unit_fields = {"area_m2": units.AreaUnit.HECTARE}

    class Meta:
        model = SubPark
        fields = ["zone", "name", "area_m2", "leading_industries"]

    def limit_choices(self) -> None:
        self.fields["zone"].queryset = Zone.objects.visible_to(self.user, CHANGE)


class PlanDocumentForm(UnitFormMixin, forms.ModelForm):
    class Meta:
        model = PlanDocument
        fields = ["zone", "kind", "title", "state", "approved_date", "document_no"]

    def limit_choices(self) -> None:
        self.fields["zone"].queryset = Zone.objects.visible_to(self.user, CHANGE)


class TenancyForm(UnitFormMixin, forms.ModelForm):
    unit_fields = {"floor_area_m2": units.AreaUnit.M2}
    tenant = forms.ModelChoiceField(
        Enterprise.objects.none(),
        to_field_name="credit_code",
        label=_("承租企业信用代码"),
        widget=forms.TextInput(attrs={"placeholder": "统一社会信用代码"}),
        error_messages={"invalid_choice": _("未找到该统一社会信用代码的企业，或不在您的管辖范围内")},
    )

    class Meta:
        model = Tenancy
        fields = ["parcel", "tenant", "floor_area_m2", "start_date", "end_date"]

    def limit_choices(self) -> None:
        self.fields["parcel"].queryset = Parcel.objects.visible_to(self.user, CHANGE)
        self.fields["tenant"].queryset = Enterprise.objects.visible_to(self.user, VIEW)
        if self.instance.tenant_id:
            self.initial["tenant"] = self.instance.tenant.credit_code
