"""Distinctive terms (log-odds ratio with an informative Dirichlet prior) and
terms in context."""

from __future__ import annotations

import math
from collections import Counter

import pandas as pd
import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from analytics.terms import (
    CONTEXT_COLUMNS,
    TERM_COLUMNS,
    analyze,
    distinctive_terms,
    stop_word_set,
    term_contexts,
    tokenize,
)
from tests.conftest import shared_corpus_head


def _articles(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": [f"id{i}" for i in range(len(rows))],
            "outlet": [o for o, _ in rows],
            "title": [f"Title {i}" for i in range(len(rows))],
            "source_ref": [f"file{i}.txt" for i in range(len(rows))],
            "text": [t for _, t in rows],
        }
    )


# --- the statistic against the formula -------------------------------------------

# Two groups, four words (no stop words, unigrams only):
#   A: apple 2, banana 1, cherry 1, durian 0   (n_A = 4)
#   B: apple 0, banana 2, cherry 2, durian 1   (n_B = 5)
HAND = _articles([
    ("A", "apple apple banana"),
    ("A", "cherry"),
    ("B", "banana banana cherry"),
    ("B", "cherry durian"),
])
HAND_COUNTS = {
    "A": {"apple": 2, "banana": 1, "cherry": 1, "durian": 0},
    "B": {"apple": 0, "banana": 2, "cherry": 2, "durian": 1},
}


def _expected(group: str, term: str, prior_scale: float | None) -> tuple[float, float]:
    """Monroe, Colaresi & Quinn (2008), eqs. 16, 18, 19, written out."""
    other = "B" if group == "A" else "A"
    total = {w: HAND_COUNTS["A"][w] + HAND_COUNTS["B"][w] for w in HAND_COUNTS["A"]}
    big_n = sum(total.values())  # 9
    alpha_0 = big_n if prior_scale is None else prior_scale
    alpha_w = alpha_0 * total[term] / big_n
    y_i, y_j = HAND_COUNTS[group][term], HAND_COUNTS[other][term]
    n_i, n_j = sum(HAND_COUNTS[group].values()), sum(HAND_COUNTS[other].values())
    delta = math.log((y_i + alpha_w) / (n_i + alpha_0 - y_i - alpha_w)) - math.log(
        (y_j + alpha_w) / (n_j + alpha_0 - y_j - alpha_w)
    )
    var = 1 / (y_i + alpha_w) + 1 / (y_j + alpha_w)
    return delta, delta / math.sqrt(var)


@pytest.mark.parametrize("prior_scale", [None, 2.5, 100.0])
def test_log_odds_matches_the_formula(prior_scale):
    out = distinctive_terms(HAND, ngram_range=(1, 1), min_count=1, top=10,
                            prior_scale=prior_scale, stop_words=None)
    assert len(out) == 8  # every term for both groups
    for row in out.itertuples(index=False):
        delta, z = _expected(row.outlet, row.term, prior_scale)
        assert row.log_odds == pytest.approx(delta, abs=1e-9)
        assert row.z == pytest.approx(z, abs=1e-9)
        other = "B" if row.outlet == "A" else "A"
        assert row.n_group == HAND_COUNTS[row.outlet][row.term]
        assert row.n_rest == HAND_COUNTS[other][row.term]
    # Ranked by z, highest first (ties by term).
    for group, g in out.groupby("outlet"):
        assert list(g["rank"]) == list(range(1, len(g) + 1))
        z = {w: _expected(group, w, prior_scale)[1] for w in HAND_COUNTS[group]}
        expected = sorted(z, key=lambda w: (-z[w], w))
        assert list(g["term"]) == expected
    assert out.groupby("outlet")["term"].first().to_dict() == {"A": "apple", "B": "durian"}


def test_default_prior_is_the_corpus_counts():
    # prior_scale=None is the same as prior_scale = the corpus's token total.
    a = distinctive_terms(HAND, ngram_range=(1, 1), min_count=1, stop_words=None)
    b = distinctive_terms(HAND, ngram_range=(1, 1), min_count=1, stop_words=None,
                          prior_scale=9.0)
    pd.testing.assert_frame_equal(a, b)


def test_articles_group_counts_articles():
    out = distinctive_terms(HAND, ngram_range=(1, 1), min_count=1, stop_words=None)
    row = out[(out.outlet == "A") & (out.term == "apple")].iloc[0]
    assert (row.n_group, row.articles_group) == (2, 1)
    row = out[(out.outlet == "B") & (out.term == "cherry")].iloc[0]
    assert (row.n_group, row.articles_group) == (2, 2)


# --- a constructed three-outlet corpus (always runs) ------------------------------

