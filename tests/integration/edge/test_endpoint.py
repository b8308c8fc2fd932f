from __future__ import annotations

import time
from xml.etree import ElementTree

import pytest

from bot.kv import MemoryKV
from bot.messages import Inbound, Reply, TextReply
from sandbox.wechat import wire
from tests.integration.edge import callbacks as cb


class Recorder:
    def __init__(self) -> None:
        self.seen: list[Inbound] = []

    def __call__(self, inbound: Inbound) -> Reply:
        self.seen.append(inbound)
        return cb.echo(inbound)


def reply_text(body: str) -> str | None:
    return ElementTree.fromstring(body).findtext("Content")


class TestUrlVerification:
    def test_valid_signature_gets_echostr_back(self) -> None:
        c = cb.client(cb.echo, MemoryKV())
        ts, nonce = str(int(time.time())), "n1"
        r = c.get("/wechat", params={"signature": wire.signature(cb.TOKEN, ts, nonce), "timestamp": ts,
                                     "nonce": nonce, "echostr": "abc123"})
        assert (r.status_code, r.text) == (200, "abc123")

    def test_forged_signature_gets_403_and_no_echo(self) -> None:
        c = cb.client(cb.echo, MemoryKV())
        r = c.get("/wechat", params={"signature": "0" * 40, "timestamp": str(int(time.time())), "nonce": "n",
                                     "echostr": "abc"})
        assert (r.status_code, r.text) == (403, "")


class TestModes:
    @pytest.mark.parametrize("mode", ["plaintext", "compat", "aes"])
    def test_text_message_is_answered_in_each_mode(self, mode: wire.Mode) -> None:
        c = cb.client(cb.echo, MemoryKV())
        r = c.post("/wechat", params=(env := cb.sealed(cb.text("你好"), mode)).query, content=env.body.encode())
        assert r.status_code == 200
        body = r.text
        if mode != "plaintext":
            encrypted = ElementTree.fromstring(body)
            enc = encrypted.findtext("Encrypt") or ""
            sig = wire.signature(cb.TOKEN, encrypted.findtext("TimeStamp") or "",
                                 encrypted.findtext("Nonce") or "", enc)
            assert sig == encrypted.findtext("MsgSignature")
            body, app_id = wire.decrypt(enc, cb.AES_KEY)
            assert app_id == cb.APP_ID
        assert reply_text(body) == "echo:text:你好"
        assert ElementTree.fromstring(body).findtext("FromUserName") == cb.GH

    def test_safe_mode_uses_the_decrypted_payload_not_the_plaintext_copy(self) -> None:
        c = cb.client(cb.echo, MemoryKV())
        env = cb.sealed(cb.text("真的"), "compat")
        forged_copy = env.body.replace("真的", "假的", 1)
        r = c.post("/wechat", params=env.query, content=forged_copy.encode())
        assert reply_text(wire.decrypt(ElementTree.fromstring(r.text).findtext("Encrypt") or "",
                                       cb.AES_KEY)[0]) == "echo:text:真的"

    def test_empty_reply_is_plain_success(self) -> None:
        from bot.messages import EmptyReply

        c = cb.client(lambda _: EmptyReply(), MemoryKV())
        r = c.post("/wechat", params=(env := cb.sealed(cb.text("x"), "aes")).query, content=env.body.encode())
        assert (r.status_code, r.text) == (200, "success")


