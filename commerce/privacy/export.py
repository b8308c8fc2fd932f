"""Personal data export (PIPL 45: the right to a copy): everything we hold about one openid.

`export_personal_data(uow, openid)` returns plain JSON-able data; `masked=True` masks
phone numbers, names, addresses and card numbers (what the chat shows).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from commerce.aftersale.model import AfterSaleRequest
from commerce.customers.model import Address, Customer
from commerce.db import UnitOfWork
from commerce.distribution.model import Distributor
from commerce.distribution.payout_model import BankAccount
from commerce.orders.model import Order
from commerce.orders.views import mask_address
from commerce.privacy.crypto import mask_name, mask_phone

REDACTED = "[redacted]"  # what erased personal fields read afterwards (encrypted at rest like any value)


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt is not None else None


class _Mask:
    def __init__(self, on: bool) -> None:
        self.on = on

    def phone(self, v: str | None) -> str | None:
        return mask_phone(v) if self.on and v and v != REDACTED else v

    def name(self, v: str | None) -> str | None:
        return mask_name(v) if self.on and v and v != REDACTED else v

    def address(self, province: str, v: str | None) -> str | None:
        return mask_address(province, v) if self.on and v and v != REDACTED else v

    def card(self, v: str | None) -> str | None:
        return "**** " + v[-4:] if self.on and v and v != REDACTED else v


def _addresses(uow: UnitOfWork, c: Customer, m: _Mask) -> list[dict[str, Any]]:
    rows = uow.session.scalars(select(Address).where(Address.customer_id == c.id).order_by(Address.id))
    return [{"receiver_name": m.name(a.receiver_name), "phone": m.phone(a.phone), "province": a.province,
             "address": m.address(a.province, a.detail), "is_default": a.is_default} for a in rows]


def _orders(uow: UnitOfWork, openid: str, m: _Mask) -> list[dict[str, Any]]:
    rows = uow.session.scalars(select(Order).where(Order.openid == openid).order_by(Order.id))
    return [{"order_no": o.order_no, "status": o.status, "created_at": _iso(o.created_at), "paid_fen": o.paid_fen,
             "receiver_name": m.name(o.receiver_name), "receiver_phone": m.phone(o.receiver_phone),
             "receiver_province": o.receiver_province, "receiver_address": m.address(o.receiver_province,
                                                                                     o.receiver_address)}
            for o in rows]


def _distributor(uow: UnitOfWork, c: Customer, m: _Mask) -> dict[str, Any] | None:
    d = uow.session.scalar(select(Distributor).where(Distributor.customer_id == c.id))
    if d is None:
        return None
    accounts = uow.session.scalars(select(BankAccount).where(BankAccount.distributor_id == d.id).order_by(BankAccount.id))
    return {"code": d.code, "status": d.status, "real_name": m.name(d.real_name), "phone": m.phone(d.phone),
            "payout_real_name": m.name(d.payout_real_name),
            "bank_accounts": [{"holder_name": m.name(b.holder_name), "card_no": m.card(b.card_no),
                               "bank_name": b.bank_name, "active": b.active} for b in accounts]}


def _after_sales(uow: UnitOfWork, openid: str) -> list[dict[str, Any]]:
    rows = uow.session.scalars(select(AfterSaleRequest).where(AfterSaleRequest.openid == openid))
    return [{"id": r.id, "order_no": r.order_no, "status": r.status, "reason": r.reason, "evidence": r.evidence}
            for r in rows]


def export_personal_data(uow: UnitOfWork, openid: str, *, masked: bool = False) -> dict[str, Any]:
    """Everything held about `openid` (nothing is created for an unknown one)."""
    m = _Mask(masked)
    c = uow.session.scalar(select(Customer).where(Customer.openid == openid))
    if c is None:
        return {"openid": openid, "known": False}
    return {
        "openid": openid, "known": True, "nickname": c.nickname, "member_level": c.member_level,
        "consent_at": _iso(c.consent_personal_data_at), "anonymised_at": _iso(c.anonymised_at),
        "phone": m.phone(c.phone), "real_name": m.name(c.real_name),
        "addresses": _addresses(uow, c, m), "orders": _orders(uow, openid, m),
        "distributor": _distributor(uow, c, m), "after_sales": _after_sales(uow, openid),
    }
