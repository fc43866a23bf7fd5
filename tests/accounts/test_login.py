"""Logging in: one spelling per username, a throttle that cannot shut a real user out, Chinese password rules."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client

from jiju.accounts.demo import PASSWORD as DEMO_PASSWORD
from tests.conftest import World

LOCKED = "登录失败次数过多"


@pytest.fixture(autouse=True)
def _no_failures_left_over(db):
    """The throttle counts in the cache; a cache other than the database one outlives a test."""
    cache.clear()
    yield
    cache.clear()


def log_in(username: str, password: str, address: str = "10.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.post("/login/", {"username": username, "password": password})
    return client


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("spelling", [" city ", "CITY", "ｃｉｔｙ", " Ｃｉｔｙ\t"])
def test_a_username_logs_in_however_it_is_typed(world, spelling):
    assert logged_in(log_in(spelling, World.password))


def test_every_spelling_counts_toward_the_same_lock(world, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for spelling in ("city", " city ", "ｃｉｔｙ"):
        log_in(spelling, "wrong")
    client = Client(REMOTE_ADDR="10.0.0.1")
    response = client.post("/login/", {"username": "CITY", "password": World.password})
    assert LOCKED in response.content.decode() and not logged_in(client)


def test_another_user_behind_the_same_address_is_not_locked(world, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(5):
        log_in("city", "wrong")
    assert logged_in(log_in("city2", World.password))


def test_a_lock_ends_with_its_window_even_while_attempts_go_on(world, settings):
    settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_FAILURE_WINDOW = 2, 4  # wide margins: a loaded CI machine is slow
    log_in("city", "wrong")
    log_in("city", "wrong")
    started = time.time()
    while time.time() - started < 1.5:  # someone keeps trying while locked: the window is not extended
        assert not logged_in(log_in("city", World.password))
        time.sleep(0.3)
    time.sleep(max(0.0, 4.3 - (time.time() - started)))
    assert logged_in(log_in("city", World.password))


def test_password_rules_speak_chinese_and_the_shipped_passwords_pass():
    with pytest.raises(ValidationError) as raised:
        validate_password("1")
    assert raised.value.messages == ["密码太短，至少需要 8 个字符。", "这个密码太常见了。", "密码只包含数字。"]
    validate_password(DEMO_PASSWORD)
    validate_password(World.password)
