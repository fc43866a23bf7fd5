"""Failed-login throttling: after N failures for a username from an address, refuse for a while.

Failures are counted per normalised username and address, so " luoyang " and
"ｌｕｏｙａｎｇ" are luoyang's failures, and another user behind the same address is
not affected. The window opens with the first failure and is never extended
(refused attempts count nothing), so a lock always ends when its window does,
whatever the cache backend does with a counter's expiry.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from jiju.accounts.models import normalise_username


def _key(username: str, address: str) -> str:
    return f"jiju:login-window:{normalise_username(username)}:{address}"


def _failures(key: str) -> tuple[int, float]:
    """(failures, when the window ends) for a key, (0, 0) when none are counted."""
    count, ends = cache.get(key, (0, 0.0))
    return (count, ends) if ends > time.time() else (0, 0.0)


def is_locked(username: str, address: str) -> bool:
    return _failures(_key(username, address))[0] >= settings.LOGIN_FAILURE_LIMIT


def record_failure(username: str, address: str) -> None:
    key = _key(username, address)
    count, ends = _failures(key)
    now = time.time()
    ends = ends or now + settings.LOGIN_FAILURE_WINDOW
    cache.set(key, (count + 1, ends), max(1, round(ends - now)))


def clear(username: str, address: str) -> None:
    cache.delete(_key(username, address))


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")
