"""Sentence-level hedge detection: is this sentence uncertain?

:class:`HedgeDetector` decides for each sentence whether it withholds full
commitment to its claim: a hedge ("may", "probably", "it is unclear"), a
weasel attribution ("some critics say", "it is believed", "reportedly") or a
vague generalisation ("many", "is widely considered").  It builds on the
hedge lexicon (``analytics/lexicons/hedges.toml``) rather than replacing it:

* **cues**: every hedge-lexicon term, matched by the rules of
  :class:`~analytics.features.lexicon.LexiconMatcher` (leftmost-longest, whole
  words; a test checks that both agree), plus a short list of
  weasel words the lexicon leaves out on purpose for counting ("often",
  "usually", "most", "considered", "critics");
* **disambiguation**: a cue in a context where it is not a hedge fires a
  different feature instead of the cue's own: "May" the month ("in May",
  "May 2022", "12 May") or a surname ("Theresa May"), "could" of past ability
  ("could swim as a child", "could not attend"), "might" the noun ("military
  might"), "suggest" as a proposal ("suggested holding talks", "suggested
  to");  cues inside quotation marks get a feature of their own ("likely"
  in a quoted forecast);
* **attribution patterns**: passives of saying and believing ("it is
  believed", "are thought to", "is considered", "it has been suggested"),
  unnamed groups as sources ("some critics", "many experts"), vague sources
  ("according to some"), superlatives of reputation ("the most important",
  "best known");
* **learned weights**: a logistic regression over those features, the words
  next to each cue and a lightly weighted bag of words, fitted on
  human-labelled sentences (``scripts/train_hedges.py``).  The weights and
  the decision threshold ship as JSON (``analytics/models/hedges.json``):
  no pickle, loaded in milliseconds.

The floor: in the Wikipedia labels the model learned from (CoNLL-2010,
where uncertainty is mostly weasel wording) modal "may", "could" and "likely"
mark an uncertain sentence only a quarter to two fifths of the time, so the
learned weights alone let "Russia may invade." pass as certain.
``hedged(..., floor=True)`` also counts every sentence with an epistemic cue
of :data:`FLOOR_FEATURES` (after disambiguation), at some cost in F1 on the
Wikipedia labels; ``docs/validity.md`` gives both figures.

Prediction is plain Python over dicts: one regex tokenisation, one lexicon
pass over word norms and a few dictionary lookups per sentence.  It is pure
(no I/O once loaded).

:func:`flat_list_baseline` is the reference it must beat: a sentence is
uncertain if it contains any term of the hedge lexicon.

Examples
--------
>>> det = default_detector()
>>> det.hedged(["The meeting is in May 2022.", "Some critics say the plan failed."])
[False, True]
>>> det.hedged(["Russia may invade.", "He could swim as a child."], floor=True)
[True, False]
>>> s = "It is believed that the ship sank."
>>> [s[a:b] for a, b, _ in det.cues(s)]
['It is believed that']
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from importlib import resources
from itertools import compress, count
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from analytics.features.lexicon import LexiconMatcher, _anchor
from analytics.lexicons import Lexicon, load_lexicon
from analytics.text import (
    Token,
    in_quotes,
    normalise_word,
    quote_spans,
    token_ends,
    token_norms,
    token_starts,
    token_surfaces,
    word_tokens,
)

__all__ = [
    "EXTRA_CUES",
    "FLOOR_FEATURES",
    "HedgeDetector",
    "default_detector",
    "flat_list_baseline",
    "is_held_aside",
    "sentence_features",
]

#: Format of the model file; bumped when the feature extraction changes.
FORMAT = "slantscope-hedges/1"

# --- cues outside the lexicon ------------------------------------------------

#: Weasel and generalisation words that the hedge lexicon leaves out on purpose
#: (they mostly report frequency or reputation in news), used here only as
#: candidate cues whose weight is learned from labelled sentences.
EXTRA_CUES: frozenset[str] = frozenset(
    """often usually sometimes typically frequently commonly occasionally
    rarely traditionally most majority considered regarded thought believed
    seen viewed deemed critics scholars historians experts observers analysts
    commentators sources people argue argued argues say says claim claims
    popular famous notable well-known finest greatest best important
    influential controversial criticized criticised certain few little less
    whether questioned controversy belief consensus common notably prominent
    renowned acclaimed widespread praised disputed debated unknown""".split()
)

#: Cues that make a sentence hedged by themselves when the detector's
#: ``floor`` is on: epistemic modals (after disambiguation), epistemic adverbs,
#: a few adjectives of (un)likelihood and hearsay attributions.  Chosen by what
#: they mean, not fitted: in the Wikipedia training labels modal "may" marks an
#: uncertain sentence only about a quarter of the time, so the learned weights
#: alone let "Russia may invade." pass as certain.
FLOOR_FEATURES: frozenset[str] = frozenset(
    ["k:modal", "k:epistemic_adverb"]
    + [
        "c:" + t
        for t in """likely unlikely unclear uncertain unconfirmed unsure doubtful
        reportedly allegedly purportedly supposedly reputedly""".split()
    ]
    + [
        "c:it is believed", "c:is believed to", "c:it is thought", "c:is thought to",
        "c:it is said", "c:is said to", "c:it is alleged", "c:it is claimed",
        "c:it has been suggested", "c:remain to be seen", "c:too early to say",
    ]
)

_GROUPS = (
    r"critics|scholars|historians|experts|people|observers|analysts|commentators|"
    r"researchers|scientists|sources|fans|writers|authors|reviewers|economists|"
    r"theorists|others|academics|sceptics|skeptics|opponents|supporters|"
    r"commentators|believers|proponents|authorities|linguists|musicologists"
)
_PASSIVE_VERBS = (
    r"considered|regarded|thought|believed|seen|viewed|deemed|said|claimed|reported|"
    r"rumou?red|alleged|argued|suggested|described|known|understood|estimated|"
    r"presumed|supposed|speculated|held|felt|accepted|recognized|recognised|"
    r"credited|acknowledged|perceived"
)
_PASSIVE_WORDS = frozenset(
    re.findall(r"[a-z]+", _PASSIVE_VERBS.replace("rumou?red", "rumoured rumored"))
)
_PATTERN_TRIGGERS: dict[str, frozenset[str]] = {
    "it_passive": _PASSIVE_WORDS,
    "passive_attribution": _PASSIVE_WORDS,
    "passive_considered": _PASSIVE_WORDS,
    "vague_group": frozenset(re.findall(r"[a-z]+", _GROUPS)),
    "group_says": frozenset(re.findall(r"[a-z]+", _GROUPS)),
    "according_vague": frozenset({"according"}),
    "superlative": frozenset({"most", "best", "greatest", "finest", "largest", "leading"}),
    "most_adjective": frozenset({"most"}),
    "best_known": frozenset(
        {"known", "best-known", "well-known", "widely-known", "little-known"}
    ),
    "one_of_the": frozenset({"one"}),
    "majority": frozenset({"majority"}),
    "there_is_evidence": frozenset({"evidence"}),
    "whether": frozenset({"whether"}),
}


def _word_start(*alternatives: str) -> str:
    r"""``\b(?:alternative|...)`` for alternatives that begin with lower-case
    letters, written so that a case-sensitive regex can skip ahead to them.

    A pattern that begins with ``\b`` (or is case-insensitive) has no literal
    first characters, so the regex engine tries it at every position of the
    sentence.  Here each alternative begins with its letters and tests for the
    word start after them: ``is(?<!\wis)`` matches where ``\bis`` does (the
    letters are word characters, so ``\b`` before them means no word character
    before), and the engine jumps between the places that begin with one of the
    first letters.  The order of the alternatives is kept, so a search finds the
    same match.
    """
    out = []
    for alternative in alternatives:
        lead = re.match("[a-z]+", alternative)
        if lead is None:
            raise ValueError(f"{alternative!r} does not begin with a letter")
        letters = lead.group()
        out.append(letters + r"(?<!\w" + letters + ")" + alternative[len(letters):])
    return "(?:" + "|".join(out) + ")"


_BE = ("is", "are", "was", "were", "be", "been", "being")
_FEW = ("some", "many", "several", "most", "few", "numerous", "various", "certain", "other",
        r"a\s+few", r"a\s+number\s+of")
_SUPERLATIVES = ("most", "best", "greatest", "finest", "largest", "leading")
# Attribution patterns: (name, beginning, the beginning for lower-cased text
# (see _LOWER_PATTERNS), rest).
_PATTERN_PARTS: tuple[tuple[str, str, str, str], ...] = (
    (
        "it_passive",
        r"\bit",
        _word_start("it"),
        r"\s+(?:is|was|has\s+been|had\s+been|may\s+be|might\s+be|could\s+be)\s+"
        r"(?:\w+ly\s+)?(?:" + _PASSIVE_VERBS + r")\b",
    ),
    (
        "passive_attribution",
        r"\b(?:is|are|was|were|be|been|being)",
        _word_start(*_BE),
        r"\s+(?:\w+ly\s+)?(?:" + _PASSIVE_VERBS
        + r")\s+(?:to|as|that|by\s+(?:some|many|most|others|several))\b",
    ),
    (
        "passive_considered",
        r"\b(?:is|are|was|were|be|been|being)",
        _word_start(*_BE),
        r"\s+(?:\w+ly\s+)?"
        r"(?:considered|regarded|thought|believed|deemed|seen|viewed)\b",
    ),
    (
        "vague_group",
        r"\b(?:some|many|several|most|few|numerous|various|certain|other|a\s+few|"
        r"a\s+number\s+of)",
        _word_start(*_FEW),
        r"\s+(?:[\w-]+\s+)?(?:" + _GROUPS + r")\b",
    ),
    (
        "group_says",
        r"\b(?:" + _GROUPS + r")",
        _word_start(*_GROUPS.split("|")),
        r"\s+(?:\w+ly\s+)?(?:say|says|said|claim|claimed|argue|"
        r"argued|believe|believed|suggest|suggested|contend|maintain|note|feel|"
        r"consider|think|thought|have\s+(?:said|argued|suggested|claimed|noted))\b",
    ),
    (
        "according_vague",
        r"\baccording",
        _word_start("according"),
        r"\s+to\s+(?:some|many|several|most|various|one|certain|sources|"
        r"reports|rumou?rs|critics|experts|legend|tradition)\b",
    ),
    (
        "superlative",
        r"\b(?:the\s+)?(?:most|best|greatest|finest|largest|leading)",
        # "the" first, as the greedy "(?:the\s+)?" tries it first
        _word_start(r"the\s+(?:" + "|".join(_SUPERLATIVES) + ")", *_SUPERLATIVES),
        r"\s+"
        r"(?:important|famous|notable|influential|popular|significant|prominent|"
        r"successful|known|respected|celebrated|acclaimed|renowned|powerful|"
        r"recognized|recognised|prestigious|iconic|beloved|widely)\b",
    ),
    (
        "most_adjective",
        r"(?:\bthe|'s|s'|\bits|\bhis|\bher|\btheir|\bour)",
        # "'s" and "s'" need no word start
        "(?:" + "|".join([_word_start("the"), "'s", "s'",
                          *map(_word_start, ["its", "his", "her", "their", "our"])]) + ")",
        r"\s+most\s+(?!of\b|and\b)[a-z-]+",
    ),
    (
        "best_known",
        r"\b(?:best|well|widely|little)",
        _word_start("best", "well", "widely", "little"),
        r"[- ]known\b",
    ),
    (
        "one_of_the",
        r"\bone",
        _word_start("one"),
        r"\s+of\s+the\s+(?:most|best|greatest|finest|largest|first)\b",
    ),
    (
        "majority",
        r"\b(?:the\s+)?(?:vast\s+)?majority",
        # the order in which the optional words are tried: with "the", then with "vast"
        _word_start(r"the\s+(?:vast\s+)?majority", r"vast\s+majority", "majority"),
        r"\s+of\b",
    ),
    (
        "there_is_evidence",
        r"\b(?:little|some|no\s+clear|mixed)",
        _word_start("little", "some", r"no\s+clear", "mixed"),
        r"\s+evidence\b",
    ),
    ("whether", r"\bwhether", _word_start("whether"), r"\b"),
)
# The patterns: (name, regex), matched case-insensitively.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(head + rest, re.IGNORECASE)) for name, head, _, rest in _PATTERN_PARTS
)

# The patterns for lower-cased text: case-sensitive, with their word starts
# moved (see _word_start): two to three times faster.  On ``sentence.lower()``
# they find exactly the matches (the same spans) of _PATTERNS in ``sentence``,
# unless the sentence holds one of _CASE_SPECIAL.  Why: the patterns are made
# of lower-case ASCII letters, "'", "-", " ", ``\w``, ``\s``, ``\b`` and classes
# of these, and every character but those three lower-cases to one character
# (final sigma too) that is a word character, a space or a given letter
# exactly when the original is one (the letter ignoring case).  The three: "İ"
# lower-cases to two characters, and ignoring case "ı" matches "i" and "ſ"
# matches "s", while their lower cases do not.  A test checks this over every
# character.
_LOWER_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(head + rest)) for name, _, head, rest in _PATTERN_PARTS
)
_CASE_SPECIAL = re.compile("[\u0130\u0131\u017f]")
# Cheaper necessary conditions for some of the lower-case patterns: (gate,
# the patterns it guards).  Every match of a guarded pattern contains a match
# of its gate, so where the gate finds nothing the patterns are not searched.
# The passive patterns contain one from their word "is", "was", "been" or "be"
# on; "group_says" has its verb after a space.  Both gates fail in most
# sentences that have a trigger word ("said" and "people" are common).
_GATE_REGEXES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (
        re.compile(_word_start(*_BE) + r"\s+(?:\w+ly\s+)?(?:" + _PASSIVE_VERBS + r")\b"),
        ("it_passive", "passive_attribution", "passive_considered"),
    ),
    (
        re.compile(
            r"\s(?:say|says|said|claim|claimed|argue|argued|believe|believed|suggest|"
            r"suggested|contend|maintain|note|feel|consider|think|thought|have)\b"
        ),
        ("group_says",),
    ),
)
# pattern -> its gate (numbers, not regexes, as keys: a regex hashes its whole program)
_GATES: dict[int, int] = {
    k: g
    for g, (_, guarded) in enumerate(_GATE_REGEXES)
    for k, (name, _) in enumerate(_PATTERNS)
    if name in guarded
}

# A pattern can only match if one of its trigger words occurs: word -> patterns.
_TRIGGERS: dict[str, tuple[int, ...]] = {
    word: tuple(k for k, (name, _) in enumerate(_PATTERNS) if word in _PATTERN_TRIGGERS[name])
    for word in sorted(set().union(*_PATTERN_TRIGGERS.values()))
}

# --- tokens and cue matching ------------------------------------------------------

# The word pattern of :func:`analytics.text.word_tokens`: the same tokens, as strings.
_WORD_RE = re.compile(r"\w+(?:[-'’‘]\w+)*")
_ODD_RE = re.compile("[’‘\u00ad]")


def _words(sentence: str) -> tuple[list[str], list[str]]:
    """Surfaces and norms of the words of ``sentence``, as ``word_tokens`` gives them."""
    surfaces = _WORD_RE.findall(sentence)
    if _ODD_RE.search(sentence):
        return surfaces, list(map(normalise_word, surfaces))
    return surfaces, list(map(str.lower, surfaces))



class _Surfaces(Sequence[str]):
    """The surfaces ``[lo, hi)`` of an article's token surfaces, read only where
    a rule needs them (without copying the run: most sentences never read one)."""

    __slots__ = ("hi", "lo", "surfaces")

    def __init__(self, surfaces: Sequence[str], lo: int, hi: int) -> None:
        self.surfaces = surfaces
        self.lo = lo
        self.hi = hi

    def __len__(self) -> int:
        return self.hi - self.lo

    def __getitem__(self, k: Any) -> Any:
        if not 0 <= k < self.hi - self.lo:
            raise IndexError(k)
        return self.surfaces[self.lo + k]


class _Hit(NamedTuple):
    """A lexicon cue: words ``[start, end)`` of the sentence."""

    start: int
    end: int
    term: str
    category: str


# A lexicon form: (offset of the anchor, words, length, term, category).
_Form = tuple[int, tuple[str, ...], int, str, str]


class _CueIndex:
    """The hedge lexicon compiled for matching on lists of word norms.

    Same results as :class:`~analytics.features.lexicon.LexiconMatcher` on one
    lexicon (leftmost-longest, non-overlapping, one-word forms also match
    their possessive) without building token objects.  Like the matcher, each
    form is filed under its least common word, so the scan stops at few words.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        # anchor word -> forms
        index: dict[str, list[_Form]] = {}
        single: set[str] = set()
        for term in lexicon.terms:
            for form in term.forms:
                if form.endswith("*"):
                    raise ValueError(f"{lexicon.name}: wildcard forms are not supported here")
                words = tuple(form.split(" "))
                k = _anchor(words)
                index.setdefault(words[k], []).append(
                    (k, words, len(words), term.term, term.category)
                )
                if len(words) == 1:
                    single.add(words[0])
        for word in [w for w in index if not w.endswith("'s")]:
            for _, _words, length, term_, category in list(index[word]):
                if length == 1 and word + "'s" not in single:
                    index.setdefault(word + "'s", []).append(
                        (0, (word + "'s",), 1, term_, category)
                    )
        self.index = {w: tuple(forms) for w, forms in index.items()}
        self.anchors = frozenset(self.index)
        #: the words that can give a sentence features besides its length:
        #: cue anchors, extra cues and pattern triggers
        self.special = self.anchors.union(EXTRA_CUES, _TRIGGERS)
        # The forms again, for matching: anchor -> (the one-word forms' (term,
        # category), the longer forms by the word before the anchor, those that
        # begin with the anchor by the word after it).  Most anchors of longer
        # forms are common words ("said" of "it is said"): looking up the
        # neighbour rejects nearly all of them without comparing word runs.
        self._by_anchor: dict[str, tuple[tuple[tuple[str, str], ...],
                                         dict[str, tuple[_Form, ...]],
                                         dict[str, tuple[_Form, ...]]]] = {}
        for anchor, entries in self.index.items():
            before: dict[str, list[_Form]] = {}
            after: dict[str, list[_Form]] = {}
            for entry in entries:
                offset, entry_words, length = entry[:3]
                if length > 1:
                    if offset:
                        before.setdefault(entry_words[offset - 1], []).append(entry)
                    else:
                        after.setdefault(entry_words[1], []).append(entry)
            self._by_anchor[anchor] = (
                tuple((e[3], e[4]) for e in entries if e[2] == 1),
                {w: tuple(f) for w, f in before.items()},
                {w: tuple(f) for w, f in after.items()},
            )

    def match(self, norms: Sequence[str]) -> list[_Hit]:
        by_anchor = self._by_anchor
        n = len(norms)
        found: list[tuple[int, int, int, str, str]] = []  # start, -length, end, term, cat
        for k in compress(count(), map(by_anchor.__contains__, norms)):
            singles, before, after = by_anchor[norms[k]]
            for term, category in singles:
                found.append((k, -1, k + 1, term, category))
            if before and k:
                for offset, words, length, term, category in before.get(norms[k - 1], ()):
                    start = k - offset
                    end = start + length
                    if start >= 0 and end <= n and tuple(norms[start:end]) == words:
                        found.append((start, -length, end, term, category))
            if after and k + 1 < n:
                for _, words, length, term, category in after.get(norms[k + 1], ()):
                    end = k + length
                    if end <= n and tuple(norms[k:end]) == words:
                        found.append((k, -length, end, term, category))
        if not found:
            return []
        found.sort()
        out: list[_Hit] = []
        busy = 0
        for start, _, end, term, category in found:
            if start >= busy:
                out.append(_Hit(start, end, term, category))
                busy = end
        return out


