"""API tokens: stored as their SHA-256, shown once, found by digest, their creation and deletion logged."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from jiju.accounts.models import ApiToken
from jiju.changelog.models import ObjectChange


def test_a_token_is_shown_once_stored_hashed_and_opens_the_api(world):
    client = Client()
    client.force_login(world.users["city"])
    response = client.post("/account/tokens/", {"description": "统计系统对接"}, follow=True)
    key = re.search(r"已生成接口令牌：([0-9a-f]{40})", response.content.decode()).group(1)
    token = ApiToken.objects.get(user=world.users["city"])
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    stored = " ".join(str(v) for v in ApiToken.objects.values_list().get())
    assert key not in stored
    assert key not in client.get("/account/").content.decode()  # never shown again
    assert key[:8] in client.get("/account/").content.decode()  # its first characters tell it apart

    api = Client(headers={"Authorization": f"Bearer {key}"})
    assert api.get("/api/zones").status_code == 200
    assert Client(headers={"Authorization": f"Bearer {token.digest}"}).get("/api/zones").status_code == 401

    client.post(f"/account/tokens/{token.pk}/delete/")
    assert api.get("/api/zones").status_code == 401
    entries = ObjectChange.objects.filter(content_type__model="apitoken", object_id=token.pk).order_by("id")
    assert [(e.action, e.username) for e in entries] == [("create", "city"), ("delete", "city")]
    assert entries[0].after == {"user_id": world.users["city"].pk, "prefix": key[:8], "description": "统计系统对接"}
    assert not ObjectChange.objects.filter(after__icontains=key[8:]).exists()


def test_nobody_deletes_another_users_token(world):
    token = ApiToken.objects.create(user=world.users["city2"])
    client = Client()
    client.force_login(world.users["city"])
    assert client.post(f"/account/tokens/{token.pk}/delete/").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keep the reference data
def test_the_migration_hashes_the_keys_already_issued(world):
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0002_profile_department")])
    old = executor.loader.project_state([("accounts", "0002_profile_department")]).apps
    plain = "0123456789abcdef0123456789abcdef01234567"
    old.get_model("accounts", "ApiToken").objects.create(user_id=world.users["zone"].pk, key=plain)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    token = ApiToken.objects.get(user=world.users["zone"])
    assert (token.digest, token.prefix) == (hashlib.sha256(plain.encode()).hexdigest(), plain[:8])
    assert Client(headers={"Authorization": f"Bearer {plain}"}).get("/api/zones").status_code == 200
