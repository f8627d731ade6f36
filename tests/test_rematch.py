"""Re-matching a lexicon edit near the edit only (analytics.rematch) gives
exactly the hits of matching the whole text again, on adversarial texts and
many random edits; the store's lexicon edits equal matching from scratch."""

from __future__ import annotations

import json
import random
from dataclasses import replace

import pytest

from analytics.features.lexicon import LexiconMatcher
from analytics.lexicons import Lexicon, Term, default_lexicons
from analytics.pipeline import core_key, lexicon_hits, score_to_store
from analytics.rematch import (
    LexiconEdit,
    StoredSentences,
    _token_at,
    added_hits,
    lexicon_edit,
    longest_form,
    rematch_text,
)
from analytics.store import Store, _effective_forms, by_family
from analytics.text import (
    in_quotes,
    paragraph_start,
    quote_spans,
    quote_spans_near,
    quoted_share,
    sentences,
    word_tokens,
)

ADVERSARIAL = [
    "Officials said the talks failed. officials",
    "officials' statements; the official's view; Officials’ view; OFFICIALS'S aides.",
    "It's the officials's fault, it’s clear: officials‘s and officials’s.",
    "Pro-officials and officials-led groups; anti-officials, officials--led, -officials-.",
    "Soft hy\u00adphen: offi\u00adcials and officials\u00ad; peace\u00adtalks.",
    "“Officials said peace talks were ‘illegal’,” he said. \"Talks\" resumed.\n"
    "“Another paragraph opens a quote\n“and continues it with officials,” they said.\n"
    "An ‘open door’ policy, open door” policy, and open-door policy talks.",
    "Peace talks peace talks talks. Talks between officials; security guarantees talks.",
    "İstanbul officials met ΣΟΦΙΑ OFFİCIALS and Straße officials; ﬁnal KELVIN K officials.",
    "_officials_ officials_ 9/11 officials' officials'' 'officials' ‘officials’.",
    "military intervention in a military intervention's wake; use of military force.",
    "Russia's invasion, Russia’s invasions; the invasion's aims; invasions's.",
    "A\n\n  \"quote left open at a paragraph end\n\nofficials talks here\n"
    "Next “quote runs on\n\n“into more officials talks”, and ends.",
    "talks",
    "",
    "No lexicon word at all in this one.",
    "U.S. officials said Mr. Lavrov's talks with Dr. Smith on Jan. 12 were “frank.” Talks.",
]

TOY = """officials official talk talks peace security guarantee guarantees between
door open policy russia russia's invasion invasion's illegal force military use of
intervention sanctions threat nato said the a""".split()


def _framing() -> tuple[list[Lexicon], int]:
    lexicons = default_lexicons()
    return lexicons, next(k for k, lx in enumerate(lexicons) if lx.family == "framing")


def _edit(old, new) -> LexiconEdit:
    """What the store computes for an edit with no moved or dropped terms."""
    old_f, new_f = _effective_forms(old), _effective_forms(new)
    removed = {v for f, v in old_f.items() if new_f.get(f) != v}
    edit = lexicon_edit(removed, [f for f, v in new_f.items() if old_f.get(f) != v], new_f)
    assert edit is not None
    return edit


def _stored_sentences(text: str) -> StoredSentences:
    sents, quotes = sentences(text), quote_spans(text)
    shares = [quoted_share(s.start, s.end, quotes) if quotes else 0.0 for s in sents]
    return StoredSentences([s.start for s in sents], [s.end for s in sents], shares, 0,
                           len(sents))


def _rows(lexicons, text):
    return [r[2:] for r in lexicon_hits(lexicons, "x", text)]


def _near(old, new, text) -> list | None:
    """The hits of ``new`` from those of ``old``, the way the store gets them."""
    edit = _edit(old, new)
    stored = _rows(old, text)
    sents = _stored_sentences(text)
    if edit.simple is not None and not any((h[0], h[1]) in edit.removed for h in stored):
        added = added_hits(text, [h[3] for h in stored], [h[4] for h in stored],
                           edit.simple, sents)
        if added is not None:
            return sorted([*stored, *added], key=lambda h: h[3])
    return rematch_text(text, stored, edit, LexiconMatcher(new), longest_form(new), sents)


