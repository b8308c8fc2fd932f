"""The snapshot (and so the NLU vocabulary fingerprint) does not depend on the table's physical row order."""

from __future__ import annotations

from sqlalchemy import select, update

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