OWN = {
    "Harbor Herald": "regime aggression annexation invasion occupation sanctions "
                     "provocation warmongering escalation mobilisation threat ultimatum",
    "Inland Courier": "dialogue diplomacy negotiations compromise ceasefire guarantees "
                      "reciprocity transparency verification consultations summit treaty",
    "Mountain Post": "pipeline energy gas markets prices inflation exports tariffs "
                     "investors currency budget subsidies",
}


def _constructed() -> pd.DataFrame:
    rows = []
    shared = ("Officials from the alliance met in Brussels on Wednesday, and the talks "
              "lasted 4 hours. ")
    for outlet, words in OWN.items():
        w = words.split()
        for k in range(6):
            # Each article uses the outlet's own words in pairs ("regime
            # aggression") and some shared wording.
            body = " ".join(f"The {w[(k + i) % len(w)]} {w[(k + i + 1) % len(w)]} was raised."
                            for i in range(len(w)))
            rows.append((outlet, shared + body + " It's not over, they said in 2022."))
    return _articles(rows)


def _check_terms(out: pd.DataFrame, outlets: list[str], n_min: int = 10) -> None:
    assert list(out.columns) == ["outlet", *TERM_COLUMNS]
    assert sorted(set(out["outlet"])) == sorted(outlets)
    stops, _ = stop_word_set("english")
    for outlet in outlets:
        g = out[out["outlet"] == outlet]
        assert (g["z"] > 0).sum() >= n_min, outlet
    terms = out["term"].tolist()
    words = [t for t in terms if " " not in t]
    bigrams = [t.split(" ") for t in terms if " " in t]
    assert bigrams, "no bigrams"
    assert not [t for t in words if t in ENGLISH_STOP_WORDS or t in stops]
    assert not [b for b in bigrams if all(x in stops for x in b)]
    assert not [t for t in terms if not any(c.isalpha() for c in t.replace(" ", ""))]
    assert not [t for t in terms if any(len(x) < 2 for x in t.split(" "))]
    # Sorted: groups in order, then rank.
    key = out[["outlet", "rank"]].apply(tuple, axis=1).tolist()
    assert key == sorted(key)


def test_three_outlets_constructed():
    arts = _constructed()
    out = distinctive_terms(arts)
    _check_terms(out, list(OWN))
    for outlet, words in OWN.items():
        g = out[out["outlet"] == outlet]
        top = set(g[g["z"] > 0]["term"])
        # Every word the outlet alone uses is among its distinctive terms ...
        assert set(words.split()) <= top, outlet
        # ... and no other outlet's own words are.
        others = {w for o, ws in OWN.items() if o != outlet for w in ws.split()}
        assert not (top & others)
    # Shared wording (every outlet: same rate) is not distinctive; nor are
    # stop words, contractions or numbers.
    assert not set(out["term"]) & {"brussels", "officials", "it's", "2022", "hours"}
    # Bigrams of the outlet's own words.
    assert "regime aggression" in set(out[out["outlet"] == "Harbor Herald"]["term"])


def test_deterministic_and_order_independent():
    arts = _constructed()
    a = distinctive_terms(arts)
    b = distinctive_terms(arts)
    pd.testing.assert_frame_equal(a, b)
    shuffled = arts.sample(frac=1.0, random_state=3).reset_index(drop=True)
    c = distinctive_terms(shuffled)
    pd.testing.assert_frame_equal(a, c, check_exact=False, rtol=1e-12)


