"""Lexicon matching on tokens: phrases, inflections, wildcards, offsets."""

from __future__ import annotations

import itertools
import pickle

import pytest

from analytics.features.lexicon import LexiconMatcher, Match
from analytics.lexicons import Lexicon, default_lexicons, lexicon_from_toml, load_lexicon
from analytics.text import word_tokens

TEST_LEXICON = """\
[lexicon]
name = "test_framing"
family = "framing"
version = "1"

[categories]
legality = "Law"
escalation = "Escalation"
threat = "Threat"
labels = "Labels"

[[terms]]
term = "illegal"
category = "legality"

[[terms]]
term = "annex"
category = "legality"
inflect = true
forms = ["annexation"]

[[terms]]
term = "international law"
category = "legality"

[[terms]]
term = "violation of international law"
category = "legality"

[[terms]]
term = "security guarantees"
category = "threat"
forms = ["security guarantee"]

[[terms]]
term = "security"
category = "threat"

[[terms]]
term = "de-escalate"
category = "escalation"
inflect = true

[[terms]]
term = "russophob*"
category = "labels"

[[terms]]
term = "military build*"
category = "escalation"

[[terms]]
term = "invasion"
category = "legality"

[[terms]]
term = "russia's"
category = "labels"
"""

TEST_HEDGES = """\
[lexicon]
name = "test_hedges"
family = "hedge"
version = "1"

[categories]
attribution = "Attribution"
modal = "Modal"

[[terms]]
term = "according to"
category = "attribution"

[[terms]]
term = "illegal"
category = "modal"
note = "Not a hedge: here only to test overlaps between families."

[[terms]]
term = "may"
category = "modal"
forms = ["may well"]
"""


@pytest.fixture(scope="module")
def framing() -> Lexicon:
    return lexicon_from_toml(TEST_LEXICON, source="test")


@pytest.fixture(scope="module")
def matcher(framing: Lexicon) -> LexiconMatcher:
    return LexiconMatcher([framing, lexicon_from_toml(TEST_HEDGES, source="test")])


def found(matcher: LexiconMatcher, text: str) -> list[tuple[str, str, str]]:
    """(family, term, matched text) for every match."""
    return [(m.family, m.term, text[m.start : m.end]) for m in matcher.match(word_tokens(text))]


def test_multi_word_terms(matcher: LexiconMatcher) -> None:
    text = "Russia wants security guarantees, according to officials."
    assert found(matcher, text) == [
        ("framing", "security guarantees", "security guarantees"),
        ("hedge", "according to", "according to"),
    ]


def test_inflections_match(matcher: LexiconMatcher) -> None:
    text = "Russia annexed Crimea; the annexation was illegal. It annexes; annexing; to annex."
    terms = [(t, s) for _, t, s in found(matcher, text) if t == "annex"]
    assert [s for _, s in terms] == ["annexed", "annexation", "annexes", "annexing", "annex"]


def test_hyphenated_inflections(matcher: LexiconMatcher) -> None:
    text = "They de-escalated, then De-escalating; 'de-escalates'."
    assert [s for _, _, s in found(matcher, text)] == [
        "de-escalated",
        "De-escalating",
        "de-escalates",
    ]


def test_wildcard_single_and_multi_word(matcher: LexiconMatcher) -> None:
    text = "Russophobia and russophobic talk; a military build-up, military buildups."
    assert found(matcher, text) == [
        ("framing", "russophob*", "Russophobia"),
        ("framing", "russophob*", "russophobic"),
        ("framing", "military build*", "military build-up"),
        ("framing", "military build*", "military buildups"),
    ]
    # the wildcard needs its prefix: no match on a shorter word or elsewhere in a word
    assert found(matcher, "russo-phobic antirussophobia military") == []


def test_longest_match_wins_within_family(matcher: LexiconMatcher) -> None:
    text = "a violation of international law and international law and security guarantee"
    assert found(matcher, text) == [
        ("framing", "violation of international law", "violation of international law"),
        ("framing", "international law", "international law"),
        ("framing", "security guarantees", "security guarantee"),
    ]


def test_matches_of_a_family_do_not_overlap(matcher: LexiconMatcher) -> None:
    tokens = word_tokens("security guarantees security international law international law")
    matches = matcher.match(tokens)
    by_family: dict[str, list[Match]] = {}
    for m in matches:
        by_family.setdefault(m.family, []).append(m)
    for ms in by_family.values():
        for a, b in itertools.pairwise(ms):
            assert a.token_end <= b.token_start
    assert [m.term for m in matches] == [
        "security guarantees",
        "security",
        "international law",
        "international law",
    ]