def _with_terms(base: Lexicon, terms, tag: str) -> list[Lexicon]:
    return [replace(base, version=f"{base.version}+{tag}", terms=tuple(terms))]


def test_token_at_agrees_with_the_tokenizer() -> None:
    for text in ADVERSARIAL:
        ends = {t.start: t.end for t in word_tokens(text)}
        for i in range(len(text)):
            assert _token_at(text, i) == ends.get(i, -1), (text, i)


def test_window_cuts_and_lower_case_keep_word_characters_apart() -> None:
    """What the windows and the occurrence search rely on, over all of
    Unicode: ``isalnum() or "_"`` is the tokenizer's ``\\w``, and no
    character that is not a word character lower-cases to one."""
    import re
    import sys

    word = re.compile(r"\w")
    for i in range(sys.maxunicode + 1):
        c = chr(i)
        is_word = bool(word.match(c))
        assert (c.isalnum() or c == "_") == is_word, hex(i)
        if not is_word and not 0xD800 <= i <= 0xDFFF:
            assert not any(word.match(x) for x in c.lower()), hex(i)


def test_quotes_near_a_position_agree_with_the_whole_text() -> None:
    texts = [*ADVERSARIAL, "“a\n“b\n‘c\n\"d\" e\n“f” ‘g’ h\n\n“i\nj”"]
    for text in texts:
        whole = quote_spans(text)
        for t in word_tokens(text):
            para = paragraph_start(text, t.start)
            assert para <= t.start
            near = quote_spans_near(text, para, t.start + 1)
            assert in_quotes([t.start], near) == in_quotes([t.start], whole), (text, t)


def test_quotes_of_several_paragraphs_agree_with_the_whole_text() -> None:
    """``hit_rows`` scans the paragraphs holding the offsets one by one."""
    from analytics.rematch import _in_quotes_near

    texts = [*ADVERSARIAL, "“a\n“b\n‘c\n\"d\" e\n“f” ‘g’ h\n\n“i\nj”", "\n\n".join(ADVERSARIAL)]
    for text in texts:
        offsets = [t.start for t in word_tokens(text)]
        assert _in_quotes_near(text, offsets) == in_quotes(offsets, quote_spans(text)), text


@pytest.fixture(params=[None, 1], ids=["pad", "tiny_windows"])
def tiny(request, monkeypatch):
    import analytics.rematch

    if request.param is not None:
        monkeypatch.setattr(analytics.rematch, "_PAD_PER_TOKEN", request.param)


@pytest.mark.parametrize("forms", [
    ("officials",), ("officials's",), ("official",), ("talks",), ("peace talks",),
    ("talks between",), ("door policy",), ("open door policy",), ("offic*",),
    ("officials said", "said"), ("russia's",), ("invasion",), ("invasion's",),
    ("military intervention's",), ("use",), ("force",), ("officials", "officials's"),
    ("peace",), ("military",), ("door",), ("said",), ("it's",), ("open-door",),
])
def test_adding_forms_equals_matching_again(forms, tiny) -> None:
    lexicons, i = _framing()
    fr = lexicons[i]
    cat = next(iter(fr.categories))
    new = _with_terms(fr, [*fr.terms, Term(forms[0], cat, forms)], "add")
    for text in ADVERSARIAL:
        got = _near([fr], new, text)
        if got is not None:
            assert got == _rows(new, text), (forms, text)


@pytest.mark.parametrize("gone", ["talks", "peace talks", "military intervention", "invasion",
                                  "use of force", "sanctions"])
def test_removing_forms_equals_matching_again(gone, tiny) -> None:
    lexicons, i = _framing()
    fr = lexicons[i]
    terms = [replace(t, forms=tuple(f for f in t.forms if f != gone)) for t in fr.terms]
    new = _with_terms(fr, [t for t in terms if t.forms], "remove")
    for text in ADVERSARIAL:
        got = _near([fr], new, text)
        if got is not None:
            assert got == _rows(new, text), (gone, text)


