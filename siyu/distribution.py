"""Distribution wiring: settings → `DistributionPolicy`, event subscriptions, payout gateway, routes.

`commerce` never reads settings; this module is the only place that knows both.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import secrets
import time
from functools import cached_property
from typing import TYPE_CHECKING, Any

from starlette.routing import BaseRoute

from commerce.distribution.errors import PolicyRejected
from commerce.distribution.model import BindingSource
from commerce.distribution.policy import (
    BindingRule,
    DistributionPolicy,
    Grade,
    JoinMode,
    Lesson,
    QuizQuestion,
    RateOverride,
    SuspendedFrozenRule,
    TeamTier,
)
from siyu.settings import DistributionSettings, SettingsError

if TYPE_CHECKING:
    from siyu.container import Container

log = logging.getLogger("siyu.distribution")


def _lessons(s: DistributionSettings) -> tuple[Lesson, ...]:
    return tuple(
        Lesson(
            key=ls.key, title=ls.title, text=ls.text, link=ls.link, basic=ls.basic,
            quiz=tuple(QuizQuestion(q.question, tuple(q.options), q.answer) for q in ls.quiz),
        )
        for ls in s.lessons
    )


def policy_from_settings(s: DistributionSettings) -> DistributionPolicy:
    """Build and validate the policy; an invalid one stops start-up with a one-line message."""
    policy = DistributionPolicy(
        levels_bp=tuple(lv.rate_bp for lv in s.levels),
        acknowledge_third_level=s.acknowledge_third_level,
        enabled=s.enabled,
        mode=JoinMode(s.mode),
        auto_approve=s.auto_approve,
        binding=BindingRule(s.binding),
        binding_days=s.binding_days,
        self_purchase_commission=s.self_purchase_commission,
        commission_on_seckill=s.commission_on_seckill,
        commission_on_points=s.commission_on_points,
        freeze_days=s.freeze_days,
        suspended_frozen=SuspendedFrozenRule(s.suspended_frozen),
        overrides=tuple(
            RateOverride(tuple(o.levels_bp), tuple(o.fixed_fen), o.sku_id, o.product_id, o.category)
            for o in s.overrides
        ),
        grades=tuple(Grade(g.name, g.label, g.min_own_sales_fen, tuple(g.levels_bp)) for g in s.grades),
        team_rewards_enabled=s.team_rewards_enabled,
        team_tiers=tuple(TeamTier(t.min_team_sales_fen, t.rate_bp) for t in s.team_reward_tiers),
        withdraw_min_fen=s.withdraw_min_fen,
        withdraw_daily_cap_fen=s.withdraw_daily_cap_fen,
        withdraw_fee_bp=s.withdraw_fee_bp,
        auto_approve_payout_below_fen=s.auto_approve_payout_below_fen,
        lessons=_lessons(s),
        require_training_before_payout=s.require_training_before_payout,
        extra=dict(s.extra),
    )
    try:
        policy.validate()
    except PolicyRejected as exc:
        raise SettingsError(f"配置错误 / invalid setting `distribution.{exc.field}`: {exc.reason}") from None
    return policy


def register_subscriptions(settings: DistributionSettings) -> DistributionPolicy:
    """Commission follows paid/delivered/refunded/cancelled orders inside their transaction (idempotent).

    Called once per process by `boot()`, so this is where start-up warns about an acknowledged 3rd
    level (`policy_from_settings` is pure: the wiring, the jobs and the CLI build the policy again).
    """
    from commerce.distribution import subscriptions

    policy = policy_from_settings(settings)
    if policy.max_levels == 3:
        log.warning("distribution: a 3rd commission level is configured (acknowledged); the compliance report "
                    "flags it / 已配置第三级佣金（商户已确认），合规检查将标记此项")
    subscriptions.register(lambda: policy)
    return policy


class DistributionWiring:
    """What the rest of the app needs from distribution, built once per container."""

    def __init__(self, c: Container) -> None:
        self.c = c
        self.policy = policy_from_settings(c.settings.distribution)

    @cached_property
    def payout_gateway(self) -> Any:
        """`PayoutGateway` + `parse_finished`: wechatpayv3's transfer-bills with pay.adapter=wechatpay, else
        the sandbox imitation over the payments adapter's signed client."""
        from siyu.adapters.transfer_bills import TransferBillsGateway, TransferScene

        s = self.c.settings
        notify = s.public_base_url.rstrip("/") + PAYOUT_NOTIFY
        if s.pay.adapter == "wechatpay":
            from siyu.adapters.wechatpay_transfer import WechatPayTransferGateway

            return WechatPayTransferGateway.from_settings(s, notify)
        return TransferBillsGateway(self.c.pay_gateway, notify, TransferScene.from_settings(s.pay.transfer))

    def on_referral_scene(self, openid: str, scene: str) -> None:
        """The dialogue's hook for subscribe-with-scene and SCAN: bind if the scene is a referral code."""
        from commerce.distribution.binding import bind_referral, parse_scene
        from commerce.distribution.errors import UnknownReferralCode

        ref = parse_scene(scene)
        if ref is None:
            return
        with self.c.db.uow() as uow:
            try:
                result = bind_referral(uow, openid, ref.code, BindingSource.QR_SCAN, self.policy,
                                       product_id=ref.product_id)
            except UnknownReferralCode:
                log.info("referral scene %r names no active distributor", scene)
                return
            uow.commit()
        log.info("referral %s -> %s: %s", openid[-6:], ref.code, result.outcome)

    def bind_link(self, openid: str, code: str, product_id: int | None) -> None:
        """A shared product link `/p/{id}?ref=<code>` opened by a known openid."""
        from commerce.distribution.binding import bind_referral

        with self.c.db.uow() as uow:
            bind_referral(uow, openid, code, BindingSource.LINK, self.policy, product_id=product_id)
            uow.commit()

    def link_oauth(self) -> Any:
        """`bot.web.referral_link.LinkOAuth` for the product page, or None with distribution off."""
        from bot.web.referral_link import LinkOAuth

        if not self.policy.enabled:
            return None
        s = self.c.settings
        base = effective_oauth_base(s)
        sandboxed = base != REAL_OAUTH_BASE
        return LinkOAuth(authorize_base=base, app_id=s.wechat.app_id, public_base_url=s.public_base_url,
                         exchange=lambda code: str(self.c.wechat_api.oauth_openid(code)), bind=self.bind_link,
                         only_in_wechat=not sandboxed, hint_cookie=SANDBOX_HINT_COOKIE if sandboxed else "")

    def process_payout(self, payout_no: str, *, announce: bool = True) -> None:
        """approved WeChat payout → transfer-bills (after the request committed; a failure leaves it approved).
        `announce`: the distributor gets the confirmation step by message; False from the withdrawal's own
        chat reply, which shows it already."""
        from commerce.distribution import payouts
        from commerce.distribution.payout_port import PayoutGatewayError

        try:
            with self.c.db.uow() as uow:
                payouts.start_transfer(uow, self.payout_gateway, payout_no, TRANSFER_REMARK, announce=announce)
                uow.commit()
        except PayoutGatewayError:
            log.warning("payout %s: transfer API unavailable, stays approved for a retry", payout_no, exc_info=True)

    def reconcile_payout(self, payout_no: str) -> str:
        """Look a processing WeChat payout up at WeChat Pay and apply its state (the callback may be lost);
        returns the `Reconciled` outcome, or "unreachable" when the API did not answer (asked again later)."""
        from commerce.distribution.payout_port import PayoutGatewayError
        from commerce.distribution.payout_reconcile import reconcile_transfer

        try:
            with self.c.db.uow() as uow:
                outcome = reconcile_transfer(uow, self.payout_gateway, payout_no)
                uow.commit()
        except PayoutGatewayError:
            log.warning("payout %s: transfer query unavailable, reconciled later", payout_no, exc_info=True)
            return "unreachable"
        return str(outcome)

    def referral_qr(self, code: str) -> str:
        """media_id of the distributor's permanent referral QR (scene d_<code>), cached ~2 days."""
        from commerce.distribution.binding import ReferralScene
        from posters.qr import qr_image

        key = f"dist:qr:{code}"
        cached = self.c.kv.get(key)
        if cached:
            return str(cached)
        ticket = self.c.wechat_api.create_permanent_qrcode(ReferralScene(code).render())
        buf = io.BytesIO()
        qr_image(ticket.url, 430).save(buf, format="PNG")
        media_id = str(self.c.wechat_api.upload_media("image", buf.getvalue(), f"ref_{code}.png"))
        self.c.kv.set(key, media_id, ttl=2 * 24 * 3600)
        return media_id

    def configure_chat(self) -> None:
        from bot.dialogue.handlers import distribution as chat
        from commerce.cooperative import offloading

        # referral_qr and process_payout call WeChat's APIs: off the event loop when the dialogue runs on it
        chat.configure(chat.DistributionPorts(policy=self.policy, referral_qr=offloading(self.referral_qr),
                                              process_payout=offloading(
                                                  lambda no: self.process_payout(no, announce=False)),
                                              confirm_url=self.confirm_url, confirm_in_sandbox=self.sandboxed))

    def welcome_text(self, code: str) -> str:
        """The welcome after a merchant approval (code, how to get the 推广码 QR, the rules), for
        `worker.notify_distributor_reviewed`; the chat's own join reply renders the same DIST_WELCOME."""
        from bot import texts
        from bot.dialogue.handlers.distribution import rules_text

        return texts.DIST_REVIEW_APPROVED + texts.DIST_WELCOME.format(
            shop=self.c.settings.shop.name, code=code, rules=rules_text(self.policy))

    def sandbox_confirm_url(self, payout_no: str) -> str:
        if not self.c.settings.sandbox.enabled:
            return ""
        return self.c.settings.public_base_url.rstrip("/") + f"/sandbox/transfer/confirm/{payout_no}"

    @property
    def sandboxed(self) -> bool:
        """The sandbox's confirm page stands in for WeChat's (the chat says 演示环境)."""
        return bool(self.c.settings.sandbox.enabled)

    def confirm_url(self, payout_no: str) -> str:
        """Where the distributor confirms a waiting transfer: the sandbox's page, or our 确认收款 page
        `/payout/confirm/{no}?t=<token>` that calls WeChat's JS-SDK."""
        if self.sandboxed:
            return self.sandbox_confirm_url(payout_no)
        return self.c.settings.public_base_url.rstrip("/") + confirm_path(payout_no, self.confirm_token(payout_no))

    def confirm_token(self, payout_no: str) -> str:
        """HMAC of the payout number under a key derived from the server's secrets: only the link we
        sent the payout's distributor opens its page."""
        s = self.c.settings
        key = hashlib.sha256(f"payout-confirm|{s.wechat.app_secret}|{s.pay.apiv3_key}".encode()).digest()
        return hmac.new(key, payout_no.encode(), hashlib.sha256).hexdigest()[:32]

    def confirm_view(self, payout_no: str, page_url: str) -> Any:
        """`ConfirmView` of the payout; a transfer waiting for the user gets the signed `wx.config` and
        the `wx.requestMerchantTransfer` parameters (mchId, appId, package_info)."""
        from bot.web.payout_confirm_page import ConfirmView
        from bot.wechat_api import jsapi_signature
        from commerce.distribution import payouts
        from commerce.distribution.payout_model import PayoutState

        with self.c.db.uow() as uow:
            p = payouts.find_payout(uow, payout_no)
            view = ConfirmView(p.payout_no, p.net_fen, p.state)
            package = p.package_info if p.state == PayoutState.PROCESSING else ""
        if not package:
            return view
        app_id = self.c.settings.wechat.app_id
        nonce, ts = secrets.token_hex(8), int(time.time())
        signature = jsapi_signature(self.c.wechat_api.jsapi_ticket(), nonce, ts, page_url)
        config = {"appId": app_id, "timestamp": ts, "nonceStr": nonce, "signature": signature,
                  "jsApiList": ["requestMerchantTransfer"]}
        transfer = {"mchId": self.c.settings.pay.mchid, "appId": app_id, "package": package}
        return ConfirmView(view.payout_no, view.net_fen, view.state, wx_config=config, transfer=transfer)