def test_three_outlets_shared_corpus():
    recs = shared_corpus_head(600)
    counts = Counter(r["source"] for r in recs)
    outlets = [o for o, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
    if len(outlets) < 3:
        pytest.skip("fewer than three outlets in the head of the shared corpus")
    arts = _articles([(r["source"], r["content"] or "") for r in recs if r["source"] in outlets])
    out = distinctive_terms(arts)
    _check_terms(out, outlets)
    assert (out.groupby("outlet").size() == 30).all()


# --- options and errors -------------------------------------------------------------


def test_by_another_column_is_the_first_column():
    arts = _constructed().assign(section=lambda d: d["outlet"].str.split().str[0])
    out = distinctive_terms(arts, by="section", top=5)
    assert out.columns[0] == "section"
    assert set(out["section"]) == {"Harbor", "Inland", "Mountain"}


def test_errors_name_the_valid_choices():
    arts = _constructed()
    with pytest.raises(ValueError, match=r"unknown column by='desk'.*outlet"):
        distinctive_terms(arts, by="desk")
    with pytest.raises(ValueError, match="at least 2"):
        distinctive_terms(arts[arts.outlet == "Mountain Post"])
    with pytest.raises(ValueError, match="'english', None"):
        distinctive_terms(arts, stop_words="german")
    with pytest.raises(ValueError, match="ngram_range"):
        distinctive_terms(arts, ngram_range=(2, 1))


def test_stop_words_none_or_custom():
    arts = _articles([("A", "the the the cat sat"), ("B", "a dog ran and ran")])
    out = distinctive_terms(arts, stop_words=None, min_count=1, top=20)
    assert "the" in set(out["term"]) and "the the" in set(out["term"])
    out = distinctive_terms(arts, stop_words=["cat", "dog"], min_count=1, top=20)
    assert not {"cat", "dog"} & set(out["term"])
    assert "the" in set(out["term"])


def test_null_outlet_is_named():
    arts = _constructed()
    arts.loc[0, "outlet"] = None
    out = distinctive_terms(arts, top=3)
    assert "(unknown outlet)" in set(out["outlet"])


def test_empty_vocabulary_gives_an_empty_table():
    arts = _articles([("A", "the and of"), ("B", "2022 12 1")])
    out = distinctive_terms(arts)
    assert out.empty and list(out.columns) == ["outlet", *TERM_COLUMNS]


# --- tokens and the analyzer ----------------------------------------------------------


def test_ngrams_do_not_cross_punctuation_or_numbers():
    terms = analyze()("Talks ended. Moscow's envoy, the U.S. team; 2022 talks\nended")
    assert "ended moscow's" not in terms and "envoy the" not in terms
    assert "moscow's envoy" in terms and "u.s. team" in terms and "the u.s." in terms
    assert terms.count("talks ended") == 1  # the first; not across the line break
    assert "2022" not in terms and "2022 talks" not in terms


def test_curly_and_straight_apostrophes_are_one_term():
    assert analyze()("Russia’s demands") == analyze()("Russia's demands")


def test_analyzer_agrees_with_tokenize(seed_articles):
    """Counting (the fast analyzer) and contexts (tokenize) see the same n-grams."""
    stops, _ = stop_word_set("english")

    def stop(w: str) -> bool:
        return w in stops or ("'" in w and w.split("'", 1)[0] in stops)

    def reference(text: str) -> Counter:
        out: Counter = Counter()
        run: list[str] = []
        for _, _, norm, joined in tokenize(text):
            usable = len(norm) > 1 and any(c.isalpha() for c in norm)
            if not joined or not usable:
                run = []
            if not usable:
                continue
            run.append(norm)
            if not stop(norm):
                out[norm] += 1
            if len(run) >= 2 and not all(stop(w) for w in run[-2:]):
                out[" ".join(run[-2:])] += 1
        return out

    odd = "2½ years; the U.S.A team – İstanbul’s ‘talks’ ... co-op\u00a0plans\tended"
    for text in [*seed_articles["text"], odd]:
        assert Counter(analyze()(text)) == reference(text)


# --- terms in context ----------------------------------------------------------------------


def test_contexts_count_what_was_counted(seed_articles):
    out = distinctive_terms(seed_articles, top=8)
    for row in out.itertuples(index=False):
        ctx = term_contexts(seed_articles, row.term, by_value=row.outlet)
        assert len(ctx) == row.n_group, (row.outlet, row.term)
        assert ctx["article_id"].nunique() == row.articles_group
        rest = term_contexts(seed_articles, row.term)
        assert len(rest) == row.n_group + row.n_rest


def test_contexts_slice_the_text(seed_articles):
    ctx = term_contexts(seed_articles, "NATO", width=30)
    assert list(ctx.columns) == ["outlet", *CONTEXT_COLUMNS]
    assert len(ctx) > 10
    texts = dict(zip(seed_articles["article_id"], seed_articles["text"], strict=True))
    for row in ctx.itertuples(index=False):
        assert texts[row.article_id][row.start : row.end] == row.match
        assert row.match.lower() == "nato"
        assert len(row.left) <= 30 and len(row.right) <= 30
        assert "\n" not in row.left + row.right
    key = ctx[["outlet", "article_id", "start"]].apply(tuple, axis=1).tolist()
    assert key == sorted(key)
    assert ctx["title"].notna().all() and ctx["source_ref"].notna().all()


def test_contexts_match_bigrams_apostrophes_and_filter():
    arts = _articles([
        ("A", "Russia’s demands were clear. Russia's demands, again."),
        ("B", "Russia. Demands were made; russia's DEMANDS too."),
    ])
    ctx = term_contexts(arts, "russia's demands")
    assert ctx["match"].tolist() == ["Russia’s demands", "Russia's demands", "russia's DEMANDS"]
    assert term_contexts(arts, "russia demands").empty  # never across punctuation
    only_b = term_contexts(arts, "Russia's demands", by_value="B")
    assert only_b["outlet"].tolist() == ["B"]
    assert len(term_contexts(arts, "demands", limit=2)) == 2
    with pytest.raises(ValueError, match="no word"):
        term_contexts(arts, " ... ")
