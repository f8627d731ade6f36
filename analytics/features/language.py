"""Is this text English?  A cheap check so English-only measures are flagged.

VADER, textstat's formulas and the lexicons are English.  Rather than give a
Chinese or Spanish article English figures silently, an article is flagged
``text_non_english`` when most of its letters are not Latin script, or when
it has at least 20 words and fewer than 12% of them are common English
function words (running English prose has about 40-50%; news headlines and
lists somewhat less).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_FUNCTION_WORDS = frozenset(
    """the a an and or but of to in on at for with by from as is are was were be
    been being it its this that these those he she they we i you his her their
    our not no has have had will would can could should may might do does did
    than then there which who whom what when where while about after before into
    over under between against during if so also more most such only other""".split()
)

MIN_WORDS = 20
MIN_FUNCTION_SHARE = 0.12


_LETTER = re.compile(r"[^\W\d_]")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_\x00-\u024f]")  # beyond Latin Extended-B


def latin_share(text: str) -> float:
    """Share of letters that are Latin script (1.0 when there are no letters)."""
    non_latin = len(_NON_LATIN_LETTER.findall(text))
    if not non_latin:
        return 1.0
    return 1.0 - non_latin / len(_LETTER.findall(text))


def function_word_share(norms: Sequence[str]) -> float:
    """Share of word tokens that are common English function words."""
    if not norms:
        return 0.0
    return sum(map(_FUNCTION_WORDS.__contains__, norms)) / len(norms)


def is_non_english(text: str, norms: Sequence[str]) -> bool:
    """Whether English-only measures should not be trusted for this text."""
    if not norms:
        return False
    if latin_share(text) < 0.5:
        return True
    return len(norms) >= MIN_WORDS and function_word_share(norms) < MIN_FUNCTION_SHARE
