"""Logistics domain errors (data-carrying; bot/ maps them to Chinese text)."""

from __future__ import annotations

from commerce.errors import CommerceError, NotFound


class NotShipped(CommerceError):
    """Tracking asked for an order that has no parcel yet."""

    def __init__(self, order_no: str, status: str) -> None:
        super().__init__(f"order {order_no} is {status}: not shipped")
        self.order_no = order_no
        self.status = status


class ShipmentNotFound(NotFound):
    """No parcel of this customer has that tracking number."""

    def __init__(self, tracking_no: str) -> None:
        super().__init__("shipment", tracking_no)
        self.tracking_no = tracking_no
