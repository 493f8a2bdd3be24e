"""The trade's rules, as a technician would state them.

Competence self-check, conflicts of interest, delivery readiness and delivery
note numbers. Where the inputs are few, every combination is checked against
the rule restated independently below; where they are free text or time,
hypothesis explores them.
"""

from __future__ import annotations

import ast
import itertools
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msptui.core.rules import (
    MIN_RISK_STATEMENT_CHARS,
    Answer,
    ClientAnswer,
    ClientDisclosure,
    CompetenceAnswers,
    ConflictKind,
    ConflictStatus,
    Decision,
    DeliveryParts,
    DocumentLine,
    PartState,
    Question,
    RuleViolation,
    TestLine,
    TestResult,
    blocks_acceptance,
    check_client_disclosure,
    check_decision,
    check_in_force_problem,
    check_is_current,
    competence_outcome,
    conflict_status,
    delivery_readiness,
    format_age,
    format_note_number,
    parse_note_number,
    undisclosed_for,
    validate_disclosure,
)

ALL_ANSWERS = [CompetenceAnswers(*combo) for combo in itertools.product(Answer, repeat=3)]
ALL_YES = CompetenceAnswers(Answer.yes, Answer.yes, Answer.yes)
NEW_TO_IT = CompetenceAnswers(Answer.partly, Answer.no, Answer.yes)
LONG_ENOUGH = "Restore untested on this NAS model: data loss possible if the backup fails."
NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


TOLD = ClientDisclosure("Sophie Martin", date(2026, 3, 10), "meeting")
DISCLOSURE_FIELDS = ["disclosed_to", "disclosed_on", "disclosed_how"]


def decide(answers, decision, partner=None, disclosed=False, statement=None, conflicts=0, **kw):
    """The rule with the form's details; a named partner brings a competence, and `disclosed`
    stands for a complete record of telling the client (to whom, when, how)."""
    kw.setdefault("partner_competence", "Surveys" if partner and partner.strip() else None)
    return check_decision(
        answers,
        decision,
        partner_name=partner,
        risk_statement=statement,
        disclosure=TOLD if disclosed else None,
        today=date(2026, 3, 10),
        undisclosed_conflicts=conflicts,
        **kw,
    )


def fields(violations: list[RuleViolation]) -> list[str]:
    return [v.field for v in violations]


# --- competence: what the three answers allow ---------------------------------------


def test_three_clear_yes_allow_accepting_or_declining():
    outcome = competence_outcome(ALL_YES)
    assert outcome.allowed == {Decision.accept, Decision.decline}
    assert outcome.gaps == ()
    assert outcome.summary == "Yes to all three questions: you may accept, or decline."


THREE_NO = CompetenceAnswers(Answer.no, Answer.no, Answer.no)


@pytest.mark.parametrize("answers", [a for a in ALL_ANSWERS if a not in (ALL_YES, THREE_NO)], ids=str)
def test_any_partly_or_no_allows_only_a_partner_a_written_risk_or_declining(answers):
    outcome = competence_outcome(answers)
    assert outcome.allowed == {
        Decision.accept_with_partner,
        Decision.accept_against_judgement,
        Decision.decline,
    }
    assert Decision.accept not in outcome.allowed


def test_three_no_allow_only_a_partner_or_declining():
    outcome = competence_outcome(THREE_NO)
    assert outcome.allowed == {Decision.accept_with_partner, Decision.decline}
    assert outcome.summary == (
        "No to all three questions: decline, or accept only with a declared external partner who brings the competence."
    )
    [violation] = decide(THREE_NO, Decision.accept_against_judgement, disclosed=True, statement=LONG_ENOUGH)
    assert violation == RuleViolation(
        "decision",
        (
            "You answered no to all three questions: accepting at the client's request is not open."
            " Accept with a declared external partner who brings the competence, or decline."
        ),
    )
    assert decide(THREE_NO, Decision.accept_with_partner, "Acme Networks", True) == []


def test_accepting_against_judgement_is_labelled_as_at_the_clients_request():
    assert Decision.accept_against_judgement.label == "Accept at the client's request, against my own judgement"
    assert Decision.accept_against_judgement.needs_disclosure and Decision.accept_with_partner.needs_disclosure
    assert not Decision.accept.needs_disclosure


