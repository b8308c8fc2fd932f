"""Default handlers, one module per concern; importing this package registers them on `router`."""

from __future__ import annotations

# Order matters: a later registration of the same intent replaces an earlier one.
from bot.dialogue.handlers import (  # noqa: F401, I001
    address,
    aftersale,
    browse,
    cart,
    checkout,
    distribution,
    distribution_bank,
    distribution_money,
    fallback,
    followups,
    orders,
    posters,
    product,
    welcome,
)
from bot.dialogue.handlers import logistics, member, privacy  # noqa: F401,E402  (after orders: track_logistics)
