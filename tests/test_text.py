"""Sentences, quote spans and word tokens: offsets always slice the text."""

from __future__ import annotations

import itertools

import pytest

from analytics.text import (
    in_quotes,
    quote_spans,
    quoted_share,
    sentences,
    split_voices,
    word_tokens,
)


def _sents(t: str) -> list[str]:
    return [t[s.start : s.end] for s in sentences(t)]


def _quotes(t: str) -> list[str]:
    return [t[q.start : q.end] for q in quote_spans(t)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Smith met U.S. officials on Jan. 12. They talked.",
         ["Dr. Smith met U.S. officials on Jan. 12.", "They talked."]),
        ("He met John F. Kennedy. The end.", ["He met John F. Kennedy.", "The end."]),
        ("Sanctions by the U.S. The talks failed.", ["Sanctions by the U.S.", "The talks failed."]),
        ("Mr. Peskov spoke. Gen. Milley did not.", ["Mr. Peskov spoke.", "Gen. Milley did not."]),
        ("“What?” he asked. No.", ["“What?” he asked.", "No."]),
        ("“It is over.” The talks ended.", ["“It is over.”", "The talks ended."]),
        ("A headline without a stop\nThe body starts here. It ends.",
         ["A headline without a stop", "The body starts here.", "It ends."]),
        ("Ukraine… is hard to understand.", ["Ukraine… is hard to understand."]),
        ("The U.S.-led bloc met. Russia left!", ["The U.S.-led bloc met.", "Russia left!"]),
        ("", []),
        ("   \n\n  ", []),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert _sents(text) == expected


def test_sentence_offsets_slice_every_seed(seed_texts: dict[str, str]) -> None:
    for name, t in seed_texts.items():
        ss = sentences(t)
        assert ss, name
        for i, s in enumerate(ss):
            assert s.index == i
            chunk = t[s.start : s.end]
            assert chunk == chunk.strip() and chunk
        # Sentences are ordered and do not overlap.
        assert all(a.end <= b.start for a, b in itertools.pairwise(ss))


def test_scare_quotes_and_curly_quotes() -> None:
    t = "NATO wants to deter “revisionist” Russia, calling it ‘illegal’ and \"rogue\"."
    assert _quotes(t) == ["“revisionist”", "‘illegal’", '"rogue"']


def test_apostrophes_are_not_quotes() -> None:
    t = "Russia’s demands and the allies’ answer ‘were firm’, officials said."
    assert _quotes(t) == ["‘were firm’"]


def test_quote_over_paragraph_break() -> None:
    t = "He said: “First part of the quote.\n\n“Second paragraph of it.” Then more."
    q = quote_spans(t)
    assert len(q) == 1 and q[0].closed
    assert t[q[0].start : q[0].end].endswith("of it.”")


def test_unclosed_quote_ends_at_paragraph() -> None:
    t = "She said “this never closes.\n\nA new paragraph in the author's voice."
    q = quote_spans(t)
    assert _quotes(t) == ["“this never closes."]
    assert not q[0].closed


def test_straight_quotes() -> None:
    t = 'He called it "a red line" and left. "We will see," she said.'
    assert _quotes(t) == ['"a red line"', '"We will see,"']


def test_revisionist_in_first_seed_is_quoted(seed_texts: dict[str, str]) -> None:
    t = seed_texts["000_fc48db95838584a8.txt"]
    spans = quote_spans(t)
    i = t.index("revisionist")
    assert in_quotes([i], spans) == [True]
    i = t.index("NATO has traditionally")
    assert in_quotes([i], spans) == [False]


def test_quoted_share_and_voices() -> None:
    t = 'Officials said "the talks failed badly" on Monday.'
    q = quote_spans(t)
    s = sentences(t)[0]
    share = quoted_share(s.start, s.end, q)
    assert 0.3 < share < 0.6
    authorial, quoted = split_voices(t, s.start, s.end, q)
    assert quoted == '"the talks failed badly"'
    assert authorial == "Officials said on Monday."


def test_word_tokens() -> None:
    t = "NATO’s de-escalation, U.S. talks; don't stop"
    toks = word_tokens(t)
    assert [x.norm for x in toks] == ["nato's", "de-escalation", "u", "s", "talks", "don't", "stop"]
    for x in toks:
        assert t[x.start : x.end] == x.surface


def test_in_quotes_sweep() -> None:
    t = 'a "b c" d "e" f'
    spans = quote_spans(t)
    offs = [t.index(c) for c in "abcdef"]
    assert in_quotes(offs, spans) == [False, True, True, False, True, False]


def test_word_before_a_period_found_after_a_space_as_by_the_full_search(monkeypatch) -> None:
    """The word before a period is taken as the run after the last space when
    there is one; the result must be the 40-character regex search's."""
    import random

    from analytics import text as T

    pieces = ["\n.", "x" * 45, "(U.S", "'Mr", "e.g", "A", "i.e", "No", "\n", " ", "\t", ".",
              "!", "?", "…", "”", "’", '"', ")", "a", "Hello", "Mr", "U.S", "Jan", "the",
              "The", "5", "--", "\u00a0", "\n\n", " \n", "'"]
    rng = random.Random(7)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(20000)]
    fast = [[(s.start, s.end) for s in T.sentences(t)] for t in texts]

    class NoRun:
        def fullmatch(self, *args: object) -> None:
            return None

    monkeypatch.setattr(T, "_WORD_RUN_RE", NoRun())
    assert fast == [[(s.start, s.end) for s in T.sentences(t)] for t in texts]


def test_tokens_behave_as_a_list_of_token_tuples() -> None:
    from analytics.text import Token, token_ends, token_norms, token_starts, token_surfaces

    text = "NATO’s de-escalation, U.S. talks"
    toks = word_tokens(text)
    as_list = [Token(0, 6, "NATO’s", "nato's"), Token(7, 20, "de-escalation", "de-escalation"),
               Token(22, 23, "U", "u"), Token(24, 25, "S", "s"), Token(27, 32, "talks", "talks")]
    assert toks == as_list and as_list == toks and list(toks) == as_list
    assert len(toks) == 5 and toks[-1] == as_list[-1] and toks[1:3] == as_list[1:3]
    assert all(text[t.start : t.end] == t.surface for t in toks)
    for column, field in ((token_starts, 0), (token_ends, 1), (token_surfaces, 2),
                          (token_norms, 3)):
        assert column(toks) == column(as_list) == [t[field] for t in as_list]
    with pytest.raises(IndexError):
        toks[5]
