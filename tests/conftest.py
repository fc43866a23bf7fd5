"""A small two-province world with one account per role, built by code for every test that needs it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from jiju.core import credit_code


def make_code(division: str, n: int) -> str:
    return credit_code.make(division, f"{n:08d}")


@dataclass
class World:
    zones: dict
    enterprises: dict
    parcels: dict
    users: dict
    password: str = "secret-pass-123"

    def client(self, name: str):
        """A test client signed in as the world's user `name`."""
        from django.test import Client

        client = Client()
        client.force_login(self.users[name])
        return client


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """PBKDF2 at production strength costs a third of a second per user; tests need no such cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Tasks run as they are queued, so a page's request sees their result; the database queue and
    its worker are exercised on their own in tests/web/test_evaluation_runs.py."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def world(db) -> World:
    from django.contrib.auth import get_user_model

    from jiju.accounts.models import Profile
    from jiju.registry.models import Enterprise, Industry, Parcel, Region, Zone

    regions = {r.code: r for r in Region.objects.filter(code__in=["410000", "410100", "410181", "410300", "130100"])}
    industry = Industry.objects.get(code="3670")
    zones = {
        "zz": Zone.objects.create(
            code="G411031",
            name="郑州经济技术开发区",
            level="national",
            kind="etdz",
            region=regions["410100"],
            approved_area_m2=12_490_000,
        ),
        "gy": Zone.objects.create(
            code="S419027", name="巩义市产业集聚区", level="provincial", kind="park", region=regions["410181"]
        ),
        "ly": Zone.objects.create(
            code="G411163", name="洛阳经济技术开发区", level="national", kind="etdz", region=regions["410300"]
        ),
        "sjz": Zone.objects.create(
            code="G131001", name="石家庄经济技术开发区", level="national", kind="etdz", region=regions["130100"]
        ),
    }
    enterprises, parcels = {}, {}
    for n, (key, zone) in enumerate(zones.items(), start=1):
        enterprises[key] = Enterprise.objects.create(
            credit_code=make_code(zone.region.code, n),
            name=f"{zone.name[:2]}测试汽车零部件有限公司",
            zone=zone,
            region=zone.region,
            industry=industry,
            scale="above",
            production_start=dt.date(2015, 3, 1),
        )
        parcels[key] = Parcel.objects.create(
            number=f"P-{key}", zone=zone, holder=enterprises[key], area_m2=20_000, supply_date=dt.date(2016, 1, 1)
        )
    user_model = get_user_model()
    specs = {
        "province": ("province_admin", ["410000"], []),
        "city": ("city_office", ["410100"], []),
        "city2": ("city_office", ["410300"], []),  # a second city office of equal rank: where leaks hide
        "zone": ("zone_officer", [], ["zz"]),
        "zone2": ("zone_officer", [], ["ly"]),
        "provider": ("data_provider", ["410000"], []),
        "leader": ("leader", ["410000"], []),
    }
    users = {}
    for name, (role, region_codes, zone_keys) in specs.items():
        user = user_model.objects.create_user(username=name, password=World.password)
        profile = Profile.objects.create(user=user, role=role)
        profile.regions.set([regions[c] for c in region_codes])
        profile.zones.set([zones[k] for k in zone_keys])
        users[name] = user
    users["admin"] = user_model.objects.create_superuser(username="admin", password=World.password)
    return World(zones, enterprises, parcels, users)
