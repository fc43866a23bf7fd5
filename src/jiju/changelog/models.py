"""One changelog (变更记录) for every registry model, written by one mixin and its signals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiju.changelog import context


def _canonical(field: models.Field, value):
    """A field's value as JSON-safe data that is equal exactly when the values are: an amount read
    back as 77390000.0 and stored as 77390000.00 is one amount, so decimals carry the field's places."""
    if isinstance(value, Decimal):
        places = getattr(field, "decimal_places", None)
        if places is not None and value.is_finite():
            value = value.quantize(Decimal(1).scaleb(-places))
        return format(value, "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return str(value)
    return value


def snapshot(instance: models.Model) -> dict:
    """The concrete field values of a row as JSON-safe data."""
    return {
        field.attname: _canonical(field, getattr(instance, field.attname)) for field in instance._meta.concrete_fields
    }


class ChangeLoggedModel(models.Model):
    """Rows of these models write a changelog entry on every create, update and delete."""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._prechange = snapshot(instance) if len(values) == len(cls._meta.concrete_fields) else None
        return instance


class ObjectChange(models.Model):
    scope_global = "变更记录只对系统管理员开放；各记录页面只显示该记录本身的历史"
    CREATE, UPDATE, DELETE = "create", "update", "delete"
    ACTIONS = [(CREATE, _("新增")), (UPDATE, _("修改")), (DELETE, _("删除"))]
    SOURCES = [
        (context.WEB, _("网页")),
        (context.API, _("接口")),
        (context.IMPORT, _("导入")),
        (context.COMMAND, _("命令")),
    ]

    time = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), null=True, blank=True, on_delete=models.SET_NULL
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    source = models.CharField(_("途径"), max_length=10, choices=SOURCES)
    action = models.CharField(_("操作"), max_length=10, choices=ACTIONS)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.BigIntegerField()
    object_repr = models.CharField(_("对象"), max_length=200)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)

    class Meta:
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field whose value differs."""
        before, after = self.before or {}, self.after or {}
        return [
            (k, before.get(k), after.get(k))
            for k in sorted(before.keys() | after.keys())
            if before.get(k) != after.get(k)
        ]

    @classmethod
    def for_object(cls, instance: models.Model):
        return cls.objects.filter(content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk)


def _entry(instance, action: str, before: dict | None, after: dict | None) -> ObjectChange:
    """An unsaved changelog entry attributed to whoever the change context names."""
    who = context.current()
    return ObjectChange(
        user_id=who.user_id,
        username=who.username,
        source=who.source,
        action=action,
        content_type=ContentType.objects.get_for_model(instance),
        object_id=instance.pk,
        object_repr=str(instance)[:200],
        before=before,
        after=after,
    )


def _record(instance, action: str, before: dict | None, after: dict | None) -> ObjectChange | None:
    if action == ObjectChange.UPDATE and before == after:
        return None
    entry = _entry(instance, action, before, after)
    entry.save()
    return entry


def log_change(instance: models.Model, action: str, before: dict | None, after: dict | None) -> ObjectChange | None:
    """An entry for a model that is not a ChangeLoggedModel (the user, a token), with the values its
    action chooses to show: a password or a token key is written as a fact, never as its hash."""
    return _record(instance, action, before, after)


def relation_names(values) -> list[str]:
    """A many-to-many value as the changelog keeps it: the related records' names, sorted."""
    return sorted(str(v) for v in values)


def log_relations(instance: models.Model, name: str, before: list[str], after: list[str]) -> None:
    """An update entry for a many-to-many field (such as an enterprise's tags), which has no row of its own."""
    _record(instance, ObjectChange.UPDATE, {name: before}, {name: after})


_COLUMNS = (
    "time",
    "user_id",
    "username",
    "source",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "before",
    "after",
)


def _bulk_insert(
    instances: list[models.Model], action: str, pairs: list[tuple[dict | None, dict | None]], batch_size: int
) -> None:
    """Insert entries with one prepared statement: bulk paths write tens of thousands of them, and
    building a model instance per entry costs more than the rows being logged."""
    if not instances:
        return
    connection = connections[ObjectChange.objects.db]
    ops, who, now = connection.ops, context.current(), timezone.now()
    stamp = ops.adapt_datetimefield_value(now)
    content_type = ContentType.objects.get_for_model(instances[0]).pk
    table = connection.ops.quote_name(ObjectChange._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
    rows = [
        (
            stamp,
            who.user_id,
            who.username,
            who.source,
            action,
            content_type,
            i.pk,
            str(i)[:200],
            None if before is None else ops.adapt_json_value(before, None),
            None if after is None else ops.adapt_json_value(after, None),
        )
        for i, (before, after) in zip(instances, pairs, strict=True)
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            cursor.executemany(sql, rows[start : start + batch_size])


def log_bulk_create(instances: list[models.Model], relations: list[dict] | None = None, batch_size: int = 5000) -> None:
    """Changelog entries for rows written with bulk_create, which sends no signals.

    `relations[i]` holds the many-to-many values given to `instances[i]`.
    """
    relations = relations or [{} for _ in instances]
    pairs = [
        (None, {**snapshot(i), **{k: relation_names(v) for k, v in extra.items()}})
        for i, extra in zip(instances, relations, strict=True)
    ]
    _bulk_insert(instances, ObjectChange.CREATE, pairs, batch_size)


def log_bulk_update(instances: list[models.Model], batch_size: int = 5000) -> None:
    """Changelog entries for rows written with bulk_update: each row's loaded state against its new one."""
    changed, pairs = [], []
    for instance in instances:
        before, after = getattr(instance, "_prechange", None), snapshot(instance)
        if before != after:
            changed.append(instance)
            pairs.append((before, after))
        instance._prechange = after
    _bulk_insert(changed, ObjectChange.UPDATE, pairs, batch_size)


@receiver(pre_save)
def _load_prechange(sender, instance, raw=False, **kwargs):
    """Read the stored row when an update comes on an instance not loaded from the database."""
    if raw or not isinstance(instance, ChangeLoggedModel) or instance.pk is None:
        return
    if getattr(instance, "_prechange", None) is None:
        stored = type(instance)._base_manager.filter(pk=instance.pk).first()
        instance._prechange = snapshot(stored) if stored else None


@receiver(post_save)
def _log_save(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, ChangeLoggedModel):
        return
    after = snapshot(instance)
    if created:
        _record(instance, ObjectChange.CREATE, None, after)
    else:
        _record(instance, ObjectChange.UPDATE, getattr(instance, "_prechange", None), after)
    instance._prechange = after


@receiver(post_delete)
def _log_delete(sender, instance, **kwargs):
    if isinstance(instance, ChangeLoggedModel):
        _record(instance, ObjectChange.DELETE, getattr(instance, "_prechange", None) or snapshot(instance), None)
