"""Naming things on the command line: facts by id, old id or metric; topics by any writing."""

from __future__ import annotations

import json

import pytest

from conftest import DATA, modules_loaded
from hdfacts import NotFoundError, UsageError, get, load
from hdfacts.errors import close_matches
from hdfacts.lookup.query import find_topic

RENAMED = [
    ("lihua-village-billion-yuan", "lihua-village-output-over-100-million-yuan"),
    ("fortune-500-projects", "top-500-projects"),
    ("foreign-capital-utilised", "foreign-capital-attracted"),
]


@pytest.mark.parametrize(("old", "new"), RENAMED)
def test_get_an_old_id_gives_the_renamed_fact(cli, old, new):
    result = cli("get", old, "--json")
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["id"] == new and record["aliases"] == [old]
    assert result.stdout == cli("get", new, "--json").stdout


@pytest.mark.parametrize(("old", "new"), RENAMED)
def test_search_by_an_old_id_finds_the_renamed_fact(cli, old, new):
    result = cli("search", old, "--json")
    assert [r["id"] for r in json.loads(result.stdout)] == [new]


@pytest.mark.parametrize(
    ("name", "fid"),
    [
        ("地区生产总值(GDP)", "gdp"),
        ("Gross regional product (GDP)", "gdp"),
        ("gross REGIONAL product (gdp)", "gdp"),
        ("引进外资", "foreign-capital-attracted"),
        ("Fixed-asset investment", "fixed-asset-investment"),
        ("GDP", "gdp"),  # ids are folded too: case and full width
        ("ＧＤＰ", "gdp"),
        (" gdp ", "gdp"),
    ],
)
def test_get_by_exact_metric_name_or_folded_id(cli, name, fid):
    result = cli("get", name, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["id"] == fid


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("gpd", "gdp"),
        ("grain", "grain-farmland-joint-responsibility, grain-sown-area, grain-output"),
        ("地区生产总值", "gdp"),  # close to gdp's metric
        ("fortune-500-project", "top-500-projects"),  # close to an old id: the new one is offered
        ("foreign capital", "foreign-capital-attracted, foreign-trade-growth"),
    ],
)
def test_get_suggests_close_ids(cli, name, hint):
    result = cli("get", name)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"hdfacts: no fact with id {name!r} (did you mean {hint}?)\n"


def test_get_without_anything_close(cli):
    result = cli("get", "zzzz")
    assert (result.exit_code, result.stderr) == (1, "hdfacts: no fact with id 'zzzz'\n")


def test_a_metric_shared_by_two_facts_is_not_guessed(tmp_path):
    valid = (DATA / "valid.toml").read_text(encoding="utf-8")
    head, fact = valid.split("[[facts]]")
    path = tmp_path / "two.toml"
    path.write_text(head + "[[facts]]" + fact + "\n[[facts]]" + fact.replace('"gdp"', '"gdp-2"'), "utf-8")
    base = load(path, cache=False)
    with pytest.raises(UsageError, match=r"is the metric of several facts: give one id of gdp, gdp-2$"):
        get(base, "地区生产总值")
    with pytest.raises(NotFoundError):
        get(base, "nope")


# --- topics


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("农业", "agricultural-industry"),  # names and slugs agree
        ("农业产业", "agricultural-industry"),
        ("乡村振兴", "rural-revitalisation"),
        ("agriculture", "rural-revitalisation"),  # old slugs keep answering, as before
        ("rural-industry", "agricultural-industry"),
        ("農業", "agricultural-industry"),  # traditional characters
        ("經濟", "economy"),
        ("鄉村振興", "rural-revitalisation"),
        ("jingji", "economy"),  # pinyin
        ("jing ji", "economy"),
        ("JingJi", "economy"),
        ("nongye", "agricultural-industry"),
        ("xiangcunzhenxing", "rural-revitalisation"),
        ("quanhui", "plenary-and-strategy"),
    ],
)
def test_show_knows_a_topic_by_any_writing(cli, base, name, slug):
    result = cli("show", name, "--json")
    assert result.exit_code == 0, result.stderr
    ids = [r["id"] for r in json.loads(result.stdout)]
    assert ids == [f.id for f in base.facts if f.topic == slug]


def test_topic_slugs_match_their_chinese_names(base):
    names = {t.slug: t.name for t in base.topics}
    assert names["rural-revitalisation"] == "乡村振兴"
    assert names["agricultural-industry"] == "农业产业"
    assert names["economy"] == "经济指标" and names["plenary-and-strategy"] == "全会与战略"
    assert "agriculture" not in names and "rural-industry" not in names


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("econmy", "economy"),
        ("agricultre", "rural-revitalisation"),
        ("農葉產業", "agricultural-industry"),  # a typo in traditional characters
        ("jingjj", "economy"),  # a typo in pinyin
        ("xiang cun zhen xin", "rural-revitalisation"),
        ("doing busines", "business-environment"),
        ("zzzz", None),
    ],
)
def test_show_suggests_on_a_miss(cli, name, hint):
    result = cli("show", name)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"hdfacts: unknown topic {name!r}: ")
    assert (f"did you mean {hint}?" in result.stderr) is (hint is not None)
    assert "valid topics: economy, plenary-and-strategy," in result.stderr


