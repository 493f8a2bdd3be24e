"""The interface's language, and the language of one client's documents.

Strings shown to a person are written in English in the code and wrapped in
`_()`; the French is in the gettext catalogue `msptui/locale/fr/LC_MESSAGES/
msptui.po` (compiled to `.mo` by `make`, or by the package build: see
`hatch_build.py`). Terms of the trade follow `docs/glossary.md`.

Two languages can be live at once: the interface's (set once at start from the
settings, `--lang` or the system locale) and a document's, for the client who
receives it (`with document_language(client.language): ...`). The second is a
context variable, so a PDF built in a worker thread for a French client never
changes what another thread shows the technician.

A string built when a module is imported (a class attribute, a table of labels)
is marked with `N_()`, which only tells the extractor, and translated where it
is shown: `_(LABELS[kind])`. Calling `_()` at import time would freeze the
language of the first import.
"""

from __future__ import annotations

import gettext
import os
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

DOMAIN = "msptui"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
# English is the language of the code (no catalogue); the others have one.
LANGUAGES = ("en", "fr")
# Each language named in itself, as a language menu shows it. i18n: not shown translated
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
SOURCE_LANGUAGE = "en"


class _Catalogue(gettext.GNUTranslations):
    """gettext's reader of a compiled catalogue, with a parse that costs the first frame less.

    The standard parse decodes each of the ~2,300 entries with several steps for
    headers and charsets (12-15 ms, measured); ours are UTF-8 (Babel writes them),
    so the whole index is unpacked at once and each entry decoded once.
    Lookups (`gettext`, `ngettext`, `pgettext`) are the standard ones.
    """

    def _parse(self, fp: object) -> None:
        data: bytes = fp.read()  # type: ignore[attr-defined]
        order = "<" if struct.unpack_from("<I", data)[0] == self.LE_MAGIC else ">"
        _magic, _version, count, originals, translations = struct.unpack_from(f"{order}5I", data)
        keys = struct.unpack_from(f"{order}{2 * count}I", data, originals)
        values = struct.unpack_from(f"{order}{2 * count}I", data, translations)
        catalog: dict[object, str] = {}
        for i in range(0, 2 * count, 2):
            key = data[keys[i + 1] : keys[i + 1] + keys[i]].decode()
            value = data[values[i + 1] : values[i + 1] + values[i]].decode()
            if "\x00" in key:  # singular \0 plural: one entry per form, as gettext keeps them
                singular = key.split("\x00", 1)[0]
                for n, form in enumerate(value.split("\x00")):
                    catalog[(singular, n)] = form
            else:
                catalog[key] = value
        self._catalog = catalog
        self._charset = "utf-8"
        self._info: dict[str, str] = {}
        for line in catalog.get("", "").splitlines():
            name, _sep, content = line.partition(":")
            if name.strip().lower() == "plural-forms":
                expression = content.split("plural=", 1)[1].rstrip(";")
                self.plural = gettext.c2py(expression)


class MissingCatalogue(RuntimeError):
    """A language's compiled catalogue is not where the package keeps it."""


_translations: dict[str, gettext.NullTranslations] = {}
_interface = SOURCE_LANGUAGE
_document: ContextVar[str | None] = ContextVar("msptui_document_language", default=None)


def normalise(language: str | None) -> str | None:
    """ "fr", "fr_FR.UTF-8", "FR" -> "fr"; None for a language msptui does not speak."""
    if not language:
        return None
    code = language.strip().replace("-", "_").split(".")[0].split("_")[0].lower()
    return code if code in LANGUAGES else None


def system_language(environ: dict[str, str] | None = None) -> str:
    """The language the system asks for (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as gettext reads them)."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if not value:
            continue
        # LANGUAGE may list several ("fr:en"); the first one msptui speaks wins.
        for candidate in value.split(":"):
            found = normalise(candidate)
            if found:
                return found
        if name != "LANGUAGE":
            break  # LC_ALL=C means English, whatever LANG says
    return SOURCE_LANGUAGE


def catalogue(language: str) -> gettext.NullTranslations:
    """The translations of `language` (loaded once); English is the code's own text."""
    found = _translations.get(language)
    if found is not None:
        return found
    if language == SOURCE_LANGUAGE:
        found = gettext.NullTranslations()
    else:
        try:
            found = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], class_=_Catalogue)
        except OSError as exc:
            # English only: without its catalogue there is no French to say it in.
            raise MissingCatalogue(  # i18n: not shown translated
                f"The {LANGUAGE_NAMES.get(language, language)} catalogue is missing from {LOCALE_DIR}:"
                " run `make` (it compiles the catalogues) or reinstall msptui."
            ) from exc
    _translations[language] = found
    return found


def set_interface_language(language: str) -> str:
    """Use `language` for everything shown from now on; returns the language in use.

    A language msptui does not speak, or whose catalogue is missing, leaves English
    (the caller may tell the user: `MissingCatalogue` is raised only by `catalogue`).
    """
    global _interface
    chosen = normalise(language) or SOURCE_LANGUAGE
    catalogue(chosen)  # fail here, at start, rather than at the first string
    _interface = chosen
    return chosen


def interface_language() -> str:
    return _interface


def current_language() -> str:
    """The language strings are translated into here: a document's, else the interface's."""
    return _document.get() or _interface


@contextmanager
def document_language(language: str | None) -> Iterator[str]:
    """Translate into the client's language inside the block (this thread or task only)."""
    chosen = normalise(language) or SOURCE_LANGUAGE
    catalogue(chosen)
    token = _document.set(chosen)
    try:
        yield chosen
    finally:
        _document.reset(token)


def _(message: str) -> str:
    """`message` in the current language (English when it has no translation)."""
    language = _document.get() or _interface
    if language == SOURCE_LANGUAGE:
        return message
    return catalogue(language).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of `singular`/`plural` for `n`, in the current language (French: 0 and 1 are singular)."""
    language = _document.get() or _interface
    if language == SOURCE_LANGUAGE:
        return singular if n == 1 else plural
    return catalogue(language).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` as meant in `context` ("key": a key's name in the footer), when one word has two senses."""
    language = _document.get() or _interface
    if language == SOURCE_LANGUAGE:
        return message
    return catalogue(language).pgettext(context, message)


KEY = "key"  # the context of a key's name where the same English word also names a thing


def key_words(description: str) -> str:
    """A binding's description in the current language: its "key" sense if it has one, else the plain one.

    The board's key "New" (open a ticket) is "Créer", while the status "New" is "Nouveau".
    """
    if (_document.get() or _interface) == SOURCE_LANGUAGE:
        return description
    as_key = pgettext(KEY, description)
    return as_key if as_key != description else _(description)


def NC_(context: str, message: str) -> str:
    """Mark `message` for the catalogue in `context` (see `key_words`); translated where shown."""
    return message


def N_(message: str) -> str:
    """Mark `message` for the catalogue without translating it now (see the module docstring)."""
    return message
