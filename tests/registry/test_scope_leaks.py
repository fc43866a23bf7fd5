"""Records of another scope that reached a page through a relation, not through the restricted queryset."""

from __future__ import annotations

from django.test import Client

from jiju.registry.models import Tenancy


def test_a_tenancy_on_another_citys_parcel_is_absent_from_the_tenants_page(world):
    # 郑州's firm rents space on 洛阳's parcel: 郑州 sees its firm, not 洛阳's parcel.
    Tenancy.objects.create(parcel=world.parcels["ly"], tenant=world.enterprises["zz"], floor_area_m2=500)
    Tenancy.objects.create(parcel=world.parcels["gy"], tenant=world.enterprises["zz"], floor_area_m2=300)
    client = Client()
    client.force_login(world.users["city"])
    page = client.get(world.enterprises["zz"].get_absolute_url()).content.decode()
    assert "P-gy" in page
    assert "P-ly" not in page


def test_a_tenant_from_another_city_is_named_but_not_opened_on_the_parcel_page(world):
    Tenancy.objects.create(parcel=world.parcels["zz"], tenant=world.enterprises["ly"], floor_area_m2=500)
    client = Client()
    client.force_login(world.users["city"])
    page = client.get(world.parcels["zz"].get_absolute_url()).content.decode()
    assert world.enterprises["ly"].name in page
    assert world.enterprises["ly"].credit_code not in page
    assert world.enterprises["ly"].get_absolute_url() not in page
