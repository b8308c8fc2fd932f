"""Whatever a user types, the bot answers — and never with the 'system busy' apology of a crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import texts
from bot.messages import EmptyReply, Inbound, NewsReply, TextReply, TransferReply
from commerce.db import Database
from tests.integration.dialogue.conftest import make_dialogue, seed_shop

SHOP_WORDS = st.sampled_from(["脐橙", "第二个", "来两件", "XL", "结算", "确认", "同意", "取消", "2", "购物车",
                              "换成M码", "再来一件", "就这个", "SY2024", "13812345678", "浙江省杭州市"])
TEXTS = st.one_of(st.text(max_size=60), st.lists(SHOP_WORDS, max_size=4).map("".join),
                  st.tuples(SHOP_WORDS, st.text(max_size=8)).map("".join))


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(text=TEXTS, user=st.integers(min_value=1, max_value=3))
def test_any_text_gets_a_reply_and_never_the_crash_apology(sqlite_db: Database, text: str, user: int) -> None:
    if not getattr(sqlite_db, "_seeded", False):
        seed_shop(sqlite_db)
        sqlite_db._seeded = True  # type: ignore[attr-defined]
        sqlite_db._dialogue = make_dialogue(sqlite_db)[0]  # type: ignore[attr-defined]
    dialogue = sqlite_db._dialogue  # type: ignore[attr-defined]
    reply = dialogue.respond(Inbound(openid=f"o-fuzz-{user}", kind="text", text=text))
    assert isinstance(reply, TextReply | NewsReply | TransferReply)
    assert not isinstance(reply, EmptyReply)
    if isinstance(reply, TextReply):
        assert reply.content and reply.content != texts.SYSTEM_BUSY
