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


def _context_of(user, source: str) -> ChangeContext:
    if user is not None and getattr(user, "is_authenticated", False):
        return ChangeContext(user.pk, user.get_username(), source)
    return ChangeContext(None, "", source)


@contextlib.contextmanager
def changes_by(user, source: str) -> Iterator[ChangeContext]:
    """Attribute every change inside the block to `user` through `source`."""
    token = _current.set(_context_of(user, source))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def attribute_to(user, source: str) -> None:
    """Attribute the rest of the enclosing block (a request) to `user`, as API auth learns it late."""
    _current.set(_context_of(user, source))
