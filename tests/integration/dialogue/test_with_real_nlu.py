"""The journey again, with the production NLU (embedded interpreter trained on the shipped data) and the
production wiring (`siyu.dialogue.build_dialogue`) instead of the keyword fake."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.messages import NewsReply, TextReply
from siyu.container import Container
from siyu.dialogue import build_dialogue
from tests.integration.dialogue.conftest import Chat, real_container, text_of

pytestmark = pytest.mark.slow


@pytest.fixture
def container(tmp_path: Path, model_dir: Path) -> Iterator[Container]:
    with real_container(tmp_path, model_dir) as c:
        yield c


def test_the_production_wiring_sells_two_oranges_by_free_text(container: Container) -> None:
    referrals: list[tuple[str, str]] = []
    chat = Chat(build_dialogue(container, on_referral_scene=lambda o, s: referrals.append((o, s))))
    assert container.settings.shop.name in text_of(chat.subscribe(scene="dist_42"))
    assert referrals == [(chat.openid, "dist_42")]
    assert "赣南脐橙" in text_of(chat.say("有什么好吃的"))
    assert "赣南脐橙" in text_of(chat.say("搜索脐橙"))
    assert isinstance(chat.say("第一个详细说说"), NewsReply)
    assert "5斤装" in text_of(chat.say("来两件"))
    assert "×2" in text_of(chat.say("5斤装"))
    assert "个人信息" in text_of(chat.say("结算"))
    assert "姓名" in text_of(chat.say("同意"))
    assert "应付" in text_of(chat.say("张三 13812345678 浙江省杭州市西湖区文三路100号"))
    pay = chat.say("确认")
    assert isinstance(pay, NewsReply) and "/pay/SY" in pay.url
    assert "待支付" in text_of(chat.say("我的订单"))
    assert "确认取消" in text_of(chat.say("取消订单"))
    assert "已取消" in text_of(chat.say("确认"))


def test_container_dialogue_is_built_once_and_answers(container: Container) -> None:
    assert container.dialogue is container.dialogue
    from bot.messages import Inbound

    reply = container.dialogue.respond(Inbound(openid="o-x", kind="text", text="你好"))
    assert isinstance(reply, TextReply) and container.settings.shop.name in reply.content


class TestRefiningASearch:
    """A bare budget or 「便宜点的」 right after a list refines that search instead of starting over."""

    def test_a_budget_after_a_category_list_filters_that_category(self, container: Container) -> None:
        chat = Chat(build_dialogue(container))
        assert "赣南脐橙" in text_of(chat.say("有什么水果"))
        within = text_of(chat.say("30块以内的"))
        assert "烟台苹果" in within and "赣南脐橙" not in within and "纯棉T恤" not in within

    def test_a_budget_in_the_search_sentence_is_a_filter_not_a_search_word(self, container: Container) -> None:
        chat = Chat(build_dialogue(container))
        found = text_of(chat.say("200块以内的面霜"))
        assert "保湿面霜" in found

    def test_cheaper_lists_the_same_search_cheapest_first(self, container: Container) -> None:
        chat = Chat(build_dialogue(container))
        text_of(chat.say("有什么水果"))
        cheaper = text_of(chat.say("有没有便宜点的"))
        assert cheaper.index("烟台苹果") < cheaper.index("赣南脐橙")


def test_asking_which_colours_lists_the_focused_products_specs(container: Container) -> None:
    chat = Chat(build_dialogue(container))
    chat.say("搜索T恤")
    chat.say("第一个")
    answer = text_of(chat.say("有什么尺码"))
    assert "XL" in answer and "M" in answer
    assert "已加入购物车" in text_of(chat.say("XL"))


def test_the_first_product_without_a_list_shown_is_the_shops_best_seller(container: Container) -> None:
    chat = Chat(build_dialogue(container))
    reply = chat.say("第一个商品详细说说")
    assert isinstance(reply, NewsReply) and "赣南脐橙" in reply.title


def seed_hoodie(container: Container, code: str, name: str) -> None:
    """A hoodie sold in 黑/灰 × M/XL."""
    from commerce.catalog import services as catalog
    from commerce.catalog.drafts import ProductDraft, SkuDraft

    with container.db.uow() as uow:
        skus = tuple(SkuDraft(f"{code}-{c}-{s}", 12900, {"颜色": c, "尺码": s}, stock=5)
                     for c in ("黑", "灰") for s in ("M", "XL"))
        catalog.upsert_product(uow, ProductDraft(code, name, category_path="服装", skus=skus), actor="t")
        uow.commit()


def test_colour_and_size_in_one_sentence_pick_the_one_sku(container: Container) -> None:
    seed_hoodie(container, "HOOD", "纯棉连帽卫衣")
    chat = Chat(build_dialogue(container))
    chat.say("看看卫衣")
    chat.say("第一个")
    assert "黑 XL×1" in text_of(chat.say("要XL的黑色"))


def test_checking_out_before_picking_the_asked_spec_says_what_is_missing(container: Container) -> None:
    chat = Chat(build_dialogue(container))
    chat.say("脐橙")
    chat.say("第一个详细说说")
    assert "规格" in text_of(chat.say("来两件"))
    reply = text_of(chat.say("结算"))
    assert "购物车还是空的" in reply and "赣南脐橙" in reply and "5斤装" in reply
    assert "×1" in text_of(chat.say("5斤装"))
    assert "个人信息" in text_of(chat.say("结算"))


def test_a_weight_is_not_a_number_of_boxes(container: Container) -> None:
    chat = Chat(build_dialogue(container))
    assert "规格" in text_of(chat.say("买两斤橙子"))
    assert "×1" in text_of(chat.say("第一个"))


def test_a_shoppers_word_for_a_category_finds_its_products(container: Container) -> None:
    from commerce.catalog import services as catalog
    from commerce.catalog.drafts import ProductDraft, SkuDraft

    with container.db.uow() as uow:
        catalog.upsert_product(uow, ProductDraft("DIAPER", "超薄纸尿裤", category_path="母婴/尿裤", skus=(
            SkuDraft("DIAPER-L", 12900, {"尺码": "L"}, stock=5), SkuDraft("DIAPER-XL", 12900, {"尺码": "XL"}, stock=5))),
            actor="t")
        uow.commit()
    chat = Chat(build_dialogue(container))
    assert "超薄纸尿裤" in text_of(chat.say("有宝宝用的吗"))
    chat.say("第一个")
    assert "XL" in text_of(chat.say("有没有大号的"))


def test_a_bare_size_after_a_product_card_narrows_to_that_size(container: Container) -> None:
    seed_hoodie(container, "HOOD2", "连帽卫衣")
    chat = Chat(build_dialogue(container))
    chat.say("卫衣")
    chat.say("第一个")
    narrowed = text_of(chat.say("M码"))
    assert "黑 M" in narrowed and "灰 M" in narrowed and "XL" not in narrowed
    assert "灰 M×1" in text_of(chat.say("灰色"))


def test_shipping_questions_before_buying_get_the_shops_terms(container: Container) -> None:
    chat = Chat(build_dialogue(container))
    for question in ("包邮吗", "发什么快递", "多久能到"):
        answer = text_of(chat.say(question))
        assert "¥99.00 包邮" in answer and "新疆" in answer, question


def test_asking_when_my_parcel_arrives_is_tracking_not_shipping_terms(container: Container) -> None:
    chat = Chat(build_dialogue(container))
    assert "包邮" not in text_of(chat.say("我的快递多久能到"))


def test_asking_how_to_become_a_distributor_explains_and_only_a_request_enrols(container: Container) -> None:
    """Open mode (人人分销): the NLU files both under become_distributor; the question must not enrol."""
    from commerce.distribution.recruitment import find_by_openid

    chat = Chat(build_dialogue(container))
    for question in ("怎么成为推广员", "如何成为推广员", "成为推广员要钱吗", "怎么加入分销",
                     "推广员有什么好处", "做推广有啥好处", "推广员是干嘛的", "推广员能赚多少钱"):
        answer = text_of(chat.say(question))
        assert "完全免费" in answer and "「申请分销」" in answer, question
    with container.db.uow() as uow:
        assert find_by_openid(uow, chat.openid) is None
    assert "恭喜你成为" in text_of(chat.say("我要当推广员"))