@pytest.mark.parametrize("answers", ALL_ANSWERS, ids=str)
def test_gaps_are_the_questions_without_a_clear_yes_in_order(answers):
    expected = [
        q for q, a in zip(Question, (answers.familiarity, answers.prior_projects, answers.know_how)) if a != "yes"
    ]
    assert list(competence_outcome(answers).gaps) == expected


def test_summary_names_each_gap_with_its_answer_and_the_way_forward():
    summary = competence_outcome(NEW_TO_IT).summary
    assert summary.startswith(
        "Not a clear yes on I (familiarity with the technology: partly) and II (equivalent projects: no):"
    )
    assert "declared external partner" in summary
    assert "the risks and consequences in writing, given to the client" in summary


def test_answers_read_from_the_database_as_words_are_understood():
    answers = CompetenceAnswers("yes", "partly", "no")
    assert answers.prior_projects is Answer.partly
    assert competence_outcome(answers).gaps == (Question.prior_projects, Question.know_how)


def test_an_answer_that_is_not_yes_partly_or_no_is_refused():
    with pytest.raises(ValueError):
        CompetenceAnswers("yes", "maybe", "no")


def test_the_three_questions_are_numbered_and_worded_as_in_the_codes_of_conduct():
    assert [q.numeral for q in Question] == ["I", "II", "III"]
    assert Question.familiarity.prompt.startswith("Am I familiar with this technology")
    assert "equivalent projects" in Question.prior_projects.prompt
    assert "know-how" in Question.know_how.prompt


# --- competence: checking a decision -------------------------------------------------


def test_declining_is_always_allowed_even_with_undisclosed_conflicts():
    for answers in ALL_ANSWERS:
        assert decide(answers, Decision.decline, conflicts=3, refused_conflicts=1) == []


def test_accepting_with_three_clear_yes_is_allowed():
    assert decide(ALL_YES, Decision.accept) == []


def test_accepting_outright_with_a_gap_is_refused_and_points_to_the_alternatives():
    [violation] = decide(NEW_TO_IT, Decision.accept)
    assert violation.field == "decision"
    assert "declared external partner" in violation.message
    assert "at the client's request" in violation.message
    assert "decline" in violation.message


def test_a_partner_or_a_risk_statement_is_not_a_way_round_a_clear_yes():
    for decision in (Decision.accept_with_partner, Decision.accept_against_judgement):
        violations = decide(ALL_YES, decision, "Acme Networks", True, LONG_ENOUGH)
        assert fields(violations) == ["decision"]


def test_accepting_with_a_partner_needs_the_partner_its_competence_and_the_disclosure_recorded():
    violations = decide(NEW_TO_IT, Decision.accept_with_partner, partner="  ", disclosed=False)
    assert violations == [
        RuleViolation("partner_name", "Name the external partner who brings the missing competence."),
        RuleViolation("partner_competence", "Say which competence the partner brings."),
        RuleViolation("disclosed_to", "Name the person at the client who was told."),
        RuleViolation("disclosed_on", "Give the day the client was told (YYYY-MM-DD)."),
        RuleViolation("disclosed_how", "Say how the client was told: e-mail, phone, meeting or letter."),
    ]
    assert decide(NEW_TO_IT, Decision.accept_with_partner, "Acme Networks", True) == []


def test_the_client_is_told_on_a_day_that_has_come():
    later = ClientDisclosure("Sophie Martin", date(2026, 3, 11), "phone")
    assert check_client_disclosure(later, date(2026, 3, 10)) == [
        RuleViolation("disclosed_on", "The client cannot have been told on 2026-03-11: that day is still to come.")
    ]
    assert check_client_disclosure(later, date(2026, 3, 11)) == []
    with pytest.raises(ValueError):
        check_client_disclosure(ClientDisclosure("Sophie Martin", date(2026, 3, 10), "pigeon"), None)


def test_a_check_is_stale_once_the_technologies_change():
    assert check_is_current(["Veeam", "OVHcloud"], ["ovhcloud", " veeam "])
    assert not check_is_current(["Veeam"], ["Veeam", "OVHcloud"])
    assert check_in_force_problem("accept", ["Veeam"], ["Veeam"], False) is None
    assert check_in_force_problem("accept", ["Veeam"], ["Veeam", "OVHcloud"], False) == (
        "The technologies changed since the check in force (made on Veeam; now Veeam, OVHcloud): run a new check (c)"
    )
    assert check_in_force_problem(None, [], ["Veeam"], False) == (
        "No competence check has been made on this engagement: run one (c)"
    )
    assert check_in_force_problem("decline", ["Veeam"], ["Veeam"], False) == (
        "The check in force declines this engagement: run a new check (c)"
    )
    assert check_in_force_problem("accept_against_judgement", ["Veeam"], ["Veeam"], False) == (
        "Telling the client about the risks and consequences is not recorded: record it (g)"
    )
    assert check_in_force_problem("accept_with_partner", ["Veeam"], ["Veeam"], True) is None


