"""Every change to the registry goes through these functions (as Zulip's do_* actions).

Web views, the API, the importers and commands call them alike, so permission,
validation and the changelog are decided here once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import models, transaction

from jiju.changelog.models import log_bulk_create, log_bulk_update, log_relations, relation_names
from jiju.platform.actions import BULK_HELPER, action, check_placement, get_for
from jiju.platform.permissions import ADD, CHANGE, DELETE


def unregistrable(label: str) -> str:
    """What a key held outside the user's scope is told: refused, without saying that it exists."""
    return f"该{label}无法登记，请联系上级开发区办核实"


def check_unique(user, instance: models.Model) -> None:
    """Refuse a duplicate key, calling it a duplicate only when the user can see the record it repeats.

    Django's own message ("已存在") would tell a zone officer that another city holds the code.
    """
    model = type(instance)
    meta = model._meta
    keys = [(f.name,) for f in meta.concrete_fields if f.unique and not f.primary_key]
    keys += [
        tuple(c.fields)
        for c in meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.fields and not c.condition
    ]
    errors: dict[str, list[str]] = {}
    for names in keys:
        lookup = {meta.get_field(n).attname: getattr(instance, meta.get_field(n).attname) for n in names}
        others = model.objects.filter(**lookup).exclude(pk=instance.pk)
        if not others.exists():
            continue
        label = "、".join(str(meta.get_field(n).verbose_name) for n in names)
        visible = others.visible_to(user).exists()
        errors.setdefault(names[-1], []).append(f"{label}已存在" if visible else unregistrable(label))
    if errors:
        raise ValidationError(errors)


def validate(user, instance: models.Model) -> None:
    """Model validation with the user's view of uniqueness (see `check_unique`)."""
    instance.full_clean(validate_unique=False, validate_constraints=False)
    check_unique(user, instance)
    instance.validate_constraints()


def set_relations(instance: models.Model, m2m: Mapping[str, Iterable] | None) -> None:
    """Set many-to-many fields, writing what changed to the changelog."""
    for name, values in (m2m or {}).items():
        values = list(values)
        before = relation_names(getattr(instance, name).all())
        getattr(instance, name).set(values)
        after = relation_names(values)
        if before != after:
            log_relations(instance, name, before, after)


@action("*", ADD)
@transaction.atomic
def do_create(user, model: type[models.Model], fields: Mapping, m2m: Mapping | None = None) -> models.Model:
    instance = model(**fields)
    validate(user, instance)
    check_placement(user, instance, ADD)
    instance.save()
    set_relations(instance, m2m)
    return instance


@action("*", CHANGE)
@transaction.atomic
def do_update(user, instance: models.Model, fields: Mapping, m2m: Mapping | None = None) -> models.Model:
    """Update a record the user may change; moving it out of the user's scope is refused."""
    get_for(user, type(instance), CHANGE, pk=instance.pk)
    for name, value in fields.items():
        setattr(instance, name, value)
    validate(user, instance)
    check_placement(user, instance, CHANGE)
    instance.save()
    set_relations(instance, m2m)
    return instance


@action("*", DELETE)
@transaction.atomic
def do_delete(user, instance: models.Model) -> None:
    get_for(user, type(instance), DELETE, pk=instance.pk).delete()


@action("*", None, BULK_HELPER)
def do_bulk_create(
    model: type[models.Model],
    instances: list[models.Model],
    m2m: list[Mapping[str, Iterable]] | None = None,
    batch_size: int = 1000,
) -> list[models.Model]:
    """Insert validated, permission-checked rows in batches, with their changelog and relations.

    For importers and the demo, which check every row first; `m2m[i]` belongs to `instances[i]`.
    """
    with transaction.atomic():
        created = model.objects.bulk_create(instances, batch_size=batch_size)
        log_bulk_create(created, m2m)
        for name in {n for relations in (m2m or []) for n in relations}:
            relation = getattr(model, name)
            through = relation.through
            source = f"{relation.field.m2m_field_name()}_id"
            target = f"{relation.field.m2m_reverse_field_name()}_id"
            through.objects.bulk_create(
                [
                    through(**{source: instance.pk, target: value.pk})
                    for instance, relations in zip(created, m2m, strict=True)
                    for value in relations.get(name, [])
                ],
                batch_size=5000,
            )
    return created


@action("*", None, BULK_HELPER)
def do_bulk_update(
    model: type[models.Model], instances: list[models.Model], fields: list[str], batch_size: int = 1000
) -> None:
    """Write checked changes to rows loaded from the database, with their changelog, in batches.

    Django's bulk_update builds a CASE per row and takes seconds for thousands of rows; an
    insert of the same rows that updates on a primary-key conflict (PostgreSQL and SQLite
    alike) does the same in one statement per batch.
    """
    with transaction.atomic():
        model.objects.bulk_create(
            instances, update_conflicts=True, unique_fields=["pk"], update_fields=fields, batch_size=batch_size
        )
        log_bulk_update(instances)
