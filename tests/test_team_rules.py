"""The technician's short name, the board's filter and who may be assigned (msptui.core.rules.team)."""

from __future__ import annotations

import pytest

from msptui.core.rules.team import (
    FALLBACK_NAME,
    BoardFilter,
    assignment_problem,
    next_filter,
    proposed_name,
    shows,
    technician_problem,
    valid_technician,
)


@pytest.mark.parametrize("name", ["sophie", "j.martin", "marc_2", "Zoe-L", "a", "x" * 20])
def test_a_short_name_of_letters_digits_dots_dashes_and_underscores_is_a_technician(name):
    assert technician_problem(name) is None
    assert valid_technician(f"  {name} ") == name


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("", "is required"),
        ("   ", "is required"),
        ("sophie martin", "no space"),
        ("x" * 21, "21 characters long: keep it to 20"),
        ("x" * 10_000, "10000 characters long"),
        ("sophie🙂", "letters without accents"),
        ('sophie"', "letters without accents"),
        ("o'brien", "letters without accents"),
        ("hélène", "letters without accents"),
        ("marc\n", None),  # the line end is dropped with the spaces
    ],
)
def test_anything_else_is_refused_with_a_sentence(name, said):
    if said is None:
        assert valid_technician(name) == "marc"
        return
    with pytest.raises(ValueError, match=said):
        valid_technician(name)


@pytest.mark.parametrize(
    ("login", "proposed"),
    [
        ("sophie", "sophie"),
        ("Hélène Dupont", "helene.dupont"),
        ("DOMAIN\\jmartin", "domain.jmartin"),
        ("a" * 40, "a" * 20),
        ("🙂", FALLBACK_NAME),
        ("", FALLBACK_NAME),
        ("jean-françois.l'hôte", "jean-francois.l.hote"),
    ],
)
def test_the_name_proposed_at_first_start_is_the_login_name_made_valid(login, proposed):
    assert proposed_name(login) == proposed
    assert technician_problem(proposed_name(login)) is None


def test_the_filter_cycles_all_mine_unassigned():
    assert next_filter(BoardFilter.all) is BoardFilter.mine
    assert next_filter(BoardFilter.mine) is BoardFilter.unassigned
    assert next_filter(BoardFilter.unassigned) is BoardFilter.all


def test_my_tickets_are_those_assigned_to_me_and_unassigned_those_nobody_took():
    assert shows(BoardFilter.all, "marc", "sophie") and shows(BoardFilter.all, None, "sophie")
    assert shows(BoardFilter.mine, "sophie", "sophie")
    assert not shows(BoardFilter.mine, "marc", "sophie") and not shows(BoardFilter.mine, None, "sophie")
    assert shows(BoardFilter.unassigned, None, "sophie") and not shows(BoardFilter.unassigned, "sophie", "sophie")
    assert not shows(BoardFilter.mine, None, "")  # no name yet: nothing is mine


def test_an_assignment_must_change_something_and_name_a_valid_technician():
    assert assignment_problem("new", None, "marc") is None
    assert assignment_problem("in_progress", "marc", None) is None
    assert assignment_problem("resolved", "marc", "sophie") is None
    assert "already assigned to marc" in assignment_problem("new", "marc", "marc")
    assert "already unassigned" in assignment_problem("new", None, None)
    assert "closed ticket" in assignment_problem("closed", None, "marc")
    assert "letters without accents" in assignment_problem("new", None, "marc dupont")
