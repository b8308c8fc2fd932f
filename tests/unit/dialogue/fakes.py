"""Fakes for dialogue tests: a deterministic interpreter, a referral hook that records calls."""

from __future__ import annotations

from bot.dialogue.keyword_nlu import KeywordInterpreter
from nlu.types import Parse


class FakeInterpreter(KeywordInterpreter):
    """The keyword interpreter, plus canned parses for texts a test wants to pin down."""

    def __init__(self, canned: dict[str, Parse] | None = None) -> None:
        super().__init__()
        self.canned = dict(canned or {})
        self.calls = 0

    def parse(self, text: str) -> Parse:
        self.calls += 1
        return self.canned.get(text) or super().parse(text)


class RecordingReferrals:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(self, openid: str, scene: str) -> None:
        self.calls.append((openid, scene))
