"""How a technology named in one place is recognised in another.

The skills register, delivered engagements and earlier checks name
technologies in the technician's own words ("Ubiquiti UniFi"); an engagement
names them in the client's ("UniFi"). Evidence is proposed when the words of
one name are all words of the other, whatever their case and accents; the
check in force, by contrast, compares names exactly (`technology_key`), since
it is about the engagement as it was written.

Pure: standard library and `words` only.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from msptui.core.rules.words import folded

# A word is letters, digits, "+" and "#" ("C++", "C#" are not "C"); hyphens, dots and
# apostrophes inside it join rather than split ("Wi-Fi" is "WiFi", "ASP.NET" is "ASPNET").
_WORD = re.compile(r"[\w+#]+(?:[-.'’][\w+#]+)*")
_JOINERS = str.maketrans("", "", "-.'’_")


def technology_words(name: str) -> frozenset[str]:
    """The words of a technology's name, folded: "Ubiquiti UniFi" gives {"ubiquiti", "unifi"}.

    Case, accents, spacing and punctuation between words do not count; an empty
    or punctuation-only name has no words."""
    found = (word.translate(_JOINERS) for word in _WORD.findall(folded(name)))
    return frozenset(word for word in found if word)


def technologies_match(a: str, b: str) -> bool:
    """True when every word of one name is a word of the other.

    "UniFi" and "Ubiquiti UniFi" match, so do "wi-fi" and "WiFi"; "Microsoft 365"
    and "Microsoft Azure" do not (neither says all of the other). Symmetric; a
    name without words matches nothing."""
    words_a, words_b = technology_words(a), technology_words(b)
    return bool(words_a and words_b) and (words_a <= words_b or words_b <= words_a)


def matches_any(name: str, others: Iterable[str]) -> bool:
    """True when `name` matches one of `others` (see `technologies_match`)."""
    return any(technologies_match(name, other) for other in others)


def known_technologies(names: Iterable[str]) -> list[str]:
    """Each technology once, as offered for completion: the most used first, then by name.

    Names that differ only by case, accents or spacing are one technology, spelt
    as it was spelt most often (the first seen on a tie)."""
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for name in names:
        spelt = " ".join(name.split())
        if not spelt:
            continue
        key = folded(spelt)
        counts[key] += 1
        spellings.setdefault(key, Counter())[spelt] += 1
    ranked = sorted(counts, key=lambda key: (-counts[key], key))
    return [spellings[key].most_common(1)[0][0] for key in ranked]


def complete_last_item(text: str, known: Sequence[str], separators: str = ",;") -> str | None:
    """`text` with its last item (after the last of `separators`) completed from `known`,
    in order of preference; None when nothing fits. With no separators, `text` is one item.

    The typed start is compared without case or accents and replaced by the known
    spelling; what was typed before the last item is kept as it is. A name already
    in the list, or the item typed in full, is not proposed again."""
    head_end = max((text.rfind(sep) for sep in separators), default=-1) + 1
    typed = text[head_end:].lstrip()
    if not typed:
        return None
    head = text[: len(text) - len(typed)]
    items = re.split("|".join(map(re.escape, separators)), text[:head_end]) if separators else []
    already = {folded(" ".join(item.split())) for item in items if item.strip()}
    start = folded(typed)
    for name in known:
        key = folded(name)
        if key.startswith(start) and key != start and key not in already:
            return head + name
    return None
