"""Personal data rights: export (PIPL 45, in `export.py`) and erasure (PIPL 47, 电商法 24).

`erase_personal_data(uow, openid)` deletes saved addresses; clears the customer's
phone, real name and nickname and sets `anonymised_at` (the row stays: orders and
ledgers point at it); clears a distributor's real name and phone and redacts their
bank accounts; replaces receiver name, phone and address on finished orders with
`REDACTED` (orders and ledgers are kept — tax and accounting retention); empties
after-sale evidence and courier lines of finished parcels.  Orders still in
progress (unpaid, paid, shipped, in a return or refund) and bank accounts an open
payout still needs keep their data until done; `finish_pending_erasures` (a beat
job) redacts them afterwards.  Idempotent.  `withdraw_consent=True` also clears
the consent (撤回同意): the next order asks again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from commerce.aftersale.model import AfterSaleRequest
from commerce.clock import now
from commerce.customers.model import Address, Customer
from commerce.db import UnitOfWork
from commerce.distribution.model import Distributor
from commerce.distribution.payout_model import BankAccount, Payout, PayoutMethod, PayoutState
from commerce.logistics.model import Shipment
from commerce.orders.model import Order
from commerce.orders.states import OrderStatus
from commerce.privacy.export import REDACTED, export_personal_data

__all__ = ["REDACTED", "ErasureReport", "erase_personal_data", "export_personal_data", "finish_pending_erasures"]

S = OrderStatus
FINISHED = frozenset({S.DELIVERED, S.COMPLETED, S.CANCELLED, S.REFUNDED})
OPEN_PAYOUTS = (PayoutState.REQUESTED, PayoutState.APPROVED, PayoutState.PROCESSING)


@dataclass(frozen=True)
class ErasureReport:
    known: bool  # False: we never had data for this openid
    addresses_deleted: int
    orders_redacted: int
    orders_kept: tuple[str, ...]  # in progress: their receiver data goes when they finish
    distributor_cleared: bool
    bank_accounts_kept: int  # an open bank payout still needs them


def _redact_orders(uow: UnitOfWork, openid: str) -> tuple[int, tuple[str, ...]]:
    redacted, kept = 0, []
    for order in uow.session.scalars(select(Order).where(Order.openid == openid).order_by(Order.id)):
        if OrderStatus(order.status) not in FINISHED:
            kept.append(order.order_no)
        elif order.receiver_name != REDACTED:
            order.receiver_name = order.receiver_phone = order.receiver_address = REDACTED
            redacted += 1
            for shipment in uow.session.scalars(select(Shipment).where(Shipment.order_id == order.id)):
                shipment.events = []  # courier lines may name who signed for the parcel
    return redacted, tuple(kept)


def _clear_distributor(uow: UnitOfWork, customer: Customer) -> tuple[bool, int]:
    d = uow.session.scalar(select(Distributor).where(Distributor.customer_id == customer.id))
    if d is None:
        return False, 0
    d.real_name = d.phone = d.payout_real_name = None
    d.payout_name_consent_at = None
    needed = set(uow.session.scalars(select(Payout.bank_account_id).where(
        Payout.distributor_id == d.id, Payout.method == PayoutMethod.BANK, Payout.state.in_(OPEN_PAYOUTS))))
    kept = 0
    for account in uow.session.scalars(select(BankAccount).where(BankAccount.distributor_id == d.id)):
        if account.id in needed:
            kept += 1
        elif account.card_no != REDACTED:
            account.holder_name = account.card_no = account.bank_name = REDACTED
            account.active = False
    return True, kept


def erase_personal_data(uow: UnitOfWork, openid: str, *, withdraw_consent: bool = False) -> ErasureReport:
    """Erase what we hold about `openid` (see the module docstring); safe to repeat."""
    customer = uow.session.scalar(select(Customer).where(Customer.openid == openid).with_for_update())
    if customer is None:
        return ErasureReport(False, 0, 0, (), False, 0)
    deleted = uow.session.execute(delete(Address).where(Address.customer_id == customer.id)).rowcount or 0
    customer.phone = customer.real_name = None
    customer.nickname = ""
    customer.anonymised_at = customer.anonymised_at or now()
    if withdraw_consent:
        customer.consent_personal_data_at = None
    redacted, kept = _redact_orders(uow, openid)
    for req in uow.session.scalars(select(AfterSaleRequest).where(AfterSaleRequest.openid == openid)):
        req.evidence = ""
    cleared, accounts_kept = _clear_distributor(uow, customer)
    uow.session.flush()
    return ErasureReport(True, int(deleted), redacted, kept, cleared, accounts_kept)


def finish_pending_erasures(uow: UnitOfWork, *, limit: int = 200) -> int:
    """Redact orders of anonymised customers that have finished since; returns how many. Beat job."""
    openids = uow.session.scalars(
        select(Customer.openid).join(Order, Order.customer_id == Customer.id)
        .where(Customer.anonymised_at.is_not(None), Order.status.in_([s.value for s in FINISHED]))
        .distinct().limit(limit))
    total = 0
    for openid in list(openids):
        total += _redact_orders(uow, openid)[0]
    uow.session.flush()
    return total