# --- disambiguation ------------------------------------------------------------

_MONTH_BEFORE = frozenset(
    """in on since early late mid of until till by from between to during through
    throughout last next this every each before after around""".split()
)
_MIGHT_NOUN_BEFORE = frozenset(
    """military economic naval industrial full all sheer his its their our
    russia's america's china's nato's""".split()
)
_PAST_TIME = re.compile(
    r"\b(?:as\s+an?\s+(?:child|boy|girl|youth|teenager|student|infant|adult)|"
    r"when\s+(?:he|she|they|i|we|it)\s+(?:was|were)|in\s+(?:his|her|their|its)\s+youth|"
    r"at\s+the\s+time|by\s+then|at\s+that\s+time|in\s+those\s+days|"
    r"by\s+the\s+age\s+of|at\s+the\s+age\s+of)\b",
    re.IGNORECASE,
)
_ABILITY_NEG = frozenset({"not", "n't", "never", "no", "only", "barely", "hardly"})
# A quotation mark, or two backticks or apostrophes (PTB quotes); written as
# alternatives that each begin with a literal, so the regex engine skips
# ahead to those characters (three times faster than a character class first).
_QUOTE_RE = re.compile("\"|“|”|„|«|»|``|''")


def _may_sense(surfaces: Sequence[str], norms: Sequence[str], k: int) -> str:
    """'month', 'name' or '' (the modal) for the word ``k``, "may" or "May"."""
    if surfaces[k] != "May":
        return ""
    if k + 1 < len(surfaces) and surfaces[k + 1][:1].isdigit():
        return "month"  # "May 2022", "May 12"
    if k > 0:
        prev = surfaces[k - 1]
        if norms[k - 1] in _MONTH_BEFORE or prev[:1].isdigit():
            return "month"  # "in May", "12 May"
        if prev[:1].isupper() and norms[k - 1] not in ("i", "we", "they", "it"):
            return "name"  # "Theresa May", "Brian May"
    return ""


