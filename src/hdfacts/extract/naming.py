"""Names for drafted facts and topics: readable ids (English where the lexicon knows the
term, else pinyin), English labels where every part is known, and topics by keyword."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ..base.words import HAN

MAX_ID = 48
# A small keyword classification, for a fact whose heading names no known topic:
# (slug, Chinese name, English name, keywords), first match wins.
TOPICS = (
    (
        "industry",
        "工业与企业",
        "Industry and enterprises",
        ("工业", "企业", "产业链", "实体经济", "市场主体"),
    ),
    (
        "economy",
        "经济指标",
        "Economic indicators",
        ("生产总值", "GDP", "可支配收入", "固定资产投资", "经济", "财政"),
    ),
    ("projects", "项目与招商", "Projects and investment", ("项目", "招商", "外资", "外贸", "投资")),
    ("reform", "改革创新", "Reform and innovation", ("改革", "创新", "园区")),
    ("business-environment", "营商环境", "Business environment", ("营商",)),
    (
        "agriculture",
        "农业农村",
        "Agriculture and rural areas",
        ("粮食", "农业", "乡村", "三农", "耕地", "农村"),
    ),
    ("livelihood", "民生", "Livelihood", ("民生", "教育", "医疗", "就业", "社保", "养老", "学校")),
    ("party", "党的建设", "Party building", ("党", "巡察", "廉", "政治", "干部", "人才", "监督")),
    ("environment", "生态环境", "Environment", ("环境", "空气", "水质", "生态", "污染", "蓝天", "河长")),
    ("public-safety", "平安建设", "Public safety", ("平安", "治理", "安全", "综治", "治安")),
    ("culture", "宣传文化", "Publicity and culture", ("宣传", "文化", "文明", "旅游")),
)
OTHER = ("other", "其他", "Other", ())


def topic_of(*texts: str | None) -> tuple[str, str, str]:
    """The (slug, name, English name) of the first text that names a known topic."""
    for text in texts:
        if text:
            for slug, name, name_en, words in TOPICS:
                if any(w in text for w in words):
                    return slug, name, name_en
    return OTHER[:3]


@lru_cache(maxsize=1)
def glossary() -> dict[str, str]:
    """Chinese terms the lexicon gives an English word for (外贸 -> foreign trade)."""
    import tomli

    from ..lookup.lexicon import LEXICON_FILE

    data = tomli.loads(LEXICON_FILE.read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for key, words in data["synonyms"].items():
        if not key.isascii():
            continue
        english = next((w for w in words if w.isascii()), key)
        for word in words:
            if not word.isascii() and len(word) >= 2:
                out.setdefault(word, english)
    return out


def _parts(metric: str) -> Iterable[tuple[str, bool]]:
    """The metric cut into (English or Chinese run, known) parts, longest known term first."""
    terms = glossary()
    longest = max(map(len, terms), default=1)
    i, run = 0, ""
    while i < len(metric):
        for n in range(min(longest, len(metric) - i), 1, -1):
            if metric[i : i + n] in terms:
                if run:
                    yield run, False
                    run = ""
                yield terms[metric[i : i + n]], True
                i += n
                break
        else:
            run += metric[i]
            i += 1
    if run:
        yield run, False


def english(metric: str) -> str | None:
    """An English label where the lexicon knows every word of the metric, else None."""
    words: dict[str, str] = {}  # folded -> as written; the report's own spelling wins (GDP)
    for part, known in _parts(metric):
        if known:
            # The lexicon is folded: a word without a vowel is an initialism (gdp: GDP).
            words.setdefault(part.casefold(), part if re.search("[aeiouy]", part, re.I) else part.upper())
        elif re.search(HAN, part):
            return None
        else:
            for word in re.findall(r"[A-Za-z0-9][A-Za-z0-9 .-]*", part):
                words[word.strip().casefold()] = word.strip()
    label = " ".join(words.values())
    return label[:1].upper() + label[1:] if label else None


def slug(metric: str) -> str:
    """A readable kebab-case id for the metric: English words, else pinyin."""
    from pypinyin import lazy_pinyin

    words: list[str] = []
    for part, known in _parts(metric):
        if known:
            words += re.findall(r"[a-z0-9]+", part.casefold())
        else:
            for w in lazy_pinyin(part, errors=lambda s: s):  # what is not Chinese, as it is
                words += re.findall(r"[a-z0-9]+", w.casefold())
    words = [w for i, w in enumerate(words) if i == 0 or w != words[i - 1]]
    out = ""
    for w in words:
        if len(out) + len(w) + 1 > MAX_ID:
            break
        out = f"{out}-{w}" if out else w
    return out or "fact"


def unique(ids: Iterable[str]) -> list[str]:
    """The ids made unique in order: a second gdp is gdp-2."""
    seen: dict[str, int] = {}
    out = []
    taken = set()
    for fid in ids:
        n = seen.get(fid, 0) + 1
        seen[fid] = n
        candidate = fid if n == 1 else f"{fid}-{n}"
        while candidate in taken:
            n += 1
            candidate = f"{fid}-{n}"
        taken.add(candidate)
        out.append(candidate)
    return out