def _random_lexicon(rng: random.Random, cats: list[str]) -> Lexicon:
    base = _framing()[0][_framing()[1]]
    terms = []
    seen: set[str] = set()
    for k in range(rng.randint(3, 9)):
        forms = []
        for _ in range(rng.randint(1, 3)):
            n = rng.choice([1, 1, 1, 2, 2, 3])
            words = [rng.choice(TOY) for _ in range(n)]
            if rng.random() < 0.1:
                words[-1] = words[-1][:3] + "*"
            form = " ".join(words)
            if form not in seen:
                seen.add(form)
                forms.append(form)
        if forms:
            terms.append(Term(f"t{k}", rng.choice(cats), tuple(forms)))
    return replace(base, name="toy", version=str(rng.random()), terms=tuple(terms))


def _mutate(rng: random.Random, lex: Lexicon, cats: list[str]) -> Lexicon:
    terms = list(lex.terms)
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(["add", "add", "drop_term", "drop_form", "move_form", "recat"])
        if kind == "add" or not terms:
            n = rng.choice([1, 1, 2, 3])
            words = [rng.choice(TOY) for _ in range(n)]
            if rng.random() < 0.15:
                words[-1] = words[-1][:3] + "*"
            terms.append(Term(f"n{rng.random()}", rng.choice(cats), (" ".join(words),)))
        elif kind == "drop_term":
            terms.pop(rng.randrange(len(terms)))
        elif kind == "drop_form":
            k = rng.randrange(len(terms))
            forms = terms[k].forms[1:]
            if forms:
                terms[k] = replace(terms[k], forms=forms)
            else:
                terms.pop(k)
        elif kind == "move_form" and len(terms) > 1:
            a, b = rng.sample(range(len(terms)), 2)
            if len(terms[a].forms) > 1:
                f = terms[a].forms[-1]
                terms[a] = replace(terms[a], forms=terms[a].forms[:-1])
                terms[b] = replace(terms[b], forms=(*terms[b].forms, f))
        else:
            k = rng.randrange(len(terms))
            terms[k] = replace(terms[k], category=rng.choice(cats))
    return replace(lex, version=str(rng.random()), terms=tuple(terms))


def _random_text(rng: random.Random) -> str:
    pieces = []
    for _ in range(rng.randint(5, 60)):
        w = rng.choice(TOY)
        w = rng.choice([w, w.capitalize(), w.upper()])
        pieces.append(w)
        pieces.append(rng.choice([" ", " ", " ", ", ", ". ", "'s ", "’s ", "-", " “", "” ",
                                  " \"", "\" ", "\n", "\n\n“", " ‘", "’ ", "\u00ad", "—"]))
    return "".join(pieces)


@pytest.mark.parametrize("pad", [None, 1, 3])
def test_random_edits_on_random_texts_equal_matching_again(monkeypatch, pad) -> None:
    """Also with first windows of a character or three per token, so that
    the window conditions (margins, straddles, merging) decide the result."""
    import analytics.rematch

    if pad is not None:
        monkeypatch.setattr(analytics.rematch, "_PAD_PER_TOKEN", pad)
    rng = random.Random(20261123)
    cats = list(_framing()[0][_framing()[1]].categories)
    texts = [*ADVERSARIAL, *(_random_text(rng) for _ in range(60))]
    checked = 0
    for _ in range(150):
        old = _random_lexicon(rng, cats)
        new = _mutate(rng, old, cats)
        for text in texts:
            got = _near([old], [new], text)
            if got is not None:
                assert got == _rows([new], text), (old, new, text)
                checked += 1
    assert checked > 5000


# --- through the store --------------------------------------------------------------


