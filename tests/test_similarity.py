"""Similar articles, shared passages, near-duplicates and outlet similarity."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

import analytics.similarity as sim
from analytics.similarity import (
    PAIR_COLUMNS,
    PASSAGE_COLUMNS,
    near_duplicates,
    outlet_similarity,
    passages_table,
    shared_passages,
    similar_articles,
    tfidf_matrix,
)
from analytics.text import word_tokens

REPOST_ID = "repost-of-002"


def _with_repost(seed_articles: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """The seeds plus a republished copy of seed 002: an extra first line and
    one edited word ("standoff" -> "stalemate")."""
    orig = seed_articles[seed_articles["source_ref"] == "002_66c77f65f70d1ee2.txt"].iloc[0]
    assert orig["text"].count("standoff") == 1
    text = ("This article was republished from a partner site.\n"
            + orig["text"].replace("standoff", "stalemate"))
    repost = {"article_id": REPOST_ID, "outlet": "Aggregator", "title": "Repost",
              "source_ref": "repost.txt", "text": text, "published": pd.NaT}
    return pd.concat([seed_articles, pd.DataFrame([repost])], ignore_index=True), orig


# --- the repost -----------------------------------------------------------------------


def test_repost_pairs_with_its_original(seed_articles):
    arts, orig = _with_repost(seed_articles)
    pairs = similar_articles(arts)
    assert list(pairs.columns) == list(PAIR_COLUMNS)
    top = pairs.iloc[0]
    # The original is article a (same date, earlier in the input).
    assert (top["article_id_a"], top["article_id_b"]) == (orig["article_id"], REPOST_ID)
    assert (top["source_ref_a"], top["outlet_a"]) == (orig["source_ref"], orig["outlet"])
    assert top["cosine"] > 0.95
    assert top["shared_share"] > 0.95
    # No other pair comes close.
    assert (pairs["cosine"].iloc[1:] < 0.8).all()

    table = passages_table(arts, pairs.head(1))
    assert list(table.columns) == list(PASSAGE_COLUMNS)
    n_words = len(word_tokens(orig["text"]))
    long = table[table["words"] >= 50]
    assert len(long) == 1  # one long shared passage, through the edited word
    assert long["words"].iloc[0] >= 0.95 * n_words
    assert "standoff" in long["text"].iloc[0]  # the passage runs through the edit

    assert near_duplicates(pairs) == {REPOST_ID}


# --- passages -------------------------------------------------------------------------


def _check_slices(a: str, b: str, passages) -> None:
    for p in passages:
        assert a[p.start_a : p.end_a] == p.text_a
        wa = [t.norm for t in word_tokens(a[p.start_a : p.end_a])]
        wb = [t.norm for t in word_tokens(b[p.start_b : p.end_b])]
        assert len(wa) == p.words
        # Both slices start and end on a shared word.
        assert wa[0] == wb[0] and wa[-1] == wb[-1]
        # Near-exact: at most one word per gap differs; lengths differ by the
        # words inserted on one side.
        assert abs(len(wa) - len(wb)) <= max(1, p.words // 5)


def test_passage_offsets_slice_both_texts(seed_texts):
    texts = list(seed_texts.values())
    for a in texts[:3]:
        b = "Intro line.\n" + a[len(a) // 3 :].replace("NATO", "Nato") + "\nThe end."
        ps = shared_passages(a, b)
        assert ps
        _check_slices(a, b, ps)
        assert max(p.words for p in ps) >= 0.6 * len(word_tokens(a))
    for a in texts:
        for b in texts:
            _check_slices(a, b, shared_passages(a, b, min_words=5))


def test_passages_exact_and_near_exact():
    base = ("The alliance said on Wednesday that it remained open to further talks with "
            "Moscow about arms control and military transparency in Europe")
    n = len(base.split())
    # Exact, with different punctuation, case and surroundings.
    b = "Breaking: " + base.upper().replace(" that ", ", that ") + "!"
    (p,) = shared_passages(base, b)
    assert p.words == n and p.text_a == base
    # One word replaced, one inserted, one deleted: still one passage.
    for edited in (base.replace("further", "more"),
                   base.replace("further", "further substantive"),
                   base.replace("further ", "")):
        (p,) = shared_passages(base, edited)
        assert p.words == n
        _check_slices(base, edited, [p])
    # Two adjacent words replaced: the run breaks into two passages.
    ps = shared_passages(base, base.replace("remained open", "was ready"), min_words=5)
    assert len(ps) == 2
    assert [p.text_a for p in ps] == ["The alliance said on Wednesday that it",
                                      "to further talks with Moscow about arms control and "
                                      "military transparency in Europe"]
    # min_words: short runs are not passages (the first run above has 7 words).
    assert len(shared_passages(base, base.replace("remained open", "was ready"))) == 1
    assert shared_passages("one two three four five", "one two three four five",
                           min_words=6) == []
    assert len(shared_passages("one two three four five", "x one two three four five y",
                               min_words=5)) == 1
    with pytest.raises(ValueError):
        shared_passages(base, base, min_words=0)


def test_passages_are_one_to_one():
    s = "the ministers agreed to meet again in the spring to continue talks"
    a = f"{s}. Other news here entirely unrelated."
    b = f"{s}. Something else. {s}."
    (p,) = shared_passages(a, b)  # a has it once: matched once, to the first
    assert (p.start_a, p.start_b, p.words) == (0, 0, 12)
    ps = shared_passages(b, b)
    assert [(p.start_a, p.start_b) for p in ps] == [(0, 0)]  # the whole text, once
    assert ps[0].end_a == len(b) - 1
    t = f"{s}. A different sentence follows here. {s}."
    ps = shared_passages(t, b)
    assert [(p.start_a, p.start_b) for p in ps] == [(0, 0), (t.rindex(s), b.rindex(s))]
    for x, y in ((a, b), (b, b), (t, b)):
        ps = shared_passages(x, y)
        _check_slices(x, y, ps)
        for p, q in itertools.combinations(ps, 2):
            assert p.end_a <= q.start_a or q.end_a <= p.start_a
            assert p.end_b <= q.start_b or q.end_b <= p.start_b


def test_page_furniture_is_not_matched():
    furniture = " ".join(["Photos: Crisis in Ukraine. Hide Caption"] * 40)
    news = "the talks failed again today after hours of debate in Brussels"
    a = f"{furniture} {news.capitalize()}."
    b = f"Yesterday: {news}. {furniture}"
    (p,) = shared_passages(a, b)
    assert p.text_a == news.capitalize()
    _check_slices(a, b, [p])


# --- near-duplicates ------------------------------------------------------------------------


def _pairs(rows: list[tuple[str, str, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["article_id_a", "article_id_b", "cosine", "shared_share"])


def test_near_duplicates_keep_the_first_of_each_group():
    pairs = _pairs([
        ("a1", "a2", 0.95, 0.9), ("a1", "a3", 0.9, 0.8), ("a2", "a3", 0.97, 0.95),  # a group
        ("b1", "b2", 0.85, 0.7),                                                      # a pair
        ("c1", "c2", 0.95, 0.3),  # similar wording, little shared text: not a copy
        ("d1", "d2", 0.6, 0.9),   # below the cosine
    ])
    assert near_duplicates(pairs) == {"a2", "a3", "b2"}
    assert near_duplicates(pairs, cosine=0.5, shared_share=0.2) == {"a2", "a3", "b2", "c2", "d2"}
    assert near_duplicates(pairs.iloc[0:0]) == set()


def test_near_duplicates_chain():
    # x2 copies x1 and x3 copies x2, but x3 is not a copy of x1: once x2 is
    # left out, x3 is kept (no two kept articles are near-copies).
    pairs = _pairs([("x1", "x2", 0.9, 0.9), ("x2", "x3", 0.9, 0.9)])
    assert near_duplicates(pairs) == {"x2"}


def test_near_duplicates_keep_the_earliest_published(seed_articles):
    orig = seed_articles.iloc[1]  # published 2022-01-12
    copy = orig.copy()
    copy["article_id"], copy["source_ref"] = "copy", "copy.txt"
    copy["published"] = pd.Timestamp("2022-01-20")
    copy["text"] = "Via a wire service.\n" + orig["text"]
    # The copy comes first in the input but was published later.
    arts = pd.concat([pd.DataFrame([copy]), seed_articles], ignore_index=True)
    pairs = similar_articles(arts, threshold=0.8)
    assert len(pairs) == 1
    assert (pairs.iloc[0]["article_id_a"], pairs.iloc[0]["article_id_b"]) == (
        orig["article_id"], "copy")
    assert near_duplicates(pairs) == {"copy"}
    kept = arts[~arts["article_id"].isin(near_duplicates(pairs))]
    assert orig["article_id"] in set(kept["article_id"]) and len(kept) == 5


# --- the seeds -------------------------------------------------------------------------------


def test_seed_pairs(seed_articles):
    pairs = similar_articles(seed_articles, threshold=0.01)
    assert len(pairs) == 10  # every pair of five articles shares some vocabulary
    by_id = seed_articles.set_index("article_id")
    for row in pairs.itertuples(index=False):
        for side in ("a", "b"):
            aid = getattr(row, f"article_id_{side}")
            assert getattr(row, f"source_ref_{side}") == by_id.loc[aid, "source_ref"]
            assert getattr(row, f"outlet_{side}") == by_id.loc[aid, "outlet"]
            assert getattr(row, f"title_{side}") == by_id.loc[aid, "title"]
        assert 0 < row.cosine < 0.8
        assert 0 <= row.shared_share < 0.5
    assert list(pairs["cosine"]) == sorted(pairs["cosine"], reverse=True)
    assert near_duplicates(pairs) == set()
    # Default threshold: these distinct articles are not similar enough.
    assert similar_articles(seed_articles).empty
    assert list(similar_articles(seed_articles).columns) == list(PAIR_COLUMNS)


def test_deterministic(seed_articles):
    arts, _ = _with_repost(seed_articles)
    a = similar_articles(arts, threshold=0.01)
    pd.testing.assert_frame_equal(a, similar_articles(arts, threshold=0.01))
    pd.testing.assert_frame_equal(passages_table(arts, a), passages_table(arts, a))
    # Another input order gives the same pairs and cosines.
    shuffled = arts.sample(frac=1.0, random_state=7).reset_index(drop=True)
    b = similar_articles(shuffled, threshold=0.01)

    def unordered(p: pd.DataFrame) -> dict:
        return {frozenset((r.article_id_a, r.article_id_b)): (r.cosine, r.shared_words)
                for r in p.itertuples(index=False)}

    ua, ub = unordered(a), unordered(b)
    assert ua.keys() == ub.keys()
    for k, (cos, words) in ua.items():
        assert ub[k][0] == pytest.approx(cos, abs=1e-12)
        assert ub[k][1] == words


def test_blocks_and_top_match_the_full_matrix(seed_articles, monkeypatch):
    arts, _ = _with_repost(seed_articles)
    x = tfidf_matrix(arts["text"].tolist())
    full = (x @ x.T).toarray()
    monkeypatch.setattr(sim, "_BLOCK_CELLS", 7)  # one or two rows per block
    pairs = similar_articles(arts, threshold=0.05)
    ids = arts["article_id"].tolist()
    expected = sorted((full[i, j] for i in range(len(ids)) for j in range(i + 1, len(ids))
                       if full[i, j] >= 0.05), reverse=True)
    assert np.allclose(pairs["cosine"], expected, atol=1e-12)
    top3 = similar_articles(arts, threshold=0.05, top=3)
    pd.testing.assert_frame_equal(top3, pairs.head(3))


def test_argument_errors(seed_articles):
    with pytest.raises(ValueError, match="threshold"):
        similar_articles(seed_articles, threshold=0)
    with pytest.raises(ValueError, match="top"):
        similar_articles(seed_articles, top=0)
    with pytest.raises(ValueError, match="text"):
        similar_articles(seed_articles.drop(columns=["text"]))
    with pytest.raises(ValueError, match="lacks column"):
        outlet_similarity(pd.DataFrame({"x": [1]}))


# --- outlets --------------------------------------------------------------------------------


def test_outlet_similarity_from_articles(seed_articles):
    arts, _ = _with_repost(seed_articles)
    arts.loc[arts["article_id"] == REPOST_ID, "outlet"] = seed_articles["outlet"].iloc[0]
    m = outlet_similarity(arts)
    outlets = sorted(set(arts["outlet"]))
    assert list(m.index) == outlets and list(m.columns) == outlets
    assert np.allclose(m.to_numpy(), m.to_numpy().T, equal_nan=True)
    # Against the brute-force mean over article pairs.
    x = tfidf_matrix(sim._ordered(arts)["text"].tolist())
    cos = (x @ x.T).toarray()
    lab = sim._ordered(arts)["outlet"].to_numpy()
    for o1 in outlets:
        for o2 in outlets:
            i, j = np.flatnonzero(lab == o1), np.flatnonzero(lab == o2)
            vals = [cos[p, q] for p in i for q in j if p != q and (o1 != o2 or p < q)]
            if vals:
                assert m.loc[o1, o2] == pytest.approx(np.mean(vals), abs=1e-12)
            else:
                assert np.isnan(m.loc[o1, o2])


def test_outlet_similarity_from_pairs(seed_articles):
    pairs = similar_articles(seed_articles, threshold=0.01)
    m = outlet_similarity(pairs)
    assert np.allclose(m.to_numpy(), m.to_numpy().T, equal_nan=True)
    # One article per seed outlet: every listed pair is one cell.
    for r in pairs.itertuples(index=False):
        assert m.loc[r.outlet_a, r.outlet_b] == pytest.approx(r.cosine)
    assert np.isnan(np.diag(m.to_numpy())).all()
