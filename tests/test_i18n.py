"""Every string a person reads is in the catalogue, and the French catalogue is whole.

The catalogue is extracted from the code as `make catalogue` does; a string added
to the code without its French, a fuzzy entry, an entry whose placeholders
differ from the English, or a term of the trade translated against
docs/glossary.md fails here with the file and line to fix.
"""

from __future__ import annotations

import gettext
import re

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from msptui.core import i18n
from tests.i18n_scan import ROOT, modules, shadowed_underscore, translated_at_import, unwrapped

PO = ROOT / "msptui/locale/fr/LC_MESSAGES/msptui.po"
GLOSSARY = ROOT / "docs/glossary.md"
PLACEHOLDER = re.compile(r"\{[a-z_0-9]*(?:[:!][^}]*)?\}")


def _french():
    with PO.open("rb") as f:
        return read_po(f, locale="fr")


def _extracted() -> dict[tuple[str | None, str], str]:
    """(context, msgid) -> 'file:line' of its first use, as `make catalogue` extracts them."""
    found: dict[tuple[str | None, str], str] = {}
    method_map = [("**.py", "python")]
    keywords = {**DEFAULT_KEYWORDS, "NC_": ((1, "c"), 2)}  # the Makefile's `-k NC_:1c,2`
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT / "msptui"), method_map, keywords=keywords
    ):
        key = message if isinstance(message, str) else message[0]
        found.setdefault((context, key), f"msptui/{filename}:{lineno}")
    return found


def test_every_string_a_person_reads_is_wrapped_for_translation() -> None:
    missing = unwrapped()
    assert not missing, (
        f"{len(missing)} strings are shown untranslated; wrap them in _() (or N_() where built at import),"
        " or mark a line that shows nothing with `# i18n: not shown`:\n" + "\n".join(map(str, missing[:60]))
    )


def test_no_module_hides_the_translation_function_behind_a_variable_named_underscore() -> None:
    hidden = [line for path in modules() for line in shadowed_underscore(path)]
    assert not hidden, "`_` is assigned where it is the translation function:\n" + "\n".join(hidden)


def test_nothing_is_translated_at_import_time() -> None:
    early = [line for path in modules() for line in translated_at_import(path)]
    assert not early, "_() called at import (mark it N_() and translate where shown):\n" + "\n".join(early)


def test_the_french_catalogue_has_every_string_translated_and_none_fuzzy() -> None:
    french = _french()
    problems = []
    for (context, msgid), where in sorted(_extracted().items(), key=lambda kv: kv[1]):
        entry = french.get(msgid, context=context)
        if entry is None:
            problems.append(f"{where}: not in the catalogue (run `make catalogue`): {msgid!r}")
        elif entry.fuzzy:
            problems.append(f"{where}: fuzzy in French: {msgid!r}")
        elif not entry.string or (isinstance(entry.string, tuple) and not all(entry.string)):
            problems.append(f"{where}: no French: {msgid!r}")
    assert not problems, f"{len(problems)} catalogue problems:\n" + "\n".join(problems[:60])


def test_each_french_entry_keeps_the_placeholders_of_its_english() -> None:
    wrong = []
    for entry in _french():
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        expected = sorted(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            if text and sorted(PLACEHOLDER.findall(text)) != expected:
                wrong.append(f"{ids[0]!r} -> {text!r}")
    assert not wrong, "French entries whose {placeholders} differ from the English:\n" + "\n".join(wrong)


def _glossary() -> list[tuple[str, list[str]]]:
    """(English term, accepted French forms) from the glossary's table."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0] and not set(cells[0]) <= {"-", " "} and cells[0] != "English":
            rows.append((cells[0].strip("*"), [f.strip() for f in cells[1].strip("*").split(" / ")]))
    return rows


def test_the_glossary_has_the_trade_words_the_issue_names() -> None:
    french = {f for _english, forms in _glossary() for f in forms}
    for word in ("bon de livraison", "relevé d'activité", "prestataire", "donneur d'ordre", "astreinte"):
        assert word in french


def test_french_entries_use_the_glossary_terms() -> None:
    wrong = []
    for english, forms in _glossary():
        pattern = re.compile(rf"\b{re.escape(english)}\b", re.IGNORECASE)
        for entry in _french():
            if not entry.id or not entry.string:
                continue
            ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
            strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            if pattern.search(PLACEHOLDER.sub("", ids[0])) and not any(
                f.lower() in s.lower() for s in strings for f in forms
            ):
                wrong.append(f"{english!r} is {' / '.join(forms)!r}: {ids[0]!r} -> {strings[0]!r}")
    assert not wrong, "French entries that do not follow docs/glossary.md:\n" + "\n".join(wrong[:60])


def test_the_compiled_catalogue_is_the_current_one() -> None:
    mo = PO.with_suffix(".mo")
    assert mo.exists(), "msptui.mo is missing: run `make` (make test compiles it)"
    with mo.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for entry in _french():
        if entry.id and entry.string and not entry.fuzzy and not isinstance(entry.id, tuple):
            found = compiled.pgettext(entry.context, entry.id) if entry.context else compiled.gettext(entry.id)
            assert found == entry.string, f"msptui.mo is older than its .po: run `make` ({entry.id!r})"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANGUAGE": "de:fr", "LANG": "de_DE.UTF-8"}, "fr"),
        ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LC_MESSAGES": "fr_BE"}, "fr"),
        ({}, "en"),
    ],
)
def test_the_system_locale_chooses_the_language(environ: dict[str, str], expected: str) -> None:
    assert i18n.system_language(environ) == expected


def test_a_document_in_french_leaves_the_interface_in_english() -> None:
    assert i18n.interface_language() == "en"
    with i18n.document_language("fr"):
        assert i18n._("{items} and {last}") == "{items} et {last}"
    assert i18n._("{items} and {last}") == "{items} and {last}"


def test_a_key_and_a_thing_named_by_the_same_english_word_each_get_their_french(french) -> None:
    assert i18n.key_words("New") == "Créer"  # the board's key: open a ticket
    assert i18n._("New") == "Nouveau"  # a ticket's status
    assert i18n.key_words("Close") == i18n._("Close")  # no key sense: the plain one


def test_the_quick_catalogue_reader_reads_what_gettext_reads() -> None:
    mo = PO.with_suffix(".mo")
    with mo.open("rb") as f:
        standard = gettext.GNUTranslations(f)
    with mo.open("rb") as f:
        quick = i18n._Catalogue(f)
    assert quick._catalog == standard._catalog
    assert [quick.plural(n) for n in range(4)] == [standard.plural(n) for n in range(4)] == [0, 0, 1, 1]
