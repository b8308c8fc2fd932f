"""The distributor hears how their payout ended: the whole app (LiveApp), chat through the WeChat sandbox,
the transfer-bills sandbox's signed callback, the worker's customer-service message in the sandbox outbox."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.live_app import LiveApp
from tests.integration.distribution.builders import settled_balance


def say(app: LiveApp, openid: str, text: str) -> str:
    r = httpx.post(f"{app.base_url}/sandbox/send", json={"openid": openid, "msgtype": "text", "content": text},
                   timeout=30)
    assert r.status_code == 200, r.text
    return str((r.json().get("reply") or {}).get("content", ""))


def wait_for_text(app: LiveApp, openid: str, needle: str, seconds: float = 10) -> dict[str, Any]:
    end = time.monotonic() + seconds
    messages: list[dict[str, Any]] = []
    while time.monotonic() < end:
        body = httpx.get(f"{app.base_url}/sandbox/outbox", params={"openid": openid}, timeout=10).json()
        messages = body["messages"] if isinstance(body, dict) else body
        found = [m for m in messages if needle in str(m.get("content", ""))]
        if found:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"no {needle!r} in the outbox of {openid}: {messages}")


def confirm_url(reply: str) -> str:
    start = reply.index("http")
    return reply[start:].split()[0].rstrip("。")


def test_a_failed_then_a_paid_payout_each_reach_the_distributor(tmp_path: Path) -> None:
    with LiveApp(tmp_path) as app:
        settled_balance(app.container.db, 10_000)  # oB: ¥10.00 withdrawable
        reply = say(app, "oB", "全部提现")
        assert "¥10.00" in reply and "/sandbox/transfer/confirm/" in reply
        assert httpx.post(confirm_url(reply), data={"action": "fail"}, timeout=30).status_code == 200
        failed = wait_for_text(app, "oB", "提现未成功")
        assert "¥10.00" in failed["content"] and "微信零钱" in failed["content"]
        assert "账户被冻结" in failed["content"] and "退回你的可提现余额" in failed["content"]

        reply = say(app, "oB", "全部提现")  # the money is back, so it can go again
        assert "¥10.00" in reply
        assert httpx.post(confirm_url(reply), data={"action": "confirm"}, timeout=30).status_code == 200
        paid = wait_for_text(app, "oB", "提现已到账")
        assert "¥10.00" in paid["content"] and "微信零钱" in paid["content"]