def _could_sense(norms: Sequence[str], k: int, sentence: str) -> str:
    """'past' for "could" of past ability, else '' (the modal of possibility)."""
    nxt = norms[k + 1] if k + 1 < len(norms) else ""
    if nxt in ("have", "be", "well", "possibly", "potentially", "also", "eventually"):
        return ""  # "could have been", "could be"
    if nxt in _ABILITY_NEG or norms[k] == "couldn't":
        return "past"  # "could not attend", "could only watch"
    if _PAST_TIME.search(sentence):
        return "past"  # "could swim as a child"
    return ""


def _suggest_sense(norms: Sequence[str], end: int) -> str:
    """'propose' for "suggest" as a proposal ("suggested holding talks"), else ''."""
    nxt = norms[end] if end < len(norms) else ""
    if nxt == "to" or (nxt.endswith("ing") and len(nxt) > 5):
        return "propose"
    if nxt == "that":
        window = norms[end + 1 : end + 7]
        if "should" in window or "be" in window[:3]:
            return "propose"  # "suggested that talks should resume"
    return ""


def _might_sense(norms: Sequence[str], start: int, end: int) -> str:
    """'noun' for "might" the noun ("military might"), else ''."""
    prev = norms[start - 1] if start > 0 else ""
    nxt = norms[end] if end < len(norms) else ""
    if prev in _MIGHT_NOUN_BEFORE and nxt not in ("be", "have", "not", "well", "also"):
        return "noun"
    if nxt in ("of", "and"):
        return "noun"
    return ""


