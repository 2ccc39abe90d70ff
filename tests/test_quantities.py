from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hdfacts.base.quantities import (
    UNIT_ALIASES,
    UNITS,
    chinese_to_int,
    int_to_chinese,
    parse_change,
    parse_number,
    parse_quantity,
    parse_rank,
    rank_phrases,
)
from hdfacts.errors import QuantityError


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("250.7亿元", 25_070_000_000, "元", None),
        ("255.92亿元", 25_592_000_000, "元", None),
        ("1119万美元", 11_190_000, "美元", None),
        ("88.5万亩", 885_000, "亩", None),
        ("41.1万吨", 411_000, "吨", None),
        ("1.49亿元", 149_000_000, "元", None),
        ("27868元", 27868, "元", None),
        ("5015户", 5015, "户", None),
        ("82.8%", 82.8, "%", None),
        ("6.5个百分点", 6.5, "个百分点", None),
        ("25个名次", 25, "名次", None),
        ("超1100万", 11_000_000, None, "超"),
        ("超亿元", 100_000_000, "元", "超"),
        ("近10年", 10, "年", "近"),
        ("七大", 7, None, None),
        ("十大", 10, None, None),
        ("两轮", 2, "轮", None),
        ("Ⅱ类", 2, "类", None),
        ("508份", 508, "份", None),
        ("一年内", 1, "年", "内"),  # within a year, not exactly one
        ("十年内", 10, "年", "内"),
        ("翻番", 2, "倍", None),
        ("翻一番", 2, "倍", None),
        ("2倍", 2, "倍", None),
    ],
)
def test_parse_quantity(text, value, unit, qualifier):
    q = parse_quantity(text)
    assert (q.value, q.unit, q.qualifier) == (value, unit, qualifier)
    assert type(q.value) is type(value)


@pytest.mark.parametrize(
    "text", ["", "亿元", "abc", "12x", "1.2.3万", "超", "十十", "二二", "%", "内", "超一年内", "翻番内"]
)
def test_parse_quantity_rejects(text):
    with pytest.raises(QuantityError):
        parse_quantity(text)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("增长5.7%", 5.7, "%"),
        ("同比增长30.2%", 30.2, "%"),
        ("高于全市6.5个百分点", 6.5, "个百分点"),
        ("提升25个名次", 25, "名次"),
        ("下降3.5%", -3.5, "%"),
        ("低于全省2个百分点", -2, "个百分点"),
    ],
)
def test_parse_change(text, value, unit):
    q = parse_change(text)
    assert (q.value, q.unit) == (value, unit)


def test_parse_change_needs_a_verb():
    with pytest.raises(QuantityError, match="must start with one of"):
        parse_change("5.7%")


@pytest.mark.parametrize(
    ("text", "scope", "position"),
    [
        ("排名全市第一", "全市", 1),
        ("排名全市第二", "全市", 2),
        ("全省第67", "全省", 67),
        ("排名全省第六十七", "全省", 67),
    ],
)
def test_parse_rank(text, scope, position):
    r = parse_rank(text)
    assert (r.scope, r.position) == (scope, position)


@pytest.mark.parametrize("text", ["第一", "排名全市", "全市第", "全市第x"])
def test_parse_rank_rejects(text):
    with pytest.raises(QuantityError):
        parse_rank(text)


def test_rank_phrases():
    assert rank_phrases("全市", 2) == ("全市第二", "全市第2")


@pytest.mark.parametrize(
    ("n", "word"),
    [
        (1, "一"),
        (2, "二"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (67, "六十七"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (1001, "一千零一"),
        (9999, "九千九百九十九"),
    ],
)
def test_int_to_chinese(n, word):
    assert int_to_chinese(n) == word
    assert chinese_to_int(word) == n


@given(st.integers(min_value=0, max_value=9999))
def test_chinese_numerals_round_trip(n):
    assert chinese_to_int(int_to_chinese(n)) == n


def test_liang_is_two():
    assert chinese_to_int("两") == chinese_to_int("二") == 2


decimals = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)


@given(decimals, st.sampled_from(["", "万", "亿"]), st.sampled_from([u for u in UNITS if u != "大"]))
def test_multipliers_are_exact(number, multiplier, unit):
    text = f"{number.normalize():f}{multiplier}{unit}"
    q = parse_quantity(text)
    factor = {"": 1, "万": 10_000, "亿": 100_000_000}[multiplier]
    assert Decimal(str(q.value)) == number * factor
    expected_unit = UNIT_ALIASES.get(unit, unit)
    assert q.unit == expected_unit


@given(decimals)
def test_growth_sign(number):
    up = parse_change(f"增长{number}%").value
    down = parse_change(f"下降{number}%").value
    assert up == -down and up > 0


@given(st.text(alphabet="0123456789.万亿元%超近abc ", max_size=12))
def test_parse_quantity_never_crashes(text):
    try:
        q = parse_quantity(text)
    except QuantityError:
        return
    assert q.value >= 0


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("100亿", 10_000_000_000),
        ("1万", 10_000),
        ("1000", 1000),
        ("1,000", 1000),
        ("5.7", 5.7),
        ("-2", -2),
        ("1e3", 1000),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["abc", "", "nan", "inf", "1..2"])
def test_parse_number_rejects(text):
    with pytest.raises(QuantityError):
        parse_number(text)


