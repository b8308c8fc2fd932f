"""What search knows about one product: normalised fields, pinyin, initials and generic aliases.

`index_text(product)` is persisted in `Product.search_text` on every catalog write
(the PostgreSQL trigram prefilter and the SQLite LIKE prefilter read it);
`SearchEntry` is the in-memory form the ranking works on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from commerce.catalog.chinese import (
    cut_words,
    has_cjk,
    initials,
    is_cjk,
    normalise,
    normalise_units,
    pinyin,
    syllables,
)
from commerce.catalog.model import Product
from commerce.catalog.views import ProductView

# A product word ending in one of these characters is also found by its everyday name:
# 脐橙 → 橙子 (so `橙子`, `chengzi` and `cz` find 赣南脐橙), 阔腿裤 → 裤子.
GENERIC_NAMES = {
    "橙": "橙子", "桔": "桔子", "橘": "橘子", "柚": "柚子", "桃": "桃子", "李": "李子", "梨": "梨子",
    "柿": "柿子", "栗": "栗子", "枣": "枣子", "椰": "椰子", "裤": "裤子", "裙": "裙子", "袜": "袜子",
    "鞋": "鞋子", "帽": "帽子", "杯": "杯子", "瓶": "瓶子",
}
# A category whose name contains the key is also found by the words shoppers use for it
# (「有宝宝用的吗」 → 母婴, 「化妆品」 → 美妆护肤), whatever the merchant named it.
CATEGORY_WORDS = {
    "母婴": ("宝宝", "婴儿", "儿童", "孩子", "宝妈"), "童": ("宝宝", "儿童", "孩子"),
    "美妆": ("化妆品", "护肤品", "美妆"), "护肤": ("护肤品", "化妆品"),
    "服装": ("衣服", "穿的"), "服饰": ("衣服", "穿的"), "女装": ("衣服",), "男装": ("衣服",),
    "保健": ("营养品", "保健品"), "健身": ("运动", "锻炼", "健身"),
    "农产品": ("吃的", "特产", "农产"), "生鲜": ("吃的", "新鲜"), "食品": ("吃的", "零食"), "水果": ("吃的",),
}
_HEAD_SPLIT = re.compile(r"[\s/|()（）【】\[\],，、+·]+")


@dataclass(frozen=True, slots=True)
class Phrase:
    """One searchable phrase with its pinyin forms (`syl` joined per syllable start for alignment)."""

    text: str
    pinyin: str
    starts: frozenset[int]  # offsets in `pinyin` where a syllable begins
    initials: str


@dataclass(frozen=True, slots=True)
class SearchEntry:
    view: ProductView
    name: str
    aliases: tuple[str, ...]  # tags, generic names and short names
    categories: tuple[str, ...]  # every level of the category path
    subtitle: str
    specs: tuple[str, ...]
    body: str  # description + selling points
    phrases: tuple[Phrase, ...]  # name, aliases, categories: matched by pinyin and initials
    category_path: str
    sort_weight: int


def phrase(text: str) -> Phrase:
    syl = syllables(text)
    starts, pos = set(), 0
    for s in syl:
        starts.add(pos)
        pos += len(s)
    return Phrase(text, "".join(syl), frozenset(starts), initials(text))


def category_words(path: str) -> list[str]:
    """Everyday words for a category path (see CATEGORY_WORDS)."""
    return list(dict.fromkeys(w for key, words in CATEGORY_WORDS.items() if key in path for w in words))


def short_name(name: str) -> str:
    """`赣南脐橙 5斤装` → `赣南脐橙`; the name itself when it has no separator."""
    head = _HEAD_SPLIT.split(name.strip())[0]
    return head if len(head) >= 2 else name.strip()


def generic_aliases(name: str) -> list[str]:
    out: list[str] = []
    for word in cut_words(normalise(name)):
        last = word[-1]
        if is_cjk(last) and last in GENERIC_NAMES and GENERIC_NAMES[last] not in out:
            out.append(GENERIC_NAMES[last])
    return out


def entry_for(view: ProductView, sort_weight: int = 0) -> SearchEntry:
    name = normalise(view.name)
    aliases = [normalise(t) for t in view.tags if t.strip()]
    aliases += [a for a in generic_aliases(view.name) if a not in aliases and a not in name]
    short = short_name(name)
    if short != name and short not in aliases:
        aliases.append(short)
    categories = tuple(normalise(p) for p in view.category_path.split("/") if p.strip())
    categories += tuple(w for w in category_words(view.category_path) if w not in categories)
    specs = tuple(dict.fromkeys(normalise_units(normalise(v)) for s in view.skus for v in s.spec.values()))
    body = normalise(" ".join([view.description, *view.selling_points]))
    phrases = tuple(phrase(t) for t in dict.fromkeys([name, *aliases, *categories]) if has_cjk(t))
    return SearchEntry(view, name, tuple(aliases), categories, normalise(view.subtitle), specs, body,
                       phrases, view.category_path, sort_weight)


def index_text(product: Product) -> str:
    """Normalised tokens + pinyin + initials of a product, space separated (stored in `search_text`)."""
    name = normalise(product.name)
    category = product.category.path if product.category else ""
    words = [name, short_name(name), *generic_aliases(product.name)]
    words += [normalise(t) for t in product.tags or ()]
    words += [normalise(p) for p in category.split("/") if p.strip()] + category_words(category)
    words += cut_words(name) + cut_words(normalise(product.subtitle or ""))
    words += [normalise_units(normalise(str(v))) for s in product.skus for v in (s.spec or {}).values()]
    keyed = list(dict.fromkeys(w for w in words if w.strip()))
    sounds = [form for w in keyed if has_cjk(w) for form in (pinyin(w), initials(w))]
    body = normalise(" ".join([product.subtitle or "", product.description or "", *(product.selling_points or ())]))
    return " ".join(dict.fromkeys([*keyed, *sounds, body])).strip()