def _quoted_words(sentence: str, starts: Sequence[int] | None = None,
                  offset: int = 0) -> list[bool] | None:
    """For each word, whether it lies inside quotation marks; None if there are none.

    PTB-style quotes (``...'') are read as double quotes.  ``starts``, when
    given, are the words' starts plus ``offset`` (offsets in a longer text);
    otherwise the sentence is tokenised here.
    """
    if not _QUOTE_RE.search(sentence):
        return None
    norm = sentence.replace("``", ' "').replace("''", '" ')  # same length: offsets hold
    quotes = quote_spans(norm)
    if not quotes:
        return None
    if starts is None:
        return in_quotes([t.start for t in word_tokens(sentence)], quotes)
    return in_quotes([s - offset for s in starts] if offset else list(starts), quotes)


# --- features --------------------------------------------------------------------

_TIME_WORDS = frozenset(
    """seconds minutes hours days weeks months years decades centuries times
    occasions miles kilometres kilometers metres meters feet inches pounds
    percent""".split()
)
_PRONOUNS = frozenset("i we you he she it they this that these those there".split())
_GROUP_WORDS = frozenset(re.findall(r"[a-z]+", _GROUPS))


def _word_class(word: str) -> str:
    """A coarse class of a neighbouring word, shared across cues."""
    if word[:1].isdigit():
        return "NUM"
    if word in _TIME_WORDS:
        return "UNIT"
    if word in _GROUP_WORDS:
        return "GROUP"
    if word in _PRONOUNS:
        return "PRON"
    if word in ("of", "the", "a", "an", "to", "that", "be", "have"):
        return word
    if word.endswith("ly"):
        return "LY"
    if word.endswith("s") and len(word) > 3:
        return "PL"
    return "W"