def test_pinyin_shared_by_two_topics_is_not_guessed(tmp_path):
    valid = (DATA / "valid.toml").read_text(encoding="utf-8")
    # 经济 and 京基 both read jingji
    second = '[[topics]]\nslug = "other"\nname = "京基"\nname_en = "Other"\n\n[[facts]]'
    path = tmp_path / "homophones.toml"
    path.write_text(valid.replace("[[facts]]", second, 1), "utf-8")
    base = load(path, cache=False)
    with pytest.raises(UsageError, match=r"reads as several topics \(economy, other\)"):
        find_topic(base, "jingji")


# --- the one "did you mean"


def test_close_matches():
    assert close_matches("econmy", ["economy", "ecology"]) == ["economy"]
    assert close_matches("ECONMY", ["Economy"], key=str.casefold) == ["Economy"]
    assert close_matches("zzz", ["economy"]) == []
    ids = ["grain-sown-area", "grain-output", "gdp"]
    assert close_matches("grain", ids) == []  # a ratio alone misses a short word in a long id
    assert close_matches("grain", ids, n=3, containing=True) == ["grain-sown-area", "grain-output"]
    assert close_matches("gr", ids, n=3, containing=True) == []  # too short to mean anything


# --- the new facts, as a reader finds them


@pytest.mark.parametrize(
    ("term", "fid"),
    [
        ("开发区", "hengdong-economic-development-zone"),
        ("花奇里", "huaqili-scenic-area"),
        ("翻番", "huizhong-hefu-output-doubled"),
        ("景区", "huaqili-scenic-area"),
    ],
)
def test_search_finds_the_new_facts(cli, term, fid):
    result = cli("search", term, "--json")
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in json.loads(result.stdout)] == [fid]


@pytest.mark.parametrize(
    ("fid", "field", "english"),
    [
        ("chemical-park-recognition", "text", "within 1 year"),
        ("huizhong-hefu-output-doubled", "text", "×2"),
        ("public-security-poll-best-decade", "text", "the last 10 years"),
        ("county-party-plenary-meeting", "period", "10 Jan 2024"),
        ("fixed-asset-investment", "change", "6.5 pp above the city"),
    ],
)
def test_english_renderings_of_kept_qualifiers(cli, fid, field, english):
    out = cli("get", fid, "--lang", "en", "--fields", field).stdout
    assert out == f"{field}\t{english}\n"


def test_note_is_shown_with_the_fact(cli):
    out = cli("get", "per-capita-disposable-income", "--format", "tsv", "--fields", "id,note").stdout
    note = "The report does not say whether 排名全市第二 ranks the income or its growth."
    assert out.splitlines()[1] == f"per-capita-disposable-income\t{note}"


@pytest.mark.parametrize(
    "args",
    [("get", "fortune-500-projects", "--json"), ("get", "引进外资", "--json"), ("show", "经济", "--json")],
)
@pytest.mark.slow
def test_names_found_as_typed_import_nothing_heavy(args):
    # OpenCC and pypinyin are for names that are not found as typed; rich is for tables.
    assert modules_loaded(list(args), ("pypinyin", "opencc", "rich")) == []


def test_a_metric_shared_by_many_facts_names_a_few(tmp_path):
    valid = (DATA / "valid.toml").read_text(encoding="utf-8")
    head, fact = valid.split("[[facts]]")
    body = "".join("[[facts]]" + fact.replace('"gdp"', f'"gdp-{i}"') for i in range(40))
    path = tmp_path / "many.toml"
    path.write_text(head + body, "utf-8")
    with pytest.raises(UsageError) as err:
        get(load(path, cache=False), "地区生产总值")
    assert str(err.value).endswith("give one id of gdp-0, gdp-1, gdp-2, gdp-3, gdp-4 and 35 more")


def test_show_keeps_the_order_topics_are_named_in(cli):
    out = cli("show", "projects", "economy", "--format", "table", env={"COLUMNS": "160"}).stdout
    titles = [line.strip() for line in out.splitlines() if "facts" in line and "(" in line]
    assert [t.split("(")[1].split(")")[0] for t in titles] == ["projects", "economy"], out


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl"])
def test_data_formats_say_that_lang_is_for_tables(cli, fmt):
    result = cli("show", "economy", "--format", fmt, "--lang", "en")
    assert result.exit_code == 0
    assert result.stderr == (
        f"hdfacts: --lang en is for tables: {fmt} has every field as stored, English labels in metric_en\n"
    )
    assert cli("show", "economy", "--format", fmt).stderr == ""
    assert cli("ask", "What was GDP growth?", "--format", fmt).stderr == ""  # the question chose en
