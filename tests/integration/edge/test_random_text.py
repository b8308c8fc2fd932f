"""Whatever a user types, the edge answers 200 with well-formed reply XML — never a 5xx."""

from __future__ import annotations

from xml.etree import ElementTree

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from bot.kv import MemoryKV
from tests.integration.edge import callbacks as cb

_client: TestClient | None = None


def client() -> TestClient:
    global _client
    if _client is None:
        _client = cb.client(cb.echo, MemoryKV())
    return _client


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300), st.sampled_from(["plaintext", "aes"]))
def test_any_unicode_text_gets_a_200_and_valid_xml(text: str, mode: str) -> None:
    env = cb.sealed(cb.text(text), mode)  # type: ignore[arg-type]
    r = client().post("/wechat", params=env.query, content=env.body.encode())
    assert r.status_code == 200
    root = ElementTree.fromstring(r.text)
    assert root.tag == "xml"
    assert root.findtext("MsgType") == "text" or root.findtext("Encrypt")
