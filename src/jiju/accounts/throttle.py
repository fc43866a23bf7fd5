"""Failed-login throttling: after N failures for a username from an address, refuse for a while."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def _key(username: str, address: str) -> str:
    return f"jiju:login-failures:{username.lower()}:{address}"


def is_locked(username: str, address: str) -> bool:
    return cache.get(_key(username, address), 0) >= settings.LOGIN_FAILURE_LIMIT


def record_failure(username: str, address: str) -> None:
    key = _key(username, address)
    cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW)
    cache.incr(key)


def clear(username: str, address: str) -> None:
    cache.delete(_key(username, address))


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")
