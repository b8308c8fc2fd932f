"""Regex entity rules on normalised text: identifiers, prices, quantities, indexes, specs.

Each rule yields `Candidate`s; `resolve` later keeps the best non-overlapping
ones.  Spans cover only the value (`[200](price_max)块以内`, `[两](quantity)件`),
except index, whose value is the ordinal phrase itself (`[第二个](index)`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from nlu.numerals import CN_CHARS, parse_int, parse_number, yuan_to_fen
from nlu.numerals import NUMBER_PATTERN as NUM
from nlu.types import Normalized


@dataclass(frozen=True)
class Candidate:
    entity: str
    start: int
    end: int
    normalized: Normalized | tuple[int, int]  # (min_fen, max_fen) for an approximate price
    priority: int  # higher wins an overlap


NB = rf"(?<![第\d.{CN_CHARS}])"  # a number starts here, not inside a longer one
MONEY = r"(?:块钱|块|元|rmb|快|米)"
MEASURE = r"(?:件|个|盒|箱|斤|瓶|份|支|套|包|袋|罐|双|条|只|台|桶|提|组|张|片|束|杯|卷|对|打|串|副|顶|节|次|单|枚|粒|听)"
NOT_PRICE_UNIT = r"(?![\d.]|\s*(?:天|号|月|点|年|岁|斤|件|个|kg|g|cm|码|ml|小时|分钟|周|日|折|%|倍|张|次|位))"

ORDER_NO = re.compile(r"(?<![a-z0-9])sy\s?\d{6,16}(?![0-9])")
TRACKING_NO = re.compile(r"(?<![a-z0-9])(?:[a-z]{1,4}\d{9,18}|\d{10,18})(?![a-z0-9])")
PHONE = re.compile(r"^1[3-9]\d{9}$")

RANGE = re.compile(rf"{NB}(?P<lo>{NUM})\s*{MONEY}?\s*(?:到|至|-|~|～|—|–)\s*(?P<hi>{NUM})\s*(?:{MONEY}|{NOT_PRICE_UNIT})")
MAX_SUFFIX = re.compile(rf"{NB}(?P<v>{NUM})\s*{MONEY}?\s*(?:以内|以下|之内|内的|内|以下的|封顶|之下)")
MAX_PREFIX = re.compile(rf"(?:不超过|不要超过|别超过|不高于|低于|少于|小于|最多|顶多|不到|便宜于|预算|<|≤|<=)\s*(?:是|在|为)?\s*[¥￥]?(?P<v>{NUM})\s*(?:{MONEY}|{NOT_PRICE_UNIT})")
MIN_SUFFIX = re.compile(rf"{NB}(?P<v>{NUM})\s*{MONEY}?\s*(?:以上|起步|起|往上|开外)")
MIN_PREFIX = re.compile(rf"(?:超过|高于|大于|不低于|至少|最少|起码|>|≥|>=)\s*[¥￥]?(?P<v>{NUM})\s*(?:{MONEY}|{NOT_PRICE_UNIT})")
MIN_DUO = re.compile(rf"{NB}(?P<v>{NUM})\s*多\s*(?:{MONEY}|的|$|\s|[,，.。?？!！])")

QUANTITY = re.compile(rf"{NB}(?P<v>{NUM})\s*{MEASURE}")
QUANTITY_X = re.compile(r"(?:[x×*]\s*(?P<v>\d{1,3})(?![\d.a-z])|(?:数量|件数)\s*(?:改成|改为|换成|是|为|要)?\s*(?P<w>\d{1,3}))")
INDEX = re.compile(rf"第\s*(?P<v>(?>{NUM}))(?!\s*(?:次|天|年|月|周|期|名|步|时间|眼|印象|感觉|反应|批))\s*(?:{MEASURE}|款|种|项|样|行|家|位|号)?")
INDEX_NUMBER = re.compile(r"(?<![\d月.])(?P<v>\d{1,2})\s*号(?!码|色|线|店)")
INDEX_LAST = re.compile(r"(?:倒数第(?P<v>[一二三123])个?|最后(?:一|那|这)?(?:个|件|款|一款|一件|一种)?)")

SIZE = re.compile(r"(?<![a-z0-9'’])(?P<v>xxxl|xxl|xl|xs|[2-5]xl|s|m|l)(?P<suffix>\s*[码号])?(?![a-z0-9])")
MEASURED_SPEC = re.compile(r"(?<![\d.])(?P<v>\d+(?:\.\d+)?)\s*(?P<u>kg|g|ml|l|克|千克|公斤|毫升|升|斤装|片装|支装|粒装|袋装|盒装|瓶装|罐装|粒|段)(?![a-z])")
NUMERIC_SIZE = re.compile(r"(?<![\d.])(?P<v>\d{2,3})\s*(?:码|号)(?!色)")

P_ID, P_PRICE, P_SPEC, P_INDEX, P_QUANTITY = 90, 80, 70, 60, 50


def identifiers(norm: str) -> Iterator[Candidate]:
    for m in ORDER_NO.finditer(norm):
        yield Candidate("order_no", m.start(), m.end(), m.group().replace(" ", "").upper(), P_ID + 1)
    for m in TRACKING_NO.finditer(norm):
        if not m.group().startswith("sy") and not PHONE.match(m.group()):
            yield Candidate("tracking_no", m.start(), m.end(), m.group().upper(), P_ID)


def prices(norm: str) -> Iterator[Candidate]:
    for m in RANGE.finditer(norm):
        lo, hi = yuan_to_fen(m.group("lo")), yuan_to_fen(m.group("hi"))
        if lo is not None and hi is not None and lo <= hi:
            yield Candidate("price_min", m.start("lo"), m.end("lo"), lo, P_PRICE + 1)
            yield Candidate("price_max", m.start("hi"), m.end("hi"), hi, P_PRICE + 1)
    for pattern, name in ((MAX_SUFFIX, "price_max"), (MAX_PREFIX, "price_max"), (MIN_SUFFIX, "price_min"),
                          (MIN_PREFIX, "price_min"), (MIN_DUO, "price_min")):
        for m in pattern.finditer(norm):
            fen = yuan_to_fen(m.group("v"))
            if fen:
                yield Candidate(name, m.start("v"), m.end("v"), fen, P_PRICE)


def quantities(norm: str) -> Iterator[Candidate]:
    for m in QUANTITY.finditer(norm):
        surface = m.group("v")
        value = parse_int(surface[0] if _neighbour_digits(surface) else surface)  # 两三件 → 2, not 23
        if value and 0 < value < 10000:
            yield Candidate("quantity", m.start("v"), m.end("v"), value, P_QUANTITY)
    for m in QUANTITY_X.finditer(norm):
        group = "v" if m.group("v") else "w"
        value = parse_int(m.group(group))
        if value:
            yield Candidate("quantity", m.start(group), m.end(group), value, P_QUANTITY)


def indexes(norm: str) -> Iterator[Candidate]:
    for m in INDEX.finditer(norm):
        value = parse_int(m.group("v"))
        if value and value < 100:
            yield Candidate("index", m.start(), m.end(), value, P_INDEX)
    for m in INDEX_NUMBER.finditer(norm):
        value = parse_int(m.group("v"))
        if value and value < 30:
            yield Candidate("index", m.start(), m.end(), value, P_INDEX - 1)
    for m in INDEX_LAST.finditer(norm):
        depth = parse_int(m.group("v")) if m.group("v") else 1
        yield Candidate("index", m.start(), m.end(), -(depth or 1), P_INDEX)


def specs(norm: str) -> Iterator[Candidate]:
    for m in SIZE.finditer(norm):
        size = m.group("v")
        if len(size) == 1 and not m.group("suffix") and not _cjk_neighbour(norm, m.start(), m.end()):
            continue
        yield Candidate("spec", m.start(), m.end(), size.upper(), P_SPEC)
    for m in MEASURED_SPEC.finditer(norm):
        number = parse_number(m.group("v"))
        if number is not None:
            yield Candidate("spec", m.start(), m.end(), m.group().replace(" ", ""), P_SPEC + 2)
    for m in NUMERIC_SIZE.finditer(norm):
        if 30 <= int(m.group("v")) <= 190:
            yield Candidate("spec", m.start(), m.end(), m.group("v"), P_SPEC + 1)


def _neighbour_digits(surface: str) -> bool:
    a, b = (parse_int(ch) for ch in surface) if len(surface) == 2 and not surface.isdigit() else (None, None)
    return a is not None and b is not None and b == a + 1


def _cjk_neighbour(norm: str, start: int, end: int) -> bool:
    before = norm[start - 1] if start else ""
    after = norm[end] if end < len(norm) else ""
    return any("\u4e00" <= ch <= "\u9fff" for ch in (before, after)) or (not before and not after)
