"""Read model of an after-sale request for the chat and the merchant CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from commerce.aftersale.model import AfterSaleRequest
from commerce.aftersale.states import AfterSaleKind, AfterSaleStatus
from commerce.clock import as_utc


@dataclass(frozen=True)
class AfterSaleView:
    id: int
    order_no: str
    openid: str
    kind: AfterSaleKind
    status: AfterSaleStatus
    whole_order: bool
    amount_fen: int
    lines: tuple[tuple[int, int], ...]  # (order line id, goods fen); empty = whole order
    reason: str
    evidence: str
    refund_no: str | None
    merchant_note: str
    created_at: datetime


def after_sale_view(r: AfterSaleRequest) -> AfterSaleView:
    return AfterSaleView(
        id=r.id, order_no=r.order_no, openid=r.openid, kind=AfterSaleKind(r.kind), status=AfterSaleStatus(r.status),
        whole_order=r.whole_order, amount_fen=r.amount_fen,
        lines=tuple(sorted((int(k), int(v)) for k, v in (r.lines or {}).items())), reason=r.reason,
        evidence=r.evidence, refund_no=r.refund_no, merchant_note=r.merchant_note, created_at=as_utc(r.created_at),
    )
