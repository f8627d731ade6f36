"""Writing tables to files: the format follows the file's extension.

Every file carries the versions that made it: Parquet in its schema
metadata, and every format in a ``<stem>.meta.json`` beside it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

TABLE_FORMATS: tuple[str, ...] = (".parquet", ".csv", ".jsonl")


class ExportError(ValueError):
    """A table could not be written (one-line message naming the file)."""


def check_table_path(path: str | Path) -> Path:
    """Validate an output path's extension before any work is done."""
    p = Path(path)
    if p.suffix.lower() not in TABLE_FORMATS:
        raise ExportError(
            f"{p}: unsupported output format {p.suffix or '(none)'!r}; "
            f"use one of {', '.join(TABLE_FORMATS)}"
        )
    return p


def sibling(path: Path, part: str) -> Path:
    """``out.csv`` -> ``out.<part>.csv`` (the sentences and hits beside scores)."""
    return path.with_name(f"{path.stem}.{part}{path.suffix}")


def write_table(df: pd.DataFrame, path: str | Path, *, meta: dict[str, Any] | None = None) -> Path:
    """Write ``df`` as Parquet, CSV or JSON Lines, by the path's extension."""
    p = check_table_path(path)
    suffix = p.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(df, preserve_index=False)
            if meta:
                md = dict(table.schema.metadata or {})
                md[b"slantscope"] = json.dumps(meta, sort_keys=True).encode()
                table = table.replace_schema_metadata(md)
            pq.write_table(table, p)
        elif suffix == ".csv":
            df.to_csv(p, index=False)
        else:
            df.to_json(p, orient="records", lines=True, date_format="iso", force_ascii=False)
    except OSError as exc:
        raise ExportError(f"{p}: cannot write ({exc.strerror or exc})") from exc
    return p


def write_meta(meta: dict[str, Any], path: Path) -> Path:
    """Write provenance as ``<stem>.meta.json`` beside ``path``."""
    out = path.with_name(f"{path.stem}.meta.json")
    out.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return out