# the values of _length_bucket
_BUCKETS = ("len:<10", "len:<20", "len:<30", "len:<45", "len:45+")


def _length_bucket(n: int) -> str:
    if n < 10:
        return "len:<10"
    if n < 20:
        return "len:<20"
    if n < 30:
        return "len:<30"
    return "len:<45" if n < 45 else "len:45+"


class _Analysis(NamedTuple):
    features: list[str]
    #: the distinct word norms, in order of first occurrence (a dict: ordered, unique)
    words: dict[str, None]
    #: (first word, end word, feature) of the cues read as hedges ("c:may", "x:often")
    cue_words: list[tuple[int, int, str]]
    #: (start, end, feature) character spans of attribution patterns ("p:vague_group")
    cue_chars: list[tuple[int, int, str]]


def _analyse(sentence: str, index: _CueIndex) -> _Analysis:
    """Everything the model reads from one sentence."""
    surfaces, norms = _words(sentence)
    return _analyse_words(sentence, surfaces, norms, index)


def _analyse_words(
    sentence: str, surfaces: Sequence[str], norms: Sequence[str], index: _CueIndex,
    starts: Sequence[int] | None = None, offset: int = 0,
    words: dict[str, None] | None = None,
) -> _Analysis:
    """:func:`_analyse` with the sentence's words already found (``_words(sentence)``);
    ``starts`` are their starts plus ``offset``, when known; ``words`` is
    ``dict.fromkeys(norms)``, when known."""
    n = len(norms)
    feats: list[str] = [_length_bucket(n)]
    cue_words: list[tuple[int, int, str]] = []
    if words is None:
        words = dict.fromkeys(norms)
    # the words that can add features, usually one or two: each kind of feature
    # below is looked for only where one of its words occurs
    present = index.special.intersection(words)
    hits = index.match(norms) if not present.isdisjoint(index.anchors) else []
    quoted = _quoted_words(sentence, starts, offset) if hits else None
    n_real = 0
    for start, end, term, category in hits:
        sense = ""
        if term == "may":
            sense = _may_sense(surfaces, norms, start)
        elif term == "could":
            sense = _could_sense(norms, start, sentence)
        elif term == "suggest":
            sense = _suggest_sense(norms, end)
        elif term == "might":
            sense = _might_sense(norms, start, end)
        if sense:
            feats.append(f"s:{term}:{sense}")  # not a hedge here: a feature of its own
            continue
        n_real += 1
        prev = norms[start - 1] if start > 0 else "<s>"
        nxt = norms[end] if end < n else "</s>"
        feats += (
            "c:" + term,
            "k:" + category,
            f"c:{term}<{prev}",
            f"c:{term}>{nxt}",
            f"k:{category}>{_word_class(nxt)}",
            f"k:{category}<{_word_class(prev)}",
        )
        if quoted is not None and quoted[start]:
            feats += ("q:" + term, "q:any")
        cue_words.append((start, end, "c:" + term))
    feats.append("n:0" if n_real == 0 else "n:1" if n_real == 1 else "n:2+")
    if not EXTRA_CUES.isdisjoint(present):
        for i in compress(count(), map(EXTRA_CUES.__contains__, norms)):
            word = norms[i]
            prev = norms[i - 1] if i else "<s>"
            nxt = norms[i + 1] if i + 1 < n else "</s>"
            feats += (
                "x:" + word,
                f"x:{word}<{prev}",
                f"x:{word}>{nxt}",
                f"x:{word}>{_word_class(nxt)}",
            )
            cue_words.append((i, i + 1, "x:" + word))
    cue_chars: list[tuple[int, int, str]] = []
    triggered = _TRIGGERS.keys() & present
    if triggered:
        # the faster patterns on the lower-cased sentence where they find the same
        if sentence.isascii() or not _CASE_SPECIAL.search(sentence):
            subject, patterns, gates = sentence.lower(), _LOWER_PATTERNS, _GATES
        else:
            subject, patterns, gates = sentence, _PATTERNS, {}
        passed: dict[int, bool] = {}
        if len(triggered) == 1:
            ks: Iterable[int] = _TRIGGERS[next(iter(triggered))]  # sorted already
        else:
            ks = sorted({k for w in triggered for k in _TRIGGERS[w]})
        for k in ks:
            gate = gates.get(k)
            if gate is not None:
                ok = passed.get(gate)
                if ok is None:
                    ok = passed[gate] = _GATE_REGEXES[gate][0].search(subject) is not None
                if not ok:
                    continue
            name, rx = patterns[k]
            pm = rx.search(subject)
            if pm:
                feats.append("p:" + name)
                cue_chars.append((pm.start(), pm.end(), "p:" + name))
    return _Analysis(feats, words, cue_words, cue_chars)


