"""Phrasings real shoppers used in the dialogue QA round (issue 4), with the production NLU and wiring:
pre-sale questions about the product in view, spec questions and changes, cart edits by name,
the order confirmation's address edits, merchant verbs from a shopper."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.messages import NewsReply
from commerce.catalog import services as catalog
from commerce.catalog.drafts import ProductDraft, SkuDraft
from siyu.container import Container
from siyu.dialogue import build_dialogue
from tests.integration.dialogue.conftest import Chat, real_container, text_of

pytestmark = pytest.mark.slow


@pytest.fixture
def container(tmp_path: Path, model_dir: Path) -> Iterator[Container]:
    with real_container(tmp_path, model_dir) as c:
        with c.db.uow() as uow:  # fresh fruit: no 7-day no-reason return; a course priced per pack
            catalog.upsert_product(uow, ProductDraft(
                "P-PEAR", "砀山酥梨", category_path="食品/水果", no_reason_return=False,
                description="皮薄汁多。老人小孩都能吃", skus=(
                    SkuDraft("PEAR-5", 2990, {"规格": "5斤"}, stock=30), SkuDraft("PEAR-10", 4990, {"规格": "10斤"}, stock=3))),
                actor="t")
            catalog.upsert_product(uow, ProductDraft("P-PT", "私教一对一课程", category_path="健身课程", skus=(
                SkuDraft("PT-1", 9900, {"课时": "1节"}, stock=99),
                SkuDraft("PT-10", 88000, {"课时": "10节"}, member_price_fen=80000, original_price_fen=99000, stock=99))),
                actor="t")
            uow.commit()
        yield c


@pytest.fixture
def chat(container: Container) -> Chat:
    return Chat(build_dialogue(container))


def card(reply: object) -> NewsReply:
    assert isinstance(reply, NewsReply), reply
    return reply


class TestReturnPolicyBeforeBuying:
    def test_asking_if_the_product_in_view_can_be_returned_answers_its_rule(self, chat: Chat) -> None:
        chat.say("酥梨")
        assert "不支持7天无理由" in card(chat.say("第一个")).description
        for question in ("这个能退吗", "七天无理由吗", "支持7天无理由退货吗", "能退换吗"):
            answer = text_of(chat.say(question))
            assert "砀山酥梨" in answer and "不支持7天无理由" in answer, question

    def test_a_returnable_product_says_so_and_how(self, chat: Chat) -> None:
        chat.say("面霜")
        assert "支持7天无理由" in card(chat.say("第一个")).description
        answer = text_of(chat.say("这款可以退吗？"))
        assert "保湿面霜" in answer and "支持7天无理由退货" in answer and "申请退款" in answer

    def test_the_shops_rule_without_a_product_in_view(self, chat: Chat) -> None:
        assert "无理由退货" in text_of(chat.say("你们支持七天无理由吗"))


class TestSpecs:
    def test_asking_for_one_spec_gives_its_price_and_stock_then_adds_it(self, chat: Chat) -> None:
        chat.say("梨")
        chat.say("第一个")
        offer = text_of(chat.say("10斤的有吗"))
        assert "10斤" in offer and "¥49.90" in offer and "库存 3" in offer
        assert "砀山酥梨 10斤×2" in text_of(chat.say("来两件"))

    def test_the_price_of_one_spec_includes_its_member_price(self, chat: Chat) -> None:
        chat.say("私教课")
        description = card(chat.say("第一个")).description
        assert "原价¥990.00" not in description.split("\n")[0]  # the cheapest pack has no 原价
        assert "10节 ¥880.00" in description
        offer = text_of(chat.say("10节的多少钱"))
        assert "¥880.00" in offer and "¥800.00" in offer

    def test_changing_to_a_weight_spec_is_not_a_quantity(self, chat: Chat) -> None:
        chat.say("酥梨")
        chat.say("第一个")
        assert "10斤×2" in text_of(chat.say("来两件10斤的"))
        changed = text_of(chat.say("换成5斤的"))
        assert "5斤" in changed and "2" in changed
        cart = text_of(chat.say("购物车"))
        assert "5斤" in cart and "×2" in cart and "10斤" not in cart

    def test_one_more_says_what_was_added(self, chat: Chat) -> None:
        chat.say("苹果")
        chat.say("来一件")
        assert "已加入购物车" in text_of(chat.say("再来一件"))


class TestCartEdits:
    def test_a_quantity_change_by_product_name(self, chat: Chat) -> None:
        chat.say("来一件苹果")
        chat.say("西湖龙井来一件")
        changed = text_of(chat.say("苹果改成3件"))
        assert "烟台苹果" in changed and "×3" in changed

    def test_removing_every_line_of_a_product_and_clearing_the_cart(self, chat: Chat) -> None:
        chat.say("T恤")
        chat.say("第一个")
        chat.say("M码")
        chat.say("要L码的")
        chat.say("苹果来一件")
        after = text_of(chat.say("把T恤都删了"))
        assert "纯棉T恤" not in after.split("\n", 1)[1] and "烟台苹果" in after
        assert "已清空" in text_of(chat.say("清空购物车"))
        assert "空的" in text_of(chat.say("购物车"))

    def test_the_spec_already_in_the_name_is_not_repeated(self, chat: Chat) -> None:
        added = text_of(chat.say("西湖龙井来一件"))
        assert "西湖龙井 250克×1" in added
        with_spec_in_name = "P-RICE"
        container_db = chat.dialogue.ctx.db
        with container_db.uow() as uow:
            catalog.upsert_product(uow, ProductDraft(with_spec_in_name, "五常大米 5kg", category_path="食品",
                                                     skus=(SkuDraft("RICE-5", 8900, {"规格": "5kg"}, stock=9),)),
                                   actor="t")
            uow.commit()
        assert "五常大米 5kg×1" in text_of(chat.say("大米来一袋"))


class TestOrderConfirmation:
    def _to_confirmation(self, chat: Chat) -> None:
        chat.say("苹果来两件")
        chat.say("结算")
        chat.say("同意")
        assert "应付" in text_of(chat.say("张三 13812345678 浙江省杭州市西湖区文三路100号"))

    @pytest.mark.parametrize("words", ["改一下地址", "地址填错了", "换个收货地址", "修改收货人"])
    def test_editing_the_receiver_in_other_words(self, chat: Chat, words: str) -> None:
        self._to_confirmation(chat)
        assert "姓名" in text_of(chat.say(words))

    def test_a_new_receiver_line_instead_of_confirming_is_confirmed_again(self, chat: Chat) -> None:
        self._to_confirmation(chat)
        again = text_of(chat.say("王五，137 0000 2222，广东省深圳市南山区科技园1号"))
        assert "王*" in again and "广东省" in again
        pay = chat.say("提交订单")
        assert isinstance(pay, NewsReply) and "/pay/SY" in pay.url

    def test_an_address_sent_before_consent_is_used_once_consent_is_given(self, chat: Chat) -> None:
        chat.say("苹果来两件")
        assert "同意" in text_of(chat.say("张三 13812345678 浙江省杭州市西湖区文三路100号"))
        assert "张*" in text_of(chat.say("同意"))

    def test_order_status_without_a_number_shows_the_only_order(self, chat: Chat) -> None:
        self._to_confirmation(chat)
        chat.say("确认")
        chat.say("你好")
        assert "待支付" in text_of(chat.say("我的订单状态"))


class TestOtherQuestions:
    @pytest.mark.parametrize("text", ["下架 脐橙", "发货 SY20261126000001", "改价 T恤 59", "发货", "补货 TEE-M 20"])
    def test_merchant_commands_from_a_shopper_are_declined_politely(self, chat: Chat, text: str) -> None:
        assert "商家管理指令" in text_of(chat.say(text))

    @pytest.mark.parametrize("text", ["发货了吗", "什么时候发货", "上架新品了吗"])
    def test_shoppers_questions_with_those_words_are_not_commands(self, chat: Chat, text: str) -> None:
        assert "商家管理指令" not in text_of(chat.say(text))

    def test_invoice_gift_and_bot_questions(self, chat: Chat) -> None:
        assert "发票" in text_of(chat.say("可以开发票吗"))
        assert "收货人填对方" in text_of(chat.say("能不能寄到别人家"))
        assert "购物助手" in text_of(chat.say("你是机器人吗"))

    def test_banker_numerals_count_pieces(self, chat: Chat) -> None:
        assert "×2" in text_of(chat.say("苹果来 贰 件"))


class TestAskingAboutTheProductInView:
    def test_who_can_use_it_is_answered_from_its_own_description(self, chat: Chat) -> None:
        chat.say("酥梨")
        chat.say("第一个")
        said = text_of(chat.say("小孩能吃吗"))
        assert "老人小孩都能吃" in said
        unknown = text_of(chat.say("孕妇能吃吗"))
        assert "没有写到「孕妇」" in unknown and "转人工" in unknown

    def test_a_spec_no_listed_product_has_is_said_above_the_list(self, chat: Chat) -> None:
        reply = text_of(chat.say("有没有20斤装的脐橙"))
        assert reply.startswith("暂时没有「20斤装」") and "赣南脐橙" in reply
        assert "暂时没有" not in text_of(chat.say("有没有10斤装的脐橙"))

    def test_removing_what_is_not_in_the_cart_says_so(self, chat: Chat) -> None:
        chat.say("苹果来一件")
        assert "购物车里没有「西湖龙井」" in text_of(chat.say("把西湖龙井删掉"))

    def test_one_character_and_come_have_one(self, chat: Chat) -> None:
        assert "西湖龙井" in text_of(chat.say("茶"))
        assert "已加入购物车" in text_of(chat.say("来个苹果"))


class TestRoundThree:
    def test_a_greeting_that_asks_for_something_gets_that(self, chat: Chat) -> None:
        assert "赣南脐橙" in text_of(chat.say("你好 我要买点水果"))

    def test_asking_for_something_the_shop_lacks_says_so(self, chat: Chat) -> None:
        assert "没找到「榴莲」" in text_of(chat.say("有没有榴莲"))

    def test_more_in_another_spec_named_in_chinese_numerals(self, chat: Chat) -> None:
        chat.say("脐橙")
        chat.say("第一个")
        assert "10斤装×2" in text_of(chat.say("要2箱10斤装的"))
        assert "5斤装×1" in text_of(chat.say("还要一箱五斤装的"))

    def test_dont_want_it_after_ordering_offers_to_cancel_the_unpaid_order(self, chat: Chat) -> None:
        chat.say("苹果来两件")
        chat.say("结算")
        chat.say("同意")
        chat.say("张三 13812345678 浙江省杭州市西湖区文三路100号")
        chat.say("确认")
        assert "确认取消订单" in text_of(chat.say("我不要了"))
        assert "已取消" in text_of(chat.say("确认"))


def test_a_size_asked_about_a_colour_by_size_product_narrows_then_a_colour_picks(container: Container) -> None:
    with container.db.uow() as uow:
        skus = tuple(SkuDraft(f"HD-{c}-{s}", 12900, {"颜色": c, "尺码": s}, stock=5)
                     for c in ("黑", "灰", "红") for s in ("M", "L", "XL"))
        catalog.upsert_product(uow, ProductDraft("HD", "连帽卫衣", category_path="服装", skus=skus), actor="t")
        uow.commit()
    chat = Chat(build_dialogue(container))
    chat.say("卫衣")
    chat.say("第一个")
    narrowed = text_of(chat.say("有没有XL码"))
    assert "黑 XL" in narrowed and "红 XL" in narrowed and " M " not in narrowed
    assert "黑 XL×1" in text_of(chat.say("黑色的"))
    chat.say("卫衣")
    chat.say("1")
    assert "灰 XL" in text_of(chat.say("XL码来一件"))
    assert "灰 XL×1" in text_of(chat.say("灰色"))


class TestAfterBuying:
    @pytest.mark.parametrize("text", ["收到了 质量有问题", "橙子烂了好几个", "发错货了"])
    def test_a_quality_problem_is_apologised_for_and_sent_to_a_person(self, chat: Chat, text: str) -> None:
        answer = text_of(chat.say(text))
        assert "很抱歉" in answer and "转人工" in answer

    def test_order_details_in_other_words_list_the_orders(self, chat: Chat) -> None:
        assert "还没有订单" in text_of(chat.say("订单详情"))


class TestTraditionalCharactersAndUsage:
    def test_rules_read_traditional_characters(self, chat: Chat) -> None:
        chat.say("酥梨")
        chat.say("第一个")
        offer = text_of(chat.say("10斤的有貨嗎"))
        assert offer.startswith("有的") and "已加入" not in offer
        assert "不支持7天无理由" in text_of(chat.say("這個能退嗎"))
        assert "商家管理指令" in text_of(chat.say("下架 酥梨"))

    def test_how_to_use_quotes_the_description_and_never_guesses(self, chat: Chat) -> None:
        chat.say("酥梨")
        chat.say("第一个")
        said = text_of(chat.say("怎么吃"))
        assert "皮薄汁多" in said and "包装说明" in said


def test_a_bare_numeric_size_is_not_a_request_for_the_promoter_code(chat: Chat) -> None:
    chat.say("T恤")
    chat.say("第一个")
    assert "推广码" not in text_of(chat.say("29码"))


class TestPaymentAndShippingQuestions:
    @pytest.mark.parametrize("text", ["可以货到付款吗", "支持花呗吗", "能不能用信用卡", "怎么付款"])
    def test_how_to_pay_is_explained(self, chat: Chat, text: str) -> None:
        assert "微信支付" in text_of(chat.say(text))

    @pytest.mark.parametrize("text", ["付款失败了", "钱付了订单还显示没付"])
    def test_payment_trouble_gets_next_steps(self, chat: Chat, text: str) -> None:
        answer = text_of(chat.say(text))
        assert "我的订单" in answer and "转人工" in answer

    def test_carrier_questions_get_the_shipping_terms(self, chat: Chat) -> None:
        assert "包邮" in text_of(chat.say("发顺丰吗"))

    def test_asking_whether_the_address_can_be_changed_opens_the_form(self, chat: Chat) -> None:
        assert "同意" in text_of(chat.say("可以改地址吗"))


def test_second_from_last_picks_from_the_end(chat: Chat) -> None:
    listed = text_of(chat.say("猜你喜欢"))
    second_last = listed.split("\n")[-3].split(". ", 1)[1].split(" ¥")[0]
    assert second_last in card(chat.say("倒数第二个")).title


class TestGiftsAndSizes:
    def test_an_order_mentioning_a_gift_is_still_an_order(self, chat: Chat) -> None:
        chat.say("龙井")
        chat.say("第一个")
        assert "已加入购物车" in text_of(chat.say("来两盒 送人"))
        assert "收货人填对方" in text_of(chat.say("能不能寄给我妈"))
        assert "收货人填对方" not in text_of(chat.say("送爸妈买什么好"))

    def test_asking_for_a_size_the_product_lacks_names_the_sizes_it_has(self, chat: Chat) -> None:
        chat.say("龙井")
        chat.say("第一个")
        assert "只有这些规格：250克" in text_of(chat.say("有没有小罐的"))
