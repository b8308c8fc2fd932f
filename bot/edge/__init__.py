"""The WeChat edge: the `/wechat` endpoint and the only code that reads or writes WeChat XML.

    endpoint = WeChatEndpoint(EdgeConfig(token=..., app_id=...), respond, kv)
    Route("/wechat", endpoint.handle, methods=["GET", "POST"])
"""

from __future__ import annotations

from bot.edge.config import EdgeConfig
from bot.edge.endpoint import WeChatEndpoint

__all__ = ["EdgeConfig", "WeChatEndpoint"]
