from jiju.core import divisions, industries
from jiju.core.divisions import Division


def test_division_levels_and_parents():
    assert divisions.level_of("410000") is divisions.Level.PROVINCE
    assert divisions.level_of("410100") is divisions.Level.CITY
    assert divisions.parent_of("410181") == "410100"
    assert divisions.parent_of("410100") == "410000"
    assert divisions.scope_prefix("410000") == "41"
    assert divisions.scope_prefix("410100") == "4101"
    assert divisions.is_zone_code("410171") and not divisions.is_zone_code("410181")


CITIES = [Division("410100", "郑州市"), Division("410700", "新乡市"), Division("411400", "商丘市")]
COUNTIES = [
    Division("410181", "巩义市"),
    Division("410721", "新乡县"),
    Division("411403", "睢阳区"),
    Division("410122", "中牟县"),
]


def test_locate_prefers_a_county_named_in_full():
    assert divisions.locate("巩义市产业集聚区", CITIES, COUNTIES) == "410181"
    assert divisions.locate("新乡县产业集聚区", CITIES, COUNTIES) == "410721"


def test_locate_reads_a_city_short_name_as_the_city_not_its_namesake_county():
    assert divisions.locate("新乡经济技术开发区", CITIES, COUNTIES) == "410700"


def test_locate_prefers_a_county_inside_the_named_city():
    assert divisions.locate("商丘市睢阳产业集聚区", CITIES, COUNTIES) == "411403"
    assert divisions.locate("郑州中牟汽车产业集聚区", CITIES, COUNTIES) == "410122"


def test_locate_gives_up_without_a_name_and_honours_aliases():
    assert divisions.locate("汴东产业集聚区", CITIES, COUNTIES) is None
    assert divisions.locate("汴东产业集聚区", CITIES, COUNTIES, {"汴东": "410200"}) == "410200"


def test_industry_levels_and_parents():
    assert industries.level_of("C") is industries.Level.SECTION
    assert industries.parent_of("36", "C") == "C"
    assert industries.parent_of("3670", "C") == "367"


def test_divisions_for_prefers_longer_keywords():
    keywords = {"汽车": ("36",), "装备": ("34", "35"), "煤化工": ("25", "26"), "化工": ("26",)}
    assert industries.divisions_for("汽车、装备制造", keywords) == ["36", "34", "35"]
    assert industries.divisions_for("煤化工、新材料", keywords) == ["25", "26"]


def test_municipality_placeholders_take_the_province_name():
    names = {"11": "北京市", "50": "重庆市"}
    assert divisions.display_name("市辖区", "110100", names) == "北京市"
    assert divisions.display_name("县", "500200", names) == "重庆市"
    assert divisions.display_name("郑州市", "410100", names) == "郑州市"
    cities = [Division("110100", "北京市")]
    assert divisions.locate("北京经济技术开发区", cities, []) == "110100"
    assert divisions.short_name("锡林郭勒盟") == "锡林郭勒" and divisions.short_name("阿里地区") == "阿里"


def test_city_of():
    from jiju.core.divisions import city_of

    assert [city_of(c) for c in ("410181", "410100", "410000")] == ["410100", "410100", "410000"]