def test_accepting_against_judgement_needs_a_written_explanation_of_risks():
    [violation] = decide(NEW_TO_IT, Decision.accept_against_judgement, disclosed=True, statement=None)
    assert violation == RuleViolation(
        "risk_statement",
        "Explain in writing the risks and consequences of accepting against your own"
        " judgement (at least 30 characters).",
    )
    assert decide(NEW_TO_IT, Decision.accept_against_judgement, disclosed=True, statement=LONG_ENOUGH) == []


def test_a_risk_statement_counts_only_its_non_blank_characters():
    padded_29 = " ".join("x" * 29) + "   \n\t"  # 29 letters, many spaces: still too short
    exactly_30 = "  " + "y" * 30 + "  "
    assert MIN_RISK_STATEMENT_CHARS == 30
    assert fields(decide(NEW_TO_IT, Decision.accept_against_judgement, disclosed=True, statement=padded_29)) == [
        "risk_statement"
    ]
    assert decide(NEW_TO_IT, Decision.accept_against_judgement, disclosed=True, statement=exactly_30) == []


@pytest.mark.parametrize(
    ("count", "message"),
    [
        (1, "1 conflict of interest with this client is not disclosed yet: disclose it before accepting."),
        (2, "2 conflicts of interest with this client are not disclosed yet: disclose them before accepting."),
    ],
)
def test_an_undisclosed_conflict_blocks_every_way_of_accepting(count, message):
    cases = [
        (ALL_YES, Decision.accept),
        (NEW_TO_IT, Decision.accept_with_partner),
        (NEW_TO_IT, Decision.accept_against_judgement),
    ]
    for answers, decision in cases:
        violations = decide(answers, decision, "Acme Networks", True, LONG_ENOUGH, conflicts=count)
        assert violations == [RuleViolation("conflicts", message)]


def test_a_conflict_awaiting_the_clients_answer_or_refused_by_the_client_blocks_accepting():
    assert decide(ALL_YES, Decision.accept, unanswered_conflicts=1) == [
        RuleViolation(
            "conflicts",
            "1 disclosed conflict of interest with this client is still awaiting the client's"
            " answer: record the answer before accepting.",
        )
    ]
    assert decide(ALL_YES, Decision.accept, refused_conflicts=2) == [
        RuleViolation(
            "conflicts",
            "The client refused 2 disclosed conflicts of interest: end them and close them"
            " before accepting, or decline.",
        )
    ]


def test_violations_come_in_the_order_of_the_form():
    violations = decide(NEW_TO_IT, Decision.accept_with_partner, None, False, None, 1)
    assert fields(violations) == ["partner_name", "partner_competence", *DISCLOSURE_FIELDS, "conflicts"]


def test_a_negative_conflict_count_is_a_bug_not_a_pass():
    with pytest.raises(ValueError):
        decide(ALL_YES, Decision.accept, conflicts=-1)


def test_an_unknown_decision_is_refused():
    with pytest.raises(ValueError):
        decide(ALL_YES, "accept_maybe")


def rule_as_written(answers, decision, partner, disclosed, statement, conflicts) -> set[str]:
    """The competence rule restated from the codes of conduct, independently of the code:
    decline is always possible; accepting outright needs three clear yes; a partner or
    a written risk statement is how one accepts despite a gap, and only then, and
    with three no only a partner; a partner is named with its competence; the risk
    statement has 30 non-blank characters; either is told to the client and that is
    recorded; an undisclosed conflict forbids accepting at all."""
    if decision == "decline":
        return set()
    competent = {answers.familiarity, answers.prior_projects, answers.know_how} == {"yes"}
    hopeless = {answers.familiarity, answers.prior_projects, answers.know_how} == {"no"}
    expected = {"conflicts"} if conflicts > 0 else set()
    if competent != (decision == "accept") or (hopeless and decision == "accept_against_judgement"):
        expected.add("decision")
        return expected
    if decision == "accept_with_partner":
        if partner is None or partner.strip() == "":
            expected |= {"partner_name", "partner_competence"}
    elif decision == "accept_against_judgement":
        if len("".join((statement or "").split())) < 30:
            expected.add("risk_statement")
    if decision != "accept" and not disclosed:
        expected |= set(DISCLOSURE_FIELDS)
    return expected