def test_families_may_overlap(matcher: LexiconMatcher) -> None:
    text = "It may well be illegal."
    assert found(matcher, text) == [
        ("hedge", "may", "may well"),
        ("framing", "illegal", "illegal"),
        ("hedge", "illegal", "illegal"),
    ]


def test_case_insensitive(matcher: LexiconMatcher) -> None:
    text = "ILLEGAL Illegal iLLegal ACCORDING TO"
    assert [s for f, _, s in found(matcher, text) if f == "framing"] == [
        "ILLEGAL",
        "Illegal",
        "iLLegal",
    ]
    assert ("hedge", "according to", "ACCORDING TO") in found(matcher, text)


def test_curly_apostrophes(matcher: LexiconMatcher) -> None:
    for text in ("Russia’s move", "Russia's move", "RUSSIA‘S move"):
        assert found(matcher, text) == [("framing", "russia's", text[:8])]


def test_possessive_of_a_term(matcher: LexiconMatcher) -> None:
    text = "the invasion's aftermath and the invasion’s cost"
    assert [(t, s) for _, t, s in found(matcher, text)] == [
        ("invasion", "invasion's"),
        ("invasion", "invasion’s"),
    ]


def test_offsets_slice_the_text_exactly(matcher: LexiconMatcher) -> None:
    text = "  «Security\nguarantees»,\taccording  to\u00a0reports, were ILLEGAL—annexed.  "
    tokens = word_tokens(text)
    matches = matcher.match(tokens)
    assert [text[m.start : m.end] for m in matches] == [
        "Security\nguarantees",
        "according  to",
        "ILLEGAL",
        "ILLEGAL",
        "annexed",
    ]
    for m in matches:
        assert m.start == tokens[m.token_start].start
        assert m.end == tokens[m.token_end - 1].end
        assert 0 <= m.token_start < m.token_end <= len(tokens)


def test_sorted_by_start_then_family(matcher: LexiconMatcher) -> None:
    matches = matcher.match(word_tokens("illegal may illegal according to illegal"))
    assert matches == sorted(matches, key=lambda m: (m.start, m.family))


def test_no_match_inside_a_longer_word(matcher: LexiconMatcher) -> None:
    assert found(matcher, "the illegality of illegals; unannexed; securityguarantees") == []
    assert found(matcher, "pre-illegal") == []  # hyphenated words are single tokens


def test_phrase_cut_short_at_end_of_text(matcher: LexiconMatcher) -> None:
    assert found(matcher, "security") == [("framing", "security", "security")]
    assert found(matcher, "violation of international") == []
    assert found(matcher, "military") == []
    assert found(matcher, "according") == []


def test_empty_input(matcher: LexiconMatcher) -> None:
    assert matcher.match([]) == []
    assert LexiconMatcher([]).match(word_tokens("illegal")) == []


def test_earlier_lexicon_of_a_family_wins_on_shared_forms(framing: Lexicon) -> None:
    other = lexicon_from_toml(
        TEST_LEXICON.replace('name = "test_framing"', 'name = "other"').replace(
            'term = "illegal"\ncategory = "legality"', 'term = "illegal"\ncategory = "labels"'
        )
    )
    text = "illegal"
    assert LexiconMatcher([framing, other]).match(word_tokens(text))[0].category == "legality"
    assert LexiconMatcher([other, framing]).match(word_tokens(text))[0].category == "labels"


def test_exact_form_beats_wildcard_of_same_length() -> None:
    lex = lexicon_from_toml(
        """[lexicon]\nname = "w"\nfamily = "framing"\nversion = "1"\n[categories]\na = "A"\n"""
        """b = "B"\n[[terms]]\nterm = "annex*"\ncategory = "a"\n[[terms]]\nterm = "annexation"\n"""
        """category = "b"\n"""
    )
    m = LexiconMatcher([lex])
    assert [(x.term, x.category) for x in m.match(word_tokens("annexation annexed annex"))] == [
        ("annexation", "b"),
        ("annex*", "a"),
        ("annex*", "a"),
    ]


def test_matcher_is_reusable_and_picklable(matcher: LexiconMatcher) -> None:
    text = "illegal annexation, according to reports"
    first = matcher.match(word_tokens(text))
    for _ in range(3):
        assert matcher.match(word_tokens(text)) == first
    clone = pickle.loads(pickle.dumps(matcher))
    assert clone.match(word_tokens(text)) == first
    assert "test_framing@" in repr(matcher)


# --- built-in lexicons on the seeds ---------------------------------------------


