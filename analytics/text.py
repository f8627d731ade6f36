"""Text units with character offsets: word tokens, sentences and quote spans.

Every unit carries ``start``/``end`` offsets such that ``text[start:end]`` is
exactly the unit's text.  Sentence splitting is rule based (abbreviations,
initials, closing quotes, line breaks) rather than a statistical model: it is
fast, needs no downloaded data and keeps exact offsets.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, pairwise, repeat
from typing import NamedTuple, overload


class Token(NamedTuple):
    """A word token: ``text[start:end] == surface``; ``norm`` is its lookup key."""

    start: int
    end: int
    surface: str
    norm: str


# A word: letters/digits, with inner hyphens or apostrophes ("de-escalate",
# "Russia's", "don't").  Curly apostrophes are normalised in ``norm``.
_WORD_RE = re.compile(r"\w+(?:[-'’‘]\w+)*")


def normalise_word(word: str) -> str:
    """Lookup key for a word: lower case, straight apostrophes, no soft hyphen."""
    word = word.lower()
    if "’" in word or "‘" in word or "\u00ad" in word:
        word = word.replace("’", "'").replace("‘", "'").replace("\u00ad", "")
    return word


class Tokens(Sequence[Token]):
    """The word tokens of a text, kept as four lists (starts, ends, surfaces,
    norms) rather than as a thousand :class:`Token` tuples per article: the
    detectors read whole columns (:func:`token_starts`, :func:`token_norms`,
    ...), and a :class:`Token` is built only when one is asked for (indexing,
    slicing, iterating).  Equal to any sequence of the same tokens."""

    __slots__ = ("ends", "norms", "starts", "surfaces")

    def __init__(self, starts: list[int], ends: list[int], surfaces: list[str],
                 norms: list[str]) -> None:
        self.starts = starts
        self.ends = ends
        self.surfaces = surfaces
        self.norms = norms

    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, k: int) -> Token: ...
    @overload
    def __getitem__(self, k: slice) -> list[Token]: ...
    def __getitem__(self, k: int | slice) -> Token | list[Token]:
        if isinstance(k, slice):
            return list(map(tuple.__new__, repeat(Token), zip(
                self.starts[k], self.ends[k], self.surfaces[k], self.norms[k], strict=True)))
        return tuple.__new__(Token, (self.starts[k], self.ends[k], self.surfaces[k], self.norms[k]))

    def __iter__(self) -> Iterator[Token]:
        return map(tuple.__new__, repeat(Token),
                   zip(self.starts, self.ends, self.surfaces, self.norms, strict=True))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Tokens({list(self)!r})"


def token_starts(tokens: Sequence[Token]) -> list[int]:
    """``[t.start for t in tokens]``, as :class:`Tokens` keeps them."""
    return tokens.starts if isinstance(tokens, Tokens) else [t.start for t in tokens]


def token_ends(tokens: Sequence[Token]) -> list[int]:
    """``[t.end for t in tokens]``, as :class:`Tokens` keeps them."""
    return tokens.ends if isinstance(tokens, Tokens) else [t.end for t in tokens]


def token_surfaces(tokens: Sequence[Token]) -> list[str]:
    """``[t.surface for t in tokens]``, as :class:`Tokens` keeps them."""
    return tokens.surfaces if isinstance(tokens, Tokens) else [t.surface for t in tokens]


def token_norms(tokens: Sequence[Token]) -> list[str]:
    """``[t.norm for t in tokens]``, as :class:`Tokens` keeps them."""
    return tokens.norms if isinstance(tokens, Tokens) else [t.norm for t in tokens]


def word_tokens(text: str) -> Tokens:
    """Word tokens of ``text`` with exact offsets.

    >>> [t.norm for t in word_tokens("NATO’s de-escalation, U.S. talks")]
    ["nato's", 'de-escalation', 'u', 's', 'talks']
    """
    # One regex pass: ``split`` with a group alternates the text between
    # words and the words themselves, so running sums of the pieces' lengths
    # are the offsets.  Norms are ``normalise_word`` in bulk (tokens never
    # hold a soft hyphen or a NUL).
    pieces = _WORD_SPLIT_RE.split(text)
    surfaces = pieces[1::2]
    bounds = list(accumulate(map(len, pieces)))
    norms = list(map(str.lower, surfaces))
    if norms and ("’" in text or "‘" in text):
        norms = "\0".join(norms).replace("’", "'").replace("‘", "'").split("\0")
    return Tokens(bounds[0:-1:2], bounds[1::2], surfaces, norms)


_WORD_SPLIT_RE = re.compile(f"({_WORD_RE.pattern})")


# --- sentences --------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: ``text[start:end]``, stripped of surrounding whitespace."""

    index: int
    start: int
    end: int


