"""Sentiment: VADER per sentence, aggregated per article and per voice.

Whole-article VADER saturates near +-1 on news-length text, so each sentence
is scored on its own (vaderSentiment's README advises splitting long texts)
and the article gets the mean, minimum, maximum and the shares of positive
(compound >= 0.05) and negative (<= -0.05) sentences, the thresholds the
VADER authors recommend.

Voices: a sentence's quoted passages and its remaining (authorial) text are
scored separately when a sentence mixes both, so a minister's "illegal"
inside quotation marks never counts as the outlet's own voice.
"""

from __future__ import annotations

import math
import re
import statistics
import string
from functools import lru_cache
from itertools import compress
from typing import Any, NamedTuple

from analytics.text import _ALNUM_RE, Quote, Sentence, quoted_share, split_voices

POSITIVE = 0.05
NEGATIVE = -0.05


class SentenceSentiment(NamedTuple):
    compound: float
    authorial: float | None  # compound of the authorial part, None if none
    quoted: float | None  # compound of the quoted part, None if none
    quoted_share: float


@lru_cache(maxsize=1)
def analyzer() -> Any:
    """One VADER analyzer per process (loading its lexicon costs ~0.1 s).

    A ``vaderSentiment.SentimentIntensityAnalyzer`` whose ``polarity_scores``
    gives the library's result, bit for bit, several times faster (see
    :class:`_Vader`).
    """
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    class FastSentimentIntensityAnalyzer(SentimentIntensityAnalyzer):
        def polarity_scores(self, text: Any) -> dict[str, float]:
            if isinstance(text, str):
                return _vader().polarity_scores(text)
            return super().polarity_scores(text)

    return FastSentimentIntensityAnalyzer()


#: VADER's cost grows with the square of a sentence's length (its negation and
#: idiom checks re-read the whole sentence for every word), so run-on text with
#: no punctuation is scored in chunks of this many words and averaged.
MAX_VADER_WORDS = 200


def compound(text: str) -> float:
    """VADER's compound score of ``text`` (-1 .. 1).

    Exactly ``polarity_scores(text)["compound"]`` for any real sentence; a
    "sentence" of more than :data:`MAX_VADER_WORDS` words (text without
    sentence punctuation) gets the mean over its 200-word chunks instead.
    """
    return _compound(_vader(), text, plain=False)


def _compound(vader: _Vader, text: str, *, plain: bool) -> float:
    # ``plain``: the caller knows ``text`` holds no emoji.
    words = text.split()
    if len(words) <= MAX_VADER_WORDS:
        return vader.compound(text, words, plain=plain)
    chunks = [" ".join(words[i : i + MAX_VADER_WORDS])
              for i in range(0, len(words), MAX_VADER_WORDS)]
    return statistics.fmean(vader.compound(c, c.split(), plain=plain) for c in chunks)


