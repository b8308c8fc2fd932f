"""A tiny stand-in for a Rasa 3 server: `POST /model/parse` answering with recorded Rasa JSON."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Shaped exactly like rasa 3.6 `/model/parse` output (DIETClassifier + RegexEntityExtractor + synonyms).
ADD_TO_CART = {
    "text": "来两件XL的",
    "intent": {"name": "add_to_cart", "confidence": 0.9712345242500305},
    "entities": [
        {"entity": "quantity", "start": 1, "end": 2, "confidence_entity": 0.9981, "value": "两",
         "extractor": "DIETClassifier"},
        {"entity": "spec", "start": 3, "end": 5, "value": "XL", "extractor": "RegexEntityExtractor"},
    ],
    "text_tokens": [[0, 1], [1, 2], [2, 3], [3, 5], [5, 6]],
    "intent_ranking": [
        {"name": "add_to_cart", "confidence": 0.9712345242500305},
        {"name": "product_detail", "confidence": 0.0152},
        {"name": "affirm", "confidence": 0.0061},
    ],
    "response_selector": {
        "all_retrieval_intents": [],
        "default": {"response": {"responses": None, "confidence": 0.0, "intent_response_key": None,
                                 "utter_action": "utter_None"}, "ranking": []},
    },
}
CARRIER = {
    "text": "顺丰到哪了",
    "intent": {"name": "track_logistics", "confidence": 0.93},
    "entities": [{"entity": "carrier", "start": 0, "end": 2, "confidence_entity": 0.99, "value": "shunfeng",
                  "extractor": "DIETClassifier", "processors": ["EntitySynonymMapper"]}],
    "intent_ranking": [{"name": "track_logistics", "confidence": 0.93}],
}
FALLBACK = {
    "text": "嗯哼哈",
    "intent": {"name": "nlu_fallback", "confidence": 0.45},
    "entities": [],
    "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.45}, {"name": "affirm", "confidence": 0.31},
                       {"name": "greet", "confidence": 0.2}],
}
ANSWERS: dict[str, dict[str, Any]] = {a["text"]: a for a in (ADD_TO_CART, CARRIER, FALLBACK)}


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append((self.path, body))  # type: ignore[attr-defined]
        if self.path != "/model/parse":
            self.send_error(404)
            return
        answer = ANSWERS.get(body["text"], {"text": body["text"], "intent": {"name": "out_of_scope",
                             "confidence": 0.8}, "entities": [], "intent_ranking": []})
        data = json.dumps(answer, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def fake_rasa() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def url_of(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}"
