"""The Rasa backend against a fake Rasa server speaking real `/model/parse` JSON."""

from __future__ import annotations

import socket
import time

from nlu import load_interpreter
from nlu.embedded import EmbeddedInterpreter
from nlu.rasa_http import RasaInterpreter

from .fake_rasa import fake_rasa, url_of


def _dead_url() -> str:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_rasa_answers_are_mapped_into_our_parse(embedded: EmbeddedInterpreter) -> None:
    with fake_rasa() as server:
        rasa = RasaInterpreter(url_of(server), fallback=embedded)
        parse = rasa.parse("来两件XL的")
    assert parse.intent == "add_to_cart" and parse.confidence > 0.97
    assert [(e.entity, e.value, e.normalized) for e in parse.entities] == [("quantity", "两", 2), ("spec", "XL", "XL")]
    assert parse.ranking[1] == ("product_detail", 0.0152)
    assert server.requests == [("/model/parse", {"text": "来两件XL的"})]


def test_synonym_mapped_values_become_the_normalised_value(embedded: EmbeddedInterpreter) -> None:
    with fake_rasa() as server:
        parse = RasaInterpreter(url_of(server), fallback=embedded).parse("顺丰到哪了")
    carrier = parse.first("carrier")
    assert carrier is not None and (carrier.value, carrier.normalized) == ("顺丰", "shunfeng")


def test_rasa_fallback_intent_keeps_the_best_real_guess_with_low_confidence(embedded: EmbeddedInterpreter) -> None:
    with fake_rasa() as server:
        parse = RasaInterpreter(url_of(server), fallback=embedded).parse("嗯哼哈")
    assert (parse.intent, parse.confidence) == ("affirm", 0.31)
    assert parse.confidence < embedded.threshold


def test_a_dead_server_falls_back_to_the_embedded_backend_quickly(embedded: EmbeddedInterpreter) -> None:
    rasa = RasaInterpreter(_dead_url(), fallback=embedded, timeout=0.3)
    started = time.perf_counter()
    parse = rasa.parse("我要退款")
    assert parse.intent == "refund_request"
    assert time.perf_counter() - started < 1.0
    started = time.perf_counter()
    rasa.parse("转人工")  # within the cooldown: the dead server is not asked again
    assert time.perf_counter() - started < 0.05


def test_switching_the_backend_to_rasa_uses_the_server() -> None:
    with fake_rasa() as server:
        interpreter = load_interpreter(backend="rasa", rasa_url=url_of(server), rasa_timeout=0.5)
        assert interpreter.parse("来两件XL的").intent == "add_to_cart"
        assert interpreter.threshold == 0.45
    assert len(server.requests) == 1
