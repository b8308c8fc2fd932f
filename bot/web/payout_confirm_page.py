"""HTML of the distributor's 确认收款 page `GET /payout/confirm/{payout_no}` (real WeChat Pay).

WeChat Pay's merchant transfer (transfer-bills) waits for the payee (WAIT_USER_CONFIRM): this page,
opened inside WeChat, runs `wx.config` (JS-SDK signature over the jsapi_ticket) and then
`wx.requestMerchantTransfer({mchId, appId, package})` with the bill's `package_info`.  A paid or
failed payout just says so.  The only external asset is WeChat's own JS-SDK script.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

from bot import texts

JSSDK_URL = "https://res.wx.qq.com/open/js/jweixin-1.6.0.js"
TITLE = "确认收款"
BUTTON = "确认收款"
AMOUNT = "提现金额"
PAYOUT_NO = "单号"
WAITING = "点击下方按钮，在微信弹出的页面中确认收款，确认后转入微信零钱。请在 24 小时内确认。"
CONFIRMED = "已确认收款，稍后到账，到账后会通知你～"
CANCELLED = "你取消了确认，可以再次点击按钮确认收款。"
PAID = "已到账：这笔提现已转入你的微信零钱。"
FAILED = "提现未成功，这笔钱已退回你的可提现余额，回到公众号回复「我的佣金」查看。"
PENDING = "这笔提现还在处理中，可以确认时我们会发消息通知你。"
NOT_IN_WECHAT = "请在微信中打开此页面确认收款。"
FORBIDDEN = "链接无效：请打开公众号消息里的确认收款链接。"
NOT_FOUND = "提现单不存在"


@dataclass(frozen=True)
class ConfirmView:
    """What the page shows: the payout, and (when it waits for the user) the signed JS-SDK parameters."""

    payout_no: str
    net_fen: int
    state: str  # PayoutState value
    wx_config: dict[str, object] | None = None  # appId, timestamp, nonceStr, signature, jsApiList
    transfer: dict[str, str] | None = None  # mchId, appId, package for wx.requestMerchantTransfer


def _script(view: ConfirmView) -> str:
    cfg = json.dumps(view.wx_config, ensure_ascii=False).replace("<", "\\u003c")
    transfer = json.dumps(view.transfer, ensure_ascii=False).replace("<", "\\u003c")
    return (
        f'<script src="{JSSDK_URL}"></script><script>var C={cfg},T={transfer};'
        "var b=document.getElementById('confirm'),m=document.getElementById('msg');"
        "function say(t){m.textContent=t;}"
        f"if(typeof wx==='undefined'){{say({json.dumps(NOT_IN_WECHAT, ensure_ascii=False)});}}else{{"
        "wx.config(Object.assign({debug:false},C));"
        "wx.error(function(e){say(e.errMsg||'wx.config error');});"
        "b.onclick=function(){wx.ready(function(){wx.checkJsApi({jsApiList:['requestMerchantTransfer'],"
        "success:function(){wx.requestMerchantTransfer(T,function(r){"
        f"if(r.err_msg==='requestMerchantTransfer:ok'){{b.disabled=true;say({json.dumps(CONFIRMED, ensure_ascii=False)});}}"
        f"else if(r.err_msg==='requestMerchantTransfer:cancel'){{say({json.dumps(CANCELLED, ensure_ascii=False)});}}"
        "else{say(r.err_msg||'');}});}});});};}</script>"
    )


def _body(view: ConfirmView) -> str:
    if view.state == "paid":
        return f'<p class="ok" id="state">{PAID}</p>'
    if view.state == "failed":
        return f'<p class="warn" id="state">{FAILED}</p>'
    if view.wx_config and view.transfer:
        return (f'<p class="muted">{WAITING}</p><button id="confirm">{BUTTON}</button>'
                f'<p id="msg" class="warn"></p>{_script(view)}')
    return f'<p class="muted" id="state">{PENDING}</p>'


def _page(title: str, main: str) -> str:
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body><main>{main}</main></body></html>"
    )


def render(view: ConfirmView, *, shop_name: str) -> str:
    return _page(f"{TITLE} - {shop_name}", (
        f"<h1>{escape(shop_name)} · {TITLE}</h1>"
        f'<p>{AMOUNT} <span class="total">{escape(texts.yuan(view.net_fen))}</span></p>'
        f'<p class="muted">{PAYOUT_NO} {escape(view.payout_no)}</p>{_body(view)}'))


def render_message(message: str, *, shop_name: str) -> str:
    """The 403 / 404 pages."""
    return _page(shop_name, f"<h1>{escape(shop_name)}</h1><p>{escape(message)}</p>")


STYLE = (
    "body{margin:0;font:16px/1.5 -apple-system,'PingFang SC','Noto Sans CJK SC',sans-serif;color:#222;"
    "background:#f6f6f6}main{margin:12px;padding:12px 16px;background:#fff;border-radius:8px}"
    ".total{color:#e4393c;font-size:22px;font-weight:600}.muted{color:#888;font-size:14px}"
    "button{width:100%;padding:12px;border:0;border-radius:6px;background:#07c160;color:#fff;font-size:18px}"
    "button:disabled{background:#9ed9b6}.ok{color:#07c160}.warn{color:#e4393c}"
)