def test_every_combination_of_answers_decision_and_details_follows_the_rule():
    partners = [None, "", "   ", "Acme Networks"]
    statements = [None, "", " ".join("r" * 29), "s" * 30, LONG_ENOUGH]
    checked = 0
    for answers, decision, partner, disclosed, statement, conflicts in itertools.product(
        ALL_ANSWERS, Decision, partners, (False, True), statements, (0, 1, 3)
    ):
        violations = decide(answers, decision, partner, disclosed, statement, conflicts)
        expected = rule_as_written(answers, decision, partner, disclosed, statement, conflicts)
        assert set(fields(violations)) == expected, (answers, decision, partner, disclosed, statement, conflicts)
        assert len(violations) == len(expected)
        assert all(v.message.endswith(".") for v in violations)
        if decision not in competence_outcome(answers).allowed:
            assert "decision" in expected
        checked += 1
    assert checked == 27 * 4 * 4 * 2 * 5 * 3


@given(
    answers=st.sampled_from(ALL_ANSWERS),
    decision=st.sampled_from(list(Decision)),
    partner=st.none() | st.text(max_size=20),
    disclosed=st.booleans(),
    statement=st.none() | st.text(max_size=80),
    conflicts=st.integers(min_value=0, max_value=50),
)
def test_any_free_text_partner_or_statement_follows_the_rule(
    answers, decision, partner, disclosed, statement, conflicts
):
    violations = decide(answers, decision, partner, disclosed, statement, conflicts)
    assert set(fields(violations)) == rule_as_written(answers, decision, partner, disclosed, statement, conflicts)


@given(answers=st.sampled_from(ALL_ANSWERS))
def test_every_allowed_decision_can_be_recorded_once_its_requirements_are_met(answers):
    for decision in competence_outcome(answers).allowed:
        assert decide(answers, decision, "Acme Networks", True, LONG_ENOUGH, 0) == []


# --- conflicts of interest -------------------------------------------------------------


def status_as_written(kind, disclosed, answer, closed) -> str:
    """The register's states restated: any bribe is refused, full stop; a closed conflict
    is closed; otherwise it is undisclosed until disclosed, then awaits the client's
    answer, then is what the client answered."""
    if kind == "gift_or_bribe":
        return "bribe_refused"
    if closed:
        return "closed"
    if not disclosed:
        return "undisclosed"
    return {
        None: "disclosed_awaiting_answer",
        "accepted": "accepted_by_client",
        "waived": "waived_by_client",
        "refused": "refused_by_client",
    }[answer]


@pytest.mark.parametrize("kind", list(ConflictKind))
@pytest.mark.parametrize("answer", [None, *ClientAnswer])
@pytest.mark.parametrize("disclosed_at", [None, NOW], ids=["not_disclosed", "disclosed"])
@pytest.mark.parametrize("closed_at", [None, NOW + timedelta(days=3)], ids=["open", "closed"])
def test_each_kind_answer_disclosure_and_closing_gives_the_status_of_the_register(
    kind, answer, disclosed_at, closed_at
):
    status = conflict_status(kind, disclosed_at, answer, closed_at)
    assert status == status_as_written(kind, disclosed_at, answer, closed_at)


def test_a_disclosed_conflict_waits_for_the_clients_answer_then_takes_it():
    kind = ConflictKind.vendor_incentive
    assert conflict_status(kind, None, None, None) is ConflictStatus.undisclosed
    assert conflict_status(kind, NOW, None, None) is ConflictStatus.disclosed_awaiting_answer
    assert conflict_status(kind, NOW, "accepted", None) is ConflictStatus.accepted_by_client
    assert conflict_status(kind, NOW, "waived", None) is ConflictStatus.waived_by_client
    assert conflict_status(kind, NOW, "refused", None) is ConflictStatus.refused_by_client
    assert conflict_status(kind, NOW, "refused", NOW) is ConflictStatus.closed


@given(
    disclosed_at=st.none() | st.just(NOW),
    answer=st.none() | st.sampled_from(list(ClientAnswer)),
    closed_at=st.none() | st.just(NOW),
)
def test_a_gift_or_bribe_is_always_on_record_as_refused(disclosed_at, answer, closed_at):
    status = conflict_status("gift_or_bribe", disclosed_at, answer, closed_at)
    assert status is ConflictStatus.bribe_refused
    assert not blocks_acceptance(status)


