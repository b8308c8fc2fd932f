"""HTML of the mobile pay page `GET /pay/{order_no}` (order, price breakdown, masked receiver).

Sandbox: a plain `<form>` whose 确认支付 button posts the prepay id to the pay
sandbox, which then sends the signed callback (a stable interface — checkers
submit this form).  Real mode: a button calling WeixinJSBridge getBrandWCPayRequest
with the signed JSAPI parameters.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

from bot import texts
from commerce.orders.views import OrderView

TITLE = "订单支付"
PAY_BUTTON = "确认支付"
PAID = "支付成功，我们会尽快发货～回到公众号对话可随时查看订单。"
NOT_PAYABLE = "订单{status}，无需支付。"
UNAVAILABLE = "支付暂时不可用，请稍后刷新重试。"
NOT_FOUND = "订单不存在"
SANDBOX_NOTE = "演示环境：点击按钮模拟微信支付成功（沙箱会发送签名回调）。"
LABELS = {"goods": "商品金额", "discount": "优惠", "points": "积分抵扣", "shipping": "运费", "payable": "应付",
          "receiver": "收货人", "order_no": "订单号", "status": "状态"}

STYLE = (
    "body{margin:0;font:16px/1.5 -apple-system,'PingFang SC','Noto Sans CJK SC',sans-serif;color:#222;"
    "background:#f6f6f6}main{margin:12px;padding:12px 16px;background:#fff;border-radius:8px}"
    "table{width:100%;border-collapse:collapse}td{padding:4px 0;border-top:1px solid #f0f0f0}"
    "td.r{text-align:right}.total{color:#e4393c;font-size:22px;font-weight:600}.muted{color:#888;font-size:14px}"
    "button{width:100%;padding:12px;border:0;border-radius:6px;background:#07c160;color:#fff;font-size:18px}"
    ".ok{color:#07c160}.warn{color:#e4393c}"
)


@dataclass(frozen=True)
class PayAction:
    """How the page lets the user pay: a sandbox form, JSAPI params, or nothing (with a message)."""

    sandbox_confirm_url: str | None = None
    prepay_id: str | None = None
    jsapi_params: dict[str, str] | None = None
    message: str = ""


def _row(label: str, value: str, cls: str = "") -> str:
    return f'<tr><td>{escape(label)}</td><td class="r {cls}">{escape(value)}</td></tr>'


def _breakdown(o: OrderView) -> str:
    rows = [_row(f"{ln.name} {ln.spec_text} ×{ln.quantity}", texts.yuan(ln.subtotal_fen)) for ln in o.lines]
    rows.append(_row(LABELS["goods"], texts.yuan(o.goods_fen)))
    if o.discount_fen:
        rows.append(_row(LABELS["discount"], "-" + texts.yuan(o.discount_fen)))
    if o.points_fen:
        rows.append(_row(LABELS["points"], "-" + texts.yuan(o.points_fen)))
    rows.append(_row(LABELS["shipping"], texts.yuan(o.shipping_fen)))
    rows.append(_row(LABELS["payable"], texts.yuan(o.payable_fen), "total"))
    return "<table>" + "".join(rows) + "</table>"


def _action(order_no: str, action: PayAction) -> str:
    if action.message:
        return f'<p class="warn">{escape(action.message)}</p>'
    if action.sandbox_confirm_url and action.prepay_id:
        return (
            f'<form method="post" action="{escape(action.sandbox_confirm_url)}">'
            f'<input type="hidden" name="prepay_id" value="{escape(action.prepay_id)}">'
            f'<input type="hidden" name="out_trade_no" value="{escape(order_no)}">'
            f'<input type="hidden" name="return_url" value="/pay/{escape(order_no)}">'
            f'<button type="submit">{PAY_BUTTON}</button></form><p class="muted">{SANDBOX_NOTE}</p>'
        )
    if action.jsapi_params:
        params = json.dumps(action.jsapi_params).replace("<", "\\u003c")
        return (
            f'<button id="pay">{PAY_BUTTON}</button><script>var P={params};'
            "document.getElementById('pay').onclick=function(){WeixinJSBridge.invoke('getBrandWCPayRequest',P,"
            "function(r){if(r.err_msg==='get_brand_wcpay_request:ok'){location.reload();}});};</script>"
        )
    return ""


def render(order: OrderView, action: PayAction, *, shop_name: str) -> str:
    status = texts.status_text(order.status.value)
    if order.status.value == "pending_payment":
        body = _action(order.order_no, action)
    elif order.paid_fen:
        body = f'<p class="ok">{PAID}</p>'
    else:
        body = f'<p class="warn">{escape(NOT_PAYABLE.format(status=status))}</p>'
    receiver = f"{order.receiver_name_masked} {order.receiver_phone_masked} {order.address_masked}"
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{TITLE} - {escape(shop_name)}</title><style>{STYLE}</style></head><body><main>"
        f"<h1>{escape(shop_name)} · {TITLE}</h1>"
        f'<p class="muted">{LABELS["order_no"]} {escape(order.order_no)} · {LABELS["status"]} '
        f'<span id="status" data-status="{escape(order.status.value)}">{escape(status)}</span></p>'
        f"{_breakdown(order)}"
        f'<p class="muted">{LABELS["receiver"]}：{escape(receiver)}</p>{body}</main></body></html>'
    )


def render_missing(shop_name: str) -> str:
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{NOT_FOUND}</title></head>'
            f"<body><main><h1>{escape(shop_name)}</h1><p>{NOT_FOUND}</p></main></body></html>")