class _Vader:
    """``SentimentIntensityAnalyzer.polarity_scores`` of vaderSentiment 3.3.2, faster.

    The same rules, constants, lexicon and floating-point operations in the
    same order as the library (so every result is bit-identical;
    ``benchmarks/bench_scoring.py --check-vader`` compares the two on every
    text scoring gives VADER for a corpus), with the work VADER
    repeats per word done once per sentence: it lower-cases the whole
    sentence again for every lexicon word and modifier it looks at, and
    rebuilds its emoji-free copy of the text one character at a time.  Here
    the sentence is lower-cased once, punctuation stripping is remembered
    per distinct token, and only the lexicon words (a few per sentence) go
    through the Python-level rules.  Text containing an emoji goes to
    vaderSentiment itself.
    """

    def __init__(self, sia: Any) -> None:
        from vaderSentiment import vaderSentiment as vs

        self.sia = sia
        self.lexicon: dict[str, float] = sia.lexicon
        self.emoji_chars = frozenset(k for k in sia.emojis if len(k) == 1)
        # Text whose characters all lie below the third emoji character (and
        # are not one of the first two, "©" and "®") has no emoji; one regex
        # scan says so much faster than a set lookup per character.
        codes = sorted(map(ord, self.emoji_chars))
        below: list[str] = []
        start = 0
        for code in [*codes[:2], codes[2]] if len(codes) > 2 else []:
            if code > start:
                below.append(f"{re.escape(chr(start))}-{re.escape(chr(code - 1))}")
            start = code + 1
        self._maybe_emoji = re.compile(f"[^{''.join(below)}]" if below else r"[\s\S]")
        self.booster: dict[str, float] = vs.BOOSTER_DICT
        self.negate = frozenset(vs.NEGATE)
        self.special: dict[str, float] = vs.SPECIAL_CASES
        self.c_incr: float = vs.C_INCR
        self.n_scalar: float = vs.N_SCALAR
        self.lowered = _Lowered()
        # Every word of VADER's idioms and multi-word boosters: an n-gram of
        # tokens (which hold no space) equals one of those keys only if each
        # of its words is one of these.
        self.idiom_words = frozenset(
            w for k in [*self.special, *self.booster] if " " in k for w in k.split(" "))

    def has_emoji(self, text: str) -> bool:
        """Whether ``text`` has a character VADER replaces by its description."""
        return (self._maybe_emoji.search(text) is not None
                and not self.emoji_chars.isdisjoint(text))

    def compound(self, text: str, tokens: list[str], *, plain: bool = False) -> float:
        """Compound of ``text``; ``tokens`` is ``text.split()``.

        ``plain=True`` says that ``text`` has no emoji (checked by the caller
        once for a whole article).
        """
        if not plain and self.has_emoji(text):
            return float(self.library_scores(text)["compound"])
        sentiments = self._sentiments(tokens)
        if not sentiments:
            return 0.0
        sum_s = _emphasised(float(sum(sentiments)), _punctuation_emphasis(text))
        return float(round(_normalize(sum_s), 4))

    def polarity_scores(self, text: str) -> dict[str, float]:
        """``SentimentIntensityAnalyzer.polarity_scores(text)``, all four values."""
        if self.has_emoji(text):
            return dict(self.library_scores(text))
        sentiments = self._sentiments(text.split())
        if sentiments:
            # SentimentIntensityAnalyzer.score_valence
            punct = _punctuation_emphasis(text)
            compound = _normalize(_emphasised(float(sum(sentiments)), punct))
            pos_sum = 0.0
            neg_sum = 0.0
            neu_count = 0
            for score in sentiments:
                if score > 0:
                    pos_sum += float(score) + 1
                if score < 0:
                    neg_sum += float(score) - 1
                if score == 0:
                    neu_count += 1
            if pos_sum > math.fabs(neg_sum):
                pos_sum += punct
            elif pos_sum < math.fabs(neg_sum):
                neg_sum -= punct
            total = pos_sum + math.fabs(neg_sum) + neu_count
            pos = math.fabs(pos_sum / total)
            neg = math.fabs(neg_sum / total)
            neu = math.fabs(neu_count / total)
        else:
            compound = pos = neg = neu = 0.0
        return {"neg": round(neg, 3), "neu": round(neu, 3), "pos": round(pos, 3),
                "compound": round(compound, 4)}

    def library_scores(self, text: str) -> dict[str, float]:
        """vaderSentiment's own ``polarity_scores`` (used for text with emoji)."""
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        return SentimentIntensityAnalyzer.polarity_scores(self.sia, text)

    def _sentiments(self, tokens: list[str]) -> list[float]:
        """VADER's per-word valences (after its "but" rule) for emoji-free text.

        Without emoji, VADER's text is ``text.strip()``: the same tokens and
        the same "!" and "?" counts.  VADER's words are the tokens with
        surrounding punctuation stripped; only their lower-cased forms are
        needed (remembered per distinct token), because its upper-case tests
        give the same answer on the token itself: stripping removes only
        ASCII punctuation, which has no case.
        """
        lows = list(map(self.lowered.__getitem__, tokens))
        n = len(lows)
        if not n:
            return []
        lexicon = self.lexicon
        sentiments: list[float] = [0] * n
        candidates = list(compress(range(n), map(lexicon.__contains__, lows)))
        if candidates:
            allcaps = sum(map(str.isupper, tokens))
            is_cap_diff = 0 < n - allcaps < n
            booster = self.booster
            for i in candidates:
                low = lows[i]
                if low in booster:
                    continue
                if low == "kind" and i < n - 1 and lows[i + 1] == "of":
                    continue
                sentiments[i] = self._valence(i, tokens, lows, is_cap_diff)
        if "but" in lows:
            _but_check(lows.index("but"), sentiments)
        return sentiments

    def _valence(self, i: int, tokens: list[str], lows: list[str], is_cap_diff: bool) -> float:
        # SentimentIntensityAnalyzer.sentiment_valence for a lexicon word
        # (its upper-case tests read the tokens: see _sentiments).
        lexicon = self.lexicon
        n_scalar = self.n_scalar
        c_incr = self.c_incr
        low = lows[i]
        valence = lexicon[low]
        if low == "no" and i != len(tokens) - 1 and lows[i + 1] in lexicon:
            valence = 0.0
        if (i > 0 and lows[i - 1] == "no") or (i > 1 and lows[i - 2] == "no") or (
            i > 2 and lows[i - 3] == "no" and lows[i - 1] in ("or", "nor")
        ):
            valence = lexicon[low] * n_scalar
        if is_cap_diff and tokens[i].isupper():
            if valence > 0:
                valence += c_incr
            else:
                valence -= c_incr
        for start_i in range(0, 3):
            if i > start_i and lows[i - (start_i + 1)] not in lexicon:
                # scalar_inc_dec
                j = i - (start_i + 1)
                s = 0.0
                word_lower = lows[j]
                if word_lower in self.booster:
                    s = self.booster[word_lower]
                    if valence < 0:
                        s *= -1
                    if tokens[j].isupper() and is_cap_diff:
                        if valence > 0:
                            s += c_incr
                        else:
                            s -= c_incr
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = self._negation_check(valence, lows, start_i, i)
                # Every n-gram the idiom check builds holds one of the words
                # i-3 .. i (i > 2 here): without an idiom word among them it
                # changes nothing.
                if start_i == 2 and not self.idiom_words.isdisjoint(lows[i - 3 : i + 1]):
                    valence = self._special_idioms_check(valence, lows, i)
        # _least_check
        if i > 1 and lows[i - 1] not in lexicon and lows[i - 1] == "least":
            if lows[i - 2] != "at" and lows[i - 2] != "very":
                valence = valence * n_scalar
        elif i > 0 and lows[i - 1] not in lexicon and lows[i - 1] == "least":
            valence = valence * n_scalar
        return valence

    def _negated(self, word: str) -> bool:
        # vaderSentiment.negated([word]) for a lower-cased word.
        return word in self.negate or "n't" in word

    def _negation_check(self, valence: float, lows: list[str], start_i: int, i: int) -> float:
        n_scalar = self.n_scalar
        if start_i == 0 and self._negated(lows[i - 1]):
            valence = valence * n_scalar
        if start_i == 1:
            if lows[i - 2] == "never" and (lows[i - 1] == "so" or lows[i - 1] == "this"):
                valence = valence * 1.25
            elif lows[i - 2] == "without" and lows[i - 1] == "doubt":
                pass
            elif self._negated(lows[i - 2]):
                valence = valence * n_scalar
        if start_i == 2:
            if (lows[i - 3] == "never" and (lows[i - 2] == "so" or lows[i - 2] == "this")) or (
                lows[i - 1] == "so" or lows[i - 1] == "this"
            ):
                valence = valence * 1.25
            elif lows[i - 3] == "without" and (lows[i - 2] == "doubt" or lows[i - 1] == "doubt"):
                pass
            elif self._negated(lows[i - 3]):
                valence = valence * n_scalar
        return valence

    def _special_idioms_check(self, valence: float, lows: list[str], i: int) -> float:
        special = self.special
        onezero = f"{lows[i - 1]} {lows[i]}"
        twoonezero = f"{lows[i - 2]} {lows[i - 1]} {lows[i]}"
        twoone = f"{lows[i - 2]} {lows[i - 1]}"
        threetwoone = f"{lows[i - 3]} {lows[i - 2]} {lows[i - 1]}"
        threetwo = f"{lows[i - 3]} {lows[i - 2]}"
        for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
            if seq in special:
                valence = special[seq]
                break
        if len(lows) - 1 > i:
            zeroone = f"{lows[i]} {lows[i + 1]}"
            if zeroone in special:
                valence = special[zeroone]
        if len(lows) - 1 > i + 1:
            zeroonetwo = f"{lows[i]} {lows[i + 1]} {lows[i + 2]}"
            if zeroonetwo in special:
                valence = special[zeroonetwo]
        for n_gram in (threetwoone, threetwo, twoone):
            if n_gram in self.booster:
                valence = valence + self.booster[n_gram]
        return valence