PAYOUT_NOTIFY = "/payout/notify"
PAYOUT_CONFIRM = "/payout/confirm/{payout_no}"


def confirm_path(payout_no: str, token: str) -> str:
    return PAYOUT_CONFIRM.format(payout_no=payout_no) + f"?t={token}"
REAL_OAUTH_BASE = "https://open.weixin.qq.com"
SANDBOX_HINT_COOKIE = "sandbox_openid"  # set by the simulator: who "opens" links (sandbox.wechat.oauth)


def effective_oauth_base(settings: Any) -> str:
    """The sandbox's authorise page at `{public_base_url}/sandbox` when the sandbox is on and
    `wechat.oauth_base` is left at the real default (like `siyu.edge.effective_api_base`)."""
    base = settings.wechat.oauth_base.rstrip("/")
    if settings.sandbox.enabled and base == REAL_OAUTH_BASE:
        return settings.public_base_url.rstrip("/") + "/sandbox"
    return base
TRANSFER_REMARK = "推广佣金提现"


def payout_notify_routes(c: Container) -> list[BaseRoute]:
    """POST /payout/notify: verified, decrypted MCHTRANSFER.BILL.FINISHED → the payout (idempotent)."""
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    from commerce.distribution import payouts
    from commerce.distribution.errors import CallbackRejected
    from commerce.errors import NotFound
    from commerce.payments.port import NotificationRejected

    wiring: DistributionWiring = c.distribution

    def apply(result: Any) -> None:
        with c.db.uow() as uow:
            payouts.apply_transfer_result(uow, result)
            uow.commit()

    async def notify(request: Request) -> Response:
        body = await request.body()
        try:
            result = wiring.payout_gateway.parse_finished(dict(request.headers), body)
            await run_in_threadpool(apply, result)
        except NotificationRejected as exc:
            log.warning("payout callback rejected: %s", exc.reason)
            return JSONResponse({"code": "FAIL", "message": exc.reason}, status_code=exc.status)
        except NotFound:
            return JSONResponse({"code": "FAIL", "message": "unknown bill"}, status_code=404)
        except CallbackRejected as exc:
            log.error("payout callback does not match: %s", exc.reason)
            return JSONResponse({"code": "FAIL", "message": "mismatch"}, status_code=400)
        return JSONResponse({"code": "SUCCESS", "message": "成功"})

    return [Route(PAYOUT_NOTIFY, notify, methods=["POST"])]


