"""The `jiju` console script: Django's management entry point under our name."""

from __future__ import annotations

import os
import sys

PURE = {"evaluate"}  # commands on files alone


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    if args and args[0] in PURE:
        # Commands on files alone start without Django: settings and apps are not loaded at all.
        from jiju.evaluation import command

        sys.exit(command.main(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiju.web.settings")
    if args[:1] == ["runserver"]:
        # runserver runs its checks in a thread and would answer an unsafe setting with a traceback
        # and a server waiting for file changes; stop before it starts, with the check's message.
        import django

        django.setup()
        from jiju.web.checks import refuse_unsafe_configuration

        refuse_unsafe_configuration()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jiju", *args])


if __name__ == "__main__":
    main()
