"""Why a SKU cannot be put in a cart or bought (bot/ maps each to Chinese text)."""

from __future__ import annotations

from commerce.errors import CommerceError, NotFound


class SkuNotFound(NotFound):
    def __init__(self, sku_id: int) -> None:
        super().__init__("sku", sku_id)
        self.sku_id = sku_id


class SkuUnavailable(CommerceError):
    """The SKU or its product is off the shelf."""

    def __init__(self, sku_id: int, name: str) -> None:
        super().__init__(f"sku {sku_id} ({name}) is off the shelf")
        self.sku_id = sku_id
        self.name = name


class OutOfStock(CommerceError):
    def __init__(self, sku_id: int, name: str, requested: int, available: int) -> None:
        super().__init__(f"sku {sku_id} ({name}): requested {requested}, {available} in stock")
        self.sku_id = sku_id
        self.name = name
        self.requested = requested
        self.available = max(0, available)


class PurchaseLimitExceeded(CommerceError):
    def __init__(self, sku_id: int, name: str, limit: int, already: int) -> None:
        super().__init__(f"sku {sku_id} ({name}): limit {limit} per customer, already {already}")
        self.sku_id = sku_id
        self.name = name
        self.limit = limit
        self.already = already
        self.remaining = max(0, limit - already)
