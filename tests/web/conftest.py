"""The per-mu evaluation's small world: a year of departmental data for every firm."""

from __future__ import annotations

import pytest

from jiju.assessment.models import EnterpriseYear


@pytest.fixture
def year_data(world):
    """2025 data for every firm: tax and revenue in 元, energy in tce; each holds a 30 亩 parcel."""
    for key, tax in (("zz", 900_000), ("gy", 300_000), ("ly", 600_000), ("sjz", 100_000)):
        EnterpriseYear.objects.create(
            enterprise=world.enterprises[key], year=2025, tax=tax, revenue=tax * 10, energy_tce=10.0
        )
    return world