def _store_edits() -> dict[str, list[Lexicon]]:
    lexicons, i = _framing()
    fr = lexicons[i]
    cats = list(fr.categories)

    def with_terms(name: str, terms) -> list[Lexicon]:
        out = list(lexicons)
        out[i] = replace(fr, version=f"{fr.version}+{name}", terms=tuple(terms))
        return out

    talks = next(t for t in fr.terms if "talks" in t.forms)
    other = next(t for t in fr.terms if t is not talks and t.category != talks.category)
    return {
        "add_common": with_terms("c", [*fr.terms, Term("officials", cats[0], ("officials",))]),
        "add_possessive_form": with_terms("p", [*fr.terms, Term("russia's", cats[1],
                                                                ("russia's", "russia"))]),
        "add_over_multi_word": with_terms("m", [*fr.terms, Term("peace", cats[2], ("peace",))]),
        "add_multi_word": with_terms("mw", [*fr.terms, Term("talks between", cats[3],
                                                            ("talks between", "security talks"))]),
        "add_wildcard": with_terms("w", [*fr.terms, Term("offic*", cats[0], ("offic*",))]),
        "remove_multi_word_term": with_terms("r", [t for t in fr.terms if t is not talks]),
        "move_form": with_terms("mv", [
            replace(talks, forms=("talks",)) if t is talks else
            replace(other, forms=(*other.forms, "peace talks")) if t is other else t
            for t in fr.terms]),
        "recategorise_and_add": with_terms("ra", [
            *(replace(t, category=other.category) if t is talks else t for t in fr.terms),
            Term("officials", cats[0], ("officials", "official"))]),
    }


@pytest.fixture(scope="module")
def adversarial_store(tmp_path_factory):
    from analytics.corpus import iter_corpus_chunks

    from .conftest import shared_corpus_head

    path = tmp_path_factory.mktemp("rematch") / "corpus.jsonl"
    rows = [{"text": t, "outlet": f"o{k % 3}", "title": f"t{k}"}
            for k, t in enumerate(ADVERSARIAL) if t.strip()]
    rows += shared_corpus_head(40)
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    db = path.with_suffix(".duckdb")
    with Store(db) as store:
        score_to_store(iter_corpus_chunks(path, chunk_size=25), store, engine="serial")
    return db


@pytest.mark.parametrize("name", list(_store_edits()))
def test_store_edits_equal_matching_from_scratch(adversarial_store, tmp_path, name) -> None:
    import shutil

    db = tmp_path / "s.duckdb"
    shutil.copy(adversarial_store, db)
    edited = _store_edits()[name]
    with Store(db) as store:
        report = store.ensure_lexicons(edited, core=core_key())
        assert set(report) <= {"framing"}
        got = store.table("hits", core=core_key(), lexicons=edited)
        articles = store.articles()
    texts = dict(zip(articles["article_id"], articles["text"], strict=True))
    want = []
    fams = by_family(edited)
    for aid in articles["article_id"]:
        rows = [r for lxs in fams.values() for r in lexicon_hits(lxs, aid, texts[aid])]
        want.extend(sorted(rows, key=lambda r: (r[5], r[1])))
    got_rows = [tuple(None if v is None or v != v else v for v in r)
                for r in got.astype(object).itertuples(index=False, name=None)]
    assert got_rows == [tuple(r) for r in want]


@pytest.mark.parametrize("pad", [None, 1])
@pytest.mark.parametrize("text", [
    "peace talks security guarantees", "nato: peace talks, security guarantees.",
    "said peace talks security guarantees and more words after it all"])
def test_a_removed_hit_lets_in_a_longer_match_reaching_past_the_window(monkeypatch, pad,
                                                                         text) -> None:
    """Removing "peace talks" lets "talks security guarantees" in: the window
    must reach its last token before it may stop."""
    import analytics.rematch

    if pad is not None:
        monkeypatch.setattr(analytics.rematch, "_PAD_PER_TOKEN", pad)
    base = _framing()[0][_framing()[1]]
    cat = next(iter(base.categories))
    old = [replace(base, terms=(Term("a", cat, ("peace talks",)),
                                Term("b", cat, ("talks security guarantees",))))]
    new = [replace(old[0], version="2", terms=old[0].terms[1:])]
    assert _near(old, new, text) == _rows(new, text) != []


