"""API clients with a bearer token, one per role of the shared world."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client


@pytest.fixture
def token_for(world) -> Callable[[str], str]:
    """The bearer token of a world role: the one place API tests create tokens."""
    from jiju.accounts.models import ApiToken

    def make(role: str) -> str:
        return ApiToken.objects.create(user=world.users[role]).key

    return make


@pytest.fixture
def api_as(token_for) -> Callable[[str], Client]:
    """A test client that sends a world role's bearer token."""

    def make(role: str) -> Client:
        return Client(headers={"Authorization": f"Bearer {token_for(role)}"})

    return make
