"""Courier tracker speaking Kuaidi100's wire format (real API or the sandbox: only the base URL differs).

- query:     POST {base}/poll/query.do  form customer, sign = MD5(param + key + customer).upper(), param
- subscribe: POST {base}/poll           form schema=json, param {company, number, key, parameters{callbackurl, salt}}
- push:      form param + sign = MD5(param + salt).upper(), verified by `parse_push`
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

import httpx

from commerce.logistics.port import (
    CourierPush,
    CourierUnavailable,
    PushRejected,
    Tracking,
    TrackingEvent,
    TrackingState,
)

T = TrackingState
MAIN_STATES: dict[str, TrackingState] = {
    "0": T.IN_TRANSIT, "1": T.COLLECTED, "2": T.PROBLEM, "3": T.SIGNED, "4": T.RETURNED, "5": T.DELIVERING,
    "6": T.RETURNED, "7": T.FORWARDED, "8": T.CUSTOMS, "14": T.REFUSED,
}
DUPLICATE_SUBSCRIPTION = "501"


def md5_upper(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest().upper()  # noqa: S324 - Kuaidi100's scheme


def state_of(code: str) -> TrackingState:
    """Main state, also for `resultv2` sub-codes (101 → 揽收, 1401 → 拒签, 301 → 签收…)."""
    code = str(code).strip()
    if code in MAIN_STATES:
        return MAIN_STATES[code]
    if code.startswith("14"):
        return T.REFUSED
    return MAIN_STATES.get(code[:1], T.IN_TRANSIT)


def tracking_of(result: Mapping[str, Any]) -> Tracking:
    """A Kuaidi100 result (`query.do` answer or a push's `lastResult`) → Tracking, newest event first."""
    rows = [r for r in result.get("data") or [] if isinstance(r, dict)]
    events = tuple(TrackingEvent(str(r.get("ftime") or r.get("time") or ""), str(r.get("context", "")),
                                 str(r.get("location") or r.get("areaName") or "")) for r in rows)
    events = tuple(sorted(events, key=lambda e: e.time, reverse=True))
    state = state_of(str(result.get("state", "0")))
    return Tracking(state, events, signed=state is T.SIGNED)


class Kuaidi100Tracker:
    def __init__(self, *, base_url: str, customer: str, key: str, salt: str, callback_url: str,
                 client: httpx.Client | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.customer, self.key, self.salt = customer, key, salt
        self.callback_url = callback_url
        self._client = client or httpx.Client(timeout=5)

    def _post(self, path: str, form: dict[str, str]) -> dict[str, Any]:
        try:
            resp = self._client.post(self.base_url + path, data=form)
            body = resp.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise CourierUnavailable(f"kuaidi100 {path} unreachable: {exc}") from exc
        if resp.status_code != 200 or not isinstance(body, dict):
            raise CourierUnavailable(f"kuaidi100 {path}: HTTP {resp.status_code}")
        return body

    def query(self, carrier: str, tracking_no: str, phone: str = "") -> Tracking:
        param: dict[str, str] = {"com": carrier, "num": tracking_no, "resultv2": "1", "show": "0", "order": "desc"}
        if phone:
            param["phone"] = phone
        raw = json.dumps(param, ensure_ascii=False, separators=(",", ":"))
        body = self._post("/poll/query.do", {"customer": self.customer, "sign": md5_upper(raw + self.key + self.customer),
                                             "param": raw})
        if body.get("result") is False or str(body.get("status", "200")) != "200":
            code = str(body.get("returnCode", ""))
            raise CourierUnavailable(f"kuaidi100 query {tracking_no}: {code} {body.get('message', '')}", code=code)
        return tracking_of(body)

    def subscribe(self, carrier: str, tracking_no: str, phone: str = "") -> None:
        parameters = {"callbackurl": self.callback_url, "salt": self.salt, "resultv2": "1"}
        if phone:
            parameters["phone"] = phone
        param = {"company": carrier, "number": tracking_no, "key": self.key, "parameters": parameters}
        body = self._post("/poll", {"schema": "json", "param": json.dumps(param, ensure_ascii=False)})
        code = str(body.get("returnCode", ""))
        if body.get("result") is not True and code != DUPLICATE_SUBSCRIPTION:
            raise CourierUnavailable(f"kuaidi100 subscribe {tracking_no}: {code} {body.get('message', '')}", code=code)

    def parse_push(self, form: Mapping[str, str]) -> CourierPush:
        param, sign = form.get("param", ""), form.get("sign", "")
        if not param or not sign:
            raise PushRejected("param and sign are required", status=400)
        if not hmac.compare_digest(sign.upper(), md5_upper(param + self.salt)):
            raise PushRejected("bad signature", status=401)
        try:
            body = json.loads(param)
            result = body["lastResult"]
            carrier, number = str(result["com"]), str(result["nu"])
        except (ValueError, KeyError, TypeError) as exc:
            raise PushRejected(f"unreadable push: {exc}", status=400) from exc
        return CourierPush(carrier, number, tracking_of(result), str(body.get("status", "polling")))
