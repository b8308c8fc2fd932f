"""Order domain errors (data-carrying; bot/ maps them to Chinese text)."""

from __future__ import annotations

from commerce.errors import CommerceError, NotFound


class OrderNotFound(NotFound):
    """Unknown order number — also raised when the order belongs to someone else (no existence leak)."""

    def __init__(self, order_no: str) -> None:
        super().__init__("order", order_no)
        self.order_no = order_no


class AddressNotFound(NotFound):
    def __init__(self, address_id: int) -> None:
        super().__init__("address", address_id)
        self.address_id = address_id


class EmptyCheckout(CommerceError):
    """Nothing to buy: the cart is empty or no items were given."""

    def __init__(self) -> None:
        super().__init__("nothing to check out")


class OrderNotPayable(CommerceError):
    """Payment asked for an order that is not awaiting payment (paid, cancelled, expired…)."""

    def __init__(self, order_no: str, status: str) -> None:
        super().__init__(f"order {order_no} is {status}, not awaiting payment")
        self.order_no = order_no
        self.status = status
