"""Catalog domain errors (English messages; `bot/` maps the types to Chinese replies)."""

from __future__ import annotations

from commerce.errors import CommerceError, InvalidInput, NotFound


class ProductNotFound(NotFound):
    def __init__(self, key: object) -> None:
        super().__init__("product", key)


class ProductOffShelf(CommerceError):
    """The product exists but consumers may not see or buy it (off shelf, or no SKU on shelf)."""

    def __init__(self, product_id: int, code: str, name: str) -> None:
        super().__init__(f"product {code} is off shelf")
        self.product_id = product_id
        self.code = code
        self.name = name


class SkuNotFound(NotFound):
    def __init__(self, key: object) -> None:
        super().__init__("sku", key)


class StockWouldGoNegative(CommerceError):
    def __init__(self, sku_code: str, stock: int, delta: int) -> None:
        super().__init__(f"sku {sku_code}: stock {stock} {delta:+d} would be negative")
        self.sku_code = sku_code
        self.stock = stock
        self.delta = delta


class SkuBelongsToOtherProduct(CommerceError):
    def __init__(self, sku_code: str, owner_code: str) -> None:
        super().__init__(f"sku {sku_code} already belongs to product {owner_code}")
        self.sku_code = sku_code
        self.owner_code = owner_code


class InvalidCategoryPath(InvalidInput):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__("category", f"{path!r}: {reason}")
        self.path = path


class InvalidProduct(InvalidInput):
    """A product or SKU draft breaks a catalog rule (price ≤ 0, member price above price, …)."""