# Words after which a period never ends a sentence (titles, "No. 5", "vs.").
_NEVER_FINAL = frozenset(
    """mr mrs ms dr prof gen lt col maj capt sgt cpl adm cmdr sen rep gov pres
    rev hon st fr jr sr messrs mt ft no nos vs v cf approx dept est fig vol
    pp art para sec ch e.g i.e""".split()
)
# Abbreviations that may end a sentence: they do when the next word is a
# typical sentence opener ("... by the U.S. The talks ...").
_MAYBE_FINAL = frozenset(
    """jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu
    thur thurs fri sat sun inc corp co ltd plc llc bros etc al gov't""".split()
)
_OPENERS = frozenset(
    """the a an he she it they we i you this that these those there but and
    however in on at for after before when while as if his her its their our
    my meanwhile yet so still also according some many most no one""".split()
)

# A candidate boundary: terminal punctuation, optional closing quotes or
# brackets, then whitespace.  Newlines are always boundaries (headlines,
# paragraphs).
_ALNUM_RE = re.compile(r"[^\W_]")  # a character for which str.isalnum() is true
_BOUNDARY_RE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n")
_LAST_WORD_RE = re.compile(r"([\w.']+)$")
_WORD_RUN_RE = re.compile(r"([\w.']+)")
_NEXT_WORD_RE = re.compile(r"\s*[\"'“‘(\[]*(\w+)")


def _is_boundary(text: str, end: int, mark: str) -> bool:
    """Whether terminal punctuation ``mark`` ending at ``end`` closes a sentence."""
    nxt = _NEXT_WORD_RE.match(text, end)
    next_word = nxt.group(1) if nxt else ""
    if next_word[:1].islower():
        return False  # "the U.S. delegation", "Ukraine… is hard", "“What?” he asked"
    if not mark.startswith(".") or "!" in mark or "?" in mark or "…" in mark:
        return True
    # The word before the mark: ``_LAST_WORD_RE.search`` over the 40
    # characters before it, which tries every start; when a space precedes
    # the word, the word is the run of characters after that space.
    lo, hi = max(0, end - 40), end - len(mark)
    space = text.rfind(" ", lo, hi)
    m = _WORD_RUN_RE.fullmatch(text, space + 1, hi) if space >= 0 else None
    if m is None:
        m = _LAST_WORD_RE.search(text, lo, hi)
    if not m:
        return True
    word = m.group(1).lower().rstrip(".")
    if word in _NEVER_FINAL:
        return False
    if len(word) == 1 and word.isalpha():
        # An initial ("Jens F. Stoltenberg") unless a new sentence clearly starts.
        return next_word.lower() in _OPENERS
    if "." in word or word in _MAYBE_FINAL:
        # "U.S.", "U.K.", "Jan." end a sentence only before a typical opener.
        if next_word[:1].isdigit():
            return False
        return next_word.lower() in _OPENERS
    return True


def sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with exact character offsets.

    Line breaks always end a sentence (headlines and paragraphs); periods
    after abbreviations ("Dr.", "Jan. 12"), initials and acronyms ("U.S.")
    do not, unless a typical sentence opener follows.

    >>> t = "Dr. Smith met U.S. officials on Jan. 12. They talked."
    >>> [t[s.start:s.end] for s in sentences(t)]
    ['Dr. Smith met U.S. officials on Jan. 12.', 'They talked.']
    """
    out: list[Sentence] = []
    pos = 0
    for m in _BOUNDARY_RE.finditer(text):
        end = m.end()
        mark = m.group()
        if mark == "\n":
            if end - pos == 1:
                pos = end  # only the line break since the last boundary: no sentence
                continue
        elif not _is_boundary(text, end, mark):
            continue
        _append(text, pos, end, out)
        pos = end
    _append(text, pos, len(text), out)
    return out


def _append(text: str, start: int, end: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and _ALNUM_RE.search(text, start, end):
        out.append(Sentence(len(out), start, end))
    elif end > start and out and out[-1].end >= start - 1:
        # Stray punctuation (a closing quote on its own): join the previous one.
        prev = out[-1]
        out[-1] = Sentence(prev.index, prev.start, end)


# --- quotes -----------------------------------------------------------------

class Quote(NamedTuple):
    """A quoted passage ``text[start:end]``, quotation marks included.

    ``closed`` is False when the closing mark was missing and the span was
    ended at the paragraph break.
    """

    start: int
    end: int
    closed: bool


# Quotation marks and paragraph breaks.  An opening single quote is one not
# preceded by a word character: written ``‘(?<!\w‘)`` (not ``(?<!\w)‘``) so
# that every branch starts with a character, which lets the regex engine skip
# ahead to the next candidate instead of trying each position (3x faster).
_QUOTE_MARK_RE = re.compile(r"[\"“”„«»]|\n\s*|‘(?<!\w‘)|’(?!\w)")
_PARA_START_RE = re.compile(r"\s*[\"“„«‘]")


def quote_spans(text: str) -> list[Quote]:
    """Quoted passages of ``text``: straight, curly and guillemet quotes.

    Handles quotes that run over a paragraph break (the next paragraph opens
    with a quotation mark and the previous one is left open, as in English
    typography), single-word scare quotes ("revisionist") and single curly
    quotes (‘illegal’) outside double quotes.  A quote left open at a
    paragraph end that the next paragraph does not continue is closed there.

    >>> t = 'He called it “illegal” and said: "We will see."'
    >>> [t[q.start:q.end] for q in quote_spans(t)]
    ['“illegal”', '"We will see."']
    """
    return _quote_scan(text, 0, None)


def paragraph_start(text: str, pos: int) -> int:
    """A position ``<= pos`` where :func:`quote_spans` has no quote open.

    The end of the last line break (with the whitespace around it) before
    ``pos`` after which the paragraph does not open with a quotation mark, or
    0.  Every quote span of ``text`` that starts before it also ends before it:
    the scan closes any open quote at such a paragraph break, since only a
    paragraph opening with a quotation mark continues one.
    """
    n = min(pos, len(text))
    while True:
        n = text.rfind("\n", 0, n)
        if n < 0:
            return 0
        while n > 0 and text[n - 1].isspace():
            n -= 1  # the whitespace run holding the break: one mark of the scan
        end = n
        while end < len(text) and text[end].isspace():
            end += 1
        if end >= len(text) or text[end] not in _PARA_OPENERS:
            return min(end, pos)


def quote_spans_near(text: str, start: int, stop: int) -> list[Quote]:
    """The quote spans of ``text`` (as :func:`quote_spans`) that start in
    ``[start, stop)``, and maybe some after.

    ``start`` must come from :func:`paragraph_start`.  The scan starts there
    with no quote open (exactly the state the scan of the whole text is in
    there) and stops at the first paragraph break at or after ``stop`` that
    leaves no quote open, so it reads a few paragraphs, not the text.
    Whether an offset in ``[start, stop)`` is quoted is therefore the same with
    these spans as with all of them.
    """
    return _quote_scan(text, start, stop)


_PARA_OPENERS = frozenset("\"“„«‘")  # what _PARA_START_RE looks for


def _quote_scan(text: str, pos: int, stop: int | None) -> list[Quote]:
    spans: list[Quote] = []
    open_at: int | None = None
    open_kind = ""  # "d" double, "s" single
    for m in _QUOTE_MARK_RE.finditer(text, pos):
        mark = m.group()
        i = m.start()
        if mark[0] == "\n" or mark[0].isspace():
            # A paragraph ends an open quote unless the next paragraph continues
            # it with an opening mark (single quotes never run over).
            if open_at is not None and (
                open_kind == "s" or not _PARA_START_RE.match(text, m.end())
            ):
                spans.append(Quote(open_at, _rstrip_pos(text, i), False))
                open_at = None
            if stop is not None and open_at is None and m.end() >= stop:
                return [q for q in spans if q.end > q.start + 1]
            continue
        if mark in "‘’":
            if open_at is None and mark == "‘":
                open_at, open_kind = i, "s"
            elif open_at is not None and open_kind == "s" and mark == "’":
                spans.append(Quote(open_at, i + 1, True))
                open_at = None
            continue
        role = _double_role(text, i, mark, open_at is not None and open_kind == "d")
        if open_at is not None and open_kind == "s":
            if role == "open":
                continue  # a double quote inside a single-quoted span
            spans.append(Quote(open_at, _rstrip_pos(text, i), False))
            open_at = None
        if role == "close" and open_at is not None:
            spans.append(Quote(open_at, i + 1, True))
            open_at = None
        elif role == "open":
            if open_at is not None:
                if _para_break_between(text, open_at, i):
                    continue  # a quote continued into a new paragraph
                spans.append(Quote(open_at, _rstrip_pos(text, i), False))
            open_at, open_kind = i, "d"
    if open_at is not None:
        spans.append(Quote(open_at, _rstrip_pos(text, len(text)), False))
    return [q for q in spans if q.end > q.start + 1]


def _double_role(text: str, i: int, mark: str, is_open: bool) -> str:
    if mark in "“„«":
        return "open"
    if mark in "”»":
        return "close"
    # A straight double quote: its role follows from its neighbours.
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if is_open:
        return "close"
    if before.isspace() or before in "([{—–-:/":
        return "open"
    if after.isspace() or after in ".,;:!?)]}":
        return "close"
    return "open"


def _para_break_between(text: str, a: int, b: int) -> bool:
    return "\n" in text[a:b]


def _rstrip_pos(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def quoted_share(start: int, end: int, quotes: list[Quote]) -> float:
    """Share of the characters of ``[start, end)`` inside quote spans."""
    if end <= start:
        return 0.0
    inside = 0
    # Quotes are sorted and do not overlap: start at the first one ending after ``start``.
    for j in range(bisect.bisect_right(quotes, start, key=lambda q: q.end), len(quotes)):
        q = quotes[j]
        if q.start >= end:
            break
        inside += min(end, q.end) - max(start, q.start)
    return inside / (end - start)


def split_voices(
    text: str, start: int, end: int, quotes: list[Quote]
) -> tuple[str, str]:
    """The authorial and the quoted text of ``[start, end)``, each joined by spaces."""
    authorial: list[str] = []
    quoted: list[str] = []
    pos = start
    for j in range(bisect.bisect_right(quotes, start, key=lambda q: q.end), len(quotes)):
        q = quotes[j]
        if q.start >= end:
            break
        a, b = max(start, q.start), min(end, q.end)
        if a > pos:
            authorial.append(text[pos:a])
        quoted.append(text[a:b])
        pos = b
    if pos < end:
        authorial.append(text[pos:end])
    return " ".join(s.strip() for s in authorial if s.strip()), " ".join(
        s.strip() for s in quoted if s.strip()
    )


def count_in_quotes(offsets: list[int], quotes: list[Quote]) -> int:
    """How many of the sorted ``offsets`` lie inside a quote span.

    ``sum(in_quotes(offsets, quotes))``; by bisection when the spans are
    sorted, non-empty and disjoint (as :func:`quote_spans` returns them).
    """
    if not quotes:
        return 0
    if all(q.start < q.end for q in quotes) and all(
        a.end <= b.start for a, b in pairwise(quotes)
    ):
        left = bisect.bisect_left
        return sum(left(offsets, q.end) - left(offsets, q.start) for q in quotes)
    return sum(in_quotes(offsets, quotes))


def in_quotes(offsets: list[int], quotes: list[Quote]) -> list[bool]:
    """For each of the sorted ``offsets``, whether it lies inside a quote span.

    One sweep over offsets and spans (both sorted), so it is linear.
    """
    out: list[bool] = []
    j = 0
    for off in offsets:
        while j < len(quotes) and quotes[j].end <= off:
            j += 1
        out.append(j < len(quotes) and quotes[j].start <= off)
    return out
