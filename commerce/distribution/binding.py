"""Referral binding: who a customer belongs to, and the chain of beneficiaries above a buyer.

Scene strings (parametric QR `scene_str`, ≤ 64 chars) carry a distributor code:
`d_<code>` or `d_<code>_p<product_id>`.  Rules: first touch wins (or last touch),
bindings expire after `binding_days` (0 = permanent), nobody binds to themselves,
no cycles.  Every scan/click is recorded as a `ReferralVisit`; every binding,
including replaced and expired ones, stays in `referral_bindings`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import DateTime, and_, bindparam, cast, literal, or_, select
from sqlalchemy.orm import aliased

from commerce.clock import as_utc, now
from commerce.customers.services import get_or_create
from commerce.db import BigId, UnitOfWork
from commerce.distribution.engine import Beneficiary
from commerce.distribution.errors import UnknownReferralCode
from commerce.distribution.model import (
    BindingSource,
    Distributor,
    DistributorStatus,
    ReferralBinding,
    ReferralVisit,
    VisitOutcome,
)
from commerce.distribution.policy import BindingRule, DistributionPolicy

SCENE_RE = re.compile(r"^d_([A-Z0-9]{4,16})(?:_p(\d{1,18}))?$")
SCENE_MAX = 64


@dataclass(frozen=True)
class ReferralScene:
    code: str
    product_id: int | None = None

    def render(self) -> str:
        scene = f"d_{self.code}" + (f"_p{self.product_id}" if self.product_id is not None else "")
        if len(scene) > SCENE_MAX:
            raise ValueError("scene_str longer than 64 characters")
        return scene


@dataclass(frozen=True)
class BindResult:
    outcome: VisitOutcome
    distributor_id: int
    distributor_code: str


def parse_scene(scene: str) -> ReferralScene | None:
    """`d_ABC123` / `d_ABC123_p42` → ReferralScene; anything else → None (not ours)."""
    m = SCENE_RE.match(scene.strip()) if scene else None
    if m is None:
        return None
    return ReferralScene(m.group(1), int(m.group(2)) if m.group(2) else None)


def current_binding(uow: UnitOfWork, customer_id: int) -> ReferralBinding | None:
    binding = uow.session.scalar(
        select(ReferralBinding)
        .where(ReferralBinding.customer_id == customer_id, ReferralBinding.ended_at.is_(None))
        .order_by(ReferralBinding.id.desc())
    )
    if binding is not None and binding.expires_at is not None and as_utc(binding.expires_at) <= now():
        binding.ended_at, binding.ended_reason = now(), "expired"
        return None
    return binding


def parent_of(uow: UnitOfWork, distributor: Distributor) -> Distributor | None:
    binding = current_binding(uow, distributor.customer_id)
    return None if binding is None else uow.session.get(Distributor, binding.distributor_id)


def _would_cycle(uow: UnitOfWork, customer_id: int, target: Distributor) -> bool:
    """True if `customer_id` already sits above `target` in the referral chain."""
    seen: set[int] = set()
    node: Distributor | None = target
    while node is not None and node.id not in seen:
        if node.customer_id == customer_id:
            return True
        seen.add(node.id)
        node = parent_of(uow, node)
    return False


def _record(uow: UnitOfWork, d: Distributor, customer_id: int, source: str, outcome: VisitOutcome) -> BindResult:
    uow.session.add(ReferralVisit(distributor_id=d.id, customer_id=customer_id, source=source, outcome=outcome))
    uow.session.flush()
    return BindResult(outcome, d.id, d.code)


def bind_referral(
    uow: UnitOfWork,
    openid: str,
    code: str,
    source: BindingSource,
    policy: DistributionPolicy,
    *,
    product_id: int | None = None,
) -> BindResult:
    """Bind `openid` to the distributor with `code` if the rules allow; report what happened."""
    target = uow.session.scalar(select(Distributor).where(Distributor.code == code.upper()))
    if target is None or target.status != DistributorStatus.ACTIVE:
        raise UnknownReferralCode(code)
    customer = get_or_create(uow, openid)
    if target.customer_id == customer.id:
        return _record(uow, target, customer.id, source, VisitOutcome.SELF)
    existing = current_binding(uow, customer.id)
    if existing is not None and existing.distributor_id == target.id:
        return _record(uow, target, customer.id, source, VisitOutcome.KEPT_EXISTING)
    if existing is not None and policy.binding == BindingRule.FIRST_TOUCH:
        return _record(uow, target, customer.id, source, VisitOutcome.KEPT_EXISTING)
    if _would_cycle(uow, customer.id, target):
        return _record(uow, target, customer.id, source, VisitOutcome.CYCLE)
    outcome = VisitOutcome.BOUND
    if existing is not None:
        existing.ended_at, existing.ended_reason = now(), "replaced"
        outcome = VisitOutcome.REBOUND
    expires = now() + timedelta(days=policy.binding_days) if policy.binding_days > 0 else None
    uow.session.add(
        ReferralBinding(
            customer_id=customer.id,
            distributor_id=target.id,
            source=source,
            scene=ReferralScene(target.code, product_id).render(),
            product_id=product_id,
            expires_at=expires,
        )
    )
    return _record(uow, target, customer.id, source, outcome)


def bound_distributor(uow: UnitOfWork, customer_id: int) -> Distributor | None:
    """The distributor a customer is currently (and not expired) bound to — one query."""
    at = now()
    return uow.session.scalar(
        select(Distributor)
        .join(ReferralBinding, ReferralBinding.distributor_id == Distributor.id)
        .where(ReferralBinding.customer_id == customer_id, ReferralBinding.ended_at.is_(None),
               or_(ReferralBinding.expires_at.is_(None), ReferralBinding.expires_at > at))
        .order_by(ReferralBinding.id.desc())
        .limit(1)
    )


def _active_binding(customer_col: Any, at: Any) -> Any:
    b = ReferralBinding
    return and_(b.customer_id == customer_col, b.ended_at.is_(None), or_(b.expires_at.is_(None), b.expires_at > at))


@lru_cache(maxsize=8)
def _chain_stmt(max_levels: int, from_own: bool) -> Any:
    """The recursive walk up the referral tree, built once per shape (the commission hot path).

    Parameters: `start` (the buyer's customer id, or their own distributor id when
    `from_own`) and `at` (now, for binding expiry).
    """
    at = bindparam("at", type_=DateTime(timezone=True))
    if from_own:
        start: Any = select(cast(bindparam("start"), BigId).label("distributor_id"), literal(1).label("depth"))
    else:
        start = select(ReferralBinding.distributor_id, literal(1).label("depth")).where(
            _active_binding(bindparam("start"), at))
    up = start.cte("up", recursive=True)
    parent = aliased(Distributor)
    step = (
        select(ReferralBinding.distributor_id, (up.c.depth + 1).label("depth"))
        .select_from(up)
        .join(parent, parent.id == up.c.distributor_id)
        .join(ReferralBinding, _active_binding(parent.customer_id, at))
        .where(up.c.depth < max_levels)
    )
    up = up.union_all(step)
    return select(Distributor, up.c.depth).join(up, up.c.distributor_id == Distributor.id).order_by(up.c.depth)


def beneficiary_chain(uow: UnitOfWork, buyer_customer_id: int, policy: DistributionPolicy) -> list[Beneficiary]:
    """The distributors above a buyer, level 1 first, at most `policy.max_levels` of them — one query."""
    start, from_own = buyer_customer_id, False
    if policy.self_purchase_commission:
        own = uow.session.scalar(select(Distributor).where(Distributor.customer_id == buyer_customer_id))
        if own is not None and own.is_active:
            start, from_own = own.id, True
    rows = uow.session.execute(_chain_stmt(policy.max_levels, from_own), {"start": start, "at": now()}).tuples()
    chain: list[Beneficiary] = []
    seen: set[int] = set()
    for d, depth in rows:
        if d.id in seen or depth != len(chain) + 1:
            break  # a cycle (never created, but never followed either) or a gap
        seen.add(d.id)
        chain.append(Beneficiary(d.id, int(depth), d.grade, d.is_active))
    return chain
