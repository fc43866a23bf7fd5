"""Numbers and texts are checked on the model, so pages, the API and imports refuse the same (issue 9)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from jiju.registry import actions
from jiju.registry.models import Parcel


@pytest.mark.parametrize(
    ("area", "message"), [(-5, "不能为负数"), (float("nan"), "不是有限的数字"), (float("inf"), "不是有限的数字")]
)
def test_an_area_that_is_negative_or_not_finite_is_refused(world, area, message):
    fields = {"number": "P-bad", "zone": world.zones["zz"], "area_m2": area}
    with pytest.raises(ValidationError) as refused:
        actions.do_create(world.users["province"], Parcel, fields)
    assert refused.value.message_dict["area_m2"] == [message]
    assert not Parcel.objects.filter(number="P-bad").exists()


def test_a_nul_character_is_refused_in_any_text(world):
    with pytest.raises(ValidationError) as refused:
        actions.do_update(world.users["province"], world.enterprises["zz"], {"name": "空\x00字符有限公司"})
    assert "name" in refused.value.message_dict