def test_seed_hits_include_key_framing_terms(seed_texts: dict[str, str]) -> None:
    matcher = LexiconMatcher(default_lexicons())
    hits: dict[str, set[str]] = {}
    for text in seed_texts.values():
        for m in matcher.match(word_tokens(text)):
            hits.setdefault(m.family, set()).add(text[m.start : m.end].lower())
    assert {
        "revisionist",
        "illegal",
        "aggression",
        "illegitimate",
        "annexation",
        "annexed",
        "invasion",
        "de-escalate",
        "build-up",
        "dialogue",
        "territorial integrity",
        "security guarantees",
    } <= hits["framing"]
    assert {"according to", "possible"} <= hits["hedge"]
    assert {"of course", "made clear"} <= hits["booster"]


def test_seed_hit_categories(seed_texts: dict[str, str]) -> None:
    matcher = LexiconMatcher([load_lexicon("framing_conflict")])
    text = next(t for name, t in seed_texts.items() if name.startswith("000_"))
    cats = {text[m.start : m.end].lower(): m.category for m in matcher.match(word_tokens(text))}
    assert cats["revisionist"] == "labels"
    assert cats["rogue"] == "labels"
    assert cats["illegal"] == "legality"
    assert cats["annexation"] == "legality"
    assert cats["aggression"] == "aggression"
    assert cats["deter"] == "threat"


def test_all_builtins_together(seed_texts: dict[str, str]) -> None:
    from analytics.lexicons import builtin_lexicons

    matcher = LexiconMatcher(list(builtin_lexicons().values()))
    assert matcher.families == ("booster", "framing", "hedge")
    for text in seed_texts.values():
        tokens = word_tokens(text)
        for m in matcher.match(tokens):
            assert (
                text[m.start : m.end]
                == text[tokens[m.token_start].start : tokens[m.token_end - 1].end]
            )


# --- agreement with a naive reference implementation ----------------------------


def naive_match(lexicons: list[Lexicon], tokens: list) -> list[tuple]:
    """Leftmost-longest per family, checking every form at every position."""
    norms = [t.norm for t in tokens]
    forms = []  # (family, words, rank, category, term)
    taken = set()
    singles = set()
    for li, lex in enumerate(lexicons):
        for t in lex.terms:
            for form in t.forms:
                if (lex.family, form) in taken:
                    continue
                taken.add((lex.family, form))
                words = form.split(" ")
                wild = words[-1].endswith("*")
                if len(words) == 1 and not wild:
                    singles.add((lex.family, form))
                forms.append(
                    (lex.family, words, (int(wild), -len(words[-1]) * wild, li), t.category, t.term)
                )

    def fits(words: list[str], i: int, family: str) -> bool:
        if i + len(words) > len(norms):
            return False
        for k, w in enumerate(words):
            tok = norms[i + k]
            if w.endswith("*") and k == len(words) - 1:
                if not tok.startswith(w[:-1]):
                    return False
            elif tok != w and not (
                len(words) == 1 and tok == w + "'s" and (family, tok) not in singles
            ):
                return False
        return True

    by_first: dict[tuple[str, str], list] = {}  # (family, first word) -> forms
    for f in forms:
        first = f[1][0]
        key = (f[0], "*" if first.endswith("*") else first)
        by_first.setdefault(key, []).append(f)
    out = []
    for family in sorted({lex.family for lex in lexicons}):
        i = 0
        while i < len(norms):
            word = norms[i]
            pool = [
                *by_first.get((family, word), []),
                *by_first.get((family, word.removesuffix("'s")), []),
                *by_first.get((family, "*"), []),
            ]
            cands = [(len(w), r, c, t) for f, w, r, c, t in pool if fits(w, i, f)]
            if cands:
                n, _, c, t = min(cands, key=lambda x: (-x[0], x[1]))
                out.append((tokens[i].start, family, c, t, i, i + n))
                i += n
            else:
                i += 1
    return sorted(out)


def test_agrees_with_naive_reference(seed_texts: dict[str, str], framing: Lexicon) -> None:
    from analytics.lexicons import builtin_lexicons

    lexicons = [*builtin_lexicons().values(), framing]
    matcher = LexiconMatcher(lexicons)
    texts = [*seed_texts.values(), "military buildup Russophobes' russia's invasion's illegal"]
    for text in texts:
        tokens = word_tokens(text)
        got = [
            (m.start, m.family, m.category, m.term, m.token_start, m.token_end)
            for m in matcher.match(tokens)
        ]
        assert got == naive_match(lexicons, tokens)
