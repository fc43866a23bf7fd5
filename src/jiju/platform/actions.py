"""The conventions every do_* action keeps: the record is fetched through the restricted queryset
(out of scope is absent, so views answer 404) and its placement checked against the user's scope."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models

from jiju.platform.permissions import Scope


class NotInScope(ObjectDoesNotExist):
    """Raised for a record the user may not touch; shown as 404, never 403."""


def _follow(instance: models.Model, path: str):
    node = instance
    for part in path.split("__"):
        if node is None:
            return None
        node = node.pk if part == "pk" else getattr(node, part, None)
    return node


def placement(instance: models.Model) -> tuple[str | None, int | None]:
    """The division code and zone id that decide who may hold this record."""
    model = type(instance)
    region = _follow(instance, model.scope_region)
    zone = _follow(instance, model.scope_zone)
    return (region.code if region is not None else None), (zone.pk if isinstance(zone, models.Model) else zone)


class OutsideScope(PermissionDenied):
    """Raised for a record that would land outside the user's scope: a fault of the request (422)."""


OUTSIDE_SCOPE = "该记录所在的区划或开发区不在您的管辖范围内"


def check_placement(user, instance: models.Model, action: str) -> None:
    """Refuse an action the role lacks, and a record whose region and zone lie outside the scope."""
    scope = Scope.of(user)
    if not scope.allows(action, type(instance)):
        raise PermissionDenied("您的角色无权执行此操作")
    if not scope.covers(*placement(instance)):
        raise OutsideScope(OUTSIDE_SCOPE)


def get_for(user, model: type[models.Model], action: str, **lookup) -> models.Model:
    """The record if the user may act on it, else NotInScope (so views answer 404)."""
    try:
        return model.objects.visible_to(user, action).get(**lookup)
    except model.DoesNotExist:
        raise NotInScope(f"{model._meta.verbose_name}不存在") from None


REFUSALS = (PermissionDenied, ValidationError)  # what an action raises to say no, with a message


def message(refusal: Exception) -> str:
    """The Chinese sentence of a refusal, as a page shows it."""
    if isinstance(refusal, ValidationError):
        return "；".join(refusal.messages)
    return str(refusal)