@given(
    disclosed_at=st.none() | st.just(NOW),
    answer=st.none() | st.sampled_from(list(ClientAnswer)),
    closed_at=st.none() | st.just(NOW),
)
def test_a_gift_is_accepted_only_when_recorded_as_accepted_under_the_clients_policy(disclosed_at, answer, closed_at):
    refused = conflict_status("gift_or_bribe", disclosed_at, answer, closed_at, "refused")
    accepted = conflict_status("gift_or_bribe", disclosed_at, answer, closed_at, "accepted_under_policy")
    assert refused is ConflictStatus.bribe_refused
    assert accepted is ConflictStatus.gift_accepted_under_policy
    assert not blocks_acceptance(accepted)


def test_an_answer_recorded_without_a_disclosure_leaves_the_conflict_undisclosed():
    status = conflict_status(ConflictKind.financial_interest, None, ClientAnswer.accepted, None)
    assert status is ConflictStatus.undisclosed
    assert blocks_acceptance(status)


def test_unknown_kind_or_answer_is_refused():
    with pytest.raises(ValueError):
        conflict_status("friendship", None, None, None)
    with pytest.raises(ValueError):
        conflict_status(ConflictKind.other, NOW, "maybe", None)


@pytest.mark.parametrize(
    ("status", "blocks"),
    [
        (ConflictStatus.undisclosed, True),
        (ConflictStatus.disclosed_awaiting_answer, True),
        (ConflictStatus.refused_by_client, True),
        (ConflictStatus.accepted_by_client, False),
        (ConflictStatus.waived_by_client, False),
        (ConflictStatus.bribe_refused, False),
        (ConflictStatus.gift_accepted_under_policy, False),
        (ConflictStatus.closed, False),
    ],
)
def test_which_conflicts_block_accepting_an_engagement(status, blocks):
    assert blocks_acceptance(status) is blocks
    assert blocks_acceptance(status.value) is blocks


def test_every_status_of_the_register_is_reachable():
    reached = {
        conflict_status(kind, disclosed, answer, closed, gift)
        for kind in ConflictKind
        for disclosed in (None, NOW)
        for answer in (None, *ClientAnswer)
        for closed in (None, NOW)
        for gift in (None, "refused", "accepted_under_policy")
    }
    assert reached == set(ConflictStatus)


ZONES = [UTC, timezone(timedelta(hours=-5)), ZoneInfo("Europe/Paris")]
aware_instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.sampled_from(ZONES)
)


@given(identified_at=aware_instants, now=aware_instants)
def test_an_undisclosed_conflict_ages_in_real_time_whatever_the_zones(identified_at, now):
    age = undisclosed_for(identified_at, now)
    real = now.astimezone(UTC) - identified_at.astimezone(UTC)
    assert age == max(real, timedelta(0))


def test_a_conflict_identified_three_hours_ago_in_paris_shows_3_h():
    identified = datetime(2026, 3, 10, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))  # 11:00 UTC
    assert format_age(undisclosed_for(identified, NOW)) == "3 h"


def test_an_age_across_the_spring_clock_change_is_real_time_not_wall_clock():
    paris = ZoneInfo("Europe/Paris")
    saturday_noon = datetime(2026, 3, 28, 12, 0, tzinfo=paris)
    sunday_noon = datetime(2026, 3, 29, 12, 0, tzinfo=paris)
    assert undisclosed_for(saturday_noon, sunday_noon) == timedelta(hours=23)


def test_a_disclosure_in_the_first_of_two_repeated_hours_predates_one_in_the_second():
    paris = ZoneInfo("Europe/Paris")  # 25 October 2026: 02:00-03:00 happens twice
    identified = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=paris)  # 01:30 UTC
    disclosed = datetime(2026, 10, 25, 2, 45, fold=0, tzinfo=paris)  # 00:45 UTC, earlier
    now = datetime(2026, 10, 25, 9, 0, tzinfo=paris)
    assert fields(validate_disclosure(identified, disclosed, "Ms Martin", "call", now)) == ["disclosed_at"]


def test_naive_instants_are_refused_rather_than_guessed():
    with pytest.raises(ValueError):
        undisclosed_for(datetime(2026, 3, 10, 12, 0), NOW)
    with pytest.raises(ValueError):
        validate_disclosure(NOW, datetime(2026, 3, 10, 12, 0), "Ms Martin", "e-mail", NOW)


