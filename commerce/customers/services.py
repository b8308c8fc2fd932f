"""Customer use cases."""

from __future__ import annotations

from sqlalchemy import select

from commerce.clock import now
from commerce.customers.model import Address, Customer
from commerce.db import UnitOfWork
from commerce.errors import ConsentRequired, NotFound


def get_or_create(uow: UnitOfWork, openid: str) -> Customer:
    """Find the customer for an openid, creating it on first contact (within the caller's UoW)."""
    customer = uow.session.scalar(select(Customer).where(Customer.openid == openid))
    if customer is None:
        customer = Customer(openid=openid)
        uow.session.add(customer)
        uow.session.flush()
    return customer


def by_openid(uow: UnitOfWork, openid: str) -> Customer:
    customer = uow.session.scalar(select(Customer).where(Customer.openid == openid))
    if customer is None:
        raise NotFound("customer", openid)
    return customer


def give_consent(uow: UnitOfWork, openid: str) -> None:
    customer = get_or_create(uow, openid)
    if customer.consent_personal_data_at is None:
        customer.consent_personal_data_at = now()


def save_address(
    uow: UnitOfWork, openid: str, *, receiver_name: str, phone: str, province: str, detail: str
) -> Address:
    customer = get_or_create(uow, openid)
    if customer.consent_personal_data_at is None:
        raise ConsentRequired("address")
    for old in uow.session.scalars(select(Address).where(Address.customer_id == customer.id)):
        old.is_default = False
    addr = Address(
        customer_id=customer.id, receiver_name=receiver_name, phone=phone, province=province, detail=detail
    )
    uow.session.add(addr)
    uow.session.flush()
    return addr


def default_address(uow: UnitOfWork, openid: str) -> Address | None:
    customer = get_or_create(uow, openid)
    return uow.session.scalar(
        select(Address)
        .where(Address.customer_id == customer.id, Address.is_default.is_(True))
        .order_by(Address.id.desc())
    )
