"""Distribution domain errors.  Each carries data; `bot/` maps the type to Chinese text."""

from __future__ import annotations

from commerce.errors import CommerceError


class PolicyRejected(CommerceError):
    """The distribution policy breaks a compliance rule (depth, rates)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"distribution policy {field}: {reason}")
        self.field = field
        self.reason = reason


class DistributionDisabled(CommerceError):
    def __init__(self) -> None:
        super().__init__("distribution is disabled")


class NotADistributor(CommerceError):
    def __init__(self, openid: str) -> None:
        super().__init__(f"not an active distributor: {openid}")
        self.openid = openid


class DistributorSuspended(NotADistributor):
    """The merchant suspended this distributor: nothing new is earned until resumed."""

    def __init__(self, openid: str, code: str) -> None:
        super().__init__(openid)
        self.code = code


class AlreadyDistributor(CommerceError):
    def __init__(self, code: str, status: str) -> None:
        super().__init__(f"already a distributor ({status}): {code}")
        self.code = code
        self.status = status


class InvitationRequired(CommerceError):
    def __init__(self, code: str = "") -> None:
        super().__init__(f"a valid invitation code is required (got {code!r})")
        self.code = code


class ApplicationIncomplete(CommerceError):
    def __init__(self, missing: str) -> None:
        super().__init__(f"application is missing {missing}")
        self.missing = missing


class SelfReferral(CommerceError):
    def __init__(self, code: str) -> None:
        super().__init__(f"cannot bind to one's own code: {code}")
        self.code = code


class ReferralCycle(CommerceError):
    def __init__(self, code: str) -> None:
        super().__init__(f"binding to {code} would create a cycle")
        self.code = code


class UnknownReferralCode(CommerceError):
    def __init__(self, code: str) -> None:
        super().__init__(f"unknown or inactive referral code: {code}")
        self.code = code


class BelowMinimum(CommerceError):
    def __init__(self, amount_fen: int, min_fen: int) -> None:
        super().__init__(f"withdrawal {amount_fen} fen is below the minimum {min_fen}")
        self.amount_fen = amount_fen
        self.min_fen = min_fen


class InsufficientBalance(CommerceError):
    def __init__(self, amount_fen: int, balance_fen: int) -> None:
        super().__init__(f"withdrawal {amount_fen} fen exceeds the balance {balance_fen}")
        self.amount_fen = amount_fen
        self.balance_fen = balance_fen


class DailyCapExceeded(CommerceError):
    def __init__(self, amount_fen: int, remaining_fen: int) -> None:
        super().__init__(f"withdrawal {amount_fen} fen exceeds today's remaining cap {remaining_fen}")
        self.amount_fen = amount_fen
        self.remaining_fen = remaining_fen


class BankAccountRequired(CommerceError):
    def __init__(self) -> None:
        super().__init__("a bank account (with separate consent) is required for bank payouts")


class BankAccountInUse(CommerceError):
    """The bank account an open (not yet paid or failed) payout will be paid to cannot be deleted."""

    def __init__(self, payout_no: str) -> None:
        super().__init__(f"bank account is needed by open payout {payout_no}")
        self.payout_no = payout_no


class RealNameRequired(CommerceError):
    """A WeChat-change payout of this size needs the payee's real name (WeChat Pay: from ¥2,000)."""

    def __init__(self, amount_fen: int) -> None:
        super().__init__(f"a transfer of {amount_fen} fen needs the payee's real name")
        self.amount_fen = amount_fen


class TrainingRequired(CommerceError):
    def __init__(self, remaining: int) -> None:
        super().__init__(f"finish the basic training first ({remaining} lessons left)")
        self.remaining = remaining


class CallbackRejected(CommerceError):
    """A payout callback was forged, stale or names an unknown bill."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"payout callback rejected: {reason}")
        self.reason = reason
