"""A record's history as its pages show it: who changed what, in words a reader of the page knows.

The changelog keeps raw values (ids, UTC timestamps, JSON); this module turns them into what the
record's own page would show: a related record by its name, a time in local time to the minute, a
choice by its label, and a JSON value as labelled text. A model names the keys inside its JSON
fields (an indicator's code → its Chinese name) with a `history_labels(field_name)` method.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import models
from django.utils import timezone

from jiju.changelog.models import ObjectChange


def _number(value: float | int) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def text(value: object, labels: dict[str, str] | None = None) -> str:
    """One logged value as text: dicts as 「label：value」 pairs, lists joined, numbers with separators."""
    labels = labels or {}
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, dict):
        if "message" in value:  # a check's finding says itself
            return str(value["message"])
        return "；".join(f"{labels.get(str(k), k)}：{text(v, labels)}" for k, v in value.items()) or "—"
    if isinstance(value, (list, tuple)):
        return "；".join(text(v, labels) for v in value) or "—"
    return str(value)


def _local_time(value: object) -> object:
    """A logged datetime ('2026-03-01 02:05:07.123+00:00') in the site's time zone, to the minute."""
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


def _related_names(fields: dict[str, models.Field], entries: list[ObjectChange]) -> dict[str, dict]:
    """For every foreign key the entries mention, the names of the records its logged ids point to."""
    wanted: dict[str, set] = defaultdict(set)
    for entry in entries:
        for name, before, after in entry.changed_fields():
            if name in fields:
                wanted[name].update(v for v in (before, after) if v is not None)
    names = {}
    for name, ids in wanted.items():
        related = fields[name].related_model
        names[name] = {str(r.pk): _record_name(r) for r in related._base_manager.filter(pk__in=ids)}
    return names


def _record_name(record: models.Model) -> str:
    """A user by the name the account shows (姓名或单位), anything else by its str."""
    full_name = getattr(record, "get_full_name", None)
    return (full_name() if full_name else "") or str(record)


def history_rows(instance) -> list:
    """Changelog entries of a record with the fields each changed: (entry, [(label, before, after)])."""
    entries = list(ObjectChange.for_object(instance).select_related("user")[:100])
    meta = type(instance)._meta
    concrete = meta.concrete_fields
    labels = {f.attname: str(f.verbose_name) for f in [*concrete, *meta.many_to_many]}
    choices = {f.attname: {k: str(v) for k, v in f.flatchoices} for f in concrete if f.choices}
    foreign = {f.attname: f for f in concrete if f.many_to_one}
    times = {f.attname for f in concrete if isinstance(f, models.DateTimeField)}
    structured = {f.attname for f in concrete if isinstance(f, models.JSONField)}
    related = _related_names(foreign, entries)
    key_labels = getattr(instance, "history_labels", None)
    json_labels = {name: key_labels(name) for name in structured} if key_labels else {}

    def shown(name: str, value: object) -> object:
        if value is None:
            return None
        if name in choices and isinstance(value, str):
            return choices[name].get(value, value)
        if name in foreign:
            return related[name].get(str(value), "（已删除）")
        if name in times:
            return _local_time(value)
        if name in structured or isinstance(value, (dict, list)):
            return text(value, json_labels.get(name))
        return value

    return [
        (entry, [(labels.get(k, k), shown(k, b), shown(k, a)) for k, b, a in entry.changed_fields()])
        for entry in entries
    ]
