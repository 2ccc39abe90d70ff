"""Line breaking: figures whole, clreq's line-start and line-end rules, English at spaces."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hdfacts.output.typeset import NO_END, NO_START, cells, hang, longest_piece, wrap

FIGURE = re.compile(r"\d(?:[\d,.]*\d)?(?:%|个百分点|[万亿]*元|[万亿]*美元|年|个)?")


def _texts(base) -> list[str]:
    return sorted({f.quote for f in base.facts} | {f.metric for f in base.facts})


@pytest.mark.parametrize("width", [8, 12, 16, 24, 40])
def test_quotes_keep_figures_whole_and_follow_clreq(base, width):
    for text in _texts(base):
        if longest_piece(text) > width:
            continue  # a line cannot hold it: covered by test_too_long_is_cut_to_the_width
        for balance in (False, True):
            lines = wrap(text, width, balance=balance)
            assert "".join(lines).replace(" ", "") == text.replace(" ", ""), lines  # nothing lost
            assert all(cells(line) <= width for line in lines), lines
            for figure in FIGURE.finditer(text):
                assert any(figure.group() in line for line in lines), (figure.group(), lines)
            for before, after in itertools.pairwise(lines):
                assert after[0] not in NO_START, (before, after)
                assert before[-1] not in NO_END, (before, after)


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("全体居民人均可支配收入27868元,增长6.1%,排名全市第二", 14, None),
        ("外贸同比增长30.2%", 12, ["外贸同比增长", "30.2%"]),
        ("下达资金1.49亿元,排名全市第二", 10, ["下达资金", "1.49亿元,", "排名全市", "第二"]),
        ("高于全市6.5个百分点", 12, ["高于全市", "6.5个百分点"]),
        ("该县在持续“聚力中心化”攻坚年", 12, ["该县在持续", "“聚力中心化”", "攻坚年"]),
        ("该县在持续“聚力中心化”攻坚年", 10, ["该县在持续", "“聚力中心", "化”攻坚年"]),
    ],
)
def test_examples_of_chinese(text, width, lines):
    got = wrap(text, width)
    if lines is not None:
        assert got == lines
    assert "".join(got) == text


def test_a_closing_quote_never_starts_a_line():
    # 化 then ” cannot part: the quote mark would start the line, so 化” moves down together
    got = wrap("以“聚力中心化”攻坚年争先", 12)
    assert all(line[0] not in NO_START for line in got[1:]) and all(line[-1] not in NO_END for line in got)
    assert "".join(got) == "以“聚力中心化”攻坚年争先"


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("Investment-promotion work", 12, ["Investment-", "promotion", "work"]),
        ("Public-security satisfaction survey", 15, ["Public-security", "satisfaction", "survey"]),
        (
            "income: 27,868 yuan, +6.5 percentage points",
            22,
            ["income: 27,868 yuan,", "+6.5 percentage points"],
        ),
        ("ranked No. 1 in the city", 10, ["ranked", "No. 1 in", "the city"]),
        ("GDP (Q1-Q3 2023): 255", 14, ["GDP", "(Q1-Q3 2023):", "255"]),
    ],
)
def test_english_breaks_at_spaces_and_hyphens(text, width, lines):
    assert wrap(text, width) == lines


def test_balance_leaves_no_lone_last_character():
    text = "城镇居民人均可支配收入"  # 11 characters
    assert wrap(text, 20) == ["城镇居民人均可支配收", "入"]
    balanced = wrap(text, 20, balance=True)
    assert len(balanced) == 2 and "".join(balanced) == text
    assert min(cells(line) for line in balanced) >= 10


def test_too_long_is_cut_to_the_width():
    # the one case where a line breaks where no rule allows: nothing else would fit
    assert wrap("chain-chief-and-project-officers-x", 10) == [
        "chain-",
        "chief-and-",
        "project-",
        "officers-x",
    ]
    assert wrap("abcdefghijklm", 5) == ["abcde", "fghij", "klm"]
    assert all(cells(line) <= 4 for line in wrap("全市第一二三四五", 4))


def test_hanging_indent_and_kept_phrases():
    lines = hang("原文内容很长很长的句子增长11.5%高于全市", 20, "  原文: ", keep=["增长11.5%"])
    assert lines[0].startswith("  原文: ")
    assert all(line.startswith(" " * 8) for line in lines[1:])
    assert any("增长11.5%" in line for line in lines)


@given(
    st.text(alphabet="衡东县增长排名第一二。，、：；“”（）() ,.%0123456789abc-", max_size=60),
    st.integers(4, 30),
)
def test_any_text_keeps_its_characters_and_width(text, width):
    text = text.strip()
    lines = wrap(text, width)
    assert re.sub(r"\s", "", "".join(lines)) == re.sub(r"\s", "", text)
    if longest_piece(text) <= width:
        assert all(cells(line) <= width for line in lines)
