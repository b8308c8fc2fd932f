"""The imitation's ledger: JSAPI transactions and refunds, in memory (optionally mirrored to a JSON file)."""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Transaction:
    out_trade_no: str
    prepay_id: str
    appid: str
    mchid: str
    description: str
    amount_total: int
    payer_openid: str
    notify_url: str
    time_expire: str = ""  # RFC3339 or ""
    expire_ts: float | None = None
    trade_state: str = "NOTPAY"  # NOTPAY, SUCCESS, CLOSED, REFUND
    transaction_id: str = ""
    success_time: str = ""
    attach: str = ""

    def public(self) -> dict[str, Any]:
        """The query-API / callback resource shape."""
        data: dict[str, Any] = {
            "appid": self.appid,
            "mchid": self.mchid,
            "out_trade_no": self.out_trade_no,
            "trade_state": self.trade_state,
            "trade_state_desc": {"SUCCESS": "支付成功", "NOTPAY": "未支付", "CLOSED": "已关闭",
                                 "REFUND": "转入退款"}.get(self.trade_state, self.trade_state),
            "trade_type": "JSAPI",
            "attach": self.attach,
            "payer": {"openid": self.payer_openid},
            "amount": {"total": self.amount_total, "currency": "CNY"},
        }
        if self.transaction_id:
            data.update(transaction_id=self.transaction_id, success_time=self.success_time, bank_type="OTHERS")
            data["amount"].update(payer_total=self.amount_total, payer_currency="CNY")
        return data


@dataclass
class RefundRecord:
    out_refund_no: str
    refund_id: str
    out_trade_no: str
    transaction_id: str
    amount_refund: int
    amount_total: int
    reason: str
    notify_url: str
    status: str = "PROCESSING"  # PROCESSING, SUCCESS, CLOSED, ABNORMAL
    create_time: str = ""
    success_time: str = ""

    def public(self) -> dict[str, Any]:
        return {
            "refund_id": self.refund_id,
            "out_refund_no": self.out_refund_no,
            "transaction_id": self.transaction_id,
            "out_trade_no": self.out_trade_no,
            "channel": "ORIGINAL",
            "user_received_account": "支付用户零钱",
            "status": self.status,
            "create_time": self.create_time,
            "success_time": self.success_time,
            "amount": {"refund": self.amount_refund, "total": self.amount_total, "payer_refund": self.amount_refund,
                       "payer_total": self.amount_total, "currency": "CNY"},
        }


@dataclass
class PayStore:
    state_file: Path | None = None
    transactions: dict[str, Transaction] = field(default_factory=dict)
    refunds: dict[str, RefundRecord] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        if self.state_file is not None and self.state_file.exists():
            data = json.loads(self.state_file.read_text())
            self.transactions = {k: Transaction(**v) for k, v in data.get("transactions", {}).items()}
            self.refunds = {k: RefundRecord(**v) for k, v in data.get("refunds", {}).items()}

    def by_prepay_id(self, prepay_id: str) -> Transaction | None:
        return next((t for t in self.transactions.values() if t.prepay_id == prepay_id), None)

    def refunded_total(self, out_trade_no: str) -> int:
        return sum(r.amount_refund for r in self.refunds.values()
                   if r.out_trade_no == out_trade_no and r.status in ("PROCESSING", "SUCCESS"))

    def save(self) -> None:
        if self.state_file is None:
            return
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        data = {"transactions": {k: asdict(v) for k, v in self.transactions.items()},
                "refunds": {k: asdict(v) for k, v in self.refunds.items()}}
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False))
        tmp.replace(self.state_file)
