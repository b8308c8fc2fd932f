"""Claims banned by the Advertising Law (广告法 第九条、第十七条 and related rules).

`check_forbidden(text)` lists the banned words found in a text.  The check is
deliberately strict: any 「最」 is refused, even inside harmless words such as
「最近」, because absolute terms are what regulators fine most often and a
merchant can always rephrase (「近期」, 「上新」).  Text is NFKC-normalised
first, so full-width 「１００％」 and 「ＮＯ．１」 are caught too.
"""

from __future__ import annotations

import unicodedata

FORBIDDEN_WORDS: tuple[str, ...] = (
    # absolute terms / superlatives (第九条第三项)
    "最", "第一", "唯一", "首个", "首选", "首家", "独一无二", "独家", "绝对", "顶级", "顶尖", "极品",
    "极致", "国家级", "世界级", "全球级", "宇宙级", "最高级", "最佳", "全网最低", "史无前例", "空前绝后",
    "万能", "100%", "百分百", "百分之百", "no.1", "no1", "top1", "王牌", "领袖品牌", "遥遥领先",
    # implied official endorsement
    "国家领导人", "特供", "专供", "免检",
    # medical and health claims (第十七条)
    "治愈", "根治", "治疗", "疗效", "特效", "药到病除", "包治", "无副作用", "零风险", "抗癌", "防癌",
    # guaranteed returns
    "保本", "稳赚", "躺赚",
)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def check_forbidden(text: str) -> list[str]:
    """The banned words in `text`, in list order, each once; empty if the text is allowed."""
    normalised = normalise(text)
    return [word for word in FORBIDDEN_WORDS if word in normalised]


class ForbiddenCopy(ValueError):
    """Copy containing words banned by advertising law; `words` lists them."""

    def __init__(self, words: list[str]) -> None:
        super().__init__("文案含广告法禁用词 / banned advertising words: " + "、".join(words))
        self.words = words


def ensure_allowed(text: str) -> str:
    """`text` unchanged, or `ForbiddenCopy` naming the banned words."""
    words = check_forbidden(text)
    if words:
        raise ForbiddenCopy(words)
    return text
