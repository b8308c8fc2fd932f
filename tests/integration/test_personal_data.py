from __future__ import annotations

from sqlalchemy import text

from commerce.customers import services as customers
from commerce.db import Database


def test_phone_is_encrypted_at_rest_and_readable_through_the_model(db: Database) -> None:
    with db.uow() as uow:
        customers.give_consent(uow, "o-user-1")
        c = customers.get_or_create(uow, "o-user-1")
        c.phone = "13800138000"
        uow.commit()
    with db.engine.connect() as conn:
        raw = conn.execute(text("SELECT phone FROM customers WHERE openid = 'o-user-1'")).scalar_one()
    assert "13800138000" not in raw and raw.startswith("v1:test1:")
    with db.uow() as uow:
        assert customers.by_openid(uow, "o-user-1").phone == "13800138000"