@pytest.mark.parametrize(
    ("age", "shown"),
    [
        (timedelta(seconds=-30), "just now"),
        (timedelta(0), "just now"),
        (timedelta(seconds=59), "just now"),
        (timedelta(minutes=1), "1 min"),
        (timedelta(minutes=59, seconds=59), "59 min"),
        (timedelta(hours=3), "3 h"),
        (timedelta(hours=23, minutes=59), "23 h"),
        (timedelta(days=1), "1 d"),
        (timedelta(days=2, hours=20), "2 d"),
        (timedelta(days=400), "400 d"),
    ],
)
def test_ages_are_shown_short_and_rounded_down(age, shown):
    assert format_age(age) == shown


@given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3650)))
def test_a_shown_age_never_exaggerates_and_is_off_by_less_than_one_unit(age):
    shown = format_age(age)
    if shown == "just now":
        assert age < timedelta(minutes=1)
        return
    number, unit = re.fullmatch(r"(\d+) (min|h|d)", shown).groups()
    step = {"min": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}[unit]
    assert int(number) * step <= age < (int(number) + 1) * step


def test_a_complete_disclosure_is_accepted_even_at_the_instant_of_identification():
    assert validate_disclosure(NOW, NOW, "Ms Martin, director", "e-mail", NOW) == []


def test_a_disclosure_needs_a_date_a_recipient_and_a_means():
    violations = validate_disclosure(NOW, None, " ", "", NOW)
    assert fields(violations) == ["disclosed_at", "to_whom", "how"]


def test_a_disclosure_cannot_predate_the_conflict():
    [violation] = validate_disclosure(NOW, NOW - timedelta(seconds=1), "Ms Martin", "call", NOW)
    assert violation.field == "disclosed_at"
    assert "before the conflict was identified" in violation.message


def test_a_disclosure_a_few_seconds_ahead_of_this_clock_is_tolerated_a_later_one_is_not():
    identified = NOW - timedelta(hours=1)
    ok = validate_disclosure(identified, NOW + timedelta(seconds=60), "Ms Martin", "call", NOW)
    [late] = validate_disclosure(identified, NOW + timedelta(seconds=61), "Ms Martin", "call", NOW)
    assert ok == []
    assert late == RuleViolation("disclosed_at", "The disclosure is dated in the future.")


@given(
    offset=st.timedeltas(min_value=timedelta(days=-30), max_value=timedelta(days=30)),
    zone=st.sampled_from(ZONES),
)
def test_a_disclosure_date_is_valid_exactly_between_identification_and_one_minute_from_now(offset, zone):
    identified = NOW - timedelta(days=2)
    disclosed = (NOW + offset).astimezone(zone)
    violations = validate_disclosure(identified, disclosed, "Ms Martin", "letter", NOW)
    valid = identified <= disclosed <= NOW + timedelta(minutes=1)
    assert (violations == []) is valid


# --- delivery readiness ------------------------------------------------------------------


def complete_parts() -> DeliveryParts:
    return DeliveryParts(
        tests=[TestLine("Backup restore", TestResult.passed), TestLine("VPN from home", "passed")],
        note_issued=True,
        signatory="Claire Martin",
        items_count=3,
        documents=[DocumentLine("NAS admin guide", "file", True), DocumentLine("Network map", "printed", True)],
    )


def test_a_tested_noted_and_documented_delivery_is_ready():
    readiness = delivery_readiness(complete_parts())
    assert (readiness.tests, readiness.note, readiness.documents) == (PartState.complete,) * 3
    assert readiness.ready
    assert readiness.blockers == []
    assert readiness.progress == (5, 5)


def test_an_empty_delivery_is_not_ready_and_says_what_is_missing():
    readiness = delivery_readiness(DeliveryParts())
    assert not readiness.ready
    assert (readiness.tests, readiness.note, readiness.documents) == (PartState.pending,) * 3
    assert readiness.blockers == [
        "No test recorded: add at least one test, or waive testing with a reason.",
        "The delivery note is not issued yet.",
        "No signatory named on the delivery note.",
        "The delivery note lists no item.",
        "No documentation listed: add what was handed over, or waive documentation with a reason.",
    ]
    assert readiness.progress == (0, 3)


