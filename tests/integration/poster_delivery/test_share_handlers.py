"""The share handlers: what the user is told at once, and what is queued (a fake desk records it)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from bot import texts
from bot.dialogue import Ctx, Dialogue, StateStore
from bot.dialogue.sharing import CopyResult, ShareKind, ShareOutcome, ShareRequest
from bot.kv import MemoryKV
from bot.messages import Inbound, TextReply
from commerce.catalog import services as catalog
from commerce.db import Database
from nlu.types import Entity, Parse
from tests.integration.dialogue.conftest import seed_shop
from tests.unit.dialogue.fakes import FakeInterpreter


@dataclass
class FakeDesk:
    outcome: ShareOutcome = ShareOutcome.QUEUED
    copy: CopyResult = field(default_factory=lambda: CopyResult(ShareOutcome.QUEUED, "好物推荐 https://x/p/1?ref=C"))
    requests: list[ShareRequest] = field(default_factory=list)
    copies: list[tuple[str, int, str]] = field(default_factory=list)

    def request(self, req: ShareRequest) -> ShareOutcome:
        self.requests.append(req)
        return self.outcome

    def promo_copy(self, openid: str, product_id: int, tone: str, variant: int) -> CopyResult:
        self.copies.append((openid, product_id, tone))
        return self.copy


def parse(text: str, intent: str, **entities: str) -> Parse:
    ents = tuple(Entity(name, value, 0, len(value), normalized=_norm(name, value)) for name, value in entities.items())
    return Parse(text=text, intent=intent, confidence=0.95, entities=ents)


def _norm(name: str, value: str) -> object:
    return {"第一个": 1, "第九个": 9}.get(value, value) if name == "index" else value


CANNED = {
    "给我生成第一个商品的海报": parse("给我生成第一个商品的海报", "get_poster", index="第一个"),
    "给我生成第九个商品的海报": parse("给我生成第九个商品的海报", "get_poster", index="第九个"),
    "给我生成海报": parse("给我生成海报", "get_poster"),
    "给我生成这个商品的海报": parse("给我生成这个商品的海报", "get_poster"),
    "要一张店铺推广图": parse("要一张店铺推广图", "get_poster"),
    "第一个商品的推广视频": parse("第一个商品的推广视频", "get_poster", index="第一个"),
    "脐橙的海报": parse("脐橙的海报", "get_poster", product="脐橙"),
    "给我一段群聊文案": parse("给我一段群聊文案", "get_promo_copy"),
    "第一个的朋友圈文案": parse("第一个的朋友圈文案", "get_promo_copy", index="第一个"),
}


@dataclass
class Talk:
    dialogue: Dialogue
    desk: FakeDesk | None
    openid: str = "o-dist"

    def say(self, text: str) -> str:
        reply = self.dialogue.respond(Inbound(self.openid, "text", text=text, request_id=f"rid-{text}"))
        assert isinstance(reply, TextReply), reply
        return reply.content

    def click(self, key: str) -> str:
        reply = self.dialogue.respond(Inbound(self.openid, "event", event="click", key=key, request_id="rid-click"))
        assert isinstance(reply, TextReply), reply
        return reply.content


def talk(db: Database, desk: FakeDesk | None) -> Talk:
    interpreter = FakeInterpreter(CANNED)
    with db.uow() as uow:
        words = catalog.vocabulary(uow)
    interpreter.update_vocabulary(products=words.products, categories=words.categories, specs=words.specs)
    ctx = Ctx(db=db, interpreter=interpreter, public_base_url="https://shop.example.com", share=desk)
    return Talk(Dialogue(ctx, StateStore(MemoryKV())), desk)


@pytest.fixture
def shop(sqlite_db: Database) -> Database:
    seed_shop(sqlite_db)
    return sqlite_db


@pytest.fixture
def chat(shop: Database) -> Talk:
    return talk(shop, FakeDesk())


def orange_id(db: Database) -> str:
    with db.uow() as uow:
        return str(catalog.product_by_code(uow, "P-ORANGE").id)


class TestPosterRequests:
    def test_first_product_of_the_last_list_is_queued_and_the_reply_says_it_is_being_made(
        self, chat: Talk, shop: Database
    ) -> None:
        chat.say("脐橙")
        assert chat.say("给我生成第一个商品的海报") == texts.SHARE_POSTER_GENERATING
        assert chat.desk and chat.desk.requests == [
            ShareRequest("o-dist", ShareKind.PRODUCT, orange_id(shop), "rid-给我生成第一个商品的海报")]

    def test_a_named_product_needs_no_list(self, chat: Talk, shop: Database) -> None:
        chat.say("脐橙的海报")
        assert chat.desk and chat.desk.requests[0].ref_id == orange_id(shop)

    @pytest.mark.parametrize("text", ["店铺海报", "要一张店铺推广图", "给我生成海报"])
    def test_shop_poster_by_keyword_by_intent_or_when_no_product_is_meant(self, chat: Talk, text: str) -> None:
        assert chat.say(text) == texts.SHARE_SHOP_POSTER_GENERATING
        assert chat.desk and chat.desk.requests[0].kind is ShareKind.SHOP

    def test_the_poster_menu_asks_for_the_shop_poster_as_a_menu_event(self, chat: Talk) -> None:
        assert chat.click("MENU_POSTER") == texts.SHARE_SHOP_POSTER_GENERATING
        assert chat.desk and chat.desk.requests[0].via_event

    def test_event_poster_and_video(self, chat: Talk, shop: Database) -> None:
        assert chat.say("活动海报") == texts.SHARE_EVENT_POSTER_GENERATING
        chat.say("脐橙")
        assert chat.say("第一个商品的推广视频") == texts.SHARE_VIDEO_GENERATING
        assert chat.desk and [r.kind for r in chat.desk.requests] == [ShareKind.EVENT, ShareKind.VIDEO]

    def test_an_index_past_the_list_is_explained_and_nothing_is_queued(self, chat: Talk) -> None:
        chat.say("脐橙")
        answer = chat.say("给我生成第九个商品的海报")
        assert "9" in answer or "九" in answer
        assert chat.desk and chat.desk.requests == []

    @pytest.mark.parametrize("text", ["给我生成这个商品的海报", "要视频"])
    def test_this_product_without_any_list_asks_which(self, chat: Talk, text: str) -> None:
        assert "哪个商品" in chat.say(text)
        assert chat.desk and chat.desk.requests == []

    @pytest.mark.parametrize(("outcome", "text"), [
        (ShareOutcome.DELAYED, texts.SHARE_DELAYED),
        (ShareOutcome.JOIN_FIRST, texts.SHARE_JOIN_FIRST),
        (ShareOutcome.QUOTA_EXHAUSTED, texts.SHARE_QUOTA_EXHAUSTED.format(again=texts.SHARE_AGAIN_POSTER)),
    ])
    def test_the_desks_answer_is_told_in_the_passive_reply(self, shop: Database, outcome: ShareOutcome,
                                                            text: str) -> None:
        assert talk(shop, FakeDesk(outcome)).say("店铺海报") == text

    def test_without_a_desk_sharing_is_said_to_be_unavailable(self, shop: Database) -> None:
        assert talk(shop, None).say("店铺海报") == texts.SHARE_UNAVAILABLE


class TestPromoCopy:
    def test_copy_is_the_passive_reply_in_the_asked_tone(self, chat: Talk, shop: Database) -> None:
        chat.say("脐橙")
        answer = chat.say("第一个的朋友圈文案")
        assert answer == texts.SHARE_COPY_HEAD.format(tone="朋友圈", text="好物推荐 https://x/p/1?ref=C")
        chat.say("给我一段群聊文案")  # the product in focus since the last turn
        assert chat.desk and [c[2] for c in chat.desk.copies] == ["朋友圈", "群聊"]

    def test_banned_words_in_the_product_facts_are_named(self, shop: Database) -> None:
        desk = FakeDesk(copy=CopyResult(ShareOutcome.NOT_SHAREABLE, banned_words=("最", "第一")))
        t = talk(shop, desk)
        t.say("脐橙")
        assert t.say("第一个的朋友圈文案") == texts.SHARE_COPY_FORBIDDEN.format(words="最、第一")

    def test_copy_with_no_product_in_view_asks_which(self, chat: Talk) -> None:
        assert chat.say("文案") == texts.SHARE_WHICH_PRODUCT.format(what=texts.SHARE_WHAT_COPY)
