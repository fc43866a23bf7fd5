"""Who is changing data and through which path, for the changelog to read.

Set once per request by the middleware, per API call by its auth, per import
and per command; anything unset is a command run from the shell.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

WEB, API, IMPORT, COMMAND = "web", "api", "import", "command"


@dataclass(frozen=True)
class ChangeContext:
    user_id: int | None
    username: str
    source: str


_current: ContextVar[ChangeContext] = ContextVar("jiju_change_context")


def current() -> ChangeContext:
    return _current.get(ChangeContext(None, "", COMMAND))


@contextlib.contextmanager
def changes_by(user, source: str) -> Iterator[ChangeContext]:
    """Attribute every change inside the block to `user` through `source`."""
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    context = ChangeContext(
        user.pk if authenticated else None, user.get_username() if authenticated else "", source
    )
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)
