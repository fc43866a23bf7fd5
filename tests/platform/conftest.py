"""City A's records, one of each scoped model, from tests/factories.py."""

from __future__ import annotations

import pytest

from tests.factories import city_a_records


@pytest.fixture
def records(world) -> dict:
    return city_a_records(world)
