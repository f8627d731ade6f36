"""Text units with character offsets: word tokens, sentences and quote spans.

Every unit carries ``start``/``end`` offsets such that ``text[start:end]`` is
exactly the unit's text.  Sentence splitting is rule based (abbreviations,
initials, closing quotes, line breaks) rather than a statistical model: it is
fast, needs no downloaded data and keeps exact offsets.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Token(NamedTuple):
    """A word token: ``text[start:end] == surface``; ``norm`` is its lookup key."""

    start: int
    end: int
    surface: str
    norm: str


# A word: letters/digits, with inner hyphens or apostrophes ("de-escalate",
# "Russia's", "don't").  Curly apostrophes are normalised in ``norm``.
_WORD_RE = re.compile(r"\w+(?:[-'’‘]\w+)*")


def normalise_word(word: str) -> str:
    """Lookup key for a word: lower case, straight apostrophes, no soft hyphen."""
    return word.lower().replace("’", "'").replace("‘", "'").replace("\u00ad", "")


def word_tokens(text: str) -> list[Token]:
    """Word tokens of ``text`` with exact offsets.

    >>> [t.norm for t in word_tokens("NATO’s de-escalation, U.S. talks")]
    ["nato's", 'de-escalation', 'u', 's', 'talks']
    """
    return [
        Token(m.start(), m.end(), m.group(), normalise_word(m.group()))
        for m in _WORD_RE.finditer(text)
    ]