@pytest.mark.parametrize("pad", [None, 1])
@pytest.mark.parametrize("text", ["a nato guarantees", "the said a nato guarantees now",
                                  "x y z w v a nato guarantees"])
def test_an_added_match_starting_before_its_searched_word(monkeypatch, pad, text) -> None:
    """"a nato guarantees" is searched by its longest word: the window must
    start far enough before it to hold the match's first token."""
    import analytics.rematch

    if pad is not None:
        monkeypatch.setattr(analytics.rematch, "_PAD_PER_TOKEN", pad)
    base = _framing()[0][_framing()[1]]
    cat = next(iter(base.categories))
    old = [replace(base, terms=(Term("n", cat, ("nato",)),))]
    new = [replace(old[0], version="2", terms=(*old[0].terms,
                                               Term("g", cat, ("a nato guarantees",))))]
    assert _near(old, new, text) == _rows(new, text) != []


def test_the_stores_word_search_finds_every_python_lower_case_match() -> None:
    """The store picks the texts to look at with DuckDB's case-insensitive
    RE2 search: for every character whose Python lower case is another
    single character, that lower case as a pattern finds it (a character that
    is its own lower case is a literal of the pattern); curly apostrophes too."""
    import sys

    import duckdb

    from analytics.store import _any_of

    pairs = [(chr(i), chr(i).lower()) for i in range(1, sys.maxunicode + 1)
             if not 0xD800 <= i <= 0xDFFF and len(chr(i).lower()) == 1
             and (chr(i).lower() != chr(i) or i < 128)]
    pairs += [("’", "'"), ("‘", "'"), ("Officials’S", "officials's")]
    found = duckdb.connect().execute(
        "SELECT list(regexp_matches(c, p, 'i')) FROM (SELECT unnest(?) AS c, unnest(?) AS p)",
        [[c for c, _ in pairs], [_any_of([w]) for _, w in pairs]]).fetchone()[0]
    assert [c for (c, _), ok in zip(pairs, found, strict=True) if not ok] == []


def test_batched_lookups_equal_looking_up_each_text(adversarial_store) -> None:
    """The store finds the sentence and the overlapping stored hit of the
    added tokens of many texts at once: the same as bisecting each text's
    stored sentences (as ``_rows`` does) and hits, at every offset."""
    import bisect

    import numpy as np

    with Store(adversarial_store, read_only=True) as store:
        texts = dict(store.con.execute("SELECT text_hash, text FROM texts ORDER BY 1").fetchall())
        key = store.con.execute(
            "SELECT any_value(lexicon_hash) FROM hits WHERE family = 'framing'").fetchall()[0][0]
        hits = store.con.execute(
            'SELECT text_hash, start, "end", n FROM hits WHERE lexicon_hash = ? ORDER BY 1, 2',
            [key]).fetchall()
        hashes = [*texts, "not a stored text"]
        sents = store._sentences(hashes, core_key())
        spans = store._stored_spans(hashes, key, set())
    assert not sents.usable[-1] and sents.usable[:-1].all()
    for k, h in enumerate(hashes[:-1]):
        offsets = np.arange(-1, len(texts[h]) + 2)
        ranks = np.full(len(offsets), k)
        starts, ends, shares, lo, hi = sents.of(k)
        index, share = sents.locate(ranks, offsets)
        for pos, i, q in zip(offsets.tolist(), index, share, strict=True):
            if hi == lo:
                assert i is None and q != q
                continue
            j = max(lo, bisect.bisect_right(starts, pos, lo, hi) - 1)
            assert i == j - lo
            want = shares[j] if starts[j] <= pos < ends[j] else float("nan")
            assert q == want or (q != q and want != want)
        mine = [r[1:] for r in hits if r[0] == h]
        clash = spans.overlapping(ranks, offsets, offsets + 3)
        for pos, got in zip(offsets.tolist(), clash.tolist(), strict=True):
            j = bisect.bisect_left([a for a, _, _ in mine], pos + 3) - 1
            assert got == (j >= 0 and mine[j][1] > pos)
        assert spans.next_n[k] == max((n + 1 for _, _, n in mine), default=0)
