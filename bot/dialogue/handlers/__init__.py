"""Default handlers, one module per concern; importing this package registers them on `router`."""

from __future__ import annotations

# Order matters: a later registration of the same intent replaces an earlier one.
# Context rules (followups) run in registration order: merchant verbs and pre-sale questions
# (「这个能退吗」) come before the after-sale rules that would read them as a refund request.
from bot.dialogue.handlers import merchant_words, presale  # noqa: F401, I001
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