def test_a_failed_test_blocks_delivery_until_fixed_or_waived_with_a_reason():
    parts = complete_parts()
    parts.tests[0] = TestLine("Backup restore", TestResult.failed, note="restore aborts at 80%")
    readiness = delivery_readiness(parts)
    assert not readiness.ready
    assert readiness.tests is PartState.pending
    assert readiness.blockers == ["Test 'Backup restore' failed: fix it or waive it with a reason."]
    assert readiness.progress == (4, 5)

    parts.tests[0].waived_reason = "   "
    assert not delivery_readiness(parts).ready

    parts.tests[0].waived_reason = "Client replaces the NAS next month; restore tested on the new one."
    readiness = delivery_readiness(parts)
    assert readiness.ready
    assert readiness.tests is PartState.complete


def test_tests_not_run_yet_are_counted():
    parts = complete_parts()
    parts.tests += [TestLine("Printer on floor 2"), TestLine("Mail on phones", waived_reason="no phone here")]
    readiness = delivery_readiness(parts)
    assert readiness.blockers == ["2 tests not run yet."]
    assert readiness.progress == (5, 7)


def test_a_delivery_note_without_signatory_or_items_is_not_enough():
    parts = complete_parts()
    parts.signatory = " "
    parts.items_count = 0
    readiness = delivery_readiness(parts)
    assert readiness.note is PartState.pending
    assert readiness.blockers == [
        "No signatory named on the delivery note.",
        "The delivery note lists no item.",
    ]


@pytest.mark.parametrize(
    ("unconfirmed", "blocker"),
    [(1, "1 document not confirmed as handed over."), (2, "2 documents not confirmed as handed over.")],
)
def test_documents_not_confirmed_as_handed_over_are_counted(unconfirmed, blocker):
    parts = complete_parts()
    for doc in parts.documents[:unconfirmed]:
        doc.confirmed = False
    readiness = delivery_readiness(parts)
    assert readiness.documents is PartState.pending
    assert readiness.blockers == [blocker]
    assert readiness.progress == (5 - unconfirmed, 5)


def test_each_part_can_be_waived_with_a_written_reason_but_not_a_blank_one():
    parts = DeliveryParts(
        tests=[TestLine("Backup restore", "failed")],
        tests_waived_reason="Client's own IT team runs acceptance tests.",
        note_waived_reason="Client's purchase order serves as delivery note.",
        documents=[DocumentLine("Runbook", "link", False)],
        documents_waived_reason="Documentation delivered with the previous phase.",
    )
    readiness = delivery_readiness(parts)
    assert (readiness.tests, readiness.note, readiness.documents) == (PartState.waived,) * 3
    assert readiness.ready
    assert readiness.progress == (3, 3)

    parts.note_waived_reason = "\t "
    assert delivery_readiness(parts).note is PartState.pending


def test_a_document_is_handed_over_as_a_file_a_link_or_on_paper_only():
    assert DocumentLine("Runbook", "link").given_as == "link"
    with pytest.raises(ValueError):
        DocumentLine("Runbook", "fax")


def test_a_negative_item_count_is_a_bug():
    with pytest.raises(ValueError):
        delivery_readiness(DeliveryParts(items_count=-1))


reasons = st.none() | st.sampled_from(["", "  ", "Client asked to skip it."])
test_lines = st.builds(
    TestLine,
    description=st.sampled_from(["Backup restore", "VPN", "Printer"]),
    result=st.sampled_from(list(TestResult)),
    waived_reason=reasons,
)
document_lines = st.builds(
    DocumentLine,
    title=st.just("Guide"),
    given_as=st.sampled_from(["file", "link", "printed"]),
    confirmed=st.booleans(),
)
delivery_parts = st.builds(
    DeliveryParts,
    tests=st.lists(test_lines, max_size=5),
    tests_waived_reason=reasons,
    note_issued=st.booleans(),
    signatory=st.none() | st.sampled_from(["", "Claire Martin"]),
    items_count=st.integers(min_value=0, max_value=3),
    note_waived_reason=reasons,
    documents=st.lists(document_lines, max_size=5),
    documents_waived_reason=reasons,
)


def part_as_written(waived_reason, lines, line_done) -> PartState:
    if waived_reason and waived_reason.strip():
        return PartState.waived
    return PartState.complete if lines and all(map(line_done, lines)) else PartState.pending


