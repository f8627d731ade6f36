"""Lexicon rates: the vectorised ``rate_frame`` gives exactly ``lexicon_rates``."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from analytics.features.rates import lexicon_rates, rate_frame


def test_rate_frame_equals_lexicon_rates_article_by_article() -> None:
    rng = random.Random(7)
    families, categories = ["booster", "hedge"], ["legality", "conflict", "diplomacy"]
    keys = [*families, *categories, "not_asked_for"]
    articles = [f"a{i}" for i in range(300)]
    words = pd.DataFrame({
        "all": [rng.choice([0, 1, 7, 250, 1000, 3333]) for _ in articles],
        "quoted": [rng.choice([0, 3, 40]) for _ in articles],
        "non_english": [rng.random() < 0.1 for _ in articles],
    }, index=articles)
    words["authorial"] = np.maximum(words["all"] - words["quoted"], 0)
    rows = []
    for a in [*articles, "not_in_words"]:
        for key in rng.sample(keys, rng.randint(0, len(keys))):
            for quoted in rng.sample([False, True], rng.randint(1, 2)):
                rows.append((a, key, quoted, rng.randint(1, 30)))
    rows += rows[:50]  # the same (article, key, voice) twice: counts add up
    counts = pd.DataFrame(rows, columns=["article", "key", "quoted", "n"])

    got = rate_frame(counts, words, families=families, categories=categories)
    for a in articles:
        c: dict[tuple[str, str], int] = {}
        for _, key, quoted, n in (r for r in rows if r[0] == a):
            for voice in ("all", "quoted" if quoted else "authorial"):
                c[(key, voice)] = c.get((key, voice), 0) + n
        want = lexicon_rates(c, words.loc[a, ["all", "authorial", "quoted"]].to_dict(),
                             non_english=bool(words.loc[a, "non_english"]),
                             families=families, categories=categories)
        assert list(got.columns) == list(want)
        for col, value in want.items():
            v = got.loc[a, col]
            assert (value is None and np.isnan(v)) or v == value, (a, col, v, value)


def test_rate_frame_without_hits() -> None:
    words = pd.DataFrame({"all": [10], "authorial": [10], "quoted": [0],
                          "non_english": [False]}, index=["a"])
    empty = pd.DataFrame(columns=["article", "key", "quoted", "n"])
    out = rate_frame(empty, words, families=["hedge"], categories=["legality"])
    assert out.loc["a", "hedge_per_1k"] == 0.0 and np.isnan(out.loc["a", "hedge_quoted_per_1k"])