def payout_confirm_routes(c: Container) -> list[BaseRoute]:
    """GET /payout/confirm/{payout_no}?t=<token>: the distributor's 确认收款 page (403 without the link's
    token); with the transfer-bills sandbox standing in for WeChat Pay, a redirect to its confirm page."""
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, RedirectResponse, Response
    from starlette.routing import Route

    from bot.web import payout_confirm_page as page
    from commerce.errors import NotFound

    wiring: DistributionWiring = c.distribution
    shop = c.settings.shop.name

    async def confirm(request: Request) -> Response:
        no = request.path_params["payout_no"]
        if not hmac.compare_digest(request.query_params.get("t", ""), wiring.confirm_token(no)):
            return HTMLResponse(page.render_message(page.FORBIDDEN, shop_name=shop), status_code=403)
        if c.settings.sandbox.enabled and c.settings.pay.adapter == "sandbox":
            return RedirectResponse(wiring.sandbox_confirm_url(no), status_code=303)
        query = f"?{request.url.query}" if request.url.query else ""
        page_url = c.settings.public_base_url.rstrip("/") + request.url.path + query  # what wx.config signs
        try:
            view = await run_in_threadpool(wiring.confirm_view, no, page_url)
        except NotFound:
            return HTMLResponse(page.render_message(page.NOT_FOUND, shop_name=shop), status_code=404)
        return HTMLResponse(page.render(view, shop_name=shop), headers={"Cache-Control": "no-store"})

    return [Route(PAYOUT_CONFIRM, confirm, methods=["GET"])]


def distribution_routes(c: Container) -> list[BaseRoute]:
    """/payout/notify, /payout/confirm and, with the sandbox on, the transfer-bills imitation; configures
    the chat ports."""
    c.distribution.configure_chat()
    routes = payout_notify_routes(c) + payout_confirm_routes(c)
    if c.settings.sandbox.enabled and c.settings.pay.adapter == "sandbox":
        from sandbox.transfer import TransferSandbox
        from siyu.payments import sandbox_config

        routes += TransferSandbox(sandbox_config(c.settings, c.data_dir)).routes()
    return routes
