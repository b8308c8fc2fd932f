"""Intent features of one message: char n-grams, jieba words and pinyin bigrams of the masked text.

Entity spans are replaced by one placeholder character per entity type before
featurising, so `买三件脐橙` and `买两件卫衣` look alike to the classifier and
unseen product names do not distract it.  Digits all become `0`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import jieba

from nlu.entities.patterns import Candidate
from nlu.normalize import is_cjk
from nlu.pinyin import char_pinyin, split_pinyin

PLACEHOLDERS = {
    "product": "\ue000", "category": "\ue001", "price_min": "\ue002", "price_max": "\ue003",
    "index": "\ue004", "quantity": "\ue005", "spec": "\ue006", "order_no": "\ue007",
    "tracking_no": "\ue008", "carrier": "\ue009", "reason": "\ue00a", "amount": "\ue00b",
    "payout_method": "\ue00c", "number": "\ue00d", "price_about": "\ue003",
}
_DROP = set("\t\r\n,，.。、;；:：\"'“”‘’()（）[]【】<>《》~～…-—_=+/\\|`^")
PINYIN_UNIGRAMS = True
MAX_NGRAM = 2  # trigrams overfit: 5-fold CV on nlu.yml 0.824 → 0.838 without them
# English shop words → the Chinese words the model learnt from ("add to cart", "hi", "refund")
EN_GLOSS = {
    "hi": "你好", "hello": "你好", "hey": "你好", "bye": "再见", "goodbye": "再见", "thanks": "谢谢",
    "thank": "谢谢", "thx": "谢谢", "ty": "谢谢", "tks": "谢谢", "thks": "谢谢", "thanx": "谢谢", "thnx": "谢谢", "ok": "好的", "okay": "好的", "yes": "是的", "yep": "是的",
    "no": "不要", "nope": "不要", "help": "帮助", "cart": "购物车", "add": "加入", "remove": "删除",
    "delete": "删除", "checkout": "结算", "pay": "付款", "buy": "买", "order": "订单", "orders": "订单",
    "status": "状态", "tracking": "物流", "track": "物流", "express": "快递", "refund": "退款",
    "return": "退货", "cancel": "取消", "coupon": "优惠券", "discount": "优惠", "points": "积分",
    "member": "会员", "vip": "会员", "membership": "会员", "distributor": "分销", "agent": "人工",
    "human": "人工", "poster": "海报", "qrcode": "二维码", "copy": "文案", "commission": "佣金",
    "withdraw": "提现", "recommend": "推荐", "search": "搜索", "find": "找", "price": "价格",
    "detail": "详情", "details": "详情", "category": "分类", "categories": "分类",
}
_ASCII_WORD = re.compile(r"[a-z]+")
_PIECES = re.compile(r"[a-z]+|[^a-z]+")


def mask(norm: str, candidates: Iterable[Candidate]) -> str:
    """`norm` with each entity span collapsed to its placeholder, digits as 0, separators dropped."""
    out: list[str] = []
    pos = 0
    for cand in sorted(candidates, key=lambda c: c.start):
        out.append(norm[pos:cand.start])
        out.append(PLACEHOLDERS.get(cand.entity, ""))
        pos = cand.end
    out.append(norm[pos:])
    text = "".join(out)
    return "".join("0" if ch.isdigit() else ch for ch in text if ch not in _DROP)


def featurize(masked: str, tokenizer: jieba.Tokenizer) -> list[str]:
    """Unique feature strings for one masked message.

    English words are features of their own plus, for shop words, the n-grams of a
    Chinese gloss; they are left out of the character n-grams, so English junk
    ("asdf") shares nothing with anything and stays low-confidence.
    """
    feats: set[str] = set()
    for word in _ASCII_WORD.findall(masked):
        if word in EN_GLOSS or not split_pinyin(word):
            feats.add("en:" + word)
        gloss = EN_GLOSS.get(word)
        if gloss:
            feats.add("w:" + gloss)
            _ngrams(gloss, feats)
    chars = _ASCII_WORD.sub("", masked).replace(" ", "")
    if chars:
        _ngrams(f"^{chars}$", feats)
        feats.discard("^")
        feats.discard("$")
    for word in tokenizer.lcut(chars):
        if len(word) > 1 and word.strip():
            feats.add("w:" + word)
    syllables = _syllables(masked)
    for a, b in zip(syllables, syllables[1:], strict=False):
        feats.add(f"p:{a}_{b}")
    if PINYIN_UNIGRAMS:
        feats.update("p:" + syl for syl in syllables)
    if len(chars) <= 4:
        feats.add("short:" + chars)
    return list(feats)


def _syllables(masked: str) -> list[str]:
    """Toneless pinyin of the message in order; English words typed as pinyin (kuaidi) count too."""
    out: list[str] = []
    for piece in _PIECES.findall(masked):
        if not _ASCII_WORD.fullmatch(piece):
            out.extend(char_pinyin(ch) for ch in piece if is_cjk(ch))
            continue
        typed = split_pinyin(piece) if piece not in EN_GLOSS else None
        if typed:
            out.extend(typed)
    return out


def _ngrams(text: str, feats: set[str]) -> None:
    for n in range(1, MAX_NGRAM + 1):
        for i in range(len(text) - n + 1):
            feats.add(text[i:i + n])
