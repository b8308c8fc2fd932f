"""Distributor training (培训): merchant lessons from the policy, progress per distributor.

A lesson is done once read and, if it has a quiz, answered fully right.  Basic
lessons (`Lesson.basic`) can be required before the first payout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from commerce.clock import now
from commerce.db import Base, BigId, IdMixin, UnitOfWork
from commerce.distribution.policy import DistributionPolicy, Lesson
from commerce.errors import InvalidInput, NotFound


class LessonProgress(IdMixin, Base):
    __tablename__ = "distributor_lesson_progress"
    __table_args__ = (UniqueConstraint("distributor_id", "lesson_key"),)

    distributor_id: Mapped[int] = mapped_column(BigId, ForeignKey("distributors.id"))
    lesson_key: Mapped[str] = mapped_column(String(64))
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    passed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    basics_left: int


@dataclass(frozen=True)
class QuizResult:
    lesson: Lesson
    correct: int
    total: int

    @property
    def passed(self) -> bool:
        return self.correct == self.total


def _rows(uow: UnitOfWork, distributor_id: int) -> dict[str, LessonProgress]:
    rows = uow.session.scalars(select(LessonProgress).where(LessonProgress.distributor_id == distributor_id))
    return {r.lesson_key: r for r in rows}


def _done(lesson: Lesson, row: LessonProgress | None) -> bool:
    return row is not None and (not lesson.quiz or row.passed_at is not None)


def progress(uow: UnitOfWork, distributor_id: int, policy: DistributionPolicy) -> Progress:
    rows = _rows(uow, distributor_id)
    done = [ls for ls in policy.lessons if _done(ls, rows.get(ls.key))]
    basics_left = sum(1 for ls in policy.lessons if ls.basic and ls not in done)
    return Progress(len(done), len(policy.lessons), basics_left)


def basics_remaining(uow: UnitOfWork, distributor_id: int, policy: DistributionPolicy) -> int:
    return progress(uow, distributor_id, policy).basics_left


def next_lesson(uow: UnitOfWork, distributor_id: int, policy: DistributionPolicy) -> Lesson | None:
    """The first lesson not done yet, marked as read (its quiz, if any, is still to answer)."""
    rows = _rows(uow, distributor_id)
    for lesson in policy.lessons:
        if not _done(lesson, rows.get(lesson.key)):
            if lesson.key not in rows:
                uow.session.add(LessonProgress(distributor_id=distributor_id, lesson_key=lesson.key,
                                               passed_at=None if lesson.quiz else now()))
                uow.session.flush()
            return lesson
    return None


def answer_quiz(
    uow: UnitOfWork, distributor_id: int, lesson_key: str, answers: list[int], policy: DistributionPolicy
) -> QuizResult:
    """`answers` are option indexes (0-based), one per question, in order."""
    lesson = next((ls for ls in policy.lessons if ls.key == lesson_key), None)
    if lesson is None:
        raise NotFound("lesson", lesson_key)
    if len(answers) != len(lesson.quiz):
        raise InvalidInput("answers", f"expected {len(lesson.quiz)} answers, got {len(answers)}")
    correct = sum(1 for q, a in zip(lesson.quiz, answers, strict=True) if q.answer == a)
    row = _rows(uow, distributor_id).get(lesson_key)
    if row is None:
        row = LessonProgress(distributor_id=distributor_id, lesson_key=lesson_key)
        uow.session.add(row)
    if correct == len(lesson.quiz) and row.passed_at is None:
        row.passed_at = now()
    uow.session.flush()
    return QuizResult(lesson, correct, len(lesson.quiz))
