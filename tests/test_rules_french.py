"""The rules speak the technician's language: refusals, labels, schedules and the SLA explanation
read in French with the interface in French (`french`), and exactly as before in English."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from msptui.core import i18n
from msptui.core.rules import words
from msptui.core.rules.coming_due import countdown_words
from msptui.core.rules.competence import CompetenceAnswers, check_decision
from msptui.core.rules.conflicts import ConflictStatus
from msptui.core.rules.delivery import WaiverRecord, frozen_refusal, waiver_text
from msptui.core.rules.recurrence import Schedule, ScheduleKind
from msptui.core.rules.time_entries import parse_duration
from msptui.core.sla import BusinessCalendar, explain
from msptui.core.vocabulary import _LABELS as VOCAB_LABELS
from msptui.core.vocabulary import Priority, TicketStatus, Vocab
from msptui.store.schemas.clients import ClientCreate
from msptui.store.schemas.common import field_errors
from msptui.store.schemas.contracts import SlaTargetInput

PARIS = ZoneInfo("Europe/Paris")
NBSP = "\u00a0"


def _refusal(**fields: str) -> dict[str, str]:
    with pytest.raises(ValidationError) as refused:
        ClientCreate(name="Boulangerie Martin", code="BOUL", country="FR", **fields)
    return field_errors(refused.value)


# --- refusals next to a field ------------------------------------------------------------------


def test_a_wrong_postcode_is_refused_in_french_next_to_its_field(french):
    assert _refusal(postcode="7501") == {"postcode": "Un code postal FR compte 5 chiffres, comme 75011."}


def test_the_same_postcode_is_refused_in_english_without_french():
    assert _refusal(postcode="7501") == {"postcode": "A postcode in FR is 5 digits, such as 75011."}


def test_pydantics_own_errors_read_in_french_after_the_fields_label(french):
    with pytest.raises(ValidationError) as refused:
        SlaTargetInput(priority="P1", response_minutes="soon")
    # Lower case: the form reads it after the label ("Prise en charge (min) doit être...").
    assert field_errors(refused.value) == {"response_minutes": "doit être un nombre entier"}


@pytest.mark.parametrize(
    ("typed", "english", "french_words"),
    [
        (
            "soon",
            "“soon” is not a duration. Type a duration such as 1h30 or 45m.",
            f"«{NBSP}soon{NBSP}» n'est pas une durée. Saisissez une durée comme 1h30 ou 45min.",
        ),
        (
            "3h75",
            "Minutes after the hours go up to 59 (“3h75”). Type a duration such as 1h30 or 45m.",
            f"Les minutes après les heures vont jusqu'à 59 («{NBSP}3h75{NBSP}»). Saisissez une durée comme 1h30 ou 45min.",
        ),
    ],
)
def test_a_duration_that_is_not_one_is_refused_in_the_interfaces_language(typed, english, french_words):
    with pytest.raises(ValueError) as refused:
        parse_duration(typed)
    assert str(refused.value) == english
    i18n.set_interface_language("fr")  # the autouse fixture puts English back after the test
    with pytest.raises(ValueError) as refused:
        parse_duration(typed)
    assert str(refused.value) == french_words


def test_a_french_duration_typed_the_french_way_still_reads(french):
    assert parse_duration("1 h 30") == timedelta(hours=1, minutes=30)


def test_a_bad_rrule_is_refused_in_french(french):
    with pytest.raises(ValueError) as refused:
        Schedule(ScheduleKind.rrule, rrule="FREQ=HOURLY")
    assert str(refused.value) == (
        f"FREQ=HOURLY est plus fin qu'un jour, et une tâche tombe à des dates{NBSP}: utilisez DAILY ou plus large."
    )


def test_the_same_rrule_is_refused_in_english_without_french():
    with pytest.raises(ValueError, match="^FREQ=HOURLY is finer than a day, and a task is due on days"):
        Schedule(ScheduleKind.rrule, rrule="FREQ=HOURLY")


def test_conflicts_blocking_an_acceptance_are_counted_in_french_words(french):
    three_yes = CompetenceAnswers("yes", "yes", "yes")
    [violation] = check_decision(three_yes, "accept", undisclosed_conflicts=2)
    assert violation.message == (
        f"2 conflits d'intérêts avec ce client ne sont pas encore déclarés{NBSP}: déclarez-les avant d'accepter."
    )
    [violation] = check_decision(three_yes, "accept", undisclosed_conflicts=1)
    assert violation.message.startswith("1 conflit d'intérêts avec ce client n'est pas encore déclaré")


def test_an_issued_delivery_note_refuses_a_change_in_one_french_sentence(french):
    assert frozen_refusal("BL-2026-0007", "its items") == (
        f"Le bon de livraison BL-2026-0007 est émis{NBSP}: ses articles ne peuvent plus changer."
        " Annulez d'abord le bon pour le corriger."
    )


# --- labels ------------------------------------------------------------------------------------


def test_statuses_and_priorities_read_in_french(french):
    assert TicketStatus.waiting_client.label == "En attente du client"
    assert TicketStatus.resolved.label == "Résolu"
    assert Priority.choices()[0] == ("P1 critique", "P1")
    assert ConflictStatus.disclosed_awaiting_answer.label == "Déclaré, en attente de la réponse du client"


def test_a_new_ticket_reads_nouveau(french):
    assert TicketStatus.new.label == "Nouveau"


def test_statuses_and_priorities_read_as_before_in_english():
    assert TicketStatus.waiting_client.label == "Waiting on client"
    assert TicketStatus.in_progress.label == "In progress"
    assert Priority.choices()[0] == ("P1 critical", "P1")
    assert ConflictStatus.bribe_refused.label == "Gift refused"


def _all_subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_all_subclasses(sub)]
    return found


def test_every_stored_word_has_a_label_of_its_own_for_the_catalogue():
    """A status added without its label would be shown untranslated in French ("Waiting_vendor")."""
    import importlib
    import pkgutil

    import msptui.core.rules as rules

    for module in pkgutil.iter_modules(rules.__path__):
        importlib.import_module(f"msptui.core.rules.{module.name}")
    missing = [
        f"{enum.__name__}.{member.value}"
        for table, base in ((VOCAB_LABELS, Vocab), (words._LABELS, words.Word))
        for enum in _all_subclasses(base)
        if enum.__module__.startswith("msptui.core")
        for member in enum
        if (enum.__name__, member.value) not in table
    ]
    assert not missing


# --- words built from the rules ----------------------------------------------------------------


def test_a_schedule_is_described_in_french(french):
    assert Schedule(ScheduleKind.weeks, 2, (0, 3)).describe() == "toutes les 2 semaines le lun., jeu."
    assert Schedule(ScheduleKind.months, 1, day_of_month=31).describe() == "tous les mois le 31 (ou le dernier jour)"
    assert Schedule(ScheduleKind.months, 3, day_of_month=1).describe() == "tous les 3 mois le 1er"


def test_a_late_item_says_since_when_with_a_french_weekday(french):
    due, now = datetime(2026, 11, 24, 18, tzinfo=PARIS), datetime(2026, 11, 25, 9, tzinfo=PARIS)
    assert countdown_words(due, now, "Europe/Paris").endswith("mar. 18:00")
    assert countdown_words(now + timedelta(days=2, hours=9), now, "Europe/Paris") == "échéance dans 2 j 9 h"


def test_a_waiver_is_printed_in_the_clients_language_while_the_interface_stays_english():
    waiver = WaiverRecord("Pas de SMS")
    with i18n.document_language("fr"):
        assert waiver_text(waiver) == f"Réserve du prestataire{NBSP}: Pas de SMS"
    assert waiver_text(waiver) == "Provider's reservation: Pas de SMS"


# --- the SLA explanation -----------------------------------------------------------------------


def _paused_clock():
    calendar = BusinessCalendar.for_country(
        "FR", hours=BusinessCalendar.weekday_hours("09:00", "18:00"), tz="Europe/Paris"
    )
    opened = datetime(2026, 11, 20, 17, 0, tzinfo=PARIS)  # Friday, an hour before closing
    waiting_client = (datetime(2026, 11, 23, 9, 30, tzinfo=PARIS), None)  # Monday, still waiting
    now = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
    return explain(calendar, timedelta(hours=3), opened, [waiting_client], None, now, "Europe/Paris").lines()


def test_the_explanation_of_a_paused_clock_reads_in_french(french):
    lines = _paused_clock()
    assert lines[0] == "objectif de 3h en heures ouvrées à partir de ven. 2026-11-20 17:00 CET"
    assert lines[1] == f"Calendrier Europe/Paris{NBSP}: lun.-ven. 09:00-18:00{NBSP}; jours fériés FR"
    assert (
        f"En pause lun. 2026-11-23 09:30 CET -> toujours en pause{NBSP}: 30min d'heures ouvrées non décomptées" in lines
    )
    assert f"Écoulé 1h30 sur 3h (50{NBSP}%), reste 1h30{NBSP}: en pause" in lines
    assert lines[-1] == "Pas d'échéance pendant la pause"


def test_the_explanation_of_a_paused_clock_reads_as_before_in_english():
    assert _paused_clock() == [
        "target 3h of business time from Fri 2026-11-20 17:00 CET",
        "Calendar Europe/Paris: Mon-Fri 09:00-18:00; public holidays FR",
        "Paused Mon 2026-11-23 09:30 CET -> still paused: 30min of business time not counted",
        "Counted Fri 2026-11-20 17:00-18:00 (1h)",
        "Counted Mon 2026-11-23 09:00-09:30 (30min)",
        "Elapsed 1h30 of 3h (50%), remaining 1h30: paused",
        "No due instant while paused",
    ]


def test_covered_assets_are_counted_in_words_that_agree_with_their_number(french):
    from msptui.core.vocabulary import asset_count

    assert asset_count("fixed_terminal", 24) == "24 terminaux fixes"
    assert asset_count("printer", 1) == "1 imprimante"
    assert asset_count("printer", 0) == "0 imprimante"  # French: zero is singular


def test_covered_assets_in_english_take_their_plural():
    from msptui.core.vocabulary import asset_count

    assert asset_count("fixed_terminal", 24) == "24 fixed terminals"
    assert asset_count("server", 1) == "1 server"
