"""Indicators and report forms (指标与报表): read by all, defined by province administrators."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from jiju.monitoring import actions
from jiju.monitoring.actions import require_configure
from jiju.monitoring.models import Indicator, ReportForm
from jiju.monitoring.views import require_view
from jiju.platform.permissions import CONFIGURE, Scope


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "unit",
            "frequency",
            "cumulative",
            "aggregation",
            "numerator",
            "denominator",
            "part_of",
            "growth_low",
            "growth_high",
            "enterprise_source",
            "order",
        ]

    def clean(self):
        data = super().clean()
        known = set(Indicator.objects.exclude(pk=self.instance.pk).values_list("code", flat=True))
        if data.get("aggregation") == Indicator.RATIO:
            for name in ("numerator", "denominator"):
                if data.get(name) not in known:
                    self.add_error(name, "两个合计之比须填写已有的指标代码")
        if data.get("part_of") and data["part_of"] not in known:
            self.add_error("part_of", "没有这个指标代码")
        low, high = data.get("growth_low"), data.get("growth_high")
        if low is not None and high is not None and low >= high:
            self.add_error("growth_high", "增速上限应大于下限")
        return data


class ReportFormForm(forms.ModelForm):
    lines = forms.ModelMultipleChoiceField(
        Indicator.objects.all(), label="报表指标", widget=forms.CheckboxSelectMultiple, required=True
    )

    class Meta:
        model = ReportForm
        fields = ["code", "name", "frequency", "deadline_day", "tolerance", "note"]

    def clean_deadline_day(self):
        day = self.cleaned_data["deadline_day"]
        if not 1 <= day <= 28:
            raise ValidationError("截止日应在1至28日之间")
        return day


@login_required
def indicators(request):
    require_view(request.user)
    return render(
        request,
        "monitoring/indicators.html",
        {
            "indicators": Indicator.objects.all(),
            "forms": ReportForm.objects.prefetch_related("items__indicator"),
            "can_configure": Scope.of(request.user).allows(CONFIGURE, Indicator),
        },
    )


def _edit(request, form_class, instance, kind: str):
    require_configure(request.user)
    initial = (
        {"lines": list(instance.items.values_list("indicator_id", flat=True))} if kind == "form" and instance else None
    )
    form = form_class(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if kind == "indicator":
                actions.do_save_indicator(request.user, form.instance)
            else:
                actions.do_save_form(request.user, form.instance, form.cleaned_data["lines"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已保存")
            return redirect("monitoring_indicators")
    return render(request, "monitoring/config_form.html", {"form": form, "kind": kind, "instance": instance})


@login_required
def indicator_edit(request, pk: int | None = None):
    return _edit(request, IndicatorForm, get_object_or_404(Indicator, pk=pk) if pk else None, "indicator")


@login_required
def form_edit(request, pk: int | None = None):
    return _edit(request, ReportFormForm, get_object_or_404(ReportForm, pk=pk) if pk else None, "form")
