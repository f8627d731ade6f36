"""Target-dependent sentiment over NewsMTSC-format files.

NewsMTSC (Hamborg & Donnay 2021) stores one sentence per JSON line::

    {"primary_gid": "...", "sentence_normalized": "...",
     "targets": [{"Input.gid": "...", "from": 0, "to": 6, "mention": "Winner",
                  "polarity": 4.0, "further_mentions": [{"from": 40, "to": 43}]}]}

``from``/``to`` are character offsets into ``sentence_normalized``;
``polarity`` (optional here, so unlabelled files can be scored) is 2.0
negative, 4.0 neutral, 6.0 positive.

* :func:`read_newsmtsc` reads such a file (``.jsonl`` or ``.jsonl.gz``) and
  reports each bad line by file and line number while keeping the good ones;
* :func:`target_table` scores every target with
  :class:`analytics.features.targets.TargetModel`: one row per target.
"""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analytics.features.targets import CLASSES, POLARITY_CODES, TargetModel, default_model

#: Columns of :func:`target_table`, in order.
TABLE_COLUMNS = (
    "gid",
    "primary_gid",
    "mention",
    "from",
    "to",
    "polarity",
    "p_negative",
    "p_neutral",
    "p_positive",
    "label",
)

_LABEL_WORDS: dict[str, str] = {c: c for c in CLASSES}


def _as_offset(value: Any) -> int | None:
    """An integer offset, or None (bools and non-integral numbers are not offsets)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return None


def _label(value: Any) -> str | bool | None:
    """Polarity -> class name; None when absent; False when unrecognised."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return POLARITY_CODES.get(float(value), False)
    if isinstance(value, str):
        return _LABEL_WORDS.get(value.strip().lower(), False)  # class names also accepted
    return False


def _check_span(
    obj: Any, length: int, what: str, issues: list[str]
) -> tuple[int, int] | None:
    if not isinstance(obj, dict):
        issues.append(f"{what} is not an object")
        return None
    start, end = _as_offset(obj.get("from")), _as_offset(obj.get("to"))
    if start is None or end is None:
        issues.append(f"{what} lacks integer 'from'/'to'")
        return None
    if not 0 <= start < end <= length:
        issues.append(
            f"{what} span {start}:{end} out of range for a sentence of {length} characters"
        )
        return None
    return start, end


def _parse_line(data: Any, issues: list[str]) -> dict[str, Any] | None:
    """A cleaned record, or None when the line is unusable; problems go to ``issues``."""
    if not isinstance(data, dict):
        issues.append("not a JSON object")
        return None
    text = data.get("sentence_normalized")
    if not isinstance(text, str) or not text.strip():
        issues.append("missing or empty 'sentence_normalized'")
        return None
    raw_targets = data.get("targets")
    if not isinstance(raw_targets, list) or not raw_targets:
        issues.append("missing or empty 'targets' list")
        return None
    primary = data.get("primary_gid")
    primary_gid = None if primary is None else str(primary)
    targets: list[dict[str, Any]] = []
    for k, raw in enumerate(raw_targets):
        span = _check_span(raw, len(text), f"target {k}", issues)
        if span is None:
            continue
        label = _label(raw.get("polarity"))
        if label is False:
            issues.append(f"target {k} has unknown polarity {raw.get('polarity')!r}")
            label = None
        further: list[dict[str, Any]] = []
        raw_further = raw.get("further_mentions") or []
        if not isinstance(raw_further, list):
            issues.append(f"target {k} 'further_mentions' is not a list")
            raw_further = []
        for f, fm in enumerate(raw_further):
            fspan = _check_span(fm, len(text), f"target {k} further mention {f}", issues)
            if fspan is not None:
                start, end = fspan
                further.append({"from": start, "to": end, "mention": text[start:end]})
        gid = raw.get("Input.gid")
        mention = raw.get("mention")
        targets.append(
            {
                "Input.gid": None if gid is None else str(gid),
                "from": span[0],
                "to": span[1],
                "mention": mention if isinstance(mention, str) else text[span[0] : span[1]],
                "polarity": None if label is None else raw.get("polarity"),
                "label": label,
                "further_mentions": further,
            }
        )
    if not targets:
        return None
    return {"primary_gid": primary_gid, "sentence_normalized": text, "targets": targets}


