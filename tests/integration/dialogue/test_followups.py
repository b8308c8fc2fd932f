"""Follow-ups resolve against what was shown last: positions, the product in focus, the line added last."""

from __future__ import annotations

from bot.dialogue import Waiting
from bot.messages import NewsReply, TextReply
from commerce.cart import services as cart
from tests.integration.dialogue.conftest import Chat


def text_of(reply: object) -> str:
    assert isinstance(reply, TextReply), reply
    return reply.content


def cart_lines(chat: Chat) -> list[tuple[str, str, int]]:
    with chat.dialogue.ctx.uow() as uow:
        view = cart.view_cart(uow, chat.openid)
    return [(line.name, line.spec_text, line.quantity) for line in view.lines]


class TestPositions:
    def test_second_one_in_detail_refers_to_the_second_listed_product(self, chat: Chat) -> None:
        listing = text_of(chat.say("水果"))
        second = listing.splitlines()[2].split(" ")[0].removeprefix("2.")
        card = chat.say("第二个详细说说")
        assert isinstance(card, NewsReply) and second in card.title

    def test_a_bare_number_after_a_list_opens_that_product(self, chat: Chat) -> None:
        chat.say("水果")
        assert isinstance(chat.say("1"), NewsReply)
        assert isinstance(chat.say("2"), NewsReply)  # the list is still remembered after a detail

    def test_a_position_beyond_the_list_says_which_numbers_exist(self, chat: Chat) -> None:
        chat.say("水果")
        assert "1～2" in text_of(chat.say("第九个"))

    def test_a_position_with_no_list_shown_means_the_shops_best_sellers(self, chat: Chat) -> None:
        reply = chat.say("第二个详细说说")
        assert isinstance(reply, NewsReply) and "烟台苹果" in reply.title

    def test_the_first_one_goes_into_the_cart(self, chat: Chat) -> None:
        chat.say("苹果")
        chat.say("要第一个")
        assert cart_lines(chat) == [("烟台苹果", "3斤装", 1)]


class TestSpecsAndQuantities:
    def test_two_xl_of_the_product_in_focus(self, chat: Chat) -> None:
        chat.say("T恤")
        chat.say("1")
        added = text_of(chat.say("来两件XL的"))
        assert "XL×2" in added and cart_lines(chat) == [("纯棉T恤", "XL", 2)]

    def test_a_missing_spec_is_asked_for_and_the_quantity_kept(self, chat: Chat) -> None:
        chat.say("T恤")
        chat.say("1")
        ask = text_of(chat.say("来三件"))
        assert "XL" in ask and chat.state.waiting(Waiting.SPEC)
        chat.say("M")
        assert cart_lines(chat) == [("纯棉T恤", "M", 3)]

    def test_a_spec_chosen_by_position(self, chat: Chat) -> None:
        chat.say("T恤")
        chat.say("来一件第1个")
        chat.say("第二个")
        assert cart_lines(chat) == [("纯棉T恤", "M", 1)]

    def test_an_unknown_spec_is_named_and_the_choices_listed(self, chat: Chat) -> None:
        chat.say("T恤")
        chat.say("1")
        reply = text_of(chat.say("来一件XXL的"))
        assert "XXL" in reply and "XL" in reply and chat.state.waiting(Waiting.SPEC)

    def test_change_to_another_size_keeps_the_quantity(self, chat: Chat) -> None:
        chat.say("T恤")
        chat.say("1")
        chat.say("来两件L的")
        assert "M" in text_of(chat.say("换成M码"))
        assert cart_lines(chat) == [("纯棉T恤", "M", 2)]

    def test_one_more_adds_to_the_line_added_last(self, chat: Chat) -> None:
        chat.say("苹果")
        chat.say("来一件第1个")
        chat.say("再来一件")
        assert cart_lines(chat) == [("烟台苹果", "3斤装", 2)]

    def test_this_one_buys_the_product_in_focus(self, chat: Chat) -> None:
        chat.say("龙井")
        chat.say("1")
        chat.say("就这个")
        assert cart_lines(chat) == [("西湖龙井", "250克", 1)]


class TestCartEdits:
    def test_change_the_quantity_of_a_cart_line_by_position(self, chat: Chat) -> None:
        chat.say("苹果")
        chat.say("来一件第1个")
        chat.say("购物车")
        assert "3 件" in text_of(chat.say("第1个改成3件"))
        assert cart_lines(chat) == [("烟台苹果", "3斤装", 3)]

    def test_remove_a_line_by_position(self, chat: Chat) -> None:
        chat.say("苹果")
        chat.say("来一件第1个")
        chat.say("龙井")
        chat.say("来一件第1个")
        chat.say("购物车")
        assert "移除" in text_of(chat.say("删除第一个"))
        assert cart_lines(chat) == [("西湖龙井", "250克", 1)]

    def test_an_empty_cart_says_so(self, chat: Chat) -> None:
        assert "空" in text_of(chat.say("购物车"))

    def test_checkout_with_an_empty_cart_says_so(self, chat: Chat) -> None:
        assert "空" in text_of(chat.say("结算"))


class TestTwoDimensionalSpecs:
    def test_a_size_of_a_product_sold_in_colours_narrows_the_question_to_that_size(self, chat: Chat) -> None:
        from commerce.catalog import services as catalog
        from commerce.catalog.drafts import ProductDraft, SkuDraft

        with chat.dialogue.ctx.uow() as uow:
            skus = tuple(SkuDraft(f"HOOD-{c}-{s}", 12900, {"颜色": c, "尺码": s}, stock=5)
                         for c in ("黑", "灰") for s in ("M", "XL"))
            catalog.upsert_product(uow, ProductDraft("P-HOOD", "连帽卫衣", skus=skus), actor="test")
            uow.commit()
        chat.dialogue.ctx.interpreter.update_vocabulary(products=["连帽卫衣"], specs=["黑", "灰", "M", "XL"])
        chat.say("连帽卫衣")
        chat.say("1")
        ask = text_of(chat.say("来两件XL的"))
        assert "黑 XL" in ask and "灰 XL" in ask and "黑 M" not in ask
        chat.say("灰")
        assert cart_lines(chat) == [("连帽卫衣", "灰 XL", 2)]


class TestLeavingTheSpecQuestion:
    def test_naming_another_product_leaves_the_spec_question(self, chat: Chat) -> None:
        chat.say("脐橙")
        chat.say("1")
        chat.say("来一件")
        assert chat.state.waiting(Waiting.SPEC)
        assert "西湖龙井" in text_of(chat.say("西湖龙井"))
        assert not chat.state.waiting(Waiting.SPEC)

    def test_a_command_leaves_the_spec_question(self, chat: Chat) -> None:
        chat.say("脐橙")
        chat.say("1")
        chat.say("来一件")
        assert "空" in text_of(chat.say("购物车"))
