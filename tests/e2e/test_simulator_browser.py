"""The simulator in a real headless Chromium against the real app (uvicorn, SQLite, MemoryKV, sandbox).

`LiveApp` serves `siyu.app.create_app(boot())` on a free port; `SimulatorPage` drives the page
like a person: `say(text)` types and waits for the bot's answer, `tap_menu(top, sub)`,
`scan(url)`, `bot_messages()`.  A full purchase is a sequence of `say` calls.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.messages import TextReply
from tests.e2e.live_app import LiveApp

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (make browser)"),
]


class SimulatorPage:
    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        page.goto(f"{base_url}/simulator")
        page.wait_for_selector("[data-testid=chat]")

    def bot_messages(self) -> list[str]:
        return self._texts("bot-message")

    def user_messages(self) -> list[str]:
        return self._texts("user-message")

    def _texts(self, testid: str) -> list[str]:
        script = ("id => Array.from(document.querySelectorAll(`[data-testid=${id}]`))"
                  ".map(row => row.querySelector(':scope > :not(.avatar)').innerText.trim())")
        return list(self.page.evaluate(script, testid))

    def wait_for_bot(self, count: int, timeout_s: float = 15) -> list[str]:
        self.page.wait_for_function(
            "n => document.querySelectorAll('[data-testid=bot-message]').length >= n", arg=count,
            timeout=timeout_s * 1000)
        return self.bot_messages()

    def keyboard(self) -> None:
        if self.page.locator("#inputbar").is_hidden():
            self.page.click("#to-input")

    def say(self, text: str) -> str:
        """Type `text`, send it, return the bot's next message."""
        self.keyboard()
        before = len(self.bot_messages())
        self.page.fill("[data-testid=input]", text)
        self.page.click("[data-testid=send]")
        return self.wait_for_bot(before + 1)[before]

    def tap_menu(self, top: str, sub: str | None = None) -> str:
        before = len(self.bot_messages())
        if self.page.locator("#menubar").is_hidden():
            self.page.click("#to-menu")
        self.page.click(f"#menu-buttons button:text-is('{top}')")
        if sub:
            self.page.click(f"#submenu button:text-is('{sub}')")
        return self.wait_for_bot(before + 1)[before]

    def scan(self, qr_url: str) -> str:
        before = len(self.bot_messages())
        self.keyboard()
        self.page.click("[data-testid=scan]")
        self.page.fill("[data-testid=scan-url]", qr_url)
        self.page.click("[data-testid=scan-go]")
        return self.wait_for_bot(before + 1)[before]


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    with LiveApp(tmp_path_factory.mktemp("live_app")) as app:
        yield app


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def simulator(live_app: LiveApp, browser: Any) -> Iterator[SimulatorPage]:
    """A fresh browser context: a new simulator user each test."""
    context = browser.new_context(viewport={"width": 400, "height": 800})
    try:
        yield SimulatorPage(context.new_page(), live_app.base_url)
    finally:
        context.close()


def test_a_new_user_is_welcomed_and_answered_when_saying_hello(simulator: SimulatorPage) -> None:
    welcome = simulator.wait_for_bot(1)[0]  # the page follows the account for a new user
    assert welcome
    answer = simulator.say("你好")
    assert answer
    assert "暂时无法提供服务" not in answer
    assert simulator.user_messages()[-1] == "你好"
    assert "欢迎" in welcome
    assert "购物助手" in answer


def test_the_custom_menu_sends_click_events(simulator: SimulatorPage) -> None:
    simulator.wait_for_bot(1)
    answer = simulator.tap_menu("我的", "购物车")
    assert answer and "暂时无法提供服务" not in answer
    if shot := __import__("os").environ.get("SIYU_SIMULATOR_SCREENSHOT"):
        simulator.page.screenshot(path=shot)


def test_scanning_a_qr_code_issued_by_the_sandbox(simulator: SimulatorPage, live_app: LiveApp) -> None:
    simulator.wait_for_bot(1)
    ticket = live_app.container.wechat_api.create_qrcode("ref_browser", expire_seconds=600)
    answer = simulator.scan(ticket.url)
    assert answer and "暂时无法提供服务" not in answer


def test_customer_service_messages_appear_live(simulator: SimulatorPage, live_app: LiveApp) -> None:
    simulator.wait_for_bot(1)
    openid = simulator.page.evaluate("localStorage.getItem('siyu.sim.current')").strip('"')
    live_app.container.outbound.deliver(openid, TextReply("订单已发货"))
    simulator.page.wait_for_selector("[data-source=cs] >> text=订单已发货", timeout=5000)


def test_a_new_user_buys_oranges_by_typing_chinese_and_pays_on_the_pay_page(
    simulator: SimulatorPage, live_app: LiveApp
) -> None:
    """Issue 4's done-when, in a real browser: subscribe, browse, search, detail, add two, check out,
    give an address, pay on the pay page, see the confirmation and the order as paid."""
    simulator.wait_for_bot(1)
    assert "农产品" in simulator.say("有什么好吃的") or "脐橙" in simulator.bot_messages()[-1]
    assert "脐橙" in simulator.say("脐橙")
    assert "赣南脐橙" in simulator.say("第一个详细说说")
    answer = simulator.say("来两件")
    if "规格" in answer or "哪个" in answer:
        answer = simulator.say("5斤")
    assert "已加入购物车" in answer and "×2" in answer
    assert "同意" in simulator.say("结算")
    simulator.say("同意")
    assert "确认" in simulator.say("王小明 13812345678 浙江省杭州市西湖区文三路100号")
    simulator.say("确认")
    card = simulator.page.locator("[data-testid=news-card]").last
    assert "待支付" in card.inner_text()
    with simulator.page.context.expect_page() as popup:
        card.click()
    pay_page = popup.value
    pay_page.wait_for_load_state()
    assert "确认支付" in pay_page.content()
    pay_page.click("form button[type=submit]")
    pay_page.wait_for_selector("[data-status=paid]", timeout=15000)
    simulator.page.wait_for_selector("[data-source=cs] >> text=支付成功", timeout=15000)
    assert "已支付" in simulator.say("我的订单")
