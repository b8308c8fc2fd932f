"""Distributor chat: join (我想做推广), referral QR (推广码), rules, training.  Money talk (佣金, 提现,
我的推广, 我的团队, 佣金明细) lives in `distribution_money.py`.

The composition root hands in the outside world once with `configure(DistributionPorts(...))`:
the policy, the referral-QR uploader and the payout processor.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from bot import texts
from bot.dialogue.answers import is_escape, is_no, is_yes
from bot.dialogue.context import Msg, Turn
from bot.dialogue.handlers import welcome  # registered first, so the scene events below override it
from bot.dialogue.router import router
from bot.dialogue.state import DialogState, Waiting
from bot.messages import ImageReply, Reply, TextReply
from commerce.distribution import recruitment, training
from commerce.distribution.binding import bind_referral, parse_scene
from commerce.distribution.errors import DistributionDisabled, DistributorSuspended, UnknownReferralCode
from commerce.distribution.model import BindingSource, DistributorStatus, VisitOutcome
from commerce.distribution.policy import DistributionPolicy, JoinMode
from commerce.distribution.recruitment import Application

log = logging.getLogger("bot.dialogue.distribution")

FORM_RE = re.compile(r"^\s*([\u4e00-\u9fa5A-Za-z·]{2,20})[\s,，]+(1[3-9]\d{9})\s*$")
INVITE_RE = re.compile(r"\b([2-9A-Z]{8})\b")
ANSWERS_RE = re.compile(r"\d")
JOIN_TOPIC_RE = re.compile(r"推广|分销|代理|推客|团长")
JOIN_VERB_RE = re.compile(r"我要|我想|我也要|我也想|申请|报名|加入|成为")
QUESTION_RE = re.compile(r"怎|如何|咋|什么|啥|吗|么|\?|？|多少|多久|哪|条件|门槛|要求|规则|能不能|可不可以|是不是|需不需要"
                         r"|要不要|有没有|好处|收费|要钱|交钱|可以")


@dataclass(frozen=True)
class DistributionPorts:
    policy: DistributionPolicy = field(default_factory=DistributionPolicy)
    referral_qr: Callable[[str], str] | None = None  # code -> media_id
    process_payout: Callable[[str], None] | None = None  # payout_no, run after the request committed
    confirm_url: Callable[[str], str] | None = None  # payout_no -> the 确认收款 page (sandbox's or ours)
    confirm_in_sandbox: bool = True  # the page is the sandbox's (演示环境)


_ports = [DistributionPorts()]


def configure(ports: DistributionPorts) -> None:
    _ports[0] = ports


def ports() -> DistributionPorts:
    return _ports[0]


def rules_text(policy: DistributionPolicy) -> str:
    rates = policy.levels_bp
    level2 = texts.DIST_RULES_LEVEL2.format(rate=_pct(rates[1])) if len(rates) > 1 else ""
    fee = texts.DIST_RULES_FEE.format(fee=_pct(policy.withdraw_fee_bp)) if policy.withdraw_fee_bp else ""
    return texts.DIST_RULES.format(rate=_pct(rates[0]), level2=level2, freeze_days=policy.freeze_days,
                                   min=texts.yuan(policy.withdraw_min_fen),
                                   cap=texts.yuan(policy.withdraw_daily_cap_fen), fee=fee)


def _pct(bp: int) -> str:
    return f"{bp / 100:g}%"


def _join(state: DialogState, msg: Msg, app: Application) -> Turn:
    policy = ports().policy
    with msg.ctx.uow() as uow:
        d = recruitment.apply(uow, msg.openid, policy, app)
        uow.commit()
        code, active = d.code, d.is_active
    if not active:
        return Turn(state.settled(), TextReply(texts.DIST_APPLIED))
    welcome = texts.DIST_WELCOME.format(shop=msg.ctx.shop_name, code=code, rules=rules_text(policy))
    return Turn(state.settled(), TextReply(welcome))


@router.keyword("我想做推广", "我要做推广", "申请推广", "申请分销", "成为推广员", "加入推广", "做推广员", "我要推广",
                "我要当推广员", "我想当推广员", "申请成为推广员", "我要申请推广员", "我要成为推广员", "加入分销")
def become_distributor(state: DialogState, msg: Msg) -> Turn:
    policy = ports().policy
    with msg.ctx.uow() as uow:
        existing = recruitment.find_by_openid(uow, msg.openid)
        uow.commit()
    if existing is not None and existing.status == DistributorStatus.APPLIED:
        return Turn(state.settled(), TextReply(texts.DIST_ALREADY_APPLIED))
    if existing is not None and existing.status == DistributorStatus.SUSPENDED:
        raise DistributorSuspended(msg.openid, existing.code)
    if existing is not None and existing.status != DistributorStatus.REJECTED:
        return Turn(state.settled(), TextReply(texts.DIST_ALREADY.format(code=existing.code)))
    invitation = _invitation_in(msg.text)
    if policy.mode == JoinMode.INVITE and not invitation:
        return Turn(state.ask(Waiting.DIST_INVITE), TextReply(texts.DIST_ASK_INVITE))
    if policy.mode == JoinMode.REVIEW:
        return Turn(state.ask(Waiting.DIST_FORM, invitation=invitation), TextReply(texts.DIST_ASK_FORM))
    return _join(state, msg, Application(invitation_code=invitation))


def is_join_request(text: str) -> bool:
    """「我要当推广员」「申请分销」: an explicit request to join — not a question about joining
    (「怎么成为推广员」「做分销要钱吗」) nor a wish that names no role (「我想赚佣金」)."""
    return bool(JOIN_TOPIC_RE.search(text) and JOIN_VERB_RE.search(text)) and not QUESTION_RE.search(text)


@router.intent("become_distributor")
def distribution_interest(state: DialogState, msg: Msg) -> Turn:
    """The NLU's `become_distributor` is the topic: asking how to join, the rules, or asking to join.
    Only an explicit request enrols (open mode joins at once); a question gets how it works and how to join."""
    if is_join_request(msg.text):
        return become_distributor(state, msg)
    policy = ports().policy
    with msg.ctx.uow() as uow:
        existing = recruitment.find_by_openid(uow, msg.openid)
        uow.commit()
    if existing is not None and existing.status != DistributorStatus.REJECTED:
        return become_distributor(state, msg)  # already one, applied or suspended: their status, nothing new
    if not policy.enabled:
        raise DistributionDisabled()
    return Turn(state.settled(), TextReply(how_to_join_text(policy)))


def how_to_join_text(policy: DistributionPolicy) -> str:
    return texts.DIST_HOW_TO_JOIN.format(rules=rules_text(policy), join=texts.DIST_JOIN_HOW[policy.mode])


def _invitation_in(text: str) -> str:
    m = INVITE_RE.search(text.upper())
    return m.group(1) if m else ""


@router.pending(Waiting.DIST_INVITE)
def invitation_answer(state: DialogState, msg: Msg) -> Turn | None:
    if is_escape(msg) or is_no(msg):
        return Turn(state.settled(), TextReply(texts.DIST_CANCELLED))
    invitation = _invitation_in(msg.text)
    if not invitation:
        return None
    return _join(state, msg, Application(invitation_code=invitation))


@router.pending(Waiting.DIST_FORM)
def form_answer(state: DialogState, msg: Msg) -> Turn | None:
    if is_escape(msg) or is_no(msg):
        return Turn(state.settled(), TextReply(texts.DIST_CANCELLED))
    m = FORM_RE.match(msg.text)
    if m is None:
        return Turn(state, TextReply(texts.DIST_BAD_FORM))
    data = dict(state.pending.data if state.pending else {}, name=m.group(1), phone=m.group(2))
    return Turn(state.ask(Waiting.DIST_CONSENT, **data), TextReply(texts.DIST_ASK_CONSENT))


@router.pending(Waiting.DIST_CONSENT)
def consent_answer(state: DialogState, msg: Msg) -> Turn | None:
    if is_no(msg) or is_escape(msg):
        return Turn(state.settled(), TextReply(texts.DIST_CANCELLED))
    if not is_yes(msg):
        return Turn(state, TextReply(texts.DIST_ASK_CONSENT))
    data = state.pending.data if state.pending else {}
    app = Application(real_name=str(data.get("name", "")), phone=str(data.get("phone", "")), consent=True,
                      invitation_code=str(data.get("invitation", "")))
    return _join(state, msg, app)


@router.keyword("推广码", "我的推广码", "我的二维码", "推广二维码", "专属二维码")
def referral_qr(state: DialogState, msg: Msg) -> Turn:
    with msg.ctx.uow() as uow:
        code = recruitment.active_by_openid(uow, msg.openid).code
        uow.commit()
    make = ports().referral_qr
    if make is None:
        return Turn(state.settled(), TextReply(texts.DIST_QR_UNAVAILABLE.format(code=code)))
    try:
        return Turn(state.settled(), ImageReply(make(code)))
    except Exception:  # the QR API or the upload failed: say so, keep the code usable
        log.exception("referral QR for %s failed", code)
        return Turn(state.settled(), TextReply(texts.DIST_QR_UNAVAILABLE.format(code=code)))


@router.keyword("推广规则", "分销规则", "佣金规则", "推广说明")
def rules(state: DialogState, msg: Msg) -> Turn:
    """The rules; someone who is not a distributor also hears that joining is free and how to join."""
    policy = ports().policy
    with msg.ctx.uow() as uow:
        existing = recruitment.find_by_openid(uow, msg.openid)
        uow.commit()
    joined = existing is not None and existing.status != DistributorStatus.REJECTED
    text = rules_text(policy) if joined or not policy.enabled else how_to_join_text(policy)
    return Turn(state.settled(), TextReply(text))


@router.keyword("培训", "学习", "推广培训", "下一课", "继续学习")
def next_lesson(state: DialogState, msg: Msg) -> Turn:
    policy = ports().policy
    with msg.ctx.uow() as uow:
        d = recruitment.active_by_openid(uow, msg.openid)
        lesson = training.next_lesson(uow, d.id, policy)
        progress = training.progress(uow, d.id, policy)
        uow.commit()
    if lesson is None:
        return Turn(state.settled(), TextReply(texts.DIST_TRAINING_DONE.format(total=progress.total)))
    n = [ls.key for ls in policy.lessons].index(lesson.key) + 1
    body = texts.DIST_LESSON.format(n=n, title=lesson.title, text=lesson.text,
                                    link=f"\n{lesson.link}" if lesson.link else "")
    if not lesson.quiz:
        tail = texts.DIST_LESSON_READ.format(done=progress.done, total=progress.total)
        return Turn(state.settled(), TextReply(body + tail))
    example = " ".join("1" for _ in lesson.quiz)
    quiz = [texts.DIST_QUIZ_LINE.format(n=i + 1, question=q.question,
                                        options=" ".join(f"{j + 1}.{o}" for j, o in enumerate(q.options)))
            for i, q in enumerate(lesson.quiz)]
    text = body + texts.DIST_QUIZ_HEAD.format(example=example) + "\n" + "\n".join(quiz)
    return Turn(state.ask(Waiting.DIST_QUIZ, lesson=lesson.key), TextReply(text))


@router.pending(Waiting.DIST_QUIZ)
def quiz_answer(state: DialogState, msg: Msg) -> Turn | None:
    if is_escape(msg):
        return Turn(state.settled(), TextReply(texts.ACK))
    policy = ports().policy
    key = str(state.pending.data.get("lesson", "")) if state.pending else ""
    lesson = next((ls for ls in policy.lessons if ls.key == key), None)
    digits = [int(x) - 1 for x in ANSWERS_RE.findall(msg.text)]
    if lesson is None or not digits:
        return None
    if len(digits) != len(lesson.quiz):
        example = " ".join("1" for _ in lesson.quiz)
        return Turn(state, TextReply(texts.DIST_QUIZ_BAD.format(n=len(lesson.quiz), example=example)))
    with msg.ctx.uow() as uow:
        d = recruitment.active_by_openid(uow, msg.openid)
        result = training.answer_quiz(uow, d.id, key, digits, policy)
        progress = training.progress(uow, d.id, policy)
        uow.commit()
    if result.passed:
        reply = texts.DIST_QUIZ_PASSED.format(done=progress.done, total=progress.total)
        return Turn(state.settled(), TextReply(reply))
    return Turn(state, TextReply(texts.DIST_QUIZ_FAILED.format(correct=result.correct, total=result.total)))


def _bind_scene(msg: Msg, source: BindingSource) -> VisitOutcome | None:
    ref = parse_scene(msg.inbound.scene)
    if ref is None:
        return None
    with msg.ctx.uow() as uow:
        try:
            result = bind_referral(uow, msg.openid, ref.code, source, ports().policy, product_id=ref.product_id)
        except UnknownReferralCode:
            return None
        uow.commit()
    return result.outcome


def _with_note(reply: Reply, outcome: VisitOutcome | None) -> Reply:
    note = texts.DIST_SCENE_NOTES.get(str(outcome)) if outcome else None
    if note and isinstance(reply, TextReply):
        return TextReply(reply.content + "\n" + note)
    return reply


@router.event("subscribe")
def subscribe_with_scene(state: DialogState, msg: Msg) -> Turn:
    """A referral scene binds the follower (first/last touch, never self, no cycles); other scenes go to the hook."""
    outcome = _bind_scene(msg, BindingSource.QR_SUBSCRIBE)
    plain = msg if outcome is None else Msg(replace(msg.inbound, scene=""), msg.ctx)
    turn = welcome.subscribe(state, plain)
    return Turn(turn.state, _with_note(turn.reply, outcome))


@router.event("scan")
def scan_with_scene(state: DialogState, msg: Msg) -> Turn:
    outcome = _bind_scene(msg, BindingSource.QR_SCAN)
    plain = msg if outcome is None else Msg(replace(msg.inbound, scene=""), msg.ctx)
    turn = welcome.scan(state, plain)
    return Turn(turn.state, _with_note(turn.reply, outcome))
