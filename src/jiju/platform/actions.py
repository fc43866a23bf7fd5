"""The conventions every do_* action keeps: the record is fetched through the restricted queryset
(out of scope is absent, so views answer 404) and its placement checked against the user's scope.
Every do_* function is declared here with `@action`, so the generic scope test runs each one."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction

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


OVERLAP = "另一项同时进行的导入或修改已写入相同的记录，本次未写入任何数据；请稍后重新提交"


@contextmanager
def all_or_nothing() -> Iterator[None]:
    """One transaction for a whole write, checked before it began. A key that an overlapping write
    took meanwhile (the same file imported twice at once) rolls it back whole and refuses with
    OVERLAP, a ValidationError, instead of the database's error."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise ValidationError(OVERLAP) from exc


REFUSALS = (PermissionDenied, ValidationError)  # what an action raises to say no, with a message


def message(refusal: Exception) -> str:
    """The Chinese sentence of a refusal, as a page shows it."""
    if isinstance(refusal, ValidationError):
        return "；".join(refusal.messages)
    return str(refusal)


@dataclass(frozen=True)
class Declared:
    """One state-changing action as its app declares it: the model it changes and the permission it
    needs, or (for a bulk helper or an action on one's own account) why no scope applies."""

    name: str  # module.function
    func: Callable
    model: str  # "app_label.Model", or "*" for an action given the model as an argument
    needs: str | None
    reason: str = ""


ACTIONS: dict[str, Declared] = {}
BULK_HELPER = "批量写入的辅助函数：调用它的动作已逐行检查权限与范围"
OWN_ACCOUNT = "只作用于调用者本人的账号"


def action(model: str, needs: str | None, reason: str = "") -> Callable[[Callable], Callable]:
    """Register a do_* function in the registry of actions, which the generic scope test reads.

    `needs` is the action of permissions.py the function checks; None needs a `reason`."""
    if needs is None and not reason:
        raise ValueError("an action that checks no permission must say why")

    def register(func: Callable) -> Callable:
        name = f"{func.__module__}.{func.__qualname__}"
        ACTIONS[name] = Declared(name, func, model, needs, reason)
        return func

    return register


_ENTRY_POINTS = frozenset({"__main__", "wsgi", "asgi"})


def jiju_modules() -> list[ModuleType]:
    """Every module of the jiju package, imported; migrations aside, and the server entry points,
    which stop a process that lacks a secret key."""
    import jiju

    names = [
        info.name
        for info in pkgutil.walk_packages(jiju.__path__, "jiju.")
        if ".migrations" not in info.name and info.name.rpartition(".")[2] not in _ENTRY_POINTS
    ]
    return [importlib.import_module(name) for name in names]


def unregistered(modules: list[ModuleType]) -> list[str]:
    """The public do_* functions defined in `modules` that are not in the registry of actions."""
    return sorted(
        f"{module.__name__}.{name}"
        for module in modules
        for name, value in vars(module).items()
        if name.startswith("do_")
        and callable(value)
        and getattr(value, "__module__", None) == module.__name__
        and f"{module.__name__}.{getattr(value, '__qualname__', name)}" not in ACTIONS
    )


def registered() -> dict[str, Declared]:
    """The registry of actions, with every jiju module imported so that each has declared its own."""
    jiju_modules()
    return ACTIONS
