"""Lexicon rates: hits per 1,000 words, overall and by voice.

One function turns an article's hit counts into its lexicon columns, so the
scorer (counting hits as it matches) and the store (counting stored hits
after a lexicon edit) give the very same numbers.

Columns, for a set of lexicons:

* per non-framing family (``hedge``, ``booster``):
  ``<family>_per_1k``, ``<family>_authorial_per_1k``, ``<family>_quoted_per_1k``;
* per framing category: ``framing_<category>_per_1k``.

A rate is ``1000 * hits / words`` of the voice; it is null when the article
is flagged non-English or the voice has no words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from analytics import schema
from analytics.lexicons import Lexicon

VOICES = ("all", "authorial", "quoted")


def families_and_categories(lexicons: Sequence[Lexicon]) -> tuple[list[str], list[str]]:
    """Non-framing families (sorted) and framing categories (lexicon order)."""
    families: list[str] = sorted({str(lx.family) for lx in lexicons if lx.family != "framing"})
    categories = [cat for lx in lexicons if lx.family == "framing" for cat in lx.categories]
    return families, categories


def rate_columns(lexicons: Sequence[Lexicon]) -> list[str]:
    """The lexicon columns of the scores, in order."""
    families, categories = families_and_categories(lexicons)
    cols = [f"{f}_{v}per_1k" for f in families for v in ("", "authorial_", "quoted_")]
    return cols + [schema.framing_column(c) for c in categories]


def count_key(family: str, category: str) -> str:
    """What a hit counts towards: its family, or its category for framing."""
    return family if family != "framing" else category


def lexicon_rates(
    counts: Mapping[tuple[str, str], int],
    words_by_voice: Mapping[str, int],
    *,
    non_english: bool,
    families: Sequence[str],
    categories: Sequence[str],
) -> dict[str, Any]:
    """Rates of one article from ``counts[(count_key, voice)]``.

    ``voice`` is ``"all"``, ``"authorial"`` or ``"quoted"``; a hit counts
    towards ``"all"`` and towards the voice it is in.
    """

    def rate(key: str, voice: str) -> float | None:
        n = words_by_voice[voice]
        if non_english or n == 0:
            return None
        return 1000.0 * counts.get((key, voice), 0) / n

    row: dict[str, Any] = {}
    for family in families:
        row[f"{family}_per_1k"] = rate(family, "all")
        row[f"{family}_authorial_per_1k"] = rate(family, "authorial")
        row[f"{family}_quoted_per_1k"] = rate(family, "quoted")
    for cat in categories:
        row[schema.framing_column(cat)] = rate(cat, "all")
    return row