def sentence_features(sentence: str, lexicon: Lexicon | None = None) -> tuple[list[str], set[str]]:
    """The named features and the distinct lower-cased words of one sentence.

    Named features: ``c:<term>`` a hedge-lexicon cue, ``c:<term><<prev>`` /
    ``c:<term>><next>`` its neighbours, ``k:<category>`` (and the coarse class
    of its neighbours), ``q:<term>`` a cue inside quotation marks,
    ``s:<term>:<sense>`` a cue read in a non-hedge sense, ``x:<word>`` an
    extra weasel cue (:data:`EXTRA_CUES`) with its neighbours, ``p:<pattern>``
    an attribution pattern, ``n:<cues>`` and ``len:<bucket>``.
    """
    a = _analyse(sentence, _cue_index(lexicon or load_lexicon("hedges")))
    return a.features, set(a.words)


@functools.lru_cache(maxsize=8)
def _cue_index(lexicon: Lexicon) -> _CueIndex:
    return _CueIndex(lexicon)


# --- the detector ------------------------------------------------------------------


def _model_path() -> Path:
    return Path(str(resources.files("analytics").joinpath("models", "hedges.json")))


class HedgeDetector:
    """Sentence-level hedge detector: the hedge lexicon plus learned weights.

    Parameters
    ----------
    weights:
        Feature name -> weight for the named features of
        :func:`sentence_features`.
    word_weights:
        Lower-cased word -> weight (bag of words; each distinct word counts once).
    bias, threshold:
        Intercept of the logistic model; probability at or above which a
        sentence is called hedged.
    lexicon:
        The hedge lexicon the cue features were learned with.
    meta:
        Provenance: training data hash, seed, threshold, cross-validated F1,
        feature description.
    """

    def __init__(
        self,
        weights: dict[str, float],
        word_weights: dict[str, float],
        bias: float,
        threshold: float,
        *,
        lexicon: Lexicon | None = None,
        meta: dict[str, Any] | None = None,
        floor: bool = False,
        floor_threshold: float | None = None,
    ) -> None:
        self.floor = bool(floor)
        self.floor_threshold = float(threshold if floor_threshold is None else floor_threshold)
        self.weights = dict(weights)
        self.word_weights = dict(word_weights)
        self.bias = float(bias)
        self.threshold = float(threshold)
        self.lexicon = lexicon if lexicon is not None else load_lexicon("hedges")
        self._index = _cue_index(self.lexicon)
        self.meta: dict[str, Any] = dict(meta or {})
        self.meta.setdefault("threshold", self.threshold)

    def __repr__(self) -> str:
        return (
            f"HedgeDetector(features={len(self.weights)}, words={len(self.word_weights)}, "
            f"threshold={self.threshold:.3f}, lexicon={self.lexicon.name}@{self.lexicon.hash})"
        )

    # -- persistence --

    @classmethod
    def load(cls, path: str | Path | None = None) -> HedgeDetector:
        """Load a model file (JSON); the shipped model when ``path`` is None."""
        p = Path(path) if path is not None else _model_path()
        data = json.loads(p.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"{p}: not a hedge model of format {FORMAT!r}")
        meta = data.get("meta", {})
        lexicon = load_lexicon("hedges")
        want = meta.get("lexicon_hash")
        if want and want != lexicon.hash:
            meta = {**meta, "warning": f"trained with hedges@{want}, loaded {lexicon.hash}"}
        return cls(
            data["weights"],
            data["word_weights"],
            data["bias"],
            data["threshold"],
            lexicon=lexicon,
            meta=meta,
            floor=data.get("floor", False),
            floor_threshold=data.get("floor_threshold"),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready content of a model file (sorted, so files are reproducible)."""
        return {
            "format": FORMAT,
            "meta": self.meta,
            "bias": self.bias,
            "threshold": self.threshold,
            "floor": self.floor,
            "floor_threshold": self.floor_threshold,
            "weights": dict(sorted(self.weights.items())),
            "word_weights": dict(sorted(self.word_weights.items())),
        }

    def save(self, path: str | Path) -> None:
        """Write the model as JSON (UTF-8, one entry per line)."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=0)
        Path(path).write_text(text + "\n", encoding="utf-8")

    # -- prediction --

    def decision(self, sentence: str) -> float:
        """The logistic model's linear score of one sentence."""
        return self._z(_analyse(sentence, self._index))

    def _decide(self, sentence: str) -> tuple[float, bool]:
        a = _analyse(sentence, self._index)
        return self._z(a), not FLOOR_FEATURES.isdisjoint(a.features)

    def _z(self, a: _Analysis) -> float:
        z = sum(filter(None, map(self.weights.get, a.features)))
        return self.bias + z + sum(filter(None, map(self.word_weights.get, a.words)))

    def hedged_in(
        self,
        text: str,
        spans: Sequence[tuple[int, int]],
        tokens: Sequence[Token],
        *,
        floor: bool | None = None,
    ) -> list[bool]:
        """:meth:`hedged` of the sentences ``text[start:end]`` of ``spans``,
        reusing ``tokens`` (``word_tokens(text)``) instead of finding each
        sentence's words again.

        The same result as ``hedged([text[a:b] for a, b in spans])``: a word
        token of the article lying inside a sentence is exactly a word of that
        sentence on its own (the same regex; a match never starts inside a
        word character run it could extend), so the sentence's words are the
        article's tokens within its span.  A sentence that cuts through a
        token (never seen in practice: sentences end after punctuation or at
        whitespace) finds its words itself.
        """
        use_floor = self.floor if floor is None else floor
        if not spans:
            return []
        starts = token_starts(tokens)
        ends = token_ends(tokens)
        norms = token_norms(tokens)
        surfaces = token_surfaces(tokens)
        special = self._index.special
        index = self._index
        left = bisect.bisect_left
        bias = self.bias
        wget = self.weights.get
        word_get = self.word_weights.get
        # A sentence without any of the index's special words (about a third of
        # them) has the features [length bucket, "n:0"] and no others, so its
        # score is found here without analysing it: the same sums as :meth:`_z`
        # over the same values in the same order, so the same float.
        plain = {b: sum(filter(None, map(wget, [b, "n:0"]))) for b in _BUCKETS}
        zs: list[float] = []
        forced: list[bool] = []
        for a, b in spans:
            lo = left(starts, a)
            hi = left(starts, b, lo)
            if (lo > 0 and ends[lo - 1] > a) or (hi > lo and ends[hi - 1] > b):
                an = _analyse(text[a:b], index)  # a token crosses the sentence's edge
                zs.append(self._z(an))
            else:
                words = dict.fromkeys(norms[lo:hi])
                if special.isdisjoint(words):
                    zs.append(bias + plain[_length_bucket(hi - lo)]
                              + sum(filter(None, map(word_get, words))))
                    if use_floor:
                        forced.append(False)  # no cue, so none of FLOOR_FEATURES
                    continue
                an = _analyse_words(text[a:b], _Surfaces(surfaces, lo, hi), norms[lo:hi], index,
                                    starts[lo:hi], a, words)
                zs.append(self._z(an))
            if use_floor:
                forced.append(not FLOOR_FEATURES.isdisjoint(an.features))
        z = np.asarray(zs, dtype=np.float64)
        if not use_floor:
            return (_sigmoid(z) >= self.threshold).tolist()
        p = _sigmoid(z)
        return ((p >= self.floor_threshold) | np.asarray(forced, dtype=bool)).tolist()

    def proba(self, sentences: Sequence[str]) -> np.ndarray:
        """Probability that each sentence is hedged, in [0, 1] (the learned model)."""
        z = np.fromiter(map(self.decision, sentences), dtype=np.float64, count=len(sentences))
        return _sigmoid(z)

    def hedged(self, sentences: Sequence[str], *, floor: bool | None = None) -> list[bool]:
        """Whether each sentence is hedged.

        Without the floor: probability >= :attr:`threshold`.  With it (``floor=True``,
        or ``None`` and the model file's default): also every sentence with a
        :data:`FLOOR_FEATURES` cue, with the rest judged at :attr:`floor_threshold`
        (both thresholds chosen by cross-validation).
        """
        use_floor = self.floor if floor is None else floor
        if not use_floor:
            return (self.proba(sentences) >= self.threshold).tolist()
        if not sentences:
            return []
        z, forced = zip(*map(self._decide, sentences), strict=True)
        p = _sigmoid(np.asarray(z, dtype=np.float64))
        return ((p >= self.floor_threshold) | np.asarray(forced, dtype=bool)).tolist()

    def cues(self, sentence: str) -> list[tuple[int, int, str]]:
        """Character spans ``(start, end, cue)`` of the cues that raise the score.

        Only cues with a positive learned weight are returned (a lexicon term
        read in another sense, e.g. "May" the month, is not), sorted by
        position.  Overlapping cues are merged into one span whose label joins
        their names with "+" ("some critics say+vague_group").
        """
        a = _analyse(sentence, self._index)
        w = self.weights
        kept: list[tuple[int, int, str]] = []
        if a.cue_words:
            tokens = word_tokens(sentence)
            kept += [
                (tokens[i].start, tokens[j - 1].end, key[2:])
                for i, j, key in a.cue_words
                if w.get(key, 0.0) > 0
            ]
        kept += [(i, j, key[2:]) for i, j, key in a.cue_chars if w.get(key, 0.0) > 0]
        kept.sort()
        merged: list[tuple[int, int, str]] = []
        for start, end, label in kept:
            if merged and start < merged[-1][1]:
                first, last, names = merged[-1]
                if label not in names.split("+"):
                    names += "+" + label
                merged[-1] = (first, max(last, end), names)
            else:
                merged.append((start, end, label))
        return merged


def _sigmoid(z: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))


@functools.cache
def default_detector() -> HedgeDetector:
    """The shipped detector, loaded once per process."""
    return HedgeDetector.load()


@functools.cache
def _flat_matcher() -> LexiconMatcher:
    return LexiconMatcher([load_lexicon("hedges")])


def flat_list_baseline(
    sentences: Iterable[str], matcher: LexiconMatcher | None = None
) -> list[bool]:
    """The flat-list baseline: a sentence is hedged if any hedge-lexicon term occurs."""
    m = matcher or _flat_matcher()
    return [bool(m.match(word_tokens(s))) for s in sentences]


def is_held_aside(text: str) -> bool:
    """Whether a labelled sentence belongs to the held-aside 20%.

    ``sha256(text.strip())`` (UTF-8) ``mod 5 == 0``: deterministic, independent
    of file order, and the same for the same sentence in any file.  The
    shipped model never saw these sentences; the validity report scores them.
    """
    digest = hashlib.sha256(text.strip().encode("utf-8")).hexdigest()
    return int(digest, 16) % 5 == 0
