"""The imitation's HTTP surface: Kuaidi100 `poll/query.do` (real-time query), `poll` (subscribe),
and the pushes it sends to subscribers' callback URLs.  Plus one sandbox-only control,
`POST {mount}/push-due`, which pushes every pending change now (tests, the demo)."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.courier import timeline, wire
from sandbox.courier.config import CourierSandboxConfig

log = logging.getLogger("sandbox.courier")
NO_RECORD_SUFFIX = "404"  # tracking numbers ending like this have no courier record yet
MAX_FORM = 64 * 1024


@dataclass
class Subscription:
    callback_url: str
    salt: str
    pushed_stage: int = -1
    last_attempt: float = 0.0


@dataclass
class Parcel:
    com: str
    num: str
    first_seen: float
    phone: str = ""
    subscription: Subscription | None = None


@dataclass
class CourierSandbox:
    config: CourierSandboxConfig
    parcels: dict[tuple[str, str], Parcel] = field(default_factory=dict)
    pushes: list[tuple[str, str, int]] = field(default_factory=list)  # (num, status word, http status)
    _loop: asyncio.Task[None] | None = None

    # -- state ---------------------------------------------------------------
    def parcel(self, com: str, num: str, phone: str = "") -> Parcel:
        """The parcel, first seen now if new (its tracking starts at that moment)."""
        key = (com, num)
        if key not in self.parcels:
            self.parcels[key] = Parcel(com, num, self.config.clock(), phone)
        return self.parcels[key]

    def track(self, p: Parcel) -> timeline.Track:
        return timeline.track(p.com, p.num, p.first_seen, self.config.clock(), self.config.step_seconds)

    # -- real-time query -------------------------------------------------------
    def query(self, form: dict[str, str]) -> dict[str, Any]:
        customer, sign, raw = form.get("customer", ""), form.get("sign", ""), form.get("param", "")
        if not customer or not sign or not raw:
            return wire.error("400", "提交的数据不完整，或者贵公司没授权")
        if customer != self.config.customer or sign != wire.query_sign(raw, self.config.key, customer):
            return wire.error("503", "验证签名失败")
        try:
            param = json.loads(raw)
            com, num, phone = str(param["com"]).lower(), str(param["num"]).strip(), str(param.get("phone", ""))
        except (ValueError, KeyError, TypeError):
            return wire.error("400", "提交的数据不完整，或者贵公司没授权")
        if not com or not num or len(num) > 32:
            return wire.error("400", "快递单号或快递公司编码不正确")
        if com == "shunfeng" and len(phone) < 4:
            return wire.error("408", "快递公司参数异常：验证码错误（顺丰需要收/寄件人手机号）")
        if num.endswith(NO_RECORD_SUFFIX):
            return wire.error("500", "查询无结果，请隔段时间再查")
        return wire.last_result(com, num, self.track(self.parcel(com, num, phone)))

    # -- subscription and pushes ----------------------------------------------------
    def subscribe(self, form: dict[str, str]) -> dict[str, Any]:
        try:
            param = json.loads(form.get("param", ""))
            com, num = str(param["company"]).lower(), str(param["number"]).strip()
            extra = dict(param.get("parameters") or {})
            callback, salt = str(extra["callbackurl"]), str(extra.get("salt", ""))
        except (ValueError, KeyError, TypeError):
            return wire.error("700", "订阅参数错误")
        if param.get("key") != self.config.key:
            return wire.error("600", "您不是合法的订阅者（即授权Key出错）")
        parcel = self.parcel(com, num, str(extra.get("phone", "")))
        if parcel.subscription is not None:
            return wire.error("501", "重复订阅")
        parcel.subscription = Subscription(callback, salt)
        return {"result": True, "returnCode": "200", "message": "提交成功"}

    async def push_due(self) -> int:
        """Push every subscribed parcel whose tracking moved since the last acknowledged push."""
        sent = 0
        for p in list(self.parcels.values()):
            sub = p.subscription
            if sub is None or p.num.endswith(NO_RECORD_SUFFIX):
                continue
            stage = timeline.stage_at(p.first_seen, self.config.clock(), self.config.step_seconds)
            if stage > sub.pushed_stage and await self._push(p, sub):
                sub.pushed_stage, sent = stage, sent + 1
        return sent

    async def _push(self, p: Parcel, sub: Subscription) -> bool:
        param = wire.push_param(p.com, p.num, self.track(p))
        form = {"param": param, "sign": wire.push_sign(param, sub.salt)}
        sub.last_attempt = self.config.clock()
        try:
            async with httpx.AsyncClient(transport=self.config.callback_transport, timeout=10) as client:
                resp = await client.post(sub.callback_url, data=form)
            ok = resp.status_code == 200 and resp.json().get("result") is True
            status = resp.status_code
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("courier push to %s failed: %s", sub.callback_url, exc)
            ok, status = False, 0
        self.pushes.append((p.num, timeline.STATUS_WORDS[timeline.stage_at(
            p.first_seen, self.config.clock(), self.config.step_seconds)], status))
        return ok

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(self.config.tick_seconds)
            try:
                await self.push_due()
            except Exception:  # the loop must survive one bad subscriber
                log.exception("courier sandbox push round failed")

    def _start_loop(self) -> None:
        if self.config.tick_seconds > 0 and (self._loop is None or self._loop.done()):
            self._loop = asyncio.get_running_loop().create_task(self._tick_forever())

    # -- routes ----------------------------------------------------------------------
    def routes(self) -> list[BaseRoute]:
        m = self.config.mount_path.rstrip("/")

        async def query_do(request: Request) -> Response:
            return JSONResponse(self.query(await _form(request)))

        async def poll(request: Request) -> Response:
            answer = self.subscribe(await _form(request))
            if answer.get("result"):
                self._start_loop()
            return JSONResponse(answer)

        async def push_due(_: Request) -> Response:
            return JSONResponse({"pushed": await self.push_due()})

        return [Route(f"{m}/poll/query.do", query_do, methods=["POST"]),
                Route(f"{m}/poll", poll, methods=["POST"]),
                Route(f"{m}/push-due", push_due, methods=["POST"])]


async def _form(request: Request) -> dict[str, str]:
    body = (await request.body())[:MAX_FORM].decode("utf-8", "replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
