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

import statistics
from functools import lru_cache
from typing import Any, NamedTuple

from analytics.text import Quote, Sentence, quoted_share, split_voices

POSITIVE = 0.05
NEGATIVE = -0.05


class SentenceSentiment(NamedTuple):
    compound: float
    authorial: float | None  # compound of the authorial part, None if none
    quoted: float | None  # compound of the quoted part, None if none
    quoted_share: float


@lru_cache(maxsize=1)
def analyzer() -> Any:
    """One VADER analyzer per process (loading its lexicon costs ~0.1 s)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


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
    words = text.split()
    if len(words) <= MAX_VADER_WORDS:
        return float(analyzer().polarity_scores(text)["compound"])
    chunks = [" ".join(words[i : i + MAX_VADER_WORDS])
              for i in range(0, len(words), MAX_VADER_WORDS)]
    return statistics.fmean(float(analyzer().polarity_scores(c)["compound"]) for c in chunks)


def _has_word(s: str) -> bool:
    return any(ch.isalnum() for ch in s)


def score_sentences(
    text: str, sents: list[Sentence], quotes: list[Quote]
) -> list[SentenceSentiment]:
    """VADER compound of every sentence, and of its authorial and quoted parts."""
    out: list[SentenceSentiment] = []
    for s in sents:
        body = text[s.start : s.end]
        c = compound(body)
        share = quoted_share(s.start, s.end, quotes)
        if share == 0.0:
            out.append(SentenceSentiment(c, c, None, 0.0))
            continue
        authorial, quoted = split_voices(text, s.start, s.end, quotes)
        a = (c if not _has_word(quoted) else compound(authorial)) if _has_word(authorial) else None
        q = (c if a is None else compound(quoted)) if _has_word(quoted) else None
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
