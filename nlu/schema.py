"""The intent and entity names: the contract between the NLU and the dialogue."""

from __future__ import annotations

OUT_OF_SCOPE = "out_of_scope"

CORE_INTENTS: tuple[str, ...] = (
    "greet", "goodbye", "thanks", "browse_category", "search_product", "product_detail",
    "add_to_cart", "view_cart", "checkout", "order_status", "track_logistics", "refund_request",
    "cancel_order", "coupon_query", "points_query", "member_info", "become_distributor",
    "get_poster", "commission_query", "withdraw", "human_agent", OUT_OF_SCOPE,
)
EXTRA_INTENTS: tuple[str, ...] = (
    "affirm", "deny", "help", "recommend", "get_promo_copy", "remove_from_cart", "my_orders",
)
INTENTS: tuple[str, ...] = CORE_INTENTS + EXTRA_INTENTS

ENTITIES: tuple[str, ...] = (
    "product", "category", "price_min", "price_max", "index", "quantity", "spec",
    "order_no", "tracking_no", "carrier", "reason", "amount", "payout_method",
)
