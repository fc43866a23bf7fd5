from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from jiju.evaluation import command


class Command(BaseCommand):
    help = command.HELP

    def add_arguments(self, parser):
        command.add_arguments(parser)

    def handle(self, *args, scheme, data, output, **options):
        try:
            command.run(scheme, data, output, self.stdout.write)
        except command.EvaluateError as exc:
            raise CommandError(str(exc)) from None
