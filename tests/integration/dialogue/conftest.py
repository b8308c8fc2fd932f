"""A seeded little shop and a chat helper that talks to the real dialogue engine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.dialogue import Ctx, DialogState, Dialogue, StateStore
from bot.kv import KV, MemoryKV
from bot.messages import Inbound, Reply
from commerce.catalog import services as catalog
from commerce.catalog.drafts import ProductDraft, SkuDraft
from commerce.db import Database
from tests.unit.dialogue.fakes import FakeInterpreter, RecordingReferrals

BASE_URL = "https://shop.example.com"


def seed_shop(db: Database) -> None:
    drafts = [
        ProductDraft("P-ORANGE", "赣南脐橙", category_path="食品/水果", subtitle="现摘现发 甜过初恋",
                     images=("products/orange.jpg",), selling_points=("果园直发", "坏果包赔"), sales_count=500,
                     skus=(SkuDraft("ORANGE-5", 3990, {"规格": "5斤装"}, member_price_fen=3590, stock=100),
                           SkuDraft("ORANGE-10", 6990, {"规格": "10斤装"}, stock=50))),
        ProductDraft("P-APPLE", "烟台苹果", category_path="食品/水果", sales_count=300,
                     skus=(SkuDraft("APPLE-1", 2990, {"规格": "3斤装"}, stock=80),)),
        ProductDraft("P-TEA", "西湖龙井", category_path="食品/茶叶", sales_count=100,
                     skus=(SkuDraft("TEA-1", 16800, {"规格": "250克"}, stock=20),)),
        ProductDraft("P-TEE", "纯棉T恤", category_path="服装/女装", sales_count=200,
                     skus=tuple(SkuDraft(f"TEE-{s}", 5900, {"尺码": s}, stock=10) for s in ("S", "M", "L", "XL"))),
        ProductDraft("P-CREAM", "保湿面霜", category_path="美妆护肤", sales_count=50,
                     skus=(SkuDraft("CREAM-1", 19900, {"规格": "50ml"}, stock=5),)),
    ]
    with db.uow() as uow:
        for draft in drafts:
            catalog.upsert_product(uow, draft, actor="test")
        uow.commit()


@dataclass
class Chat:
    """One customer talking to the bot."""

    dialogue: Dialogue
    openid: str = "o-customer-1"
    replies: list[Reply] = field(default_factory=list)

    def say(self, text: str) -> Reply:
        return self._send(Inbound(openid=self.openid, kind="text", text=text))

    def click(self, key: str) -> Reply:
        return self._send(Inbound(openid=self.openid, kind="event", event="click", key=key))

    def subscribe(self, scene: str = "") -> Reply:
        return self._send(Inbound(openid=self.openid, kind="event", event="subscribe", scene=scene))

    def send(self, inbound: Inbound) -> Reply:
        return self._send(inbound)

    def _send(self, inbound: Inbound) -> Reply:
        reply = self.dialogue.respond(inbound)
        self.replies.append(reply)
        return reply

    @property
    def state(self) -> DialogState:
        return self.dialogue.store.load(self.openid)

    def as_user(self, openid: str) -> Chat:
        return Chat(self.dialogue, openid)


def make_dialogue(db: Database, kv: KV | None = None) -> tuple[Dialogue, RecordingReferrals]:
    interpreter = FakeInterpreter()
    with db.uow() as uow:
        words = catalog.vocabulary(uow)
    interpreter.update_vocabulary(products=words.products, categories=words.categories, specs=words.specs)
    referrals = RecordingReferrals()
    ctx = Ctx(db=db, interpreter=interpreter, public_base_url=BASE_URL, shop_name="测试小店",
              on_referral_scene=referrals)
    return Dialogue(ctx, StateStore(kv or MemoryKV())), referrals


@pytest.fixture
def shop(db: Database) -> Database:
    seed_shop(db)
    return db


@pytest.fixture
def chat(shop: Database) -> Chat:
    dialogue, _ = make_dialogue(shop)
    return Chat(dialogue)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the real NLU model is trained once per test module."""
    return tmp_path_factory.mktemp("nlu")


@contextmanager
def real_container(tmp_path: Path, model_dir: Path) -> Iterator[Any]:
    """The production wiring (real NLU, SQLite) over the seeded test shop; for `container` fixtures."""
    from commerce.db import Base
    from siyu.container import Container
    from siyu.settings import load_settings

    settings = load_settings(data_dir=tmp_path, public_base_url="https://shop.example.com",
                             nlu={"model_path": str(model_dir / "model.pkl")})
    c = Container(settings)
    Base.metadata.create_all(c.db.engine)
    seed_shop(c.db)
    try:
        yield c
    finally:
        c.close()


def text_of(reply: object) -> str:
    from bot.messages import TextReply

    assert isinstance(reply, TextReply), reply
    return reply.content
