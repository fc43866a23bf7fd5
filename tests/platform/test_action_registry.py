"""Every do_* function of Jiju is declared in the registry of actions, so the generic scope test
(test_generic_scope.py) runs it as an out-of-scope user; a new one left undeclared fails here."""

from __future__ import annotations

import types

import pytest

from jiju.platform import actions
from jiju.platform.permissions import CHANGE


def test_every_do_function_is_registered():
    registered = actions.registered()
    assert actions.unregistered(actions.jiju_modules()) == []
    assert len(registered) >= 30, sorted(registered)
    print("registered actions:", sorted(registered))


def test_every_declaration_names_a_model_and_a_permission_or_a_reason():
    from django.apps import apps

    for declared in actions.registered().values():
        if declared.model != "*":
            apps.get_model(declared.model)  # raises LookupError for a name that is no model
        assert declared.needs or declared.reason, declared.name


def test_a_new_do_function_without_a_declaration_is_caught():
    fake = types.ModuleType("jiju.projects.actions")
    exec(
        "def do_create_project(user, name):\n    return name\n"
        "def helper(user):\n    return user\n"
        "from jiju.registry.actions import do_create\n",  # imported, so declared where it is defined
        fake.__dict__,
    )
    assert actions.unregistered([fake]) == ["jiju.projects.actions.do_create_project"]
    try:
        fake.do_create_project = actions.action("registry.Zone", CHANGE)(fake.do_create_project)
        assert actions.unregistered([fake]) == []
    finally:
        actions.ACTIONS.pop("jiju.projects.actions.do_create_project", None)


def test_an_action_that_checks_nothing_must_say_why():
    with pytest.raises(ValueError):
        actions.action("registry.Zone", None)
