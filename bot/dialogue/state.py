"""Per-user dialogue state: what was shown last, what we are waiting for, the form in progress.

State is a frozen value; handlers return a new one (`dataclasses.replace`).  It is
stored as compact JSON in the KV store with a short TTL (one get + one set per
message), so a user who comes back after half an hour starts fresh.  The blob is
encrypted with the personal-data key (AES-GCM, a few microseconds) because a form
in progress holds a receiver's name and phone: personal data is never at rest in
plaintext, not even in the cache.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from enum import StrEnum
from typing import Any

from bot.kv import KV
from commerce.privacy import crypto

log = logging.getLogger("bot.dialogue.state")

STATE_TTL_SECONDS = 30 * 60
KEY_PREFIX = "dlg:"


class Waiting(StrEnum):
    """The question the bot asked last and expects an answer to."""

    SPEC = "spec"  # which spec of state.focus_product (data: product_id, quantity, specs)
    CONSENT = "consent"  # privacy notice shown, waiting for 同意
    NAME = "name"  # address form: receiver name
    PHONE = "phone"  # address form: phone
    ADDRESS = "address"  # address form: full address text
    ORDER_OK = "order_ok"  # lines, price breakdown and receiver shown: 确认 / 修改地址 / 取消
    CANCEL_OK = "cancel_ok"  # 确认取消订单 (data: order_no)
    CLARIFY = "clarify"  # low-confidence: suggestions offered (data: options, text)
    PICK = "pick"  # a numbered list was shown; a bare 「2」 picks from it (data: list, names)
    DIST_FORM = "dist_form"  # distributor application: waiting for 「姓名 手机号」
    DIST_CONSENT = "dist_consent"  # application privacy notice shown (data: name, phone, invitation)
    DIST_INVITE = "dist_invite"  # invite mode: waiting for the invitation code
    DIST_QUIZ = "dist_quiz"  # a lesson's quiz was shown (data: lesson)
    TRACK_PICK = "track_pick"  # several parcels listed (state.orders): a bare 「2」 shows that one's tracking
    REFUND_PICK = "refund_pick"  # which order to refund (state.orders; data: line, reason, evidence)
    REFUND_OK = "refund_ok"  # after-sale terms shown: 确认 / 不了 (data: order_no, line_ids, reason, evidence)
    ERASE_OK = "erase_ok"  # personal-data erasure explained: 确认删除 / 取消 (data: withdraw)
    BANK_CONSENT = "bank_consent"  # bank-card notice shown, separate consent (data: amount = fen | "all" | "")
    BANK_HOLDER = "bank_holder"  # bank-card form: holder name (data: amount)
    BANK_NAME = "bank_name"  # bank-card form: bank (data: amount, holder)
    BANK_CARD = "bank_card"  # bank-card form: card number (data: amount, holder, bank)
    PAYOUT_NAME = "payout_name"  # ¥2,000+ to WeChat change: notice shown, waiting for the real name (data: amount)


@dataclass(frozen=True)
class Pending:
    waiting: Waiting
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DialogState:
    products: tuple[int, ...] = ()  # the numbered product list shown last
    orders: tuple[str, ...] = ()  # the order numbers shown last
    cart: tuple[int, ...] = ()  # sku ids of the cart lines shown last, in order
    focus: int | None = None  # product talked about ("就这个", "来两件")
    last_sku: int | None = None  # sku added last ("再来一件", "换成M码")
    pending: Pending | None = None
    form: dict[str, str] = field(default_factory=dict)  # address form in progress
    query: str = ""  # the last search's words ("200块以内的" refines it)
    category: str = ""  # the last search's category

    def waiting(self, kind: Waiting) -> bool:
        return self.pending is not None and self.pending.waiting == kind

    def ask(self, kind: Waiting, **data: Any) -> DialogState:
        return replace(self, pending=Pending(kind, data))

    def settled(self) -> DialogState:
        """The same state with no open question."""
        return replace(self, pending=None) if self.pending is not None else self

    # -- serialisation ----------------------------------------------------
    def dumps(self) -> str:
        # the same JSON as json.dumps(asdict(self)), without asdict's deep copy (every message saves)
        raw = {f.name: getattr(self, f.name) for f in fields(self)}
        if self.pending is not None:
            raw["pending"] = {"waiting": self.pending.waiting, "data": self.pending.data}
        return json.dumps({k: v for k, v in raw.items() if v not in ((), [], {}, None, "")},
                          ensure_ascii=False, separators=(",", ":"), default=_as_dict)

    @classmethod
    def loads(cls, text: str) -> DialogState:
        raw = json.loads(text)
        pending = raw.get("pending")
        return cls(
            products=tuple(int(x) for x in raw.get("products", ())),
            orders=tuple(str(x) for x in raw.get("orders", ())),
            cart=tuple(int(x) for x in raw.get("cart", ())),
            focus=raw.get("focus"),
            last_sku=raw.get("last_sku"),
            pending=Pending(Waiting(pending["waiting"]), dict(pending.get("data") or {})) if pending else None,
            form={str(k): str(v) for k, v in (raw.get("form") or {}).items()},
            query=str(raw.get("query", "")),
            category=str(raw.get("category", "")),
        )


def _as_dict(value: Any) -> Any:
    """JSON for a dataclass a handler put in `Pending.data` (what `asdict` used to do)."""
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class StateStore:
    """Dialogue state per openid in the KV port (Redis in production, memory in the demo)."""

    def __init__(self, kv: KV, ttl_seconds: float = STATE_TTL_SECONDS) -> None:
        self._kv = kv
        self._ttl = ttl_seconds

    @staticmethod
    def key(openid: str) -> str:
        """The cache key of `openid`'s state (the edge reads it ahead with its dedup claim)."""
        return KEY_PREFIX + openid

    def load(self, openid: str) -> DialogState:
        text = self._kv.get(KEY_PREFIX + openid)
        if not text:
            return DialogState()
        try:
            if text.startswith(crypto.PREFIX + ":"):
                text = crypto.decrypt(text)
            return DialogState.loads(text)
        except (ValueError, KeyError, TypeError, AttributeError, crypto.KeyRingError) as exc:  # a corrupt or old-format entry: start fresh
            log.warning("dropping unreadable dialogue state: %s", exc)
            return DialogState()

    def save(self, openid: str, state: DialogState) -> None:
        text = state.dumps()
        try:
            text = crypto.encrypt(text)
        except crypto.KeyRingError:  # no key configured (bare unit tests): keep it in memory only
            pass
        self._kv.set(KEY_PREFIX + openid, text, ttl=self._ttl)

    def clear(self, openid: str) -> None:
        self._kv.delete(KEY_PREFIX + openid)
