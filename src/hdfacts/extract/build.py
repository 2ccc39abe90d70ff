"""Turn the items of each sentence into drafted facts: the figure with its metric,
period, growth, change and ranking, and the shortest clauses that state them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..base.quantities import parse_quantity, rank_phrases
from .figures import COUNT_UNITS, Item, Skipped, figures, spans
from .text import Clause, Reading

# Words that open a clause without naming what it measures: 全县共完成地区生产总值 is 地区生产总值.
_LEADING_WORDS = "其中 是 分别 全县 全市 全区 该县 我县 本县 共计 累计 共 同比 并 还 同时"
LEADING = tuple(_LEADING_WORDS.split())
# Verbs that open a clause before the thing measured; dropped when a name of 3 or more
# characters is left (完成投资 stays, 实现粮食总产量 is 粮食总产量).
VERBS = ("完成", "实现", "实施", "争取", "达到")
_TRAILING_WORDS = "达到 达 为 是 共 累计 约 总计 合计 分别 完成 实现 控制在 、"
TRAILING = tuple(_TRAILING_WORDS.split())
# An aspect of a subject named before it in the sentence: 总投资 after 重点项目27个.
ASPECTS = ("总", "完成", "累计", "下达", "实际", "已", "到位")
# ... and words that are an aspect only standing alone: 净增12家 after 企业达到186家.
SHORT_ASPECTS = ("净增", "新增", "增加", "减少")
# A ranking of these ranks the growth of the figure before it: 增速居全市第3位.
GROWTH_WORDS = ("增速", "增幅", "增长速度", "增长率")


@dataclass
class Draft:
    """A fact being drafted; offsets are into the report."""

    start: int  # the quote
    end: int
    anchor: int  # where its own figure (or growth, ranking) stands
    metric: str
    subject: str  # what a following aspect of it carries over
    period: str | None
    clause: Clause
    text: str | None = None
    unit: str | None = None
    growth: str | None = None
    growth_basis: str | None = None
    change: tuple[str, str | None] | None = None
    rank: tuple[str, int] | None = None
    notes: list[str] = field(default_factory=list)


def clean(metric: str) -> str:
    """The thing measured, as the report names it, without the words around it."""
    m = metric.strip(" ,;:、")
    changed = True
    while changed and m:
        changed = False
        for word in LEADING:
            if m.startswith(word) and len(m) > len(word):
                m, changed = m[len(word) :].lstrip(" 、"), True
        for word in VERBS:
            if m.startswith(word) and len(m) - len(word) >= 3:
                m, changed = m[len(word) :], True
        for word in TRAILING:
            if m.endswith(word) and len(m) > len(word):
                m, changed = m[: -len(word)].rstrip(), True
    # 第一产业实现增加值: the verb between subject and measure is not part of the name.
    return re.sub(r"(?<=\w{2})(?:实现|完成)(?=\w{2})", "", m)


class Sentence:
    """Drafts the facts of one sentence, clause by clause."""

    def __init__(self, reading: Reading, default_period: str | None):
        self.r = reading
        self.period = default_period
        self.prev: Draft | None = None
        self.chain: Draft | None = None  # the fact whose subject aspects carry over
        self.basis: str | None = None
        self.pending_date: Item | None = None
        self.lead: int | None = None
        self.respectively: list[tuple[Draft, str]] = []  # 分别增长5.1%、7.3%: who the rest are of
        self.drafts: list[Draft] = []
        self.skipped: list[Skipped] = []
        self.used: list[tuple[int, int]] = []

    def clause(self, c: Clause) -> None:
        items = spans(self.r.folded, c.start, c.end, self.r.text)
        figs, skipped = figures(self.r.folded, c.start, c.end, self.r.text, items)
        self.skipped += skipped
        self.used += [(i.start, i.end) for i in (*items, *figs)] + [(s.start, s.end) for s in skipped]
        if self.pending_date is not None:
            self._event(c, self.pending_date)
            self.pending_date = None
        if len(items) == 1 and items[0].kind == "period" and not figs:
            self.lead = c.start  # 前三季度, ...: the next fact's quote starts with its period
        cursor, self.basis, subject = c.start, None, ""
        for it in sorted((*items, *figs), key=lambda i: i.start):
            before = self.r.text[cursor : it.start]
            if not before.strip() and subject:  # 固定资产投资比上年增长10.3%
                before, subject = subject, ""
            if it.kind == "period":
                self.period = it.text
            elif it.kind == "basis":
                self.basis, subject = it.text, before
            elif it.kind == "date":
                self._date(c, it)
            elif it.kind == "figure":
                cursor = self._figure(c, it, before, self._after(c, it, figs))
                continue
            else:
                self._change_or_rank(c, it, before)
            cursor = it.end

    def _after(self, c: Clause, it: Item, figs: list[Item]) -> str:
        nxt = min((f.start for f in figs if f.start > it.start), default=c.end)
        return self.r.text[it.end : nxt]

    def _new(self, c: Clause, it: Item, metric: str, subject: str) -> Draft:
        start = c.start if self.lead is None else self.lead
        if self.chain is not None and subject != metric:
            start = self.chain.start  # the quote names the subject carried over
        self.lead = None
        d = Draft(
            start, c.end, it.start, metric or clean(self.r.text[c.start : c.end]), subject, self.period, c
        )
        self.drafts.append(d)
        self.prev = d
        return d

    def _figure(self, c: Clause, it: Item, before: str, after: str) -> int:
        """Draft a figure; return where the next item's metric may start."""
        unit = parse_quantity(it.text).unit
        piece = re.split(r"[、,;]", after)[0]
        own, tail, cursor = clean(before), clean(piece), it.end
        metric = own
        counted = unit in COUNT_UNITS or (unit is None and not re.search(r"\d", it.text))
        named = re.match(r"[^“”《》]*[”》]", after) if before.endswith(("“", "《")) else None
        if named:  # “十大改革事项”: the name the figure opens
            metric, cursor = before[-1] + it.text + named.group(), it.end + named.end()
        elif unit == "年":  # 近10年来最好成绩: a span of years qualifies what follows it
            metric, cursor = clean(before + it.text + piece), it.end + len(piece)
        elif tail and counted and len(own) <= 4:
            metric = tail
            if len(piece) < len(after):  # ends at a comma: no later figure of the clause shares it
                cursor = it.end + len(piece)
        subject, note = metric, None
        if own.strip("和及与") == "" and self.respectively:  # 分别增长5.1%、7.3%: the next one's
            target, verb = self.respectively.pop(0)
            metric = subject = target.metric
            note = f"{it.text} is the {verb} of {target.text}: the report gives these 分别 (respectively)"
        elif self._carries(before):
            metric, subject = self._carried(before), self.chain.subject if self.chain else ""
        elif not metric and self.prev is not None:
            metric = subject = self.prev.metric
        d = self._new(c, it, metric, subject)
        if note:
            d.notes.append(note)
        if re.search(r"目标|计划|预期|力争", before):
            d.notes.append(f"{it.text} is a target, not a result")
        if subject == metric:
            self.chain = d
        d.text, d.unit = it.text, unit
        return cursor

    def _carries(self, before: str) -> bool:
        """Whether the words before a figure name an aspect of the sentence's subject."""
        raw = before.strip(" ,;、").removeprefix("其中")
        aspect = raw.startswith(ASPECTS) or (len(raw) <= 3 and raw.startswith(SHORT_ASPECTS))
        return bool(raw and aspect and self.chain is not None and self.chain.subject)

    def _carried(self, before: str) -> str:
        """总投资 after 重点项目27个: 重点项目总投资; 完成年度预算的 after 收入: 收入完成年度预算."""
        own = re.sub(r"(?:的|达到|达|为)$", "", before.strip(" ,;、")).removeprefix("其中")
        return (self.chain.subject if self.chain else "") + own

    def _change_or_rank(self, c: Clause, it: Item, before: str) -> None:
        subject = clean(re.sub(r"(?:排名|排|位居|位列|居|列)$", "", before.strip()))
        d, ranks_growth = self.prev, False
        if it.kind in ("rank", "top") and subject in GROWTH_WORDS:
            d = next((x for x in reversed(self.drafts) if x.growth), None)
            if d is not None:
                d.notes.append(f"{it.text} ranks the {subject} (growth) of {d.metric}")
                subject, ranks_growth = "", True
        if it.kind == "growth" and "分别" in before:
            d, subject = self._respectively(c, it, d), ""
        elif it.kind == "growth" and not subject and d is not None and d.unit == "%" and not d.growth:
            d = next((x for x in reversed(self.drafts) if x.text and x.unit != "%"), d)
        taken = (
            d is None
            or {
                "growth": d.growth is not None,
                "change": d.change is not None,
                "rank": d.rank is not None,
                "top": d.rank is not None,
            }[it.kind]
        )
        if subject or taken or d is None:
            d = self._new(c, it, subject, subject)
            self.chain = d
        d.end = max(d.end, c.end)
        if it.kind == "growth":
            d.growth, d.growth_basis = it.text, self.basis
        elif it.kind == "change":
            d.change = (it.text, it.scope or self.basis)
        elif it.kind == "top":
            d.notes.append(
                f"{it.text}: ranked among the first {it.position} of {it.scope}, not at a position"
            )
        else:
            self._rank(d, it, ranks_growth)

    def _rank(self, d: Draft, it: Item, ranks_growth: bool = False) -> None:
        if not it.scope:
            d.notes.append(f"{it.text}: a ranking that does not say where (全市, 全省)")
            return
        quote = self.r.text[d.start : d.end]
        if not any(p in quote for p in rank_phrases(it.scope, it.position)):
            d.notes.append(f"{it.text}: ranked {it.scope}第{it.position}")
            return
        d.rank = (it.scope, it.position)
        if d.text and d.growth and not ranks_growth:
            d.notes.append(f"The report does not say whether {it.text} ranks {d.metric} or its growth.")

    def _date(self, c: Clause, it: Item) -> None:
        self.skipped.append(Skipped(it.start, it.end, it.text, "a date: the period of the event it dates"))
        rest = clean(self.r.text[it.end : c.end])
        if rest:
            d = self._new(c, it, rest, rest)
            d.period, self.period = it.text, self.period
            d.notes.append(f"{it.text} dates an event; it is not a figure")
        else:
            self.pending_date = it

    def _event(self, c: Clause, date: Item) -> None:
        d = self._new(c, date, clean(self.r.text[c.start : c.end]), "")
        d.start, d.period = date.start, date.text
        d.notes.append(f"{date.text} dates an event; it is not a figure")

    def _respectively(self, c: Clause, it: Item, prev: Draft | None) -> Draft | None:
        """分别增长5.1%、7.3% after 38562元、19873元: the first growth is the first figure's;
        the figures listed after it are the growth of the ones after that."""
        rest = re.findall(r"[、和及与]\s*[\d.]+\s*%", self.r.folded[it.end : c.end])
        figured = [d for d in self.drafts if d.text]
        if len(figured) < len(rest) + 1:
            return prev
        targets = figured[-(len(rest) + 1) :]
        verb = re.sub(r"[\d.\s%]+$", "", it.text)
        self.respectively = [(t, verb) for t in targets[1:]]
        targets[0].notes.append(f"{it.text} is its growth: the report gives these 分别 (respectively)")
        return targets[0]
