"""Kuaidi100's wire format: signatures and response bodies."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sandbox.courier.timeline import Track

PUSH_OK = {"result": True, "returnCode": "200", "message": "成功"}


def md5_upper(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest().upper()  # noqa: S324 - Kuaidi100's scheme


def query_sign(param: str, key: str, customer: str) -> str:
    return md5_upper(param + key + customer)


def push_sign(param: str, salt: str) -> str:
    return md5_upper(param + salt)


def error(code: str, message: str) -> dict[str, Any]:
    return {"result": False, "returnCode": code, "message": message}


def last_result(com: str, num: str, t: Track) -> dict[str, Any]:
    return {"message": "ok", "nu": num, "ischeck": t.ischeck, "condition": "F00", "com": com,
            "status": "200", "state": t.state, "data": t.data}


def push_param(com: str, num: str, t: Track) -> str:
    status = "shutdown" if t.ischeck == "1" else "polling"
    body = {"status": status, "billstatus": "check" if t.ischeck == "1" else "got", "message": "",
            "lastResult": last_result(com, num, t)}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))
