"""A shopper's query → search terms (normalised, stop words dropped, pinyin attached)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from commerce.catalog.chinese import has_cjk, normalise, normalise_units, pinyin, tokenizer

MAX_TERMS = 8
_PUNCTUATION = " ,.?!;:~，。？！；：、\"'“”‘’()（）[]【】"
STOP_WORDS = frozenset(
    "我 我们 你 你们 他 她 想 想要 要 买 购买 有 有没有 没有 吗 呢 啊 吧 呀 哦 的 地 得 了 一下 看 看看 瞧瞧 推荐 "
    "请问 请 问 什么 哪些 哪个 哪款 多少 多少钱 价格 价钱 钱 一个 一些 一款 点 个 件 给 帮 帮我 找 找找 搜 搜索 查 "
    "查询 下 还 家 店 这 那 这个 那个 能 可以 不 么 嘛 和 与 或 及 跟 卖 东西 商品 产品 宝贝 款 最 有货 么样 怎么样 "
    "元 块 以下 以内 左右 上下 之间 便宜 便宜点 好 好的 好吃 好用 一点 些 里 中 是 在 都 也 就 吃 用 穿 送 "
    "买点 来点 来 给我 想买 要买 需要 有卖 卖的 拿 整点 弄点 please want buy the a".split()
)


# 「1段」「5斤」「240ml」 stay one term: split into 「1」 + 「段」 they matched 「3段」 (段 in the name,
# 1 in 「适合1-3岁」) — a stage-3 formula offered to a mum asking for stage 1.
MEASURED = re.compile(r"\d+(?:\.\d+)?(?:段|斤|kg|g|ml|l|片|粒|包|支|节|次|天|寸|码|岁|抽|条|袋|盒|瓶|罐|磅|cm|mm|英寸|周|个月)装?(?![a-z])")


def _words(text: str) -> list[str]:
    words: list[str] = []
    at = 0
    for m in MEASURED.finditer(text):
        words += tokenizer().lcut(text[at:m.start()]) if m.start() > at else []
        words.append(m.group())
        at = m.end()
    return words + (tokenizer().lcut(text[at:]) if at < len(text) else [])


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    cjk: bool
    sound: str  # pinyin of a Chinese term (homophone typos: 脐澄 → qicheng); the text itself otherwise


@lru_cache(maxsize=4096)
def parse_query(query: str) -> tuple[Term, ...]:
    """`我想买臍橙` → (Term('脐橙'),); an empty tuple means "browse"."""
    text = normalise_units(normalise(query))
    if not text:
        return ()
    terms: list[Term] = []
    for word in _words(text):
        word = word.strip(_PUNCTUATION)
        if not word or word in STOP_WORDS or (len(word) == 1 and not word.isalnum()):
            continue
        if any(t.text == word for t in terms):
            continue
        cjk = has_cjk(word)
        terms.append(Term(word, cjk, pinyin(word) if cjk else word))
        if len(terms) == MAX_TERMS:
            break
    return tuple(terms)