class _Lowered(dict[str, str]):
    """``SentiText._strip_punc_if_word(token).lower()``, remembered per distinct token.

    A dict subclass so that looking up a token seen before is a C-level
    dict lookup.
    """

    #: Tokens remembered before the cache starts afresh.
    LIMIT = 500_000

    def __missing__(self, token: str) -> str:
        word = token.strip(string.punctuation)
        if len(word) <= 2:
            word = token
        low = word.lower()
        if len(self) >= self.LIMIT:
            self.clear()
        self[token] = low
        return low


def _but_check(bi: int, sentiments: list[float]) -> None:
    # SentimentIntensityAnalyzer._but_check, quirks included: it rescales the
    # first sentiment *equal* to each one in turn, not the one at its position.
    for sentiment in sentiments:
        si = sentiments.index(sentiment)
        if si < bi:
            sentiments.pop(si)
            sentiments.insert(si, sentiment * 0.5)
        elif si > bi:
            sentiments.pop(si)
            sentiments.insert(si, sentiment * 1.5)


def _punctuation_emphasis(text: str) -> float:
    # SentimentIntensityAnalyzer._punctuation_emphasis
    ep_count = text.count("!")
    if ep_count > 4:
        ep_count = 4
    ep_amplifier = ep_count * 0.292
    qm_count = text.count("?")
    qm_amplifier: float = 0
    if qm_count > 1:
        qm_amplifier = qm_count * 0.18 if qm_count <= 3 else 0.96
    return ep_amplifier + qm_amplifier


