"""The SQL of the PostgreSQL checkout fast path (`commerce.orders.fastpath`), built once at import.

Raw SQL, measured to be needed: see the fast path's docstring.  Table and column
names are the models'; tests/unit/orders/test_fastpath.py checks that the INSERTs
name every column the models require.
"""

from __future__ import annotations

from commerce.inventory import stock

# Written so that PostgreSQL settles on the generic cached plan after its first five executions:
# no parameter it could constant-fold (the key goes through coalesce, one SKU is a scalar).  Re-planning each time cost ~0.2 ms of server CPU — 4x executing it.
_SELECT = """
SELECT c.id, c.consent_personal_data_at IS NOT NULL, c.member_level,
       a.id, a.receiver_name, a.phone, a.province, a.detail,
       (SELECT o.id FROM orders o WHERE o.customer_id = c.id AND o.idempotency_key = coalesce(%(key)s::varchar, '')),
       s.id, s.product_id, s.code, s.spec, s.price_fen, s.member_price_fen, s.stock, s.low_stock_threshold,
       s.weight_g, s.purchase_limit, s.on_shelf, p.name, p.kind, p.on_shelf,
       CASE WHEN s.purchase_limit IS NOT NULL THEN coalesce((
           SELECT pc.bought FROM purchase_counters pc WHERE pc.customer_id = c.id AND pc.sku_id = s.id), 0) END,
       EXISTS (SELECT 1 FROM cart_items ct WHERE ct.customer_id = c.id AND ct.sku_id = s.id)"""
_FROM = """
FROM customers c
LEFT JOIN addresses a ON a.id = %(address_id)s::bigint AND a.customer_id = c.id"""
READ_ITEMS = _SELECT + ", NULL::int" + _FROM + """
LEFT JOIN (skus s JOIN products p ON p.id = s.product_id) ON s.id = ANY(%(sku_ids)s::bigint[])
WHERE c.openid = %(openid)s::varchar"""
READ_ONE_SKU = _SELECT + ", NULL::int" + _FROM + """
LEFT JOIN (skus s JOIN products p ON p.id = s.product_id) ON s.id = %(sku_id)s::bigint
WHERE c.openid = %(openid)s::varchar"""
READ_CART = _SELECT + ", ci.quantity" + _FROM + """
LEFT JOIN cart_items ci ON ci.customer_id = c.id
LEFT JOIN (skus s JOIN products p ON p.id = s.product_id) ON s.id = ci.sku_id
WHERE c.openid = %(openid)s::varchar
ORDER BY ci.id"""

ORDER_COLUMNS = (
    "order_no", "customer_id", "openid", "status", "idempotency_key", "goods_fen", "discount_fen", "points_fen",
    "shipping_fen", "payable_fen", "paid_fen", "refunded_fen", "receiver_name", "receiver_phone",
    "receiver_province", "receiver_address", "remark", "cancel_reason", "expires_at", "created_at", "updated_at",
)
LINE_FIELDS = (  # (column, SQL type) of the per-line values, sent as one JSON array
    ("sku_id", "bigint"), ("product_id", "bigint"), ("sku_code", "varchar"), ("name", "varchar"),
    ("spec_text", "varchar"), ("product_kind", "varchar"), ("unit_price_fen", "int"), ("quantity", "int"),
    ("subtotal_fen", "int"), ("paid_fen", "int"), ("limit_qty", "int"),
)
LINE_COLUMNS = ("order_id", *(c for c, _ in LINE_FIELDS), "refunded_fen", "refunded_qty", "restocked_qty")
_WRITE = """
WITH x AS (
    SELECT * FROM json_to_recordset(%(lines)s::json) AS x(n int, {line_fields})),
o AS (
    INSERT INTO orders ({order_columns})
    VALUES ({order_values})
    RETURNING id),
l AS (
    INSERT INTO order_lines ({line_columns})
    SELECT o.id, {line_values}, 0, 0, 0 FROM o, x ORDER BY x.n
    RETURNING id, sku_id),
{gone}{counted}{decrement}
SELECT o.id,
       (SELECT array_agg(l.id ORDER BY l.id) FROM l),
       (SELECT array_agg(l.sku_id ORDER BY l.id) FROM l),
       {gone_count},
       {within_limits},
       {taken}
FROM o"""
# The purchase-limit counters (`commerce.inventory.limits`) of the limited SKUs, {"sku_id", "n", "cap"}
# in one JSON parameter: the same conditional upsert, in SKU id order.  A counter that would pass
# its cap is left alone and the statement fails on the text → int cast below (SQLSTATE 22P02,
# LIMIT_MARKER in the message) BEFORE the decrement runs — so the hot row is never locked for it.
LIMIT_MARKER = "purchase_limit_exceeded"
INVALID_TEXT_REPRESENTATION = "22P02"
_COUNTED = """
lim AS (
    SELECT * FROM json_to_recordset(%(limits)s::json) AS lim(sku_id bigint, n int, cap int)),
counted AS (
    INSERT INTO purchase_counters AS pc (customer_id, sku_id, bought)
    SELECT %(customer_id)s, lim.sku_id, lim.n FROM lim WHERE lim.n <= lim.cap ORDER BY lim.sku_id
    ON CONFLICT (customer_id, sku_id) DO UPDATE SET bought = pc.bought + excluded.bought
    WHERE pc.bought + excluded.bought <= (SELECT lim.cap FROM lim WHERE lim.sku_id = excluded.sku_id)
    RETURNING pc.sku_id),"""
_WITHIN_LIMITS = f"""(CASE WHEN (SELECT count(*) FROM counted) = (SELECT count(*) FROM lim) THEN '1'
             ELSE '{LIMIT_MARKER}' END)::int"""
_GONE = """
gone AS (
    DELETE FROM cart_items WHERE customer_id = %(customer_id)s AND sku_id IN (SELECT sku_id FROM x)
    RETURNING 1),"""
_WRITE_PARTS = {
    "line_fields": ", ".join(f"{c} {t}" for c, t in LINE_FIELDS),
    "order_columns": ", ".join(ORDER_COLUMNS),
    "order_values": ", ".join(f"%({c})s" for c in ORDER_COLUMNS),
    "line_columns": ", ".join(LINE_COLUMNS),
    "line_values": ", ".join(f"x.{c}" for c, _ in LINE_FIELDS),
    "taken": stock.taken_columns("x"),
}
# The whole checkout write as ONE statement: order, lines, cart clean-up, purchase-limit counters
# (only when some SKU has a limit), then the guarded decrement
# (evaluated in that order, so the hot row is locked last; the foreign-key checks run at the end of
# the statement, on the row this transaction already holds).  One SKU needs no lock ordering.
# The lines travel as one JSON parameter: dumping ten Python lists as arrays cost more client CPU.
# The cart clean-up is left out when the read saw none of these SKUs in the cart.
WRITES = {
    (several, cart, limited): _WRITE.format(
        decrement=stock.decrement_ctes("x", several=several), gone=_GONE if cart else "",
        gone_count="(SELECT count(*) FROM gone)" if cart else "0",
        counted=_COUNTED if limited else "", within_limits=_WITHIN_LIMITS if limited else "1", **_WRITE_PARTS)
    for several in (False, True) for cart in (False, True) for limited in (False, True)
}
