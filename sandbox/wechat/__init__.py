"""Imitation of WeChat's API server (`api.py`), of WeChat's servers calling us (`servers.py`,
`wire.py`) and the sandbox's own inspection endpoints (`views.py`)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from sandbox.wechat.api import api_routes
from sandbox.wechat.config import WeChatSandboxConfig
from sandbox.wechat.oauth import OAuthCodes, oauth_routes
from sandbox.wechat.platform import Platform
from sandbox.wechat.servers import server_routes
from sandbox.wechat.views import view_routes


class WeChatSandbox:
    def __init__(self, config: WeChatSandboxConfig) -> None:
        self.platform = Platform(config)
        self.oauth_codes = OAuthCodes()

    def routes(self) -> list[BaseRoute]:
        return (api_routes(self.platform) + view_routes(self.platform) + server_routes(self.platform)
                + oauth_routes(self.platform, self.oauth_codes))

    def mark_paid(self, openid: str) -> None:
        """A payment opens 48 h of unlimited customer-service messages (the pay sandbox calls this)."""
        with self.platform.lock:
            self.platform.follower(openid).paid(self.platform.now())

    def messages_for(self, openid: str) -> list[dict[str, object]]:
        return self.platform.messages_for(openid)


__all__ = ["WeChatSandbox", "WeChatSandboxConfig"]
