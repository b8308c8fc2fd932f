"""Base domain error.  Subdomains define subclasses carrying data; `bot/` maps them to Chinese text."""

from __future__ import annotations


class CommerceError(Exception):
    """A business rule refused the operation.  Never retried."""


class NotFound(CommerceError):
    def __init__(self, what: str, key: object) -> None:
        super().__init__(f"{what} not found: {key}")
        self.what = what
        self.key = key


class InvalidInput(CommerceError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class IllegalTransition(CommerceError):
    def __init__(self, entity: str, current: str, target: str) -> None:
        super().__init__(f"{entity}: {current} -> {target} is not allowed")
        self.entity = entity
        self.current = current
        self.target = target


class ConsentRequired(CommerceError):
    def __init__(self, purpose: str) -> None:
        super().__init__(f"consent required: {purpose}")
        self.purpose = purpose