def read_newsmtsc(path: str | Path) -> tuple[list[dict[str, Any]], list[str]]:
    """Read a NewsMTSC-format JSONL file (``.jsonl`` or gzip-compressed ``.jsonl.gz``).

    Returns
    -------
    (records, problems)
        ``records``: one dict per usable line, in file order, in NewsMTSC's
        own shape: ``primary_gid``, ``sentence_normalized``, ``line`` (the
        line number) and ``targets``, a list of dicts with ``Input.gid``,
        ``from``, ``to``, ``mention``, ``polarity`` (as in the file, None
        when absent or unrecognised), ``label`` (the polarity as a class
        name, or None) and ``further_mentions`` (a list of
        ``{"from", "to", "mention"}``; bad ones dropped).  ``problems``: one message per bad
        line, naming the file and line number.  A line with some bad targets
        keeps its good ones; a line with none is dropped.  Blank lines are
        skipped silently.

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no such file")
    records: list[dict[str, Any]] = []
    problems: list[str] = []
    opener = gzip.open if p.name.endswith(".gz") else open
    lineno = 0
    try:
        with opener(p, "rb") as fh:
            for lineno, raw_line in enumerate(fh, start=1):
                if not raw_line.strip():
                    continue
                try:
                    data = json.loads(raw_line.decode("utf-8"))
                except UnicodeDecodeError as exc:
                    problems.append(f"{p}:{lineno}: not UTF-8 ({exc.reason})")
                    continue
                except json.JSONDecodeError as exc:
                    problems.append(f"{p}:{lineno}: bad JSON ({exc.msg} at column {exc.colno})")
                    continue
                issues: list[str] = []
                record = _parse_line(data, issues)
                if issues:
                    problems.append(f"{p}:{lineno}: " + "; ".join(issues))
                if record is not None:
                    record["line"] = lineno
                    records.append(record)
    except (OSError, EOFError) as exc:  # unreadable or truncated gzip
        problems.append(f"{p}:{lineno + 1}: cannot read ({exc})")
    return records, problems


def target_table(
    records: list[dict[str, Any]], model: TargetModel | None = None
) -> pd.DataFrame:
    """Sentiment toward every target of ``records`` (from :func:`read_newsmtsc`).

    One row per target, in input order, with columns ``gid`` (the target's
    ``Input.gid``), ``primary_gid``, ``mention``, ``from``, ``to``,
    ``polarity`` (the model's class), ``p_negative``, ``p_neutral``,
    ``p_positive`` and ``label`` (the human polarity as a word when the input
    has it, else null).
    """
    model = model if model is not None else default_model()
    texts: list[str] = []
    spans: list[tuple[int, int]] = []
    further: list[list[tuple[int, int]]] = []
    keys = ("gid", "primary_gid", "mention", "from", "to", "label")
    rows: dict[str, list[Any]] = {c: [] for c in keys}
    for rec in records:
        for t in rec["targets"]:
            texts.append(rec["sentence_normalized"])
            spans.append((t["from"], t["to"]))
            further.append([(f["from"], f["to"]) for f in t.get("further_mentions") or ()])
            rows["gid"].append(t.get("Input.gid"))
            rows["primary_gid"].append(rec.get("primary_gid"))
            rows["mention"].append(t.get("mention"))
            rows["from"].append(t["from"])
            rows["to"].append(t["to"])
            label = t.get("label")
            if label is None:
                lab = _label(t.get("polarity"))
                label = lab if isinstance(lab, str) else None
            rows["label"].append(label)
    proba = model.predict_proba(texts, spans, further) if texts else np.zeros((0, 3))
    out = pd.DataFrame(
        {
            "gid": pd.array(rows["gid"], dtype="string"),
            "primary_gid": pd.array(rows["primary_gid"], dtype="string"),
            "mention": pd.array(rows["mention"], dtype="string"),
            "from": np.asarray(rows["from"], dtype=np.int64),
            "to": np.asarray(rows["to"], dtype=np.int64),
            "polarity": pd.array([CLASSES[k] for k in proba.argmax(axis=1)], dtype="string"),
            "p_negative": proba[:, 0],
            "p_neutral": proba[:, 1],
            "p_positive": proba[:, 2],
            "label": pd.array(rows["label"], dtype="string"),
        }
    )
    return out[list(TABLE_COLUMNS)]
