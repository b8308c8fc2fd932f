"""Shipment: an order's parcel (carrier + tracking number) and the latest tracking we have for it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from commerce.db import Base, BigId, IdMixin, TimestampMixin
from commerce.logistics.port import Tracking, TrackingEvent, TrackingState

MAX_EVENTS = 30  # newest first; older lines are dropped (the courier keeps the full history)


class Shipment(IdMixin, TimestampMixin, Base):
    __tablename__ = "shipments"

    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"), unique=True)
    order_no: Mapped[str] = mapped_column(String(24), index=True)
    openid: Mapped[str] = mapped_column(String(64), index=True)
    carrier: Mapped[str] = mapped_column(String(32))
    tracking_no: Mapped[str] = mapped_column(String(64), index=True)
    state: Mapped[str] = mapped_column(String(16), default=TrackingState.PENDING.value)
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    # [[time, context, location], …] newest first (may name the person who signed: personal data)
    events: Mapped[list[Any]] = mapped_column(JSON, default=list)
    checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    subscribed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    def tracking(self) -> Tracking:
        events = tuple(TrackingEvent(str(e[0]), str(e[1]), str(e[2]) if len(e) > 2 else "") for e in self.events)
        return Tracking(TrackingState(self.state), events, self.signed)

    def is_news(self, tracking: Tracking) -> bool:
        """True if `tracking` says something we do not have yet (older or equal reports are replays)."""
        mine = self.tracking()
        if tracking == mine:
            return False
        if tracking.latest_time and mine.latest_time and tracking.latest_time < mine.latest_time:
            return False
        return not (tracking.latest_time == mine.latest_time and len(tracking.events) <= len(mine.events)
                    and tracking.state == mine.state)

    def record(self, tracking: Tracking) -> None:
        self.state = tracking.state.value
        self.signed = self.signed or tracking.signed
        self.events = [[e.time, e.context, e.location] for e in tracking.events[:MAX_EVENTS]]

    def reset(self, carrier: str, tracking_no: str) -> None:
        """New carrier or tracking number (the merchant corrected it): the old tracking no longer applies."""
        if (carrier, tracking_no) != (self.carrier, self.tracking_no):
            self.carrier, self.tracking_no = carrier, tracking_no
            self.state, self.signed, self.events = TrackingState.PENDING.value, False, []
            self.subscribed_at = None
