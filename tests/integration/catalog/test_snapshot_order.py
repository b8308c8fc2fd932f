"""The snapshot (and so the NLU vocabulary fingerprint) does not depend on the table's physical row order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from commerce import clock
from commerce.catalog import snapshot
from commerce.catalog.model import Product
from commerce.catalog.services import vocabulary
from commerce.db import Database
from tests.integration.catalog.sample_catalog import seed_sample


def test_sales_updates_do_not_reorder_the_vocabulary(db: Database) -> None:
    seed_sample(db)
    with db.uow() as uow:
        before = vocabulary(uow)
    with db.uow() as uow:  # PostgreSQL writes new row versions: an unordered scan returns them last
        first = uow.session.scalars(select(Product.id).order_by(Product.id).limit(2)).all()
        uow.session.execute(update(Product).where(Product.id.in_(first)).values(sales_count=Product.sales_count + 1))
        uow.commit()
    snapshot.invalidate()
    with db.uow() as uow:
        assert vocabulary(uow) == before  # else every rebuild re-teaches the NLU its whole lexicon
        ids = [e.view.id for e in snapshot.snapshot(uow).entries]
    assert ids == sorted(ids)


def test_after_its_ttl_an_unchanged_catalog_is_kept_and_a_changed_one_reloaded(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_sample(db)
    snapshot.invalidate()
    with db.reads() as uow:
        first = snapshot.snapshot(uow)
    monkeypatch.setattr(snapshot, "TTL_SECONDS", 0.0)
    with db.reads() as uow:
        again = snapshot.snapshot(uow)
    assert again.entries is first.entries and again.built_at > first.built_at  # one small query, no reload
    with db.engine.begin() as conn:  # another process renames a product (no ORM event in this one)
        product_id = first.entries[0].view.id
        conn.execute(text("UPDATE products SET name = '改名测试', updated_at = :at WHERE id = :id"),
                     {"at": clock.now() + timedelta(seconds=1), "id": product_id})
    with db.reads() as uow:
        renamed = snapshot.snapshot(uow)
    assert renamed.by_id[product_id].view.name == "改名测试"
