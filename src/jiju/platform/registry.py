"""Every model of Jiju says how it is scoped: the paths to its division and zone (read through the
restricted queryset), a queryset of its own with `visible_to`, or `scope_global` with the reason it
is the same for everyone. The generic scope test reads this, so a new app is covered the day it lands."""

from __future__ import annotations

from django.apps import apps
from django.db import models


def jiju_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("jiju.")]


def declaration(model: type[models.Model]) -> str | None:
    """How a model is scoped, or None when it says nothing (a defect)."""
    if getattr(model, "scope_global", None):
        return "global"
    if getattr(model, "scope_region", None) and getattr(model, "scope_zone", None):
        return "scoped"
    if callable(getattr(model._default_manager.get_queryset(), "visible_to", None)):
        return "own queryset"
    return None


def undeclared(candidates: list[type[models.Model]]) -> list[str]:
    return [f"{m._meta.app_label}.{m.__name__}" for m in candidates if declaration(m) is None]
