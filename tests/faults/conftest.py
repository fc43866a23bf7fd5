"""The fault tests reuse the per-mu evaluation's small world (a year of data for every firm)."""

from tests.web.conftest import year_data  # noqa: F401
