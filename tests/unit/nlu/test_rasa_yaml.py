from __future__ import annotations

from nlu.rasa_yaml import NluData, dumps, loads, parse_annotated
from nlu.types import Entity


def test_annotations_are_stripped_and_offsets_point_into_the_plain_text() -> None:
    ex = parse_annotated("来[两](quantity)件[XL](spec)的", "add_to_cart")
    assert ex.text == "来两件XL的"
    assert ex.entities == (Entity("quantity", "两", 1, 2), Entity("spec", "XL", 3, 5))


def test_json_and_colon_annotations_carry_the_synonym_value() -> None:
    ex = parse_annotated('[顺丰]{"entity": "carrier", "value": "shunfeng"}和[圆通](carrier:yuantong)', "x")
    assert ex.text == "顺丰和圆通"
    assert [(e.entity, e.normalized) for e in ex.entities] == [("carrier", "shunfeng"), ("carrier", "yuantong")]


def test_intents_lookups_and_synonyms_survive_a_round_trip() -> None:
    source = """
version: "3.1"
nlu:
- intent: add_to_cart
  examples: |
    - 来[两](quantity)件
    - 加购物车
- lookup: product
  examples: |
    - 脐橙
- synonym: shunfeng
  examples: |
    - 顺丰
"""
    data = loads(source)
    again = loads(dumps(data))
    assert [(e.text, e.intent, e.entities) for e in again.examples] == [
        (e.text, e.intent, e.entities) for e in data.examples]
    assert again.lookups == {"product": ["脐橙"]}
    assert again.synonyms == {"shunfeng": ["顺丰"]}


def test_empty_document_is_empty_data() -> None:
    assert loads("") == NluData()
