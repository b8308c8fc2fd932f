"""Imports every model module so `Base.metadata` knows all tables (Alembic, create_all).

Add a line here when a subdomain gains a `model.py`.
"""

from __future__ import annotations

from commerce.catalog import model as catalog_model  # noqa: F401
from commerce.customers import model as customers_model  # noqa: F401
from commerce.db import Base

metadata = Base.metadata
from commerce.aftersale import model as aftersale_model  # noqa: F401,E402
from commerce.cart import model as cart_model  # noqa: F401,E402
from commerce.distribution import ledger_model as distribution_ledger_model  # noqa: F401,E402
from commerce.distribution import model as distribution_model  # noqa: F401,E402
from commerce.distribution import payout_model as distribution_payout_model  # noqa: F401,E402
from commerce.distribution import training as distribution_training  # noqa: F401,E402
from commerce.inventory import model as inventory_model  # noqa: F401,E402
from commerce.logistics import model as logistics_model  # noqa: F401,E402
from commerce.orders import model as orders_model  # noqa: F401,E402
from commerce.payments import model as payments_model  # noqa: F401,E402
