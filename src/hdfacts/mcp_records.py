"""The records the MCP tools return, as pydantic models: the SDK derives each tool's
output schema from them, and `FactRecord` is the JSON record of `hdfacts search --json`."""

# No `from __future__ import annotations`: pydantic reads the annotations at runtime.

from pydantic import BaseModel, Field


class ChangeRecord(BaseModel):
    text: str = Field(description="the change as the report writes it, e.g. 增长5.7%")
    value: int | float = Field(description="signed: a fall is negative")
    unit: str | None = Field(description="% for a growth rate, 个百分点 for points, 名次 for places")
    basis: str | None = Field(description="what it is compared with, when the report says")


class RankRecord(BaseModel):
    scope: str = Field(description="全市 (the city of Hengyang), 全省 (Hunan province), ...")
    position: int


class FactRecord(BaseModel):
    """One fact of the report, as in `hdfacts search --json`."""

    id: str
    topic: str = Field(description="slug of the fact's topic")
    metric: str = Field(description="the Chinese label")
    metric_en: str = Field(description="the English label")
    text: str | None = Field(description="the figure as the report writes it, e.g. 255.92亿元")
    value: int | float | None = Field(description="the figure as a number, 万 and 亿 applied")
    unit: str | None
    qualifier: str | None = Field(description="超 (more than), 近 (nearly) or 内 (within)")
    period: str | None = Field(description="the period the figure covers, as written, e.g. 前三季度")
    growth: ChangeRecord | None
    change: ChangeRecord | None
    rank: RankRecord | None
    tags: list[str]
    quote: str = Field(description="the clause of the report stating the fact, word for word: cite it")
    note: str | None = Field(description="what the report leaves open about this fact, if anything")
    aliases: list[str] = Field(description="old ids that still name this fact")
    report: str = Field(description="the id of the report the fact comes from; REPORT:ID names it")


class SearchResult(BaseModel):
    query: str
    total: int = Field(description="how many facts match, before the limit")
    facts: list[FactRecord] = Field(description="the matching facts, best first")


class TopicRecord(BaseModel):
    slug: str
    name: str
    name_en: str
    section: str | None
    aliases: list[str]
    facts: int = Field(description="how many facts the topic has")


class TopicsResult(BaseModel):
    topics: list[TopicRecord]


class AskResult(BaseModel):
    question: str
    answer: str | None = Field(description="one sentence from the records; null when the report is silent")
    lang: str
    facts: list[FactRecord] = Field(description="the facts the answer rests on, best first")
