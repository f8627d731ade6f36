"""Re-matching an edited lexicon near the edit only, with the result of a
full re-match.

A lexicon edit (a term added, removed or given other forms) changes the
hits of a text only around the places where the edit can act: occurrences
of an added form, and the stored hits of a changed term.  :func:`rematch_text`
matches the edited lexicon again in a few windows of tokens around those
places and keeps every other stored hit, instead of re-splitting sentences,
finding quotes, tokenising and matching the whole text (what
:func:`analytics.pipeline.lexicon_hits` does).  Sentence numbers come from
the sentence starts stored at scoring time; quotes are found from the start
of the paragraph holding a new hit (:func:`analytics.text.quote_spans_near`).

Why the result equals matching the whole text
---------------------------------------------
:class:`analytics.features.lexicon.LexiconMatcher` chooses one family's hits
greedily: candidates sorted by start (longer first, then by rank), each
taken when it starts at or after the end of the last one taken (``busy``).
Let ``S`` be the stored hits (the hits of the old lexicon, with moved terms
relabelled and dropped terms left out: the choice the old candidates minus
the dropped ones make).  The edited lexicon's candidates differ from the old
ones by

* candidates of added or changed forms (and their possessives).  A one-word
  form's candidate is a token whose lower-cased text contains the form's
  word (without its ``*``): every occurrence of that word is a *dirty*
  place.  A multi-word form's candidate is tokens whose lower-cased texts are
  its words, with characters between them that are not word characters in
  the text and so neither in its lower case (no character's lower case is a
  word character when it is not one, checked over all of Unicode): every
  match of the words with non-word characters between them is dirty;
* candidates of forms that are gone.  One that was not chosen changes
  nothing when removed (it never moved ``busy``); one that was chosen is a
  stored hit of a changed term, also a dirty place.  A removed form "x's"
  that hid the possessive of a form "x" lets that possessive back, at the
  same tokens, with the same length and an exact form's rank: no other
  candidate sorts between the two, so it is chosen where "x's" was (a dirty
  place) and turned away wherever "x's" was;
* possessives hidden by an added "x's" form: at tokens holding "x's", dirty.

A window is a range of whole tokens ``[W, X)`` cut where no token can
continue (a character that is neither a word character nor a hyphen or
apostrophe), so its tokens are the text's tokens.  The edited matcher run
on the window alone is exact for every candidate that starts in ``[W, Y)``
when

1. no stored hit straddles ``W`` (then both the old and the new choice have
   ``busy <= W`` when they reach ``W``: a fresh start is the same state),
   and every dirty candidate starts at or after ``W`` (a candidate holding
   an occurrence starts at most ``longest form - 1`` tokens before it: the
   window keeps that many, unless ``W`` is the text's start);
2. ``Y`` is a token start after every dirty candidate start, straddled
   neither by a stored hit nor by a window hit, and at least
   ``longest form - 1`` tokens lie between ``Y`` and ``X`` (so every
   candidate starting before ``Y`` is wholly inside the window), unless the
   window reaches the text's end.

Between windows the old and the new candidates differ only by ones the old
choice turned away, and both choices hold the same ``busy`` there, so they
agree.  At ``Y`` both choices have ``busy <= Y`` again, so the new hits are
the stored hits outside the windows plus the window hits starting in
``[W, Y)``.  A window that fails a condition is widened (up to the whole
text, where both hold trivially); windows that would overlap are merged.

When every added form is one exact word and no stored hit of the text
belongs to a changed term, no window is needed: a new candidate is then one
token whose text is the form (or, where the matcher allows it, the form's
possessive), and a candidate that overlaps no stored hit is chosen and
changes nothing else (when the greedy choice reaches it, ``busy`` is at most
its start, since nothing taken before it overlaps it; after it, every hit
taken before still starts at or after its end, and everything turned away
before is still turned away, ``busy`` being only larger).  Such tokens are
added to the stored hits as they are; a text where one overlaps a stored
hit goes through the windows.

Sentence numbers are those of the stored sentence starts; whether a new hit
is quoted follows from the stored share of its sentence inside quotes when
that is 0 or 1, and otherwise from the quotes of its paragraph.

Occurrences are searched in the text lower-cased with straight
apostrophes, where a token's norm (:attr:`analytics.text.Token.norm`) is
its slice; a text whose lower-casing is not one character for one (a dotted
capital I) or depends on context (a capital sigma) is left to the full
re-match (``None``).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from analytics.features.lexicon import LexiconMatcher, Match
from analytics.lexicons import Lexicon
from analytics.text import _WORD_RE, in_quotes, paragraph_start, quote_spans_near, word_tokens

__all__ = ["LexiconEdit", "StoredHit", "StoredSentences", "added_hits", "added_matches",
           "hit_rows", "lexicon_edit", "longest_form", "rematch_text", "search_word"]

#: Characters of padding per token of the longest form in a first window.
_PAD_PER_TOKEN = 24
#: Widening factor for a window that fails a condition.
_GROW = 4


@dataclass(frozen=True)
class LexiconEdit:
    """What an edit changes in one family, as :func:`rematch_text` needs it
    (made by :func:`lexicon_edit`).

    ``removed``: ``(category, term)`` pairs whose stored hits may not stand.
    ``words``: lower-case words, one of which every new candidate's tokens
    contain (:func:`search_word` of each added or changed form): a text
    holding none of them needs no new look.
    ``singles`` and ``phrases``: where new candidates may be in the text
    lower-cased with straight apostrophes: at each occurrence of a single
    (the :func:`search_word` of a one-word form), and at each match of a
    phrase (a multi-word form's words with anything but word characters
    between them, as between two tokens).
    ``simple``: when every added form is one exact word, ``form ->
    (category, term, whether its possessive matches too)``; else None.
    """

    removed: frozenset[tuple[str, str]]
    words: tuple[str, ...]
    singles: tuple[str, ...] = ()
    phrases: tuple[re.Pattern[str], ...] = ()
    simple: Mapping[str, tuple[str, str, bool]] | None = None


def lexicon_edit(removed: Iterable[tuple[str, str]], added: Iterable[str],
                 forms: Mapping[str, tuple[str, str]]) -> LexiconEdit | None:
    """The :class:`LexiconEdit` for ``added`` (new or changed) forms and
    ``removed`` ``(category, term)`` pairs; ``forms`` maps each form of the
    edited family to its ``(category, term)`` (the first listing wins, as in
    :class:`~analytics.features.lexicon.LexiconMatcher`).  None when a form
    has no word to search for (a bare ``*``: it can match anywhere)."""
    added = sorted(set(added))
    words = sorted({search_word(f) for f in added})
    if "" in words:
        return None
    singles = sorted({search_word(f) for f in added if " " not in f})
    phrases = [re.compile(r"\W+".join(re.escape(w.rstrip("*")) for w in f.split(" ")))
               for f in added if " " in f]
    simple = None
    if all(" " not in f and not f.endswith("*") for f in added):
        # One exact word each: its possessive matches too unless that is a
        # form of its own (as LexiconMatcher files them).
        simple = {f: (*forms[f], not f.endswith("'s") and f + "'s" not in forms) for f in added}
    return LexiconEdit(frozenset(removed), tuple(words), tuple(singles), tuple(phrases), simple)


class StoredSentences(NamedTuple):
    """A text's stored sentences: ``starts[lo:hi]``, ``ends[lo:hi]`` and
    ``quoted[lo:hi]`` (share inside quotes), in order (the lists may hold
    other texts' sentences around; they are not copied per text)."""

    starts: Sequence[int]
    ends: Sequence[int]
    quoted: Sequence[float]
    lo: int
    hi: int


#: A stored hit of one family: ``(category, term, matched_text, start, end,
#: sentence_index, in_quote)``.
StoredHit = tuple[str, str, str, int, int, Any, Any]


def search_word(form: str) -> str:
    """The longest word of a form without its wildcard ``*``: the lower-cased
    text of one token of every match of the form contains it."""
    words = [w.rstrip("*") for w in form.split(" ")]
    return max(words, key=len) if words else ""


def longest_form(lexicons: Iterable[Lexicon]) -> int:
    """The most tokens a match of ``lexicons`` can span (at least 1)."""
    return max((len(f.split(" ")) for lx in lexicons for t in lx.terms for f in t.forms),
               default=1)


def _is_cut(ch: str) -> bool:
    """Whether no token can contain ``ch`` (see :data:`analytics.text._WORD_RE`)."""
    return not (ch.isalnum() or ch == "_" or ch in "-'’‘")


def _straddles(starts: Sequence[int], ends: Sequence[int], pos: int) -> bool:
    """Whether a hit of a sorted, non-overlapping list covers ``pos`` and
    starts before it."""
    j = bisect.bisect_left(starts, pos) - 1
    return j >= 0 and ends[j] > pos


@dataclass
class _Window:
    """Dirty places sharing a window, and the window once found."""

    lo: int  # first dirty character
    hi: int  # end of the last dirty range
    items: list[tuple[int, int, bool]]  # (start, end, is a stored hit) dirty ranges
    start: int = 0  # W (chars)
    stop: int = 0  # Y (chars)
    matches: tuple[Match, ...] = ()  # window hits starting in [W, Y), offsets in the text


def rematch_text(text: str, stored: Sequence[StoredHit], edit: LexiconEdit,
                 matcher: LexiconMatcher, max_len: int,
                 sentences: StoredSentences) -> list[StoredHit] | None:
    """The hits of ``matcher``'s family in ``text`` after ``edit``, equal to
    matching the whole text again, or None when this text needs that.

    ``stored`` are the text's hits of the family before the edit (moved
    terms relabelled, dropped ones left out), sorted by start;
    ``sentences`` its stored sentences; ``max_len`` is :func:`longest_form`
    of the edited lexicons.
    """
    dirty = [(h[3], h[4], True) for h in stored if (h[0], h[1]) in edit.removed]
    low = _lower(text) if edit.singles or edit.phrases else ""
    if low is None:
        return None
    for w in edit.singles:
        i = low.find(w)
        while i >= 0:
            dirty.append((i, i + len(w), False))
            i = low.find(w, i + 1)
    for phrase in edit.phrases:
        m = phrase.search(low)
        while m:
            dirty.append((m.start(), m.end(), False))
            m = phrase.search(low, m.start() + 1)
    if not dirty:
        return list(stored)
    dirty.sort()
    st_starts = [h[3] for h in stored]
    st_ends = [h[4] for h in stored]
    pad = _PAD_PER_TOKEN * max_len
    # Dirty places close together share a first window.
    pending: list[_Window] = []
    for a, b, rm in dirty:
        if pending and a <= pending[-1].hi + 2 * pad:
            last = pending[-1]
            last.hi = max(last.hi, b)
            last.items.append((a, b, rm))
        else:
            pending.append(_Window(a, b, [(a, b, rm)]))
    done: list[_Window] = []
    for win in pending:
        while True:
            if not _solve(text, win, matcher, max_len, pad, st_starts, st_ends):
                return None
            if done and win.start < done[-1].stop:
                prev = done.pop()  # overlapping windows: one window for both
                win = _Window(prev.lo, max(prev.hi, win.hi), prev.items + win.items)
                continue
            done.append(win)
            break
    out: list[StoredHit] = []
    k = 0
    for win in done:
        while k < len(stored) and stored[k][3] < win.start:
            out.append(stored[k])
            k += 1
        while k < len(stored) and stored[k][3] < win.stop:
            k += 1  # replaced by the window's hits
        out.extend(_rows(text, win.matches, sentences))
    out.extend(stored[k:])
    return out


_WORD_CHAR = re.compile(r"\w")
_JOINERS = "-'’‘"  # what may join two runs of word characters into one token


def _token_at(text: str, i: int) -> int:
    """The end of the token of ``text`` starting at ``i``, or -1 if none does.

    A token (``analytics.text._WORD_RE`` found left to right) starts at a
    word character not preceded by a word character nor by a joiner that
    follows one; from a start, the pattern's own match is the token.
    """
    if not _WORD_CHAR.match(text, i):
        return -1
    if i > 0 and (_WORD_CHAR.match(text, i - 1) or (
            text[i - 1] in _JOINERS and i > 1 and _WORD_CHAR.match(text, i - 2))):
        return -1
    m = _WORD_RE.match(text, i)
    return m.end() if m else -1


def added_hits(text: str, starts: Sequence[int], ends: Sequence[int],
               simple: Mapping[str, tuple[str, str, bool]],
               sentences: StoredSentences) -> list[StoredHit] | None:
    """The hits that one-word added forms (``LexiconEdit.simple``) add to a
    text none of whose stored hits belongs to a changed term, sorted by
    start; None when one of them overlaps a stored hit (``starts``/``ends``,
    sorted), or :func:`added_matches` says None.

    Exact (module docstring): each new candidate is one token, and one that
    overlaps no stored hit is chosen and changes no other choice.  (The
    store takes the same steps for a batch of texts at once.)
    """
    found = added_matches(text, simple)
    if found is None:
        return None
    for m in found:
        j = bisect.bisect_left(starts, m.end) - 1  # the last stored hit starting before its end
        if j >= 0 and ends[j] > m.start:
            return None
    return _rows(text, found, sentences)


def added_matches(text: str, simple: Mapping[str, tuple[str, str, bool]]
                  ) -> list[Match] | None:
    """The tokens of ``text`` that one-word added forms (``LexiconEdit.simple``)
    match, as matches sorted by start (hits as long as they overlap no
    stored hit: :func:`added_hits`); None when two forms match one token
    (the matcher ranks them) or the text's lower case is not one character
    for one."""
    low = _lower(text)
    if low is None:
        return None
    found: dict[int, Match] = {}
    for w, (category, term, possessive) in simple.items():
        i = low.find(w)
        while i >= 0:
            end = _token_at(text, i)
            if end > 0 and (end == i + len(w) or (
                    possessive and end == i + len(w) + 2 and low[i + len(w):end] == "'s")):
                if i in found:  # two forms for one token: the matcher ranks them
                    return None
                found[i] = Match("", category, term, 0, 1, i, end)
            i = low.find(w, i + 1)
    return [found[i] for i in sorted(found)]


def _lower(text: str) -> str | None:
    """``text`` lower-cased with straight apostrophes, where a token's norm is
    its slice; None where lower-casing is not one character for one (a dotted
    capital I) or depends on the neighbours (a capital sigma)."""
    if "İ" in text or "Σ" in text:
        return None
    low = text.lower()
    if len(low) != len(text):
        return None
    if "’" in low or "‘" in low:
        low = low.replace("’", "'").replace("‘", "'")
    return low


def _solve(text: str, win: _Window, matcher: LexiconMatcher, max_len: int, pad: int,
           st_starts: Sequence[int], st_ends: Sequence[int]) -> bool:
    """Find ``W``, ``Y`` and the window's hits for ``win`` (module docstring),
    widening the window until the conditions hold.  False if a stored hit
    does not start at a token start (the stored hits are not this text's)."""
    n_text = len(text)
    margin = max_len - 1
    while True:
        w0 = max(0, win.lo - pad)
        x0 = min(n_text, win.hi + pad)
        while w0 > 0 and not _is_cut(text[w0 - 1]):
            w0 -= 1
        while x0 < n_text and not _is_cut(text[x0]):
            x0 += 1
        pad *= _GROW
        at_start, at_end = w0 == 0, x0 == n_text
        tokens = word_tokens(text[w0:x0])
        n = len(tokens)
        starts = [t.start + w0 for t in tokens]
        ends = [t.end + w0 for t in tokens]
        last_dirty = -1  # index of the last token a dirty candidate may start at
        fits = at_start or not _straddles(st_starts, st_ends, w0)
        for a, b, is_hit in win.items if fits else ():
            if is_hit:
                j = bisect.bisect_left(starts, a)
                if j == n or starts[j] != a:
                    return False
                last_dirty = max(last_dirty, j)
                continue
            first = bisect.bisect_right(ends, a)  # tokens overlapping [a, b)
            last = bisect.bisect_left(starts, b) - 1
            if first > last:
                continue  # not inside a token: no candidate holds it
            if (first - margin < 0 and not at_start) or (last + margin >= n and not at_end):
                fits = False
                break
            last_dirty = max(last_dirty, last)
        if not fits:
            continue
        found = matcher.match(tokens)
        m_starts = [m.start + w0 for m in found]
        m_ends = [m.end + w0 for m in found]
        stop = -1
        for y in range(last_dirty + 1, n + 1):
            if y == n:
                if at_end:
                    stop = n_text
                break
            if y + margin > n and not at_end:
                break
            pos = starts[y]
            if not (_straddles(st_starts, st_ends, pos) or _straddles(m_starts, m_ends, pos)):
                stop = pos
                break
        if stop < 0:
            continue
        win.start, win.stop = w0, stop
        win.matches = tuple(
            m._replace(start=s, end=e)
            for m, s, e in zip(found, m_starts, m_ends, strict=True) if s < stop)
        return True


def _rows(text: str, matches: Sequence[Match], sentences: StoredSentences
          ) -> list[StoredHit]:
    """:func:`hit_rows` with each match's sentence found in the stored
    sentence starts (the last starting at or before it, else the first)."""
    if not matches:
        return []
    starts, ends, shares, lo, hi = sentences
    right = bisect.bisect_right
    index: list[int | None] = []
    share: list[float] = []
    for m in matches:
        if hi > lo:
            k = max(lo, right(starts, m.start, lo, hi) - 1)
            index.append(k - lo)
            share.append(shares[k] if starts[k] <= m.start < ends[k] else _UNKNOWN)
        else:
            index.append(None)
            share.append(_UNKNOWN)
    return hit_rows(text, matches, index, share)


#: The share of a sentence inside quotes when it says nothing of a match.
_UNKNOWN = float("nan")


def hit_rows(text: str, matches: Sequence[Match], index: Sequence[int | None],
             shares: Sequence[float]) -> list[StoredHit]:
    """Hit rows as the scorer writes them, from each match's sentence number
    (None: the text has no sentences) and the stored share of that sentence
    inside quotes (NaN when unknown or when the match is not inside the
    sentence): quoted when the share is 1, not when it is 0, else as the
    quotes of its paragraph say."""
    quoted: list[bool | None] = [
        True if s == 1.0 else False if s == 0.0 else None for s in shares]
    unknown = [m.start for m, q in zip(matches, quoted, strict=True) if q is None]
    if unknown:
        found = iter(_in_quotes_near(text, unknown))
        quoted = [next(found) if q is None else q for q in quoted]
    return [
        (m.category, m.term, text[m.start:m.end], m.start, m.end, k, q)
        for m, k, q in zip(matches, index, quoted, strict=True)
    ]


def _in_quotes_near(text: str, offsets: Sequence[int]) -> list[bool]:
    """Whether each of the sorted ``offsets`` is inside a quote of ``text``,
    from the quotes of the paragraphs holding them only: offsets with the
    same :func:`~analytics.text.paragraph_start` share one scan from there
    (exact, :func:`~analytics.text.quote_spans_near`)."""
    out: list[bool] = []
    for para, group in itertools.groupby(offsets, key=lambda pos: paragraph_start(text, pos)):
        near = list(group)
        out += in_quotes(near, quote_spans_near(text, para, near[-1] + 1))
    return out