@pytest.mark.parametrize(
    ("record", "english"),
    [
        ({"value": 1, "unit": "年", "qualifier": "内"}, "within 1 year"),
        ({"value": 2, "unit": "倍", "qualifier": None}, "×2"),
        ({"value": 10, "unit": "年", "qualifier": "近"}, "the last 10 years"),
        ({"value": 11_000_000, "unit": None, "qualifier": "超"}, "more than 11,000,000"),
        ({"value": 1, "unit": "户", "qualifier": None}, "1 entity"),
        ({"value": 5015, "unit": "户", "qualifier": None}, "5,015 entities"),
        ({"value": 1_000_000, "unit": "元", "qualifier": "近"}, "nearly 1,000,000 yuan"),
        ({"value": 5, "unit": "美元", "qualifier": None}, "5 US dollars"),
        # a measure word gives way to the head noun of the label, the one ending last
        ({"value": 197, "unit": "个", "metric": "走访企业收集问题"}, "197 problems"),
        ({"value": 1, "unit": "项", "metric": "签约招商项目"}, "1 project"),
        ({"value": 3, "unit": "次", "metric": "开展接待活动"}, "3 sessions"),
        ({"value": 4, "unit": "个", "metric": "某某"}, "4 items"),
        ({"value": 4, "unit": "家", "metric": "接待项目"}, "4 firms"),
        # 七大, 十大: a named group, its number in words
        ({"value": 7, "unit": None, "text": "七大", "metric": "七大重点产业"}, "seven industries"),
        ({"value": 10, "unit": None, "text": "十大", "metric": "“十大改革事项”"}, "ten reform items"),
        ({"value": 12, "unit": None, "text": "十二大", "metric": "十二大"}, "12"),
    ],
)
def test_figures_in_english(record, english):
    from hdfacts.output.english import figure_en

    assert figure_en(record) == english


@pytest.mark.parametrize(
    ("change", "english"),
    [
        ({"text": "增长5.7%", "value": 5.7, "unit": "%"}, "+5.7%"),
        ({"text": "下降3%", "value": -3, "unit": "%"}, "-3%"),
        ({"text": "同比增长30.2%", "value": 30.2, "unit": "%"}, "+30.2% year on year"),
        (
            {"text": "高于全市6.5个百分点", "value": 6.5, "unit": "个百分点", "basis": "全市"},
            "6.5 pp above the city",
        ),
        ({"text": "低于全省2个百分点", "value": -2, "unit": "个百分点"}, "2 pp below the province"),
        (
            {"text": "提升25个名次", "value": 25, "unit": "名次", "basis": "较2022年"},
            "up 25 places (vs 2022)",
        ),
        ({"text": "下降1个名次", "value": -1, "unit": "名次"}, "down 1 place"),
        ({"text": "提高3个百分点", "value": 3, "unit": "个百分点"}, "up 3 pp"),
    ],
)
def test_changes_in_english(change, english):
    from hdfacts.output.english import change_en

    assert change_en(change, 2023) == english


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("3.5千公顷", 3500, "公顷", None),  # 千 scales 公顷
        ("12千瓦时", 12, "千瓦时", None),  # ... but is part of 千瓦时
        ("2.4亿千瓦时", 240_000_000, "千瓦时", None),
        ("31微克/立方米", 31, "微克/立方米", None),
        ("1.2‰", 1.2, "‰", None),
        ("0.3个千分点", 0.3, "个千分点", None),
        ("4.6万吨标准煤", 46_000, "吨标准煤", None),
        ("6.3 %", 6.3, "%", None),  # white space inside a figure
        ("约12万人", 120_000, "人", "约"),
        ("300家以上", 300, "家", "以上"),
        ("三千吨", 3000, "吨", None),
    ],
)
def test_parse_quantity_reads_further_units(text, value, unit, qualifier):
    assert tuple(parse_quantity(text)) == (value, unit, qualifier)


@pytest.mark.parametrize("text", ["12千", "公顷", "约300家以上", "5亩地"])
def test_parse_quantity_still_refuses(text):
    with pytest.raises(QuantityError):
        parse_quantity(text)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("同比回落2.1%", -2.1, "%"),
        ("回落 0.4 个百分点", -0.4, "个百分点"),
        ("增幅8%", 8, "%"),
        ("高于全省平均水平1.2个百分点", 1.2, "个百分点"),
        ("低于全国0.5个千分点", -0.5, "个千分点"),
    ],
)
def test_parse_change_further_verbs(text, value, unit):
    assert tuple(parse_change(text))[:2] == (value, unit)


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [("1000余人", 1000, "人", "余"), ("3万多户", 30_000, "户", "多"), ("翻了一番", 2, "倍", None)],
)
def test_parse_quantity_reads_over(text, value, unit, qualifier):
    assert tuple(parse_quantity(text)) == (value, unit, qualifier)


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("约12万人", "about 120,000 people"),
        ("300家以上", "at least 300 firms"),
        ("3.5千公顷", "3,500 hectares"),
        ("1000余人", "over 1,000 people"),
        ("2.4亿千瓦时", "240,000,000 kWh"),
        ("1人", "1 person"),
    ],
)
def test_drafted_units_and_qualifiers_in_english(text, english):
    from hdfacts.output.english import figure_en

    q = parse_quantity(text)
    assert figure_en({"text": text, "value": q.value, "unit": q.unit, "qualifier": q.qualifier}) == english
