"""Transfer bills kept by the imitation (in memory; one lock)."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field

FINAL_STATES = frozenset({"SUCCESS", "FAIL", "CANCELLED"})
REQUIRED = ("appid", "out_bill_no", "transfer_scene_id", "openid", "transfer_amount", "transfer_remark")
USER_NAME_FROM_FEN = 200_000  # WeChat requires the (encrypted) real name from ¥2,000 …
USER_NAME_BELOW_FEN = 30  # … and refuses one below ¥0.30


@dataclass
class Bill:
    out_bill_no: str
    transfer_bill_no: str
    appid: str
    mch_id: str
    openid: str
    transfer_amount: int
    transfer_remark: str
    notify_url: str
    create_time: str
    state: str = "WAIT_USER_CONFIRM"
    fail_reason: str = ""
    update_time: str = ""
    user_name: str = ""  # decrypted; never echoed (WeChat returns it encrypted, if at all)

    def public(self) -> dict[str, object]:
        data = asdict(self)
        data.pop("notify_url")
        data.pop("user_name")
        return {k: v for k, v in data.items() if v != ""}


@dataclass
class BillStore:
    bills: dict[str, Bill] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def validate_bill(data: object) -> str | None:
    """None if the request body is a valid transfer-bills request, else what is wrong."""
    if not isinstance(data, dict):
        return "body must be a JSON object"
    missing = [k for k in REQUIRED if k not in data]
    if missing:
        return f"missing {', '.join(missing)}"
    amount = data["transfer_amount"]
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 10:
        return "transfer_amount must be an integer ≥ 10 (fen)"
    if amount >= USER_NAME_FROM_FEN and not data.get("user_name"):
        return "转账金额大于等于2000元时，收款用户姓名（user_name）必填"
    if amount < USER_NAME_BELOW_FEN and data.get("user_name"):
        return "转账金额小于0.3元时，不能填写收款用户姓名（user_name）"
    if not str(data["out_bill_no"]).isalnum() or len(str(data["out_bill_no"])) > 32:
        return "out_bill_no must be ≤ 32 letters/digits"
    if not isinstance(data.get("transfer_scene_report_infos", []), list):
        return "transfer_scene_report_infos must be a list"
    return None
