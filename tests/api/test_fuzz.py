"""The schemathesis campaign: generated requests against every operation of /api/openapi.json, sent
through Django's WSGI application to a real database holding the shared world, as a province
administrator (the widest scope) and as a zone officer (a single zone), with data that fits the
schema (positive) and data that does not (negative). No answer may be a 5xx, and every answer,
errors included, must have a status the operation declares and a body matching its schema.

FUZZ_EXAMPLES sets the cases per operation, role and mode (20 keeps `make test` within minutes)."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# Loaded from the application itself, as a client would; the document needs no database.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
OPERATIONS = [result.ok() for result in schema.get_all_operations()]


@pytest.fixture
def connection_kept():
    """Django closes the database connection when a request ends (CONN_MAX_AGE 0), which on PostgreSQL
    would end the test's transaction; Django's own test client keeps it open the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("role", ["province", "zone"])
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_no_server_error_and_every_answer_matches_the_schema(operation, role, mode, token_for, connection_kept):
    headers = {"Authorization": f"Bearer {token_for(role)}"}

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def campaign(case) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)

    campaign()
