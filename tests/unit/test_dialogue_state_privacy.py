from __future__ import annotations

from bot.dialogue.state import DialogState, StateStore
from bot.kv import MemoryKV


def test_a_form_in_progress_is_not_stored_in_plaintext_in_the_cache() -> None:
    kv = MemoryKV()
    store = StateStore(kv)
    store.save("o1", DialogState(form={"name": "张三", "phone": "13800138000"}))
    raw = kv.get("dlg:o1") or ""
    assert "13800138000" not in raw and "张三" not in raw
    assert store.load("o1").form["phone"] == "13800138000"


def test_an_undecryptable_state_starts_a_fresh_conversation() -> None:
    kv = MemoryKV()
    kv.set("dlg:o1", "v1:test1:bm90LWEtdmFsaWQtYmxvYg==")
    assert StateStore(kv).load("o1") == DialogState()
