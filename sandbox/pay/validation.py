"""Request checks the real API performs (PARAM_ERROR cases)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sandbox.pay.config import PaySandboxConfig


def _json(raw: str) -> tuple[dict[str, Any], str]:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return {}, "请求体不是合法的JSON"
    return (data, "") if isinstance(data, dict) else ({}, "请求体必须是JSON对象")


def _amount(data: dict[str, Any], *keys: str) -> str:
    amount = data.get("amount")
    if not isinstance(amount, dict):
        return "缺少amount"
    for key in keys:
        value = amount.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            return f"amount.{key}必须是正整数（分）"
    return ""


def validate_jsapi(raw: str, config: PaySandboxConfig) -> tuple[dict[str, Any], str]:
    data, problem = _json(raw)
    if problem:
        return data, problem
    for key in ("appid", "mchid", "description", "out_trade_no", "notify_url"):
        if not isinstance(data.get(key), str) or not data[key]:
            return data, f"缺少参数{key}"
    if data["mchid"] != config.mchid:
        return data, "mchid与请求商户号不符"
    if not 6 <= len(data["out_trade_no"]) <= 32:
        return data, "out_trade_no长度须为6-32"
    if "?" in data["notify_url"] or not data["notify_url"].startswith(("http://", "https://")):
        return data, "notify_url格式错误"
    payer = data.get("payer")
    if not isinstance(payer, dict) or not payer.get("openid"):
        return data, "缺少payer.openid"
    if data.get("time_expire") and parse_expire(data["time_expire"]) is None:
        return data, "time_expire格式错误"
    return data, _amount(data, "total")


def validate_refund(raw: str) -> tuple[dict[str, Any], str]:
    data, problem = _json(raw)
    if problem:
        return data, problem
    if not data.get("out_refund_no"):
        return data, "缺少参数out_refund_no"
    if not data.get("out_trade_no") and not data.get("transaction_id"):
        return data, "out_trade_no与transaction_id须二选一"
    return data, _amount(data, "refund", "total")


def parse_expire(text: str) -> float | None:
    if not text:
        return None
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    return dt.timestamp() if dt.tzinfo is not None else None
