"""The sandbox plays WeChat's servers against our real /wechat endpoint, and back."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from bot.messages import ImageReply, Inbound, NewsReply, Reply, TextReply
from tests.e2e.edge.sandbox_app import Harness, harness


def echo(inbound: Inbound) -> Reply:
    if inbound.kind == "event":
        return TextReply(f"event:{inbound.event}:{inbound.key or inbound.scene}")
    return TextReply(f"echo:{inbound.text}")


@pytest.fixture
def h() -> Iterator[Harness]:
    yield from harness(echo)


def wait_for_outbox(h: Harness, openid: str, n: int, seconds: float = 5) -> list[dict[str, object]]:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        messages = h.outbox(openid)
        if len(messages) >= n:
            return messages
        time.sleep(0.05)
    raise AssertionError(f"outbox for {openid} has {h.outbox(openid)}")


class TestPassiveReplies:
    @pytest.mark.parametrize("mode", ["plaintext", "compat", "aes"])
    def test_text_round_trips_in_every_mode(self, h: Harness, mode: str) -> None:
        result = h.send("o_a", mode, content="你好")
        assert result["reply"] == {"msgtype": "text", "content": "echo:你好"}
        assert (result["status"], result["attempts"], result["error"]) == (200, 1, None)

    def test_menu_click_arrives_as_click_with_key(self, h: Harness) -> None:
        got = h.send("o_a", msgtype="event", event="CLICK", key="MENU_CART")
        assert got["reply"]["content"] == "event:click:MENU_CART"

    def test_scanning_as_a_new_user_subscribes_with_the_scene(self, h: Harness) -> None:
        qr = h.wechat.platform.issue_qrcode("QR_STR_SCENE", "ref_7", 3600)
        first = h.send("o_new", msgtype="event", event="scan_qr", url=qr.url)
        again = h.send("o_new", msgtype="event", event="scan_qr", url=qr.url)
        assert first["reply"]["content"] == "event:subscribe:ref_7"
        assert again["reply"]["content"] == "event:scan:ref_7"

    def test_unknown_qr_code_is_a_bad_request(self, h: Harness) -> None:
        r = h.http.post("/sandbox/send", json={"openid": "o", "msgtype": "event", "event": "scan_qr",
                                               "url": "http://weixin.qq.com/q/nope"})
        assert r.status_code == 400

    def test_news_reply_is_shown_as_one_article(self) -> None:
        for box in harness(lambda _: NewsReply("脐橙", "¥39.90", "http://x/p/1", "http://x/1.jpg")):
            reply = box.send("o_n", content="1")["reply"]
            assert reply["articles"] == [{"title": "脐橙", "description": "¥39.90", "picurl": "http://x/1.jpg",
                                          "url": "http://x/p/1"}]

    def test_image_reply_links_the_media(self) -> None:
        for box in harness(lambda _: ImageReply("MEDIA_X")):
            reply = box.send("o_i", content="poster")["reply"]
            assert reply["media_id"] == "MEDIA_X" and reply["url"].endswith("/sandbox/media/MEDIA_X")

    def test_bad_send_requests_are_refused(self, h: Harness) -> None:
        assert h.http.post("/sandbox/send", json={"msgtype": "text"}).status_code == 400
        assert h.http.post("/sandbox/send", json={"openid": "o", "mode": "rot13"}).status_code == 400
        assert h.http.post("/sandbox/send", content=b"[1]").status_code == 400


class TestLatePath:
    def test_deadline_exceeded_answers_success_then_the_reply_arrives_in_the_outbox(self) -> None:
        def slow(inbound: Inbound) -> Reply:
            time.sleep(0.5)
            return TextReply("海报做好啦")

        for box in harness(slow, deadline=0.1):
            result = box.send("o_slow", content="我的推广码")
            assert (result["reply"], result["error"]) == (None, None)
            [message] = wait_for_outbox(box, "o_slow", 1)
            assert (message["msgtype"], message["content"]) == ("text", "海报做好啦")

    def test_quota_exhausted_falls_back_to_a_template_when_configured(self) -> None:
        for box in harness(echo, templates={"default": "TPL_NOTICE"}):
            box.send("o_q", content="hi")
            for i in range(5):
                box.outbound.deliver("o_q", TextReply(f"m{i}"))
            assert box.outbound.deliver("o_q", TextReply("订单已发货")) == "template"
            assert box.outbox("o_q")[-1]["template_id"] == "TPL_NOTICE"

    def test_quota_exhausted_without_template_waits_for_the_next_message(self) -> None:
        for box in harness(echo):
            box.send("o_p", content="hi")
            for i in range(5):
                box.outbound.deliver("o_p", TextReply(f"m{i}"))
            assert box.outbound.deliver("o_p", TextReply("稍后送达")) == "pending"
            assert box.outbound.pending_count("o_p") == 1
            box.send("o_p", content="在吗")  # the user writes again: the queue is flushed
            messages = wait_for_outbox(box, "o_p", 6)
            assert messages[-1]["content"] == "稍后送达"
            # the flusher sends first, then clears its queue bookkeeping: wait for the bookkeeping too
            deadline = time.monotonic() + 5
            while box.outbound.pending_count("o_p") and time.monotonic() < deadline:
                time.sleep(0.02)
            assert box.outbound.pending_count("o_p") == 0

    def test_outside_the_window_it_waits_too(self) -> None:
        for box in harness(echo):
            assert box.outbound.deliver("o_never", TextReply("你好")) == "pending"


class TestWeChatRetries:
    def test_a_slow_answer_is_retried_with_the_same_body_and_handled_once(self) -> None:
        calls: list[str] = []

        def slow(inbound: Inbound) -> Reply:
            calls.append(inbound.msg_id)
            time.sleep(0.6)
            return TextReply("慢慢来")

        for box in harness(slow, deadline=2.0, retry_after_seconds=0.25):
            result = box.send("o_r", content="hi")
            assert result["attempts"] >= 2
            assert result["reply"] == {"msgtype": "text", "content": "慢慢来"}
            assert len(calls) == 1


class TestQuotaBookkeeping:
    def test_quota_left_counts_down_and_payment_lifts_it(self, h: Harness) -> None:
        h.send("o_k", content="hi")
        assert h.outbound.quota_left("o_k") == 5
        h.outbound.deliver("o_k", TextReply("one"))
        assert h.outbound.quota_left("o_k") == 4
        h.outbound.note_paid("o_k")
        assert h.outbound.quota_left("o_k") is None

    def test_unknown_user_has_no_quota(self, h: Harness) -> None:
        assert h.outbound.quota_left("o_nobody") == 0

    def test_empty_and_transfer_replies_are_not_sent(self, h: Harness) -> None:
        from bot.messages import EmptyReply, TransferReply

        assert h.outbound.deliver("o", EmptyReply()) == "skipped"
        assert h.outbound.deliver("o", TransferReply()) == "skipped"
