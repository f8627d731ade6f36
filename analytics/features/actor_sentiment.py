"""Sentiment toward actor groups: the target model over an article's mentions.

Every sentence that mentions a group outside quotation marks is scored once
for that group with :class:`analytics.features.targets.TargetModel`: the
first such mention of the group in the sentence is the target, the group's
other authorial mentions there are its further mentions.  Mentions inside
quotation marks are not scored (a quoted minister's view of NATO is not the
outlet's, and the columns read the outlet's own voice); their probabilities
are null.  Each scored mention gets the probabilities of its (group,
sentence) target.

Per group, the score columns take the authorial targets (outside quotation
marks) of the article:

* ``actor_<group>_sentiment_mean``: mean of ``p_positive - p_negative``
  (-1 .. 1);
* ``actor_<group>_neg_share`` / ``actor_<group>_pos_share``: share of those
  targets the model calls negative / positive;

null when the group has no authorial mention or the article is flagged
non-English.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from analytics.features.targets import TargetModel

#: Probability columns added to each mention row, in :data:`CLASSES` order.
PROBABILITY_COLUMNS = ("p_negative", "p_neutral", "p_positive")


def mention_probabilities(
    text: str,
    sentence_spans: Sequence[tuple[int, int]],
    mentions: Sequence[Any],
    quoted: Sequence[bool],
    model: TargetModel,
    compounds: Sequence[float] | None = None,
) -> tuple[np.ndarray, list[tuple[str, bool, int]]]:
    """Probabilities ``(n_mentions, 3)`` toward each mention's group, and the
    key ``(group, quoted, target)`` of each mention (``target`` numbers the
    (group, sentence, voice) targets in order; -1 for a mention outside any
    sentence, whose probabilities are NaN).

    ``mentions`` have ``group``, ``start``, ``end`` and ``sentence_index``;
    ``sentence_spans[i]`` is ``(start, end)`` of sentence ``i`` in ``text``;
    ``compounds[i]``, when given, its VADER compound (saves computing it again).
    """
    targets: dict[tuple[str, int, bool], list[int]] = {}
    for i, (m, q) in enumerate(zip(mentions, quoted, strict=True)):
        if m.sentence_index is None or q:
            continue
        targets.setdefault((m.group, m.sentence_index, bool(q)), []).append(i)
    texts, spans, further, known = [], [], [], []
    key_of: dict[int, int] = {}
    for t, ((_, si, _), idx) in enumerate(targets.items()):
        s_start, s_end = sentence_spans[si]
        first = mentions[idx[0]]
        texts.append(text[s_start:s_end])
        if compounds is not None:
            known.append(compounds[si])
        spans.append((first.start - s_start, first.end - s_start))
        further.append([(mentions[j].start - s_start, mentions[j].end - s_start)
                        for j in idx[1:]])
        for j in idx:
            key_of[j] = t
    probs = (model.predict_proba(texts, spans, further, known if compounds is not None else None)
             if texts else np.zeros((0, 3)))
    out = np.full((len(mentions), 3), np.nan)
    keys = []
    for i, (m, q) in enumerate(zip(mentions, quoted, strict=True)):
        t = key_of.get(i, -1)
        if t >= 0:
            out[i] = probs[t]
        keys.append((m.group, bool(q), t))
    return out, keys


def actor_columns(
    groups: Sequence[str],
    probabilities: np.ndarray,
    keys: Sequence[tuple[str, bool, int]],
    *,
    non_english: bool,
) -> dict[str, Any]:
    """The ``actor_<group>_sentiment_mean / _neg_share / _pos_share`` columns
    from :func:`mention_probabilities` (authorial targets only)."""
    per_group: dict[str, dict[int, np.ndarray]] = {}
    for (group, quoted, t), p in zip(keys, probabilities, strict=True):
        if not quoted and t >= 0:
            per_group.setdefault(group, {})[t] = p
    row: dict[str, Any] = {}
    for g in groups:
        got = per_group.get(g)
        if not got or non_english:
            row[f"actor_{g}_sentiment_mean"] = None
            row[f"actor_{g}_neg_share"] = None
            row[f"actor_{g}_pos_share"] = None
            continue
        p = np.array(list(got.values()))
        best = p.argmax(axis=1)
        row[f"actor_{g}_sentiment_mean"] = float(np.mean(p[:, 2] - p[:, 0]))
        row[f"actor_{g}_neg_share"] = float(np.mean(best == 0))
        row[f"actor_{g}_pos_share"] = float(np.mean(best == 2))
    return row
