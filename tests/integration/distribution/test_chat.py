"""Distributor chat through the real dialogue engine (keyword interpreter, MemoryKV, real database)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import select

from bot.dialogue import Ctx, Dialogue, StateStore
from bot.dialogue.handlers import distribution as chat_ports
from bot.kv import MemoryKV
from bot.messages import ImageReply, Inbound, Reply, TextReply
from commerce.db import Database
from commerce.distribution.ledger import balances
from commerce.distribution.model import Distributor
from commerce.distribution.payout_model import Payout, PayoutState
from commerce.distribution.policy import DistributionPolicy, JoinMode, Lesson, QuizQuestion
from nlu.types import Parse
from tests.integration.distribution.builders import POLICY, pay, settled_balance
from tests.unit.dialogue.fakes import FakeInterpreter, RecordingReferrals

LESSON = Lesson("rules", "推广规则", "成为推广员永远免费。",
                quiz=(QuizQuestion("要交费吗？", ("要", "不要"), 1), QuizQuestion("按什么计佣？", ("人数", "销售"), 1)))
CANNED = {t: Parse(t, "withdraw", 0.99) for t in ("提现 5", "提现 100", "提现 0.5", "提现3万", "提现 2500")}


class Talk:
    def __init__(self, dialogue: Dialogue, openid: str) -> None:
        self.dialogue, self.openid = dialogue, openid

    def say(self, text: str) -> Reply:
        return self.dialogue.respond(Inbound(openid=self.openid, kind="text", text=text))

    def text(self, text: str) -> str:
        reply = self.say(text)
        assert isinstance(reply, TextReply), reply
        return reply.content

    def scan(self, scene: str, event: str = "scan") -> str:
        reply = self.dialogue.respond(Inbound(openid=self.openid, kind="event", event=event, scene=scene))
        assert isinstance(reply, TextReply)
        return reply.content


@pytest.fixture
def ports() -> Iterator[list[str]]:
    processed: list[str] = []
    chat_ports.configure(chat_ports.DistributionPorts(
        policy=replace(POLICY, lessons=(LESSON,)), referral_qr=lambda code: f"MEDIA-{code}",
        process_payout=processed.append, confirm_url=lambda no: f"http://t/confirm/{no}"))
    yield processed
    chat_ports.configure(chat_ports.DistributionPorts())


@pytest.fixture
def dialogue(db: Database, ports: list[str]) -> Dialogue:
    ctx = Ctx(db=db, interpreter=FakeInterpreter(CANNED), shop_name="测试小店", on_referral_scene=RecordingReferrals())
    return Dialogue(ctx, StateStore(MemoryKV()))


def _code(db: Database, openid: str) -> str:
    with db.uow() as uow:
        from commerce.distribution.recruitment import find_by_openid

        d = find_by_openid(uow, openid)
        assert d is not None
        return d.code


class TestJoinAndShare:
    def test_asking_to_promote_makes_a_free_distributor_who_gets_a_qr_image(self, db: Database,
                                                                              dialogue: Dialogue) -> None:
        a = Talk(dialogue, "oA")
        welcome = a.text("我想做推广")
        code = _code(db, "oA")
        assert code in welcome and "免费" in welcome and "10%" in welcome
        assert "已经是推广员" in a.text("我想做推广")
        assert a.say("推广码") == ImageReply(f"MEDIA-{code}")

    def test_a_new_follower_scanning_binds_and_scanning_ones_own_code_is_explained(self, db: Database,
                                                                                  dialogue: Dialogue) -> None:
        a = Talk(dialogue, "oA")
        a.say("我想做推广")
        code = _code(db, "oA")
        assert "好友推荐" in Talk(dialogue, "oB").scan(f"d_{code}", event="subscribe")
        assert "自己的推广码" in a.scan(f"d_{code}")
        with db.uow() as uow:
            assert uow.session.scalar(select(Distributor).where(Distributor.code == code)) is not None

    def test_a_non_distributor_is_told_how_to_join(self, dialogue: Dialogue) -> None:
        assert "免费加入" in Talk(dialogue, "oX").text("推广码")

    def test_review_mode_asks_for_name_phone_and_consent(self, db: Database, dialogue: Dialogue,
                                                         ports: list[str]) -> None:
        chat_ports.configure(replace(chat_ports.ports(), policy=DistributionPolicy(mode=JoinMode.REVIEW,
                                                                                   auto_approve=False)))
        a = Talk(dialogue, "oA")
        assert "姓名 手机号" in a.text("申请分销")
        assert "没看懂" in a.text("张三")
        assert "同意" in a.text("张三 13800138000")
        assert "审核" in a.text("同意")
        assert "审核中" in a.text("我想做推广")


ASKING = ("怎么成为推广员", "如何成为推广员", "做分销要钱吗", "推广员有什么要求", "分销规则", "我想赚佣金")
ASKING_TO_JOIN = ("我要当推广员", "我想成为分销商", "申请成为推广员吧")


class TestAskingAboutJoining:
    """Open mode (人人分销): a question about joining is answered; only an explicit request enrols."""

    @pytest.fixture
    def nlu_dialogue(self, db: Database, ports: list[str]) -> Dialogue:
        canned = {t: Parse(t, "become_distributor", 0.97) for t in ASKING + ASKING_TO_JOIN}
        ctx = Ctx(db=db, interpreter=FakeInterpreter(canned), shop_name="测试小店",
                  on_referral_scene=RecordingReferrals())
        return Dialogue(ctx, StateStore(MemoryKV()))

    @pytest.mark.parametrize("question", ASKING)
    def test_a_question_gets_how_to_join_and_enrols_nobody(self, db: Database, nlu_dialogue: Dialogue,
                                                           question: str) -> None:
        answer = Talk(nlu_dialogue, "oQ").text(question)
        assert "完全免费" in answer and "推广码" in answer and "【推广规则】" in answer and "10%" in answer
        assert "「申请分销」" in answer and "「成为推广员」" in answer
        with db.uow() as uow:
            assert uow.session.scalar(select(Distributor)) is None

    @pytest.mark.parametrize("request_", ASKING_TO_JOIN + ("申请分销", "成为推广员"))
    def test_an_explicit_request_enrols(self, db: Database, nlu_dialogue: Dialogue, request_: str) -> None:
        assert "恭喜你成为" in Talk(nlu_dialogue, "oJ").text(request_)
        assert _code(db, "oJ")

    def test_asking_after_joining_repeats_the_code_not_the_pitch(self, db: Database,
                                                                 nlu_dialogue: Dialogue) -> None:
        q = Talk(nlu_dialogue, "oQ")
        assert "完全免费" in q.text("怎么成为推广员")
        assert "恭喜" in q.text("成为推广员")
        assert "已经是推广员" in q.text("怎么成为推广员")

    def test_in_review_mode_the_answer_says_the_merchant_reviews(self, nlu_dialogue: Dialogue) -> None:
        chat_ports.configure(replace(chat_ports.ports(), policy=DistributionPolicy(mode=JoinMode.REVIEW,
                                                                                   auto_approve=False)))
        assert "审核通过后开通" in Talk(nlu_dialogue, "oQ").text("怎么成为推广员")


class TestMoney:
    def test_balance_withdrawal_and_its_bad_input(self, db: Database, dialogue: Dialogue,
                                                  ports: list[str]) -> None:
        b_dist = settled_balance(db, 10_000)  # oB has ¥10.00 withdrawable
        b = Talk(dialogue, "oB")
        assert "可提现 ¥10.00" in b.text("我的佣金")
        assert "不能低于 ¥1.00" in b.text("提现 0.5")
        assert "余额不足：可提现 ¥10.00，你申请了 ¥100.00" in b.text("提现 100")
        assert "提现 100" in b.text("提现")
        reply = b.text("提现 5")
        assert "¥5.00" in reply and "http://t/confirm/" in reply and len(ports) == 1
        assert "¥5.00" in b.text("全部提现") and len(ports) == 2
        with db.uow() as uow:
            assert balances(uow, b_dist.id).withdrawable_fen == 0
            assert {p.state for p in uow.session.scalars(select(Payout))} == {PayoutState.APPROVED}

    def test_a_2000_yuan_withdrawal_to_wechat_asks_the_real_name_once_with_its_notice(
            self, db: Database, dialogue: Dialogue, ports: list[str]) -> None:
        settled_balance(db, 3_000_000)  # oB: ¥3,000 withdrawable
        b = Talk(dialogue, "oB")
        ask = b.text("提现 2500")
        assert "¥2500.00" in ask and "微信支付" in ask and "删除实名" in ask and "取消" in ask
        assert "未保存你的姓名" in b.text("取消")
        b.text("提现 2500")
        assert "2～20 个汉字" in b.text("张")
        done = b.text("张三")
        assert "实名已加密保存" in done and "提现申请已提交：¥2500.00" in done and "商家审核" in done
        with db.uow() as uow:
            from commerce.distribution.recruitment import active_by_openid

            assert active_by_openid(uow, "oB").payout_real_name == "张三"
        assert "已删除你保存的实名信息" in b.text("删除实名")
        assert "没有保存过" in b.text("删除实名")

    def test_statistics_team_and_entries(self, db: Database, dialogue: Dialogue) -> None:
        settled_balance(db, 10_000)
        b = Talk(dialogue, "oB")
        assert "推广订单 1 笔" in b.text("我的推广")
        assert "直推推广员 1 人" in Talk(dialogue, "oA").text("我的团队")
        assert "订单佣金 +¥10.00 已结算" in b.text("佣金明细")
        assert "冻结" in Talk(dialogue, "oA").text("我的佣金")

    def test_a_suspended_distributors_referral_buying_earns_nothing_and_chat_says_so(
            self, db: Database, dialogue: Dialogue) -> None:
        from commerce.distribution import recruitment
        from tests.integration.distribution.builders import chain

        _, b, c = chain(db, "oA", "oB", "oC")
        with db.uow() as uow:
            recruitment.suspend(uow, b.code, POLICY)
            pay(uow, c.customer_id, 10_000)
            uow.commit()
            assert balances(uow, b.id).total_fen == 0
        b_talk = Talk(dialogue, "oB")
        assert "已被商家暂停" in b_talk.text("我的佣金") and "不产生新佣金" in b_talk.text("我想做推广")


class TestTraining:
    def test_lesson_quiz_and_progress(self, db: Database, dialogue: Dialogue) -> None:
        a = Talk(dialogue, "oA")
        a.say("我想做推广")
        lesson = a.text("培训")
        assert "推广规则" in lesson and "要交费吗" in lesson
        assert "2 个序号" in a.text("2")
        assert "答对 1/2" in a.text("2 1")
        assert "本课完成" in a.text("2 2")
        assert "全部完成" in a.text("培训")
        assert "永远免费" in a.text("推广规则")
