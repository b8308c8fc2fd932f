"""Imitations of external servers (WeChat's API and servers; WeChat Pay v3 and the courier add
theirs) and the web chat simulator.  Never imported by production code paths; `siyu/` mounts
`routes(config)` when `sandbox.enabled`."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.routing import BaseRoute

from sandbox.simulator import simulator_routes
from sandbox.wechat import WeChatSandbox, WeChatSandboxConfig


@dataclass
class Sandbox:
    wechat: WeChatSandbox

    def routes(self) -> list[BaseRoute]:
        # pay / courier sandboxes: append their routes here
        return self.wechat.routes() + simulator_routes()


def build(config: WeChatSandboxConfig) -> Sandbox:
    return Sandbox(wechat=WeChatSandbox(config))


def routes(config: WeChatSandboxConfig) -> list[BaseRoute]:
    return build(config).routes()


__all__ = ["Sandbox", "WeChatSandboxConfig", "build", "routes"]
