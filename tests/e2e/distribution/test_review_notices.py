"""Messages after the merchant's decisions, through the whole app (LiveApp) and the sandbox outbox:
a withdrawal above the auto-approve limit, once approved, tells the distributor to confirm the receipt
(the chat reply could not: it only said the merchant would review it); an application approved or
rejected by the merchant reaches the applicant."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from commerce.distribution import payouts, recruitment
from commerce.distribution.policy import DistributionPolicy, JoinMode
from commerce.distribution.recruitment import Application
from tests.e2e.distribution.test_payout_notice import confirm_url, say, wait_for_text
from tests.e2e.live_app import LiveApp
from tests.integration.distribution.builders import settled_balance


def outbox(app: LiveApp, openid: str) -> list[dict[str, Any]]:
    body = httpx.get(f"{app.base_url}/sandbox/outbox", params={"openid": openid}, timeout=10).json()
    return list(body["messages"] if isinstance(body, dict) else body)


def merchant_approves(app: LiveApp, payout_no: str) -> None:
    """What `siyu payout approve` does with tasks running eagerly: approve, then send the transfer."""
    with app.container.db.uow() as uow:
        payouts.approve_payout(uow, payout_no, "cli")
        uow.commit()
    app.container.distribution.process_payout(payout_no)


def test_an_approved_large_withdrawal_asks_the_distributor_to_confirm_once(tmp_path: Path) -> None:
    from worker.tasks.notify import notify_payout_confirm

    with LiveApp(tmp_path) as app:
        settled_balance(app.container.db, 3_000_000)  # oB: ¥3,000 withdrawable
        reply = say(app, "oB", "提现 300")
        assert "商家审核" in reply and "/sandbox/transfer/confirm/" not in reply
        payout_no = reply.split("单号 ")[1].split("。")[0]

        merchant_approves(app, payout_no)
        notice = wait_for_text(app, "oB", "需要你确认收款")
        assert payout_no in notice["content"] and "¥300.00" in notice["content"]
        assert "24 小时" in notice["content"] and "/sandbox/transfer/confirm/" in notice["content"]

        notify_payout_confirm.apply(args=["oB", payout_no])  # the task delivered twice: one message
        app.container.distribution.process_payout(payout_no)  # a retried job: already processing, no-op
        assert sum("需要你确认收款" in str(m.get("content", "")) for m in outbox(app, "oB")) == 1

        assert httpx.post(confirm_url(notice["content"]), data={"action": "confirm"}, timeout=30).status_code == 200
        paid = wait_for_text(app, "oB", "提现已到账")
        assert "¥300.00" in paid["content"]


def test_a_small_withdrawal_gets_the_link_in_the_reply_and_no_second_notice(tmp_path: Path) -> None:
    with LiveApp(tmp_path) as app:
        settled_balance(app.container.db, 10_000)
        reply = say(app, "oB", "全部提现")
        assert "/sandbox/transfer/confirm/" in reply
        assert httpx.post(confirm_url(reply), data={"action": "confirm"}, timeout=30).status_code == 200
        wait_for_text(app, "oB", "提现已到账")
        assert not [m for m in outbox(app, "oB") if "需要你确认收款" in str(m.get("content", ""))]


REVIEW = DistributionPolicy(levels_bp=(1000,), mode=JoinMode.REVIEW, auto_approve=False)


def apply(app: LiveApp, openid: str) -> str:
    with app.container.db.uow() as uow:
        d = recruitment.apply(uow, openid, REVIEW, Application("张三", "13800138000", consent=True))
        uow.commit()
        return d.code


def test_the_merchants_review_of_an_application_reaches_the_applicant(tmp_path: Path) -> None:
    with LiveApp(tmp_path) as app:
        say(app, "oR", "你好")  # an applicant has written to the shop: WeChat's 48 h window is open
        code = apply(app, "oR")
        with app.container.db.uow() as uow:
            recruitment.reject(uow, code, "资料不完整")
            uow.commit()
        rejected = wait_for_text(app, "oR", "暂未通过")
        assert "原因：资料不完整" in rejected["content"] and "申请分销" in rejected["content"]

        apply(app, "oR")  # applies again; this time the merchant approves
        with app.container.db.uow() as uow:
            recruitment.approve(uow, code)
            uow.commit()
        welcome = wait_for_text(app, "oR", "已审核通过")
        assert code in welcome["content"] and "推广码" in welcome["content"] and "推广规则" in welcome["content"]
        assert len([m for m in outbox(app, "oR") if "推广员申请" in str(m.get("content", ""))]) == 2
