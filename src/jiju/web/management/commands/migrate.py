"""`jiju migrate` also creates the database cache's table, so a fresh install needs no second step."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.commands import migrate


class Command(migrate.Command):
    def handle(self, *args, **options) -> None:
        super().handle(*args, **options)
        call_command("createcachetable", database=options["database"], verbosity=options["verbosity"])
