"""The shop vocabulary: shipped lookup tables + synonyms, plus the live catalog.

`Lexicon.vocabulary` maps surfaces to (entity, canonical value); the jieba
tokenizer knows every catalog word.  A catalog product name is matched whole,
by its first chunk (`赣南脐橙 5斤装` → `赣南脐橙`), and through any shipped
generic term it contains (`脐橙`), normalised to the catalog name when only one
product contains that term.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import jieba

from nlu.pinyin import word_pinyin
from nlu.rasa_yaml import NluData, load
from nlu.vocabulary import Vocabulary

DATA_DIR = Path(__file__).resolve().parent / "data"
LOOKUP_FILES = (DATA_DIR / "lookups.yml", DATA_DIR / "synonyms.yml")
CARRIER_CODES = frozenset({"shunfeng", "yuantong", "zhongtong", "yunda", "shentong", "jd", "ems",
                           "jtexpress", "deppon"})
PAYOUT_CODES = frozenset({"wechat", "bank"})
_CHUNK = re.compile(r"[\s/|()（）【】\[\],，、+]+")


def load_tables() -> NluData:
    return load(*LOOKUP_FILES)


def _make_tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


class Lexicon:
    def __init__(self, tables: NluData | None = None) -> None:
        self.tables = tables if tables is not None else load_tables()
        self.tokenizer = _make_tokenizer()
        self.catalog: dict[str, list[str]] = {"product": [], "category": [], "carrier": [], "spec": []}
        self.vocabulary = self._build()

    def is_common_word(self, word: str) -> bool:
        return self.tokenizer.FREQ.get(word, 0) > 20

    def update(self, **catalog: Iterable[str]) -> None:
        for name, values in catalog.items():
            values = [v.strip() for v in values if v and v.strip()]
            if values:
                self.catalog[name] = values
        self.vocabulary = self._build()

    def _build(self) -> Vocabulary:
        vocab = Vocabulary(self.is_common_word)
        for entity, terms in self.tables.lookups.items():
            for term in terms:
                vocab.add(entity, term)
        for canonical, variants in self.tables.synonyms.items():
            entity = self._synonym_entity(canonical)
            vocab.add(entity, canonical, canonical, override=False)
            for variant in variants:
                vocab.add(entity, variant, canonical)
        self._add_catalog(vocab)
        vocab.rebuild()
        for term in vocab.terms("product") + vocab.terms("category"):
            self.tokenizer.add_word(term, freq=2000)
        return vocab

    def _synonym_entity(self, canonical: str) -> str:
        if canonical in CARRIER_CODES:
            return "carrier"
        if canonical in PAYOUT_CODES:
            return "payout_method"
        for entity, terms in self.tables.lookups.items():
            if canonical in terms:
                return entity
        return "product"

    def _add_catalog(self, vocab: Vocabulary) -> None:
        for path in self.catalog["category"]:
            for part in re.split(r"[/>|]", path):
                vocab.add("category", part, part.strip())
        for carrier in self.catalog["carrier"]:
            if carrier not in vocab:
                vocab.add("carrier", carrier, word_pinyin(carrier).replace(" ", ""))
        for spec in self.catalog["spec"]:
            for part in re.split(r"[;；,，]", spec):
                value = part.split(":")[-1].split("：")[-1].strip()
                if value and value not in vocab:
                    vocab.add("spec", value, value.upper() if value.isascii() else value)
        self._add_products(vocab)

    def _add_products(self, vocab: Vocabulary) -> None:
        entries = vocab.entries("product")
        owners: dict[str, set[str]] = {}
        for name in self.catalog["product"]:
            folded = name.lower()
            for surface, canonical in entries:
                if surface in folded:
                    owners.setdefault(canonical, set()).add(name)
        for surface, canonical in entries:
            if len(owners.get(canonical, ())) == 1:
                vocab.add("product", surface, next(iter(owners[canonical])))
        for name in self.catalog["product"]:
            head = _CHUNK.split(name.strip())[0]
            if len(head) >= 2:
                vocab.add("product", head, name)
            vocab.add("product", name, name)