class TestRejections:
    """Bad input: the right status, no body, respond never called, no dedup key left behind."""

    def check(self, status: int, query: dict[str, str], body: bytes) -> None:
        recorder, kv = Recorder(), MemoryKV()
        r = cb.client(recorder, kv).post("/wechat", params=query, content=body)
        assert (r.status_code, r.content) == (status, b"")
        assert recorder.seen == []
        assert kv._data == {}

    def test_forged_signature_is_403(self) -> None:
        env = cb.sealed(cb.text("hi"), token="not-our-token")
        self.check(403, env.query, env.body.encode())

    def test_missing_signature_is_403(self) -> None:
        env = cb.sealed(cb.text("hi"))
        self.check(403, {k: v for k, v in env.query.items() if k != "signature"}, env.body.encode())

    def test_forged_msg_signature_in_safe_mode_is_403(self) -> None:
        env = cb.sealed(cb.text("hi"), "aes")
        self.check(403, {**env.query, "msg_signature": "f" * 40}, env.body.encode())

    def test_stale_timestamp_is_403(self) -> None:
        env = cb.sealed(cb.text("hi"), timestamp=int(time.time()) - 301)
        self.check(403, env.query, env.body.encode())

    def test_timestamp_from_the_future_is_403(self) -> None:
        env = cb.sealed(cb.text("hi"), "aes", timestamp=int(time.time()) + 3600)
        self.check(403, env.query, env.body.encode())

    def test_payload_for_another_app_id_is_403(self) -> None:
        env = cb.sealed(cb.text("hi"), "aes", app_id="wx_someone_else")
        self.check(403, env.query, env.body.encode())

    @pytest.mark.parametrize("damage", ["truncate", "not_base64", "whole_blocks_cut"])
    def test_truncated_or_invalid_base64_is_400(self, damage: str) -> None:
        good = wire.encrypt(cb.text("hi"), cb.AES_KEY, cb.APP_ID)
        bad = {"truncate": good[:-7], "not_base64": good[:20] + "!!**" + good[24:],
               "whole_blocks_cut": wire.base64.b64encode(wire.base64.b64decode(good)[:-32]).decode()}[damage]
        ts, nonce = str(int(time.time())), "n"
        query = {"timestamp": ts, "nonce": nonce, "encrypt_type": "aes",
                 "msg_signature": wire.signature(cb.TOKEN, ts, nonce, bad), "signature": wire.signature(cb.TOKEN, ts, nonce)}
        self.check(400, query, f"<xml><ToUserName>gh</ToUserName><Encrypt><![CDATA[{bad}]]></Encrypt></xml>".encode())

    def test_billion_laughs_is_400(self) -> None:
        bomb = ('<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa">'
                '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
                "<xml><FromUserName>o</FromUserName><MsgType>text</MsgType><Content>&c;</Content>"
                "<MsgId>1</MsgId></xml>")
        env = cb.sealed(bomb)
        self.check(400, env.query, env.body.encode())

    def test_five_megabyte_body_is_413(self) -> None:
        env = cb.sealed(cb.text("x" * (5 * 1024 * 1024)))
        self.check(413, env.query, env.body.encode())

    def test_non_utf8_body_is_400(self) -> None:
        env = cb.sealed(cb.text("你好"))
        self.check(400, env.query, env.body.encode("gbk"))

    def test_missing_from_user_name_is_400(self) -> None:
        env = cb.sealed("<xml><ToUserName>gh</ToUserName><MsgType>text</MsgType><Content>x</Content>"
                        "<MsgId>5</MsgId></xml>")
        self.check(400, env.query, env.body.encode())

    def test_missing_from_user_name_inside_encrypted_payload_is_400(self) -> None:
        env = cb.sealed("<xml><MsgType>text</MsgType><Content>x</Content><MsgId>6</MsgId></xml>", "aes")
        self.check(400, env.query, env.body.encode())


class TestDialogueFailures:
    def test_respond_raising_gets_the_apology_and_a_logged_request_id(self, caplog: pytest.LogCaptureFixture) -> None:
        def broken(_: Inbound) -> Reply:
            raise RuntimeError("boom")

        env = cb.sealed(cb.text("hi"))
        with caplog.at_level("ERROR", logger="bot.edge"):
            r = cb.client(broken, MemoryKV()).post("/wechat", params=env.query, content=env.body.encode())
        assert r.status_code == 200
        assert "抱歉" in (reply_text(r.text) or "")
        record = next(rec for rec in caplog.records if "respond failed" in rec.getMessage())
        assert record.exc_info is not None
        assert "rid=" in record.getMessage() and "rid=-" not in record.getMessage()

    def test_respond_returning_a_non_reply_gets_the_apology(self) -> None:
        env = cb.sealed(cb.text("hi"))
        r = cb.client(lambda _: "plain string", MemoryKV()).post(  # type: ignore[arg-type,return-value]
            "/wechat", params=env.query, content=env.body.encode())
        assert "抱歉" in (reply_text(r.text) or "")

    def test_respond_sees_the_request_id(self) -> None:
        recorder = Recorder()
        env = cb.sealed(cb.text("hi"))
        cb.client(recorder, MemoryKV()).post("/wechat", params=env.query, content=env.body.encode())
        assert len(recorder.seen[0].request_id) == 12

    def test_reply_text_from_respond_with_xml_breakers_stays_valid(self) -> None:
        env = cb.sealed(cb.text("hi"))
        r = cb.client(lambda _: TextReply("<b>&]]>\x07"), MemoryKV()).post(
            "/wechat", params=env.query, content=env.body.encode())
        assert reply_text(r.text) == "<b>&]]>"