def _emphasised(sum_s: float, punct: float) -> float:
    """The sum of valences pushed away from zero by punctuation emphasis
    (``SentimentIntensityAnalyzer.score_valence``)."""
    if sum_s > 0:
        return sum_s + punct
    if sum_s < 0:
        return sum_s - punct
    return sum_s


def _normalize(score: float, alpha: int = 15) -> float:
    # vaderSentiment.normalize
    norm_score = score / math.sqrt((score * score) + alpha)
    if norm_score < -1.0:
        return -1.0
    if norm_score > 1.0:
        return 1.0
    return norm_score


@lru_cache(maxsize=1)
def _vader() -> _Vader:
    return _Vader(analyzer())


def _has_word(s: str) -> bool:
    """Whether ``s`` has an alphanumeric character (``str.isalnum``), in one regex search."""
    return _ALNUM_RE.search(s) is not None


def score_sentences(
    text: str, sents: list[Sentence], quotes: list[Quote]
) -> list[SentenceSentiment]:
    """VADER compound of every sentence, and of its authorial and quoted parts."""
    out: list[SentenceSentiment] = []
    vader = _vader()
    # Sentences and their voices are made of the article's characters and
    # spaces: an article without emoji has none in any of them.
    plain = not vader.has_emoji(text)
    for s in sents:
        body = text[s.start : s.end]
        c = _compound(vader, body, plain=plain)
        share = quoted_share(s.start, s.end, quotes) if quotes else 0.0
        if share == 0.0:
            out.append(SentenceSentiment(c, c, None, 0.0))
            continue
        authorial, quoted = split_voices(text, s.start, s.end, quotes)
        a = ((c if not _has_word(quoted) else _compound(vader, authorial, plain=plain))
             if _has_word(authorial) else None)
        q = ((c if a is None else _compound(vader, quoted, plain=plain))
             if _has_word(quoted) else None)
        out.append(SentenceSentiment(c, a, q, share))
    return out


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def aggregate(sent: list[SentenceSentiment]) -> dict[str, float | None]:
    """Article-level ``sentiment_*`` columns (None where undefined)."""
    comp = [s.compound for s in sent]
    n = len(comp)
    return {
        "sentiment_mean": _mean(comp),
        "sentiment_min": min(comp) if comp else None,
        "sentiment_max": max(comp) if comp else None,
        "sentiment_pos_share": sum(c >= POSITIVE for c in comp) / n if n else None,
        "sentiment_neg_share": sum(c <= NEGATIVE for c in comp) / n if n else None,
        "sentiment_authorial_mean": _mean([s.authorial for s in sent if s.authorial is not None]),
        "sentiment_quoted_mean": _mean([s.quoted for s in sent if s.quoted is not None]),
    }
