"""Every model declares its scope; a scoped model's out-of-scope rows are absent for a user of
another city on every model, read through the restricted queryset."""

from __future__ import annotations

import pytest
from django.db import models
from django.test.utils import isolate_apps

from jiju.platform.registry import declaration, jiju_models, undeclared


def test_every_model_declares_its_scope():
    covered = {f"{m._meta.app_label}.{m.__name__}": declaration(m) for m in jiju_models()}
    assert len(covered) >= 25, covered
    assert undeclared(jiju_models()) == []
    print("scope declarations:", covered)


@isolate_apps("jiju.registry")
def test_a_new_model_without_a_declaration_is_caught():
    class Project(models.Model):
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "registry"

    class Declared(models.Model):
        scope_global = "a code list"

        class Meta:
            app_label = "registry"

    assert undeclared([Project, Declared]) == ["registry.Project"]


@pytest.mark.django_db
def test_every_scoped_model_hides_another_citys_rows(world):
    """For each model with scope paths that holds a row placed in 洛阳: absent for 郑州's office.
    (Models whose rows the test world does not make are not checked here; their own tests are.)"""
    from jiju.platform.permissions import Scope

    city = world.users["city"]
    checked = []
    for model in jiju_models():
        if declaration(model) != "scoped":
            continue
        ly = {f"{model.scope_region}__code__startswith": "4103"}
        if not model.objects.filter(**ly).exists():
            continue
        assert Scope.of(city).q(model) is not None
        assert not model.objects.visible_to(city).filter(**ly).exists(), model
        assert model.objects.visible_to(world.users["city2"]).filter(**ly).exists(), model
        checked.append(model.__name__)
    assert {"Zone", "Enterprise", "Parcel"} <= set(checked)
