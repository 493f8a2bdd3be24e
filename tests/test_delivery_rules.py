"""The pure rules of issue 11 (section 2): waivers say who decided, what may be waived,
when the tests are settled, and the provider's identity as printed."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msptui.core.rules.delivery import (
    DeliveryParts,
    DocumentLine,
    PartState,
    TestLine,
    TestResult,
    WaiverRecord,
    delivery_readiness,
    frozen_refusal,
    part_waiver_refusal,
    unsettled_tests,
    waiver_text,
)
from msptui.core.rules.provider import ProviderIdentity, provider_lines, siret_is_valid

CLIENT = WaiverRecord("Pas de SMS", "client", "Claire Weber", date(2026, 11, 20), "on_site")


def test_a_waiver_prints_as_accepted_by_the_client_only_with_the_consent_recorded():
    assert waiver_text(CLIENT) == "Accepted by the client (Claire Weber, 20 Nov 2026, on site): Pas de SMS"
    assert waiver_text(WaiverRecord("Pas de SMS")) == "Provider's reservation: Pas de SMS"
    # "client" without a name, a date or how: not a consent, so the provider's reservation.
    for partial in (
        WaiverRecord("Pas de SMS", "client", "", date(2026, 11, 20), "on_site"),
        WaiverRecord("Pas de SMS", "client", "Claire Weber", None, "on_site"),
        WaiverRecord("Pas de SMS", "client", "Claire Weber", date(2026, 11, 20), " "),
    ):
        assert waiver_text(partial) == "Provider's reservation: Pas de SMS"


def test_the_note_is_never_waived_and_a_part_only_with_the_clients_consent():
    assert part_waiver_refusal("note", CLIENT) == (
        "The delivery note cannot be waived: the providers' charter requires one for every delivery."
    )
    assert part_waiver_refusal("tests", CLIENT) is None
    assert part_waiver_refusal("documents", WaiverRecord("x")) == (
        "Documentation can be waived only with the client's consent: record who agreed, when and how."
    )
    with pytest.raises(ValueError):
        part_waiver_refusal("invoice", CLIENT)


def test_tests_are_settled_when_each_passed_or_failed_and_waived():
    parts = DeliveryParts(tests=[TestLine("Restore", TestResult.passed), TestLine("SMS", TestResult.failed)])
    assert unsettled_tests(parts) == (
        "The tests are not settled, so the note cannot be issued yet. Test 'SMS' failed: fix it or waive it with a reason."
    )
    parts.tests[1].waived_reason = "Pas d'abonnement"
    assert unsettled_tests(parts) is None
    assert unsettled_tests(DeliveryParts(tests_waived_reason="Licences only")) is None


def test_a_part_waived_by_the_technician_alone_no_longer_counts_and_says_why():
    parts = DeliveryParts(
        tests=[TestLine("SMS", TestResult.pending)],
        tests_waived_reason="old waiver",
        tests_waiver_consented=False,
        note_issued=True,
        signatory="Claire",
        items_count=1,
        documents=[DocumentLine("Guide", "file", True)],
    )
    readiness = delivery_readiness(parts)
    assert readiness.tests is PartState.pending
    assert readiness.blockers == [
        "Testing was waived by the technician alone: record the client's consent, or withdraw the waiver.",
        "1 test not run yet.",
    ]
    assert unsettled_tests(parts).startswith("The tests are not settled")
    # Once the lines are done anyway, the old waiver blocks nothing.
    parts.tests[0].result = TestResult.passed
    assert delivery_readiness(parts).ready


def test_a_frozen_note_refuses_in_words():
    assert frozen_refusal("BL-2026-0007", "its items") == (
        "Delivery note BL-2026-0007 is issued, so its items can no longer change. Void the note first to correct it."
    )


def test_the_providers_identity_prints_in_document_header_lines():
    identity = ProviderIdentity(
        "Durand Informatique", "4 rue des Tanneurs\n67000 Strasbourg", "73282932000074", "", "contact@durand.fr"
    )
    assert provider_lines(identity) == [
        "Durand Informatique",
        "4 rue des Tanneurs",
        "67000 Strasbourg",
        "SIRET 732 829 320 00074",
        "contact@durand.fr",
    ]
    assert provider_lines(ProviderIdentity("A", "B", "732829320", "FR1", "C"))[2:4] == ["SIREN 732 829 320", "VAT FR1"]
    assert provider_lines(ProviderIdentity("A", "B", "HRB 12345", "", "C"))[2] == "Company number HRB 12345"


def _luhn_key(first13: str) -> str:
    for key in "0123456789":
        if siret_is_valid(first13 + key):
            return key
    raise AssertionError("no key")


@given(
    st.text(alphabet="0123456789", min_size=13, max_size=13).filter(lambda s: not s.startswith("356000000")),
    st.integers(min_value=0, max_value=13),
    st.integers(min_value=1, max_value=9),
)
def test_a_siret_with_one_digit_mistyped_is_caught(first13, position, shift):
    siret = first13 + _luhn_key(first13)
    assert siret_is_valid(siret)
    wrong = siret[:position] + str((int(siret[position]) + shift) % 10) + siret[position + 1 :]
    assert not siret_is_valid(wrong)


def test_la_postes_establishments_follow_their_own_key():
    assert siret_is_valid("35600000000048")  # the head office, Luhn
    assert siret_is_valid("35600000049837")  # an establishment: digits sum to a multiple of 5
    assert not siret_is_valid("35600000049838")
