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
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from analytics import schema
from analytics.lexicons import Lexicon

if TYPE_CHECKING:  # imported where it is used: the scoring workers never need pandas
    import pandas as pd

VOICES = ("all", "authorial", "quoted")


def families_and_categories(lexicons: Sequence[Lexicon]) -> tuple[list[str], list[str]]:
    """Non-framing families (sorted) and framing categories (lexicon order)."""
    families: list[str] = sorted({str(lx.family) for lx in lexicons if lx.family != "framing"})
    categories = [cat for lx in lexicons if lx.family == "framing" for cat in lx.categories]
    return families, categories


def rate_columns(lexicons: Sequence[Lexicon]) -> list[str]:
    """The lexicon columns of the scores, in order."""
    return [col for col, _, _ in _layout(*map(tuple, families_and_categories(lexicons)))]


@lru_cache(maxsize=64)
def _layout(families: tuple[str, ...], categories: tuple[str, ...]
            ) -> tuple[tuple[str, str, str], ...]:
    """``(column, count key, voice)`` of every lexicon column, in order: each
    family in all text, authorial and quoted voice, then each framing category."""
    cols = [(f"{f}_{prefix}per_1k", f, voice) for f in families
            for prefix, voice in (("", "all"), ("authorial_", "authorial"), ("quoted_", "quoted"))]
    return (*cols, *((schema.framing_column(c), c, "all") for c in categories))


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

    return {col: rate(key, voice) for col, key, voice in _layout(tuple(families),
                                                                  tuple(categories))}


def rate_frame(
    counts: pd.DataFrame,
    words: pd.DataFrame,
    *,
    families: Sequence[str],
    categories: Sequence[str],
) -> pd.DataFrame:
    """:func:`lexicon_rates` for many articles at once (same numbers).

    ``counts``: columns ``article, key`` (:func:`count_key`), ``quoted``
    (bool) and ``n``; ``words``: one row per article, indexed by article, with
    ``all``, ``authorial``, ``quoted`` word counts and ``non_english``; an
    article missing from ``counts`` has no hits.  Returns the lexicon columns
    indexed like ``words``.
    """
    import pandas as pd

    out = pd.DataFrame(index=words.index)
    keys = [*families, *categories]
    # hits[article, key, voice]: voice 0 authorial, 1 quoted (whole numbers,
    # so summing them in any order gives the same floats)
    hits = np.zeros((len(words), len(keys), 2))
    if len(counts):
        row = words.index.get_indexer(counts["article"])
        col = pd.Index(keys).get_indexer(counts["key"])
        ok = (row >= 0) & (col >= 0)
        quoted = counts["quoted"].astype(bool).to_numpy().astype(np.intp)
        np.add.at(hits, (row[ok], col[ok], quoted[ok]),
                  counts["n"].to_numpy(dtype=np.float64)[ok])
    non_english = words["non_english"].astype(bool).to_numpy()
    column = {key: i for i, key in enumerate(keys)}

    def rate(key: str, voice: str) -> np.ndarray:
        n = words[voice].astype(float).to_numpy()
        h = hits[:, column[key]]
        k = h[:, 0] + h[:, 1] if voice == "all" else h[:, 0 if voice == "authorial" else 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            r = 1000.0 * k / n
        return np.where(non_english | (n == 0), np.nan, r)

    for col, key, voice in _layout(tuple(families), tuple(categories)):
        out[col] = rate(key, voice)
    return out
