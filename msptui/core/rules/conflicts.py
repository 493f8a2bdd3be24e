"""Conflicts of interest: their state, what they block, how old an undisclosed one is.

Codes of conduct of the trade: avoid conflicts of interest; inform the client
immediately and completely of any that may arise; reject any bribe.
A gift or offer is refused by default; it may be accepted only when declared
under the client's written policy on gifts, with that policy named.
All instants are timezone-aware (the store keeps them in UTC); a naive
datetime is refused with ValueError rather than guessed at.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from msptui.core.i18n import _
from msptui.core.rules.words import RuleViolation, Word, as_utc, is_blank

#: How far in the future a disclosure date may lie: two machines' clocks rarely agree to the second.
FUTURE_TOLERANCE = timedelta(minutes=1)


class ConflictKind(Word):
    financial_interest = "financial_interest"
    personal_relationship = "personal_relationship"
    competing_client = "competing_client"
    vendor_incentive = "vendor_incentive"
    gift_or_bribe = "gift_or_bribe"
    other = "other"


class ClientAnswer(Word):
    accepted = "accepted"
    waived = "waived"
    refused = "refused"


class ConflictStatus(Word):
    undisclosed = "undisclosed"
    disclosed_awaiting_answer = "disclosed_awaiting_answer"
    accepted_by_client = "accepted_by_client"
    waived_by_client = "waived_by_client"
    refused_by_client = "refused_by_client"
    bribe_refused = "bribe_refused"
    gift_accepted_under_policy = "gift_accepted_under_policy"
    closed = "closed"


class GiftAction(Word):
    """What the technician did with a gift or offer. Refused is the default."""

    refused = "refused"
    accepted_under_policy = "accepted_under_policy"


_BY_ANSWER = {
    ClientAnswer.accepted: ConflictStatus.accepted_by_client,
    ClientAnswer.waived: ConflictStatus.waived_by_client,
    ClientAnswer.refused: ConflictStatus.refused_by_client,
}

# Why each status does or does not block accepting an engagement with the client:
# - undisclosed: the client has not been told; telling them comes first.
# - disclosed_awaiting_answer: the client's answer decides whether the conflict
#   is acceptable; going ahead before it would presume a yes.
# - refused_by_client: the client said no; the conflict must end first.
# - accepted_by_client, waived_by_client: informed consent was given.
# - bribe_refused: refusing is the whole duty; nothing is left pending.
# - gift_accepted_under_policy: declared and accepted under the client's own written rules.
# - closed: the conflict no longer exists.
_BLOCKING = frozenset(
    {
        ConflictStatus.undisclosed,
        ConflictStatus.disclosed_awaiting_answer,
        ConflictStatus.refused_by_client,
    }
)


def conflict_status(
    kind: ConflictKind | str,
    disclosed_at: datetime | None,
    client_answer: ClientAnswer | str | None,
    closed_at: datetime | None,
    gift_action: GiftAction | str | None = None,
) -> ConflictStatus:
    """The state of one recorded conflict of interest, decided in this order:

    1. a gift_or_bribe is bribe_refused (shown as "refused"), unless
       `gift_action` is accepted_under_policy: then gift_accepted_under_policy.
       No disclosure, answer or closing changes how it stands on record;
    2. closed_at set: closed;
    3. no disclosed_at: undisclosed (an answer recorded without a disclosure
       does not count: the client cannot answer what they were not told);
    4. disclosed, no answer yet: disclosed_awaiting_answer;
    5. otherwise the client's answer: accepted_by_client, waived_by_client or
       refused_by_client.

    Strings from the database are accepted for kind and client_answer;
    unknown values raise ValueError.
    """
    kind = ConflictKind(kind)
    answer = None if client_answer is None else ClientAnswer(client_answer)
    if kind is ConflictKind.gift_or_bribe:
        if gift_action is not None and GiftAction(gift_action) is GiftAction.accepted_under_policy:
            return ConflictStatus.gift_accepted_under_policy
        return ConflictStatus.bribe_refused
    if closed_at is not None:
        return ConflictStatus.closed
    if disclosed_at is None:
        return ConflictStatus.undisclosed
    if answer is None:
        return ConflictStatus.disclosed_awaiting_answer
    return _BY_ANSWER[answer]


def blocks_acceptance(status: ConflictStatus | str) -> bool:
    """Whether a conflict in this state forbids accepting an engagement with the client.

    Blocks: undisclosed, disclosed_awaiting_answer (the client's answer is
    still owed: record it, even an oral one, first) and refused_by_client.
    Does not block: accepted_by_client, waived_by_client, bribe_refused,
    gift_accepted_under_policy, closed.
    """
    return ConflictStatus(status) in _BLOCKING


def undisclosed_for(identified_at: datetime, now: datetime) -> timedelta:
    """How long a conflict has been known without being disclosed.

    Never negative: an identification stamped after `now` (clocks of two
    machines disagree) counts as zero. Both instants must be timezone-aware.
    """
    return max(as_utc("now", now) - as_utc("identified_at", identified_at), timedelta(0))


def format_age(age: timedelta) -> str:
    """A short age for a table cell, rounded down: "just now" (under a minute,
    or negative), "5 min", "3 h" (under a day), "2 d"."""
    seconds = int(age.total_seconds())
    if seconds < 60:
        return _("just now")
    if seconds < 3600:
        return _("{minutes} min").format(minutes=seconds // 60)
    if seconds < 86400:
        return _("{hours} h").format(hours=seconds // 3600)
    return _("{days} d").format(days=seconds // 86400)


def validate_disclosure(
    identified_at: datetime,
    disclosed_at: datetime | None,
    to_whom: str | None,
    how: str | None,
    now: datetime,
) -> list[RuleViolation]:
    """Why a disclosure may not be recorded as given; an empty list means it may.

    disclosed_at is required, not before the minute identified_at falls in (the
    precision forms show; the same minute is fine) and not more than FUTURE_TOLERANCE after now; to_whom and how must
    not be blank. Fields reported: "disclosed_at", "to_whom", "how".
    All instants must be timezone-aware.
    """
    identified_at = as_utc("identified_at", identified_at)
    now = as_utc("now", now)
    violations: list[RuleViolation] = []
    if disclosed_at is None:
        violations.append(RuleViolation("disclosed_at", _("Enter when the conflict was disclosed.")))
    else:
        disclosed_at = as_utc("disclosed_at", disclosed_at)
        # Forms show and take times to the minute: a disclosure in the same minute as the
        # identification (identified 10:42:37, disclosed "10:42") is not before it.
        if disclosed_at < identified_at.replace(second=0, microsecond=0):
            violations.append(
                RuleViolation(
                    "disclosed_at",
                    _(
                        "The disclosure is dated before the conflict was identified: a conflict"
                        " cannot be disclosed before it is known."
                    ),
                )
            )
        elif disclosed_at > now + FUTURE_TOLERANCE:
            violations.append(RuleViolation("disclosed_at", _("The disclosure is dated in the future.")))
    if is_blank(to_whom):
        violations.append(RuleViolation("to_whom", _("Say to whom at the client the conflict was disclosed.")))
    if is_blank(how):
        violations.append(
            RuleViolation("how", _("Say how the conflict was disclosed (e-mail, letter, meeting, call...)."))
        )
    return violations


def validate_gift(
    offered_by: str | None,
    offered_at: datetime,
    action: GiftAction | str,
    policy: str | None,
    now: datetime,
) -> list[RuleViolation]:
    """Why a gift or offer may not be recorded as given; an empty list means it may.

    offered_by must not be blank; offered_at not more than FUTURE_TOLERANCE
    after now; accepting (accepted_under_policy) needs the client's written
    policy named (without one, the gift is refused). Fields reported:
    "offered_by", "offered_at", "policy". Instants must be timezone-aware.
    """
    violations: list[RuleViolation] = []
    if is_blank(offered_by):
        violations.append(RuleViolation("offered_by", _("Say who offered it (name and company).")))
    if as_utc("offered_at", offered_at) > as_utc("now", now) + FUTURE_TOLERANCE:
        violations.append(RuleViolation("offered_at", _("The offer is dated in the future.")))
    if GiftAction(action) is GiftAction.accepted_under_policy and is_blank(policy):
        violations.append(
            RuleViolation(
                "policy",
                _("Name the client's written policy that allows accepting it; without one, the gift is refused."),
            )
        )
    return violations
