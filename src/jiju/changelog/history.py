"""A record's history as its pages show it: who changed what, under the fields' Chinese names."""

from __future__ import annotations

from jiju.changelog.models import ObjectChange


def history_rows(instance) -> list:
    """Changelog entries of a record with the fields each changed, under their Chinese names."""
    entries = list(ObjectChange.for_object(instance).select_related("user")[:100])
    meta = type(instance)._meta
    labels = {f.attname: str(f.verbose_name) for f in [*meta.concrete_fields, *meta.many_to_many]}
    choices = {f.attname: {k: str(v) for k, v in f.flatchoices} for f in meta.concrete_fields if f.choices}

    def shown(name: str, value: object) -> object:
        return choices[name].get(value, value) if name in choices and isinstance(value, str) else value

    return [
        (entry, [(labels.get(k, k), shown(k, b), shown(k, a)) for k, b, a in entry.changed_fields()])
        for entry in entries
    ]