@given(delivery_parts)
def test_readiness_follows_the_delivery_rule_for_any_checklist(parts):
    readiness = delivery_readiness(parts)
    assert readiness.tests == part_as_written(
        parts.tests_waived_reason,
        parts.tests,
        lambda t: t.result == "passed" or (t.result == "failed" and bool((t.waived_reason or "").strip())),
    )
    assert readiness.documents == part_as_written(parts.documents_waived_reason, parts.documents, lambda d: d.confirmed)
    note_done = parts.note_issued and bool((parts.signatory or "").strip()) and parts.items_count >= 1
    assert readiness.note == part_as_written(parts.note_waived_reason, [note_done], bool)

    parts_done = {readiness.tests, readiness.note, readiness.documents} <= {PartState.complete, PartState.waived}
    done, total = readiness.progress
    assert readiness.ready is parts_done
    assert (readiness.blockers == []) is parts_done
    assert (done == total) is parts_done
    assert 0 <= done <= total and total >= 3


@given(delivery_parts)
def test_waiving_a_part_never_shrinks_the_progress_bar(parts):
    before = delivery_readiness(parts).progress
    parts.tests_waived_reason = parts.documents_waived_reason = "Agreed with the client."
    parts.note_waived_reason = "Agreed with the client."
    assert delivery_readiness(parts).progress == (before[1], before[1])


# --- delivery note numbers ------------------------------------------------------------------


def test_delivery_note_numbers_read_bl_year_and_four_digit_sequence():
    assert format_note_number(2026, 1) == "BL-2026-0001"
    assert format_note_number(2026, 42) == "BL-2026-0042"
    assert format_note_number(2026, 12345) == "BL-2026-12345"
    assert parse_note_number("BL-2026-0001") == (2026, 1)
    assert parse_note_number("  BL-2027-0310\n") == (2027, 310)


@given(year=st.integers(1000, 9999), seq=st.integers(1, 10**7))
def test_a_note_number_reads_back_as_its_year_and_sequence(year, seq):
    assert parse_note_number(format_note_number(year, seq)) == (year, seq)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "BL",
        "BL-2026",
        "BL-2026-",
        "BL-26-0001",
        "BL-2026-001",
        "BL-2026-0000",
        "BL-2026-00001",
        "bl-2026-0001",
        "DN-2026-0001",
        "BL 2026 0001",
        "BL-2026-0001-2",
        "BL-0999-0001",
        "BL-2026-12a4",
        "BL-２０２６-0001",
        "BL-2026-0001x",
    ],
)
def test_a_malformed_note_number_is_refused_in_plain_words(text):
    with pytest.raises(ValueError, match="looks like BL-2026-0001"):
        parse_note_number(text)


@pytest.mark.parametrize(("year", "seq"), [(999, 1), (10000, 1), (2026, 0), (2026, -3), (True, 1), (2026, 1.0)])
def test_an_impossible_year_or_sequence_is_refused(year, seq):
    with pytest.raises(ValueError):
        format_note_number(year, seq)


# --- the rules stay pure -----------------------------------------------------------------------


RULES_DIR = Path(__file__).resolve().parent.parent / "msptui" / "core" / "rules"


def test_the_rules_import_only_the_standard_library_and_the_rest_of_core():
    """The rules ask the SLA engine (report figures, the in/out-of-hours split) and use the
    stored words (ticket statuses); nothing else of the project, and no third-party library."""
    for source in RULES_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(), str(source))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                top = name.split(".")[0]
                assert name.startswith("msptui.core.") or top in sys.stdlib_module_names or top == "__future__", (
                    f"{source.name} imports {name}"
                )


@pytest.mark.slow
def test_importing_the_rules_pulls_in_neither_textual_nor_the_store():
    code = "import sys, msptui.core.rules; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=RULES_DIR.parent.parent,
    ).stdout.split()
    assert not [m for m in loaded if m.split(".")[0] in {"textual", "sqlmodel", "sqlalchemy", "rich"}]
    assert not [
        m for m in loaded if m.startswith("msptui.") and not m.startswith("msptui.core.rules") and m != "msptui.core"
    ]


@pytest.mark.parametrize(
    "enum", [Answer, Question, Decision, ConflictKind, ClientAnswer, ConflictStatus, PartState, TestResult]
)
def test_stored_words_are_snake_case_strings_named_as_stored(enum):
    assert issubclass(enum, StrEnum)
    for member in enum:
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", member.value)
        assert member.name == member.value
        assert str(member) == member.value
        assert member.label and member.label[0].isupper() or enum is Question
    assert enum.choices() == [(m.label, m.value) for m in enum]
