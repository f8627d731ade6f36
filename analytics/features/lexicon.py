"""Lexicon matching: hedges, boosters and framing terms in one pass over tokens.

:class:`LexiconMatcher` compiles any number of lexicons once into a dict
keyed by single token norms, then makes one pass over an article's tokens.
Matching is on whole tokens only, so "illegal" never matches inside
"illegality" unless that form is listed; it is case-insensitive and treats
curly and straight apostrophes alike because it compares
:attr:`analytics.text.Token.norm`.

Rules:

* within one family, the longest match starting at a position wins and the
  family's matches never overlap (a left-to-right, leftmost-longest choice);
  among equally long candidates an exact form beats a wildcard, a longer
  wildcard prefix beats a shorter one, and an earlier lexicon beats a later
  one of the same family;
* different families may overlap: a word can be a hedge and a framing term;
* a one-word form also matches its possessive ("invasion's", "invasion’s"),
  unless the possessive is itself a form of that family; the match covers
  the whole token;
* a trailing ``*`` on a form's last word matches any word starting with the
  prefix (the word itself included);
* the matcher sees tokens only, so a multi-word form also matches across
  punctuation between its words ("open door” policy").

How it is fast: every multi-word form is filed under its *anchor*, its
least common word ("is said to" under "said", "of course" under "course"),
so the pass over the tokens (done in C: ``map``/``compress`` over a dict)
stops only at words that can be part of a match, mostly content words,
rather than at every "the", "in" or "it".  At an anchor the neighbouring
tokens are compared with the form; candidates are then resolved per family,
leftmost-longest.  Wildcard prefixes are tested in a second pass, made only
when a lexicon has one-word wildcards, through a per-word cache; it roughly
halves the speed, which is why the built-in lexicons list forms instead.

Pure: no I/O; the only state that changes after construction is that cache,
which never changes a result.  Safe to share between threads and cheap to
send to worker processes (the cache is not sent).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, count
from typing import NamedTuple

from analytics.lexicons import Lexicon
from analytics.text import Token, token_ends, token_norms, token_starts

__all__ = ["LexiconMatcher", "Match"]


class Match(NamedTuple):
    """One lexicon hit.

    ``token_start``/``token_end`` index the token list (end exclusive);
    ``start``/``end`` are character offsets, so ``text[start:end]`` is the
    matched text.
    """

    family: str
    category: str
    term: str
    token_start: int
    token_end: int
    start: int
    end: int


class _Form(NamedTuple):
    """A compiled form, filed under one of its words (the anchor)."""

    offset: int  # index of the anchor word in ``words``
    words: tuple[str, ...]  # exact words (without the wildcard last word)
    prefix: str  # wildcard prefix of one more word at the end ("" if none)
    length: int  # in tokens, wildcard word included
    rank: tuple[int, int, int]  # among equally long: exact first, longer prefix, lexicon
    family: str
    category: str
    term: str


# Common words of English news, most frequent first (auxiliaries and
# pronouns ahead of "said", which anchors the passive attributions).  A form
# is filed under a word that is not here, or else under its least frequent
# word here.  Only speed depends on this list, never results.
# fmt: off
_COMMON: tuple[str, ...] = (
    "the", "to", "of", "and", "a", "in", "that", "for", "is", "on", "it", "was", "be",
    "are", "has", "have", "been", "had", "were", "he", "with", "as", "i", "we", "they",
    "you", "she", "his", "her", "its", "it's", "their", "our", "my", "this", "these",
    "those", "at", "by", "from", "an", "or", "but", "not", "no", "so", "if", "all", "said",
    "who", "will", "would", "more", "about", "there", "one", "new", "what", "up", "also",
    "when", "which", "than", "out", "after", "some", "other", "over", "can", "just", "do",
    "could", "time", "like", "into", "them", "now", "even", "how", "because", "last", "us",
    "him", "any", "first", "most", "two", "many", "only", "while", "before", "says", "may",
    "should", "year", "say", "much", "very", "made", "still", "being", "both", "down",
    "right", "then", "take", "through", "since", "such", "between", "well", "own",
    "another",
)
# fmt: on
_RARITY = {word: i for i, word in enumerate(_COMMON)}
#: Words remembered by the wildcard test before it starts afresh.
_CACHE_LIMIT = 200_000


class _PrefixTest(dict[str, bool]):
    """``word -> word.startswith(prefixes)``, remembered per distinct word.

    A dict subclass so that the per-token test in :meth:`LexiconMatcher.match`
    is a C-level dict lookup for every word seen before.
    """

    __slots__ = ("prefixes",)

    def __init__(self, prefixes: tuple[str, ...]) -> None:
        super().__init__()
        self.prefixes = prefixes

    def __missing__(self, word: str) -> bool:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        hit = self[word] = word.startswith(self.prefixes)
        return hit

    def __reduce__(self) -> tuple[type[_PrefixTest], tuple[tuple[str, ...]]]:
        return (_PrefixTest, (self.prefixes,))  # ship the prefixes, not the cache


def _anchor(words: Sequence[str]) -> int:
    """Index of the word to file a form under: the least common one."""

    def rarity(i: int) -> tuple[int, int]:
        word = words[i]
        rank = _RARITY.get(word)
        return (len(_RARITY), len(word)) if rank is None else (rank, 0)

    return max(range(len(words)), key=rarity)


class LexiconMatcher:
    """Find the terms of several lexicons in tokenised text.

    Parameters
    ----------
    lexicons:
        The lexicons to match, e.g. :func:`analytics.lexicons.default_lexicons`.
        Lexicons of the same family are merged; if two of them list the same
        form, the earlier one wins.

    Examples
    --------
    >>> from analytics.lexicons import load_lexicon
    >>> from analytics.text import word_tokens
    >>> text = "Russia annexed Crimea, allegedly."
    >>> m = LexiconMatcher([load_lexicon("framing_conflict"), load_lexicon("hedges")])
    >>> [(h.family, h.term, text[h.start:h.end]) for h in m.match(word_tokens(text))]
    [('framing', 'annex', 'annexed'), ('hedge', 'allegedly', 'allegedly')]
    """

    def __init__(self, lexicons: Sequence[Lexicon]) -> None:
        self.lexicons: tuple[Lexicon, ...] = tuple(lexicons)
        self.families: tuple[str, ...] = tuple(sorted({lex.family for lex in self.lexicons}))
        index: dict[str, list[_Form]] = {}
        wild: list[_Form] = []  # one-word wildcards: no exact word to file under
        taken: set[tuple[str, str]] = set()
        single: set[tuple[str, str]] = set()  # (family, word) of one-word exact forms
        for lex_index, lex in enumerate(self.lexicons):
            for term in lex.terms:
                for form in term.forms:
                    if (lex.family, form) in taken:
                        continue  # the earlier lexicon of the family wins
                    taken.add((lex.family, form))
                    words = form.split(" ")
                    prefix = words.pop()[:-1] if form.endswith("*") else ""
                    compiled = _Form(
                        offset=_anchor(words) if words else 0,
                        words=tuple(words),
                        prefix=prefix,
                        length=len(words) + (1 if prefix else 0),
                        rank=(1 if prefix else 0, -len(prefix), lex_index),
                        family=lex.family,
                        category=term.category,
                        term=term.term,
                    )
                    if not words:
                        wild.append(compiled)
                        continue
                    index.setdefault(words[compiled.offset], []).append(compiled)
                    if len(words) == 1 and not prefix:
                        single.add((lex.family, words[0]))
        # Possessives of one-word forms: "invasion's" -> "invasion".
        for word, forms in [(w, list(fs)) for w, fs in index.items() if not w.endswith("'s")]:
            for f in forms:
                if len(f.words) == 1 and not f.prefix and (f.family, word + "'s") not in single:
                    index.setdefault(word + "'s", []).append(f)
        self._index = {word: tuple(forms) for word, forms in index.items()}
        wild.sort(key=lambda f: f.rank)
        self._wild = tuple(wild)
        self._wild_test = _PrefixTest(tuple(sorted({f.prefix for f in wild})))

    def __repr__(self) -> str:
        names = ", ".join(f"{lex.name}@{lex.hash}" for lex in self.lexicons)
        return f"LexiconMatcher([{names}])"

    def match(self, tokens: Sequence[Token]) -> list[Match]:
        """All matches in ``tokens``, sorted by ``(start, family)``."""
        index = self._index
        n_tokens = len(tokens)
        # (start, family, -length, rank, end, form) for every form found
        found: list[tuple[int, str, int, tuple[int, int, int], int, _Form]] = []
        norms = token_norms(tokens)
        for k in compress(count(), map(index.__contains__, norms)):
            for f in index[norms[k]]:
                if f.length == 1:
                    found.append((k, f.family, -1, f.rank, k + 1, f))
                    continue
                start = k - f.offset
                end = start + f.length
                if start < 0 or end > n_tokens:
                    continue
                j = start
                for word in f.words:
                    if j != k and norms[j] != word:
                        break
                    j += 1
                else:
                    if not f.prefix or norms[j].startswith(f.prefix):
                        found.append((start, f.family, -f.length, f.rank, end, f))
        if self._wild:
            test = self._wild_test.__getitem__
            for k in compress(count(), map(test, norms)):
                word = norms[k]
                for f in self._wild:
                    if word.startswith(f.prefix):
                        found.append((k, f.family, -1, f.rank, k + 1, f))
        if not found:
            return []
        starts = token_starts(tokens)
        ends = token_ends(tokens)
        found.sort(key=lambda c: c[:4])
        busy: dict[str, int] = {}  # family -> first token index it may match again
        out: list[Match] = []
        for start, family, _, _, end, f in found:
            if busy.get(family, 0) <= start:
                busy[family] = end
                out.append(
                    Match(
                        family,
                        f.category,
                        f.term,
                        start,
                        end,
                        starts[start],
                        ends[end - 1],
                    )
                )
        return out
