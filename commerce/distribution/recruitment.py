"""Recruitment: apply, review, suspend, resume.  Joining never costs anything.

Modes: open (人人分销 — anyone may join, no form needed), review (指定分销 — a short
form: name, phone, consent; the merchant reviews), invite (a merchant invitation
code).  `policy.auto_approve` approves at once.  No mode, and no setting, asks for
a fee or a purchase: there is deliberately no parameter that could.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from commerce import events
from commerce.clock import now
from commerce.customers.model import Customer
from commerce.customers.services import get_or_create
from commerce.db import UnitOfWork
from commerce.distribution.errors import (
    AlreadyDistributor,
    ApplicationIncomplete,
    DistributionDisabled,
    DistributorSuspended,
    InvitationRequired,
    NotADistributor,
)
from commerce.distribution.ledger import claw_back_forfeit, lock_distributor
from commerce.distribution.model import Distributor, DistributorStatus, Invitation
from commerce.distribution.policy import DistributionPolicy, JoinMode, SuspendedFrozenRule
from commerce.errors import ConsentRequired, NotFound

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 6


@dataclass(frozen=True)
class Application:
    real_name: str = ""
    phone: str = ""
    consent: bool = False
    invitation_code: str = ""


def new_code(uow: UnitOfWork) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if uow.session.scalar(select(Distributor.id).where(Distributor.code == code)) is None:
            return code


def find_by_openid(uow: UnitOfWork, openid: str) -> Distributor | None:
    customer = get_or_create(uow, openid)
    return uow.session.scalar(select(Distributor).where(Distributor.customer_id == customer.id))


def active_by_openid(uow: UnitOfWork, openid: str) -> Distributor:
    d = find_by_openid(uow, openid)
    if d is not None and d.status == DistributorStatus.SUSPENDED:
        raise DistributorSuspended(openid, d.code)
    if d is None or not d.is_active:
        raise NotADistributor(openid)
    return d


def find(uow: UnitOfWork, code_or_id: str | int) -> Distributor:
    key = str(code_or_id).strip()
    stmt = select(Distributor).where(Distributor.code == key.upper())
    d = uow.session.scalar(stmt)
    if d is None and key.isdigit():
        d = uow.session.get(Distributor, int(key))
    if d is None:
        raise NotFound("distributor", key)
    return d


def _check_form(app: Application, policy: DistributionPolicy) -> None:
    if policy.mode == JoinMode.REVIEW:
        for name, value in (("real_name", app.real_name), ("phone", app.phone)):
            if not value.strip():
                raise ApplicationIncomplete(name)
    if (app.real_name or app.phone) and not app.consent:
        raise ConsentRequired("distributor application")


def _use_invitation(uow: UnitOfWork, code: str) -> None:
    inv = uow.session.scalar(select(Invitation).where(Invitation.code == code.strip().upper()))
    if inv is None or inv.used >= inv.max_uses:
        raise InvitationRequired(code)
    inv.used += 1


def apply(uow: UnitOfWork, openid: str, policy: DistributionPolicy, app: Application | None = None) -> Distributor:
    """Apply to become a distributor; approved at once when `auto_approve`."""
    if not policy.enabled:
        raise DistributionDisabled()
    app = app or Application()
    existing = find_by_openid(uow, openid)
    if existing is not None and existing.status != DistributorStatus.REJECTED:
        raise AlreadyDistributor(existing.code, existing.status)
    _check_form(app, policy)
    if policy.mode == JoinMode.INVITE:
        _use_invitation(uow, app.invitation_code)
    d = existing or Distributor(customer_id=get_or_create(uow, openid).id, code=new_code(uow))
    if existing is not None:
        d.transition_to(DistributorStatus.APPLIED)
    d.applied_at = now()
    d.invitation_code = app.invitation_code.strip().upper()
    if app.real_name or app.phone:
        d.real_name, d.phone, d.consent_at = app.real_name.strip(), app.phone.strip(), now()
    uow.session.add(d)
    uow.session.flush()
    if policy.auto_approve:
        d.transition_to(DistributorStatus.ACTIVE)
    return d


def approve(uow: UnitOfWork, code_or_id: str | int, note: str = "") -> Distributor:
    """The merchant's approval; the applicant hears it (`DistributorReviewed`, sent after commit)."""
    d = find(uow, code_or_id)
    d.transition_to(DistributorStatus.ACTIVE)
    d.review_note = note
    _reviewed(uow, d, approved=True)
    return d


def reject(uow: UnitOfWork, code_or_id: str | int, note: str = "") -> Distributor:
    """The merchant's rejection (`note` is shown to the applicant as the reason); they may apply again."""
    d = find(uow, code_or_id)
    d.transition_to(DistributorStatus.REJECTED)
    d.review_note = note
    _reviewed(uow, d, approved=False)
    return d


def _reviewed(uow: UnitOfWork, d: Distributor, *, approved: bool) -> None:
    customer = uow.session.get(Customer, d.customer_id)
    if customer is not None:
        events.publish(uow, events.DistributorReviewed(d.code, customer.openid, approved, d.review_note,
                                                       d.applied_at.isoformat() if d.applied_at else ""))


def suspend(uow: UnitOfWork, code_or_id: str | int, policy: DistributionPolicy, note: str = "") -> Distributor:
    """Suspended distributors earn nothing new; frozen commission follows `policy.suspended_frozen`."""
    d = find(uow, code_or_id)
    lock_distributor(uow, d.id)
    d.transition_to(DistributorStatus.SUSPENDED)
    d.review_note = note
    if policy.suspended_frozen == SuspendedFrozenRule.FORFEIT:
        claw_back_forfeit(uow, d.id)
    return d


def resume(uow: UnitOfWork, code_or_id: str | int) -> Distributor:
    d = find(uow, code_or_id)
    d.transition_to(DistributorStatus.ACTIVE)
    return d


def invite(uow: UnitOfWork, max_uses: int = 1, created_by: str = "merchant") -> Invitation:
    inv = Invitation(code=new_code(uow) + new_code(uow)[:2], max_uses=max(1, max_uses), created_by=created_by)
    uow.session.add(inv)
    uow.session.flush()
    return inv


def pending_applications(uow: UnitOfWork) -> list[Distributor]:
    return list(uow.session.scalars(
        select(Distributor).where(Distributor.status == DistributorStatus.APPLIED).order_by(Distributor.id)
    ))
