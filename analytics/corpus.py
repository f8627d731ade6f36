"""Load any supported input into the articles table.

Supported inputs (one path or several, in the order given):

* a folder of ``.txt`` / ``.md`` / ``.html`` / ``.htm`` files, read in name
  order, with an optional ``manifest.csv`` (columns ``file, outlet, title,
  published, url`` and any extra columns, matched to files by name).
  Sub-folders are read after the folder's own files, in name order, each
  with its own optional manifest (symlinked folders are not followed; hidden
  files and folders are skipped).  Data files in a folder (``.csv`` etc.,
  except ``manifest.csv``) are loaded as well; other files are ignored with
  one warning;
* a single document file (a ``manifest.csv`` beside it is used if it lists
  the file);
* tabular files: ``.csv``, ``.tsv`` (also gzipped), ``.jsonl`` /
  ``.ndjson`` (also gzipped), ``.json`` (a list of objects, or an object with
  an ``"articles"`` list), ``.parquet``.

The result has the contract's columns (:data:`analytics.schema.ARTICLE_COLUMNS`)
followed by every other scalar column the input has, under its own name.

Decisions a user may need to know:

* **outlet** comes from the manifest, an outlet column, or HTML metadata
  (site name).  A text file with none of these gets the name of the folder it
  is in, and a warning says so; a tabular row with no outlet gets
  ``"unknown"`` (:data:`UNKNOWN_OUTLET`).
* text is decoded as UTF-8 (with or without BOM), UTF-16 (BOM, or no BOM when
  the NUL-byte pattern shows mostly-Latin UTF-16), else Windows-1252/Latin-1
  with a warning; a file with NUL bytes that is not UTF-16 or with many
  control characters is a binary file and is skipped.  HTML body text,
  title, date, URL and site name come from trafilatura.
* **title** of a text file without one: its first line if that looks like a
  headline (at most 150 characters and 25 words, no final full stop, more
  text after it), otherwise the file name without its extension.
* **published** is a day (``datetime64``, time of day dropped, a timezone
  offset ignored so the date stays the one the outlet printed); null where
  missing or unreadable, with one warning per file counting the unreadable
  values.  ``12.01.2022`` is read day first, ``01/12/2022`` month first.
* **article_id** is :func:`article_id` (outlet + cleaned text) unless
  ``mapping.id`` names an id column (its values, as strings, become
  ``article_id``).  An input column literally named ``article_id`` is used
  the same way.  Other id-like columns (``id``, ``doc_id``) are kept as they
  are.  Exact duplicates (same ``article_id``) are dropped and listed in
  ``LoadResult.duplicates``; with given ids a repeated id is a problem.
* **source_ref** is the file name relative to the input folder, or
  ``name.csv:row 5`` (data rows after the header, from 1),
  ``name.jsonl.gz:line 17`` (physical lines, from 1), ``name.json:item 3``,
  ``name.parquet:row 3``.
* **size**: one article's text may have at most ``max_chars`` characters
  (:data:`MAX_ARTICLE_CHARS`, two million, about 300,000 words, by default);
  a longer one is a problem, not scored: scoring keeps every token, sentence
  and match of an article in memory at once, and a text that long is almost
  always a whole corpus pasted into one file.  Document files too large to
  hold that many characters are skipped without being read.
* a ``manifest.csv`` row naming a path outside its folder (``../x.txt``,
  ``/etc/passwd``) is ignored with a warning; files are only ever read from
  the folder listing, never from a name in a manifest.
* bad input never raises out of :func:`load_corpus`: it becomes an
  :class:`InputProblem` and the inputs beside it still load.
  :class:`CorpusError` is raised only when nothing at all could be loaded.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import json
import math
import os
import re
import warnings
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analytics.cleaning import clean_text
from analytics.schema import (
    ARTICLE_COLUMNS,
    ARTICLE_ID,
    OUTLET,
    PUBLISHED,
    REMOVED,
    SOURCE_REF,
    TEXT,
    TITLE,
    URL,
)

__all__ = [
    "COLUMN_CANDIDATES",
    "DOCUMENT_SUFFIXES",
    "MAX_ARTICLE_CHARS",
    "TABULAR_SUFFIXES",
    "UNKNOWN_OUTLET",
    "ColumnMapping",
    "CorpusError",
    "InputProblem",
    "LoadResult",
    "article_id",
    "iter_corpus_chunks",
    "load_corpus",
]

UNKNOWN_OUTLET = "unknown"
#: Default limit on one article's text, in characters (see the module notes).
MAX_ARTICLE_CHARS = 2_000_000
DOCUMENT_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".markdown", ".html", ".htm")
TABULAR_SUFFIXES: tuple[str, ...] = (
    ".csv",
    ".csv.gz",
    ".tsv",
    ".tsv.gz",
    ".jsonl",
    ".jsonl.gz",
    ".ndjson",
    ".ndjson.gz",
    ".json",
    ".parquet",
)
MANIFEST_NAME = "manifest.csv"

#: Column names recognised without flags (compared case-insensitively, with
#: spaces and hyphens read as underscores), first match wins.
COLUMN_CANDIDATES: dict[str, tuple[str, ...]] = {
    "text": (
        "text",
        "content",
        "body",
        "article",
        "full_text",
        "fulltext",
        "article_text",
        "maintext",
    ),
    "outlet": (
        "outlet",
        "source",
        "media_name",
        "publication",
        "publisher",
        "site",
        "source_name",
        "sitename",
        "outlet_name",
    ),
    "title": ("title", "headline"),
    "date": (
        "date",
        "published",
        "publish_date",
        "pub_date",
        "datetime",
        "published_at",
        "publication_date",
        "date_published",
    ),
    "url": ("url", "link"),
    "id": ("id", "article_id", "doc_id"),
}

#: The command-line flag (or ColumnMapping field) that names each role.
_FLAGS = {
    "text": "--text-col",
    "outlet": "--outlet-col",
    "title": "--title-col",
    "date": "--date-col",
    "id": "--id-col",
    "url": "ColumnMapping(url=...)",
}


# --- public types -----------------------------------------------------------


@dataclass(frozen=True)
class ColumnMapping:
    """Names of the input columns to use; ``None`` means recognise it."""

    text: str | None = None
    outlet: str | None = None
    title: str | None = None
    date: str | None = None
    id: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class InputProblem:
    """Something wrong with an input: a whole file, or one line/row of it.

    ``str()`` gives a one-line message such as
    ``seeds/x.bin: binary file, not text (skipped)`` or
    ``data.jsonl line 17: invalid JSON (...) (skipped)``.
    """

    source: str
    message: str
    line: int | None = None
    unit: str = "line"

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source} {self.unit} {self.line}"
        return f"{where}: {self.message}"


@dataclass
class LoadResult:
    """Articles plus everything the loader has to tell about the input."""

    articles: pd.DataFrame
    problems: list[InputProblem] = field(default_factory=list)
    warnings: list[InputProblem] = field(default_factory=list)
    duplicates: pd.DataFrame = field(default_factory=lambda: _empty_duplicates())


class CorpusError(Exception):
    """Nothing could be loaded; ``problems`` holds every reason."""

    def __init__(self, message: str, problems: Sequence[InputProblem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


def article_id(outlet: str, text: str) -> str:
    """Stable id of an article: first 16 hex digits of sha256(outlet, US, text).

    >>> article_id("Example Times", "NATO met Russia.")
    '8dcefac82381dfc4'
    """
    payload = f"{outlet}\x1f{text}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(payload).hexdigest()[:16]


# --- rows and issues flowing from readers to the assembler --------------------


@dataclass(slots=True)
class _Row:
    text: Any
    outlet: str | None
    title: str | None
    published: Any
    url: str | None
    given_id: str | None
    source_ref: str
    extras: dict[str, Any]
    source: str  # display path, for problems
    line: int | None = None
    unit: str = "line"
    headline_fallback: str | None = None  # title to use when none is found
    outlet_from_folder: str | None = None  # set when outlet fell back to the folder name
    id_expected: bool = False  # an id column is in use but this row has no id


@dataclass(frozen=True, slots=True)
class _Issue:
    problem: InputProblem
    is_warning: bool = False


_Item = _Row | _Issue


def _problem(source: str, message: str, line: int | None = None, unit: str = "line") -> _Issue:
    return _Issue(InputProblem(source, message, line, unit))


def _warning(source: str, message: str, line: int | None = None, unit: str = "line") -> _Issue:
    return _Issue(InputProblem(source, message, line, unit), is_warning=True)


# --- public entry points ------------------------------------------------------


def load_corpus(
    inputs: str | Path | Sequence[str | Path],
    *,
    mapping: ColumnMapping | None = None,
    clean: bool = True,
    max_chars: int | None = MAX_ARTICLE_CHARS,
) -> LoadResult:
    """Load every input into one articles DataFrame.

    Parameters
    ----------
    inputs:
        A path or a sequence of paths: folders, document files, tabular files.
    mapping:
        Column names to use in tabular inputs (the ``--text-col`` ... flags);
        unset fields are recognised from :data:`COLUMN_CANDIDATES`.
    clean:
        Remove site furniture (:func:`analytics.cleaning.clean_text`); the
        removed lines go to the ``removed`` column, joined with ``"\\n"``.
    max_chars:
        Longest article text accepted, in characters (``None``: no limit);
        longer ones are skipped and reported as problems.

    Returns
    -------
    LoadResult
        ``articles`` in input order, ``problems`` (skipped files and rows),
        ``warnings`` (loaded, but worth knowing) and ``duplicates``.

    Raises
    ------
    CorpusError
        Only if nothing at all could be loaded.
    """
    parts = list(
        _iter_results(inputs, mapping=mapping, clean=clean, chunk_size=10_000, max_chars=max_chars)
    )
    frames = [p.articles for p in parts if len(p.articles)]
    articles = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    dup_frames = [p.duplicates for p in parts if len(p.duplicates)]
    duplicates = pd.concat(dup_frames, ignore_index=True) if dup_frames else _empty_duplicates()
    return LoadResult(
        articles=articles,
        problems=[x for p in parts for x in p.problems],
        warnings=_merge_counted_warnings([x for p in parts for x in p.warnings]),
        duplicates=duplicates,
    )


def iter_corpus_chunks(
    inputs: str | Path | Sequence[str | Path],
    *,
    mapping: ColumnMapping | None = None,
    chunk_size: int = 5000,
    clean: bool = True,
    max_chars: int | None = MAX_ARTICLE_CHARS,
    first_chunk_size: int | None = None,
) -> Iterator[LoadResult]:
    """Stream the inputs as LoadResults of at most ``chunk_size`` articles.

    Tabular files are read incrementally (JSONL line by line, CSV and Parquet
    in batches), so memory stays flat however large the corpus.  Ids already
    seen are remembered across chunks: a duplicate is dropped (or reported)
    whichever chunk its first copy was in.  Each chunk carries the problems
    and warnings raised while it was read.  ``first_chunk_size``, when given,
    makes the first chunk smaller, so that scoring can start sooner.

    Raises
    ------
    CorpusError
        After the last chunk if nothing at all could be loaded.
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
    if first_chunk_size is not None and first_chunk_size < 1:
        raise ValueError(f"first_chunk_size must be at least 1, got {first_chunk_size}")
    yield from _iter_results(
        inputs, mapping=mapping, clean=clean, chunk_size=chunk_size, max_chars=max_chars,
        first_chunk_size=first_chunk_size,
    )


def _iter_results(
    inputs: str | Path | Sequence[str | Path],
    *,
    mapping: ColumnMapping | None,
    clean: bool,
    chunk_size: int,
    max_chars: int | None,
    first_chunk_size: int | None = None,
) -> Iterator[LoadResult]:
    paths = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
    if not paths:
        raise CorpusError("no input given")
    if max_chars is not None and max_chars < 1:
        raise ValueError(f"max_chars must be at least 1 or None, got {max_chars}")
    mapping = mapping or ColumnMapping()
    assembler = _Assembler(clean=clean, max_chars=max_chars)
    rows: list[_Row] = []
    issues: list[_Issue] = []
    all_issues: list[InputProblem] = []
    loaded = 0
    limit = first_chunk_size or chunk_size
    for item in _iter_items(paths, mapping, chunk_size, max_chars):
        if isinstance(item, _Row):
            rows.append(item)
            if len(rows) >= limit:
                limit = chunk_size
                result = assembler.build(rows, issues)
                all_issues.extend(result.problems)
                loaded += len(result.articles)
                rows, issues = [], []
                yield result
        else:
            issues.append(item)
    result = assembler.build(rows, issues)
    all_issues.extend(result.problems)
    loaded += len(result.articles)
    if loaded == 0:
        raise CorpusError(_nothing_loaded_message(all_issues, paths), all_issues)
    if len(result.articles) or result.problems or result.warnings or len(result.duplicates):
        yield result


def _nothing_loaded_message(problems: Sequence[InputProblem], paths: Sequence[str | Path]) -> str:
    if not problems:
        names = ", ".join(str(p) for p in paths[:3])
        return f"{names}: no articles found"
    first = str(problems[0])
    rest = len(problems) - 1
    return f"nothing loaded: {first}" + (
        f" (and {rest} more problem{'s' if rest > 1 else ''})" if rest else ""
    )


_COUNTED = re.compile(r"^(dropped )?(\d+) (\S+ \S+)")


def _merge_counted_warnings(items: list[InputProblem]) -> list[InputProblem]:
    """One summary per file and kind ("N unreadable dates") instead of one per chunk."""
    totals: dict[tuple[str, str], int] = {}
    first: dict[tuple[str, str], int] = {}
    dup_sources: list[str] = []
    out: list[InputProblem] = []
    for warning in items:
        match = _COUNTED.match(warning.message)
        if match is None or warning.line is not None:
            out.append(warning)
            continue
        is_dup = match.group(1) is not None
        key = ("", "dropped") if is_dup else (warning.source, match.group(3))
        if is_dup:
            dup_sources.extend(warning.source.removesuffix(" ...").split(", "))
        totals[key] = totals.get(key, 0) + int(match.group(2))
        if key not in first:
            first[key] = len(out)
            out.append(warning)
    for key, position in first.items():
        warning = out[position]
        if key == ("", "dropped"):
            names = sorted(set(dup_sources))
            source = ", ".join(names[:3]) + (" ..." if len(names) > 3 else "")
            out[position] = InputProblem(source, _dup_message(totals[key]))
            continue
        match = _COUNTED.match(warning.message)
        assert match is not None
        message = (
            warning.message[: match.start(2)] + str(totals[key]) + warning.message[match.end(2) :]
        )
        out[position] = InputProblem(warning.source, message)
    return out


def _dup_message(n: int) -> str:
    noun = "duplicate" if n == 1 else "duplicates"
    return f"dropped {n} exact {noun} (same outlet and cleaned text); see LoadResult.duplicates"


# --- walking the inputs ---------------------------------------------------------


def _suffix(path: Path) -> str:
    """Lower-case suffix, two levels for compressed files (``.jsonl.gz``)."""
    name = path.name.lower()
    for suffix in TABULAR_SUFFIXES + DOCUMENT_SUFFIXES:
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def _iter_items(
    paths: Sequence[str | Path], mapping: ColumnMapping, chunk_size: int, max_chars: int | None
) -> Iterator[_Item]:
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        display = str(given)
        resolved = path.resolve()
        if resolved in seen:
            yield _warning(display, "given more than once; read once")
            continue
        seen.add(resolved)
        if path.is_dir():
            yield from _guarded(
                _read_folder(path, display, mapping, chunk_size, max_chars), display
            )
        elif path.is_file():
            reader = _read_file(path, display, path.name, mapping, chunk_size, None, max_chars)
            yield from _guarded(reader, display)
        elif path.exists():
            yield _problem(display, "not a regular file or folder (skipped)")
        else:
            yield _problem(display, "no such file or folder (skipped)")


def _guarded(items: Iterator[_Item], display: str) -> Iterator[_Item]:
    """Turn a reader's unexpected failure into a problem, so other inputs still load."""
    try:
        yield from items
    except OSError as exc:  # permissions, vanished files, I/O errors
        yield _problem(display, f"cannot read: {exc.strerror or exc} (skipped)")
    except Exception as exc:  # odd input must never stop the inputs beside it
        yield _problem(display, f"cannot read ({type(exc).__name__}: {_one_line(exc)}) (skipped)")


def _read_file(
    path: Path,
    display: str,
    ref: str,
    mapping: ColumnMapping,
    chunk_size: int,
    manifest: _Manifest | None,
    max_chars: int | None,
) -> Iterator[_Item]:
    suffix = _suffix(path)
    if suffix in DOCUMENT_SUFFIXES:
        if manifest is None:
            manifest = _Manifest.beside(path)
            if manifest is not None:
                yield from manifest.issues
        yield from _read_document(path, display, ref, suffix, manifest, max_chars)
    elif suffix in TABULAR_SUFFIXES:
        yield from _read_table(path, display, ref, suffix, mapping, chunk_size)
    else:
        supported = ", ".join(DOCUMENT_SUFFIXES + TABULAR_SUFFIXES)
        yield _problem(
            display,
            f"unsupported file type '{suffix or path.name}' (supported: {supported}) (skipped)",
        )


def _read_folder(
    folder: Path, display: str, mapping: ColumnMapping, chunk_size: int, max_chars: int | None
) -> Iterator[_Item]:
    found = False
    ignored: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        manifest = _Manifest.load(
            here / MANIFEST_NAME, _join(display, here.relative_to(folder) / MANIFEST_NAME)
        )
        if manifest is not None:
            yield from manifest.issues
        listed: set[str] = set()
        for name in sorted(filenames):
            if name.startswith(".") or (name == MANIFEST_NAME):
                continue
            path = here / name
            rel = path.relative_to(folder).as_posix()
            suffix = _suffix(path)
            if suffix not in DOCUMENT_SUFFIXES and suffix not in TABULAR_SUFFIXES:
                ignored.append(rel)
                continue
            found = True
            if manifest is not None and manifest.lookup(name) is not None:
                listed.add(name)
            reader = _read_file(
                path,
                _join(display, rel),
                rel,
                mapping,
                chunk_size,
                manifest or _NO_MANIFEST,
                max_chars,
            )
            yield from _guarded(reader, _join(display, rel))
        if manifest is not None:
            for name in manifest.missing(listed):
                yield _warning(manifest.display, f"lists '{name}', which is not in the folder")
    if ignored:
        sample = ", ".join(ignored[:3]) + (" ..." if len(ignored) > 3 else "")
        yield _warning(display, f"ignored {len(ignored)} file(s) of unsupported type: {sample}")
    if not found:
        supported = ", ".join(DOCUMENT_SUFFIXES + TABULAR_SUFFIXES)
        yield _problem(display, f"no supported files in folder (looked for {supported})")


def _join(display: str, rel: str | Path) -> str:
    rel = Path(rel).as_posix()
    return rel if display in ("", ".") else f"{display.rstrip('/')}/{rel}"


# --- manifest -------------------------------------------------------------------


class _Manifest:
    """Per-file metadata from a folder's manifest.csv, keyed by file name."""

    def __init__(self, display: str, rows: dict[str, dict[str, Any]], issues: list[_Issue]) -> None:
        self.display = display
        self.rows = rows
        self.issues = issues

    @classmethod
    def load(cls, path: Path, display: str) -> _Manifest | None:
        if not path.is_file():
            return None
        issues: list[_Issue] = []
        try:
            text, note, problem = _decode(path.read_bytes())
        except OSError as exc:
            return cls(
                display, {}, [_problem(display, f"cannot read: {exc.strerror or exc} (ignored)")]
            )
        if text is None:
            return cls(display, {}, [_problem(display, f"{problem} (ignored)")])
        if note:
            issues.append(_warning(display, note))
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except (ValueError, pd.errors.ParserError) as exc:
            return cls(
                display, {}, [_problem(display, f"cannot parse CSV: {_one_line(exc)} (ignored)")]
            )
        columns = {_norm(c): c for c in frame.columns}
        if "file" not in columns:
            found = ", ".join(map(str, frame.columns))
            return cls(
                display, {}, [_problem(display, f"no 'file' column (columns: {found}) (ignored)")]
            )
        rows: dict[str, dict[str, Any]] = {}
        for number, record in enumerate(frame.to_dict("records"), 1):
            name = str(record.pop(columns["file"])).strip()
            if not name:
                continue
            key, refusal = _manifest_key(name)
            if key is None:
                message = f"file '{name}' {refusal} (ignored)"
                issues.append(_warning(display, message, number, "row"))
                continue
            if key in rows:
                issues.append(
                    _warning(display, f"'{key}' listed twice; the first row is used", number, "row")
                )
                continue
            rows[key] = {k: (v.strip() if isinstance(v, str) else v) for k, v in record.items()}
        return cls(display, rows, issues)

    @classmethod
    def beside(cls, path: Path) -> _Manifest | None:
        manifest = cls.load(path.parent / MANIFEST_NAME, str(path.parent / MANIFEST_NAME))
        if manifest is None or manifest.lookup(path.name) is None:
            return None
        return manifest

    def lookup(self, name: str) -> dict[str, Any] | None:
        return self.rows.get(name)

    def missing(self, listed: set[str]) -> list[str]:
        return [name for name in self.rows if name not in listed]


_NO_MANIFEST = _Manifest("", {}, [])
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")


def _manifest_key(name: str) -> tuple[str | None, str]:
    """The file name a manifest row describes, or ``(None, why it is refused)``.

    Rows describe files in the manifest's own folder; ``./a.txt`` is ``a.txt``.
    A path that leaves the folder or is absolute is refused (a manifest never
    makes the loader read anything), and so is one in a sub-folder, which has
    its own manifest.
    """
    parts = [p for p in re.split(r"[\\/]+", name) if p not in ("", ".")]
    if name.startswith(("/", "\\", "~")) or _WINDOWS_DRIVE.match(name) or ".." in parts:
        return None, "points outside this folder; manifest rows describe files in it"
    if not parts:
        return None, "is not a file name"
    if len(parts) > 1:
        return None, "is in a sub-folder; give it a row in that folder's manifest.csv"
    return parts[0], ""


# --- documents ------------------------------------------------------------------


def _read_document(
    path: Path,
    display: str,
    ref: str,
    suffix: str,
    manifest: _Manifest | None,
    max_chars: int | None,
) -> Iterator[_Item]:
    is_html = suffix in (".html", ".htm")
    if max_chars is not None:
        # Four bytes hold at least one character in every encoding read here,
        # so a larger file cannot fit; HTML gets room for its markup.
        limit = max_chars * (_HTML_BYTES_PER_CHAR if is_html else 4)
        size = path.stat().st_size
        if size > limit:
            yield _problem(display, _too_long_file(size, max_chars))
            return
    data = path.read_bytes()
    if is_html:
        text, note, problem = _decode_html(data)
    else:
        text, note, problem = _decode(data)
    if text is None:
        yield _problem(display, f"{problem} (skipped)")
        return
    if note:
        yield _warning(display, note)
    meta: dict[str, Any] = {}
    if is_html:
        body, meta = _extract_html(text)
        if body is None:
            yield _problem(display, "no article text found in the HTML (skipped)")
            return
        text = body
    elif suffix in (".md", ".markdown"):
        text = _strip_markdown(text)

    row_meta = dict(manifest.lookup(path.name) or {}) if manifest is not None else {}
    fields, extras = _split_manifest_row(row_meta)
    outlet = fields.get("outlet") or meta.get("outlet")
    folder_name = None
    if not outlet:
        folder_name = path.resolve().parent.name or UNKNOWN_OUTLET
        outlet = folder_name
    yield _Row(
        text=text,
        outlet=outlet,
        title=fields.get("title") or meta.get("title"),
        published=fields.get("date") or meta.get("date"),
        url=fields.get("url") or meta.get("url"),
        given_id=None,
        source_ref=ref,
        extras=extras,
        source=display,
        headline_fallback=path.stem,
        outlet_from_folder=folder_name,
    )


def _split_manifest_row(record: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
    """Map a manifest row to role fields (outlet, title, date, url) and extras."""
    fields: dict[str, str] = {}
    extras: dict[str, Any] = {}
    taken: set[str] = set()
    normed = {_norm(k): k for k in record}
    for role in ("outlet", "title", "date", "url"):
        for candidate in COLUMN_CANDIDATES[role]:
            if candidate in normed:
                key = normed[candidate]
                taken.add(key)
                value = record[key]
                if isinstance(value, str) and value.strip():
                    fields[role] = value.strip()
                break
    for key, value in record.items():
        if key not in taken:
            extras[_safe_extra_name(str(key))] = value
    return fields, extras


_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
# Raw HTML inside Markdown: script, style and comment blocks go whole, tags
# go but the text between them stays ("a < b" is not a tag).
_MD_HTML_BLOCK = re.compile(
    r"<(script|style|noscript|template)\b[^>]*>.*?(?:</\1\s*>|\Z)|<!--.*?(?:-->|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_MD_HTML_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")


def _strip_markdown(text: str) -> str:
    """Plain text from Markdown: raw HTML, headings, links, images and bold marks go."""
    if "<" in text:
        text = _MD_HTML_TAG.sub("", _MD_HTML_BLOCK.sub("", text))
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_HEADING.sub("", text)
    return _MD_EMPHASIS.sub(r"\2", text)


def _extract_html(html: str) -> tuple[str | None, dict[str, Any]]:
    """Body text and metadata of an HTML page, by trafilatura."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    doc = None
    for recall in (False, True):
        try:
            doc = trafilatura.bare_extraction(
                html,
                with_metadata=True,
                include_comments=False,
                include_tables=True,
                favor_recall=recall,
            )
        except Exception:
            doc = None
        if doc is not None and (_doc_get(doc, "text") or "").strip():
            break
    if doc is None:
        return None, {}
    text = _doc_get(doc, "text")
    if not text or not text.strip():
        return None, {}
    meta = {
        "title": _doc_get(doc, "title"),
        "date": _doc_get(doc, "date"),
        "url": _doc_get(doc, "url"),
        "outlet": _doc_get(doc, "sitename") or _doc_get(doc, "hostname"),
    }
    return text, {k: v for k, v in meta.items() if v}


def _doc_get(doc: Any, name: str) -> Any:
    return doc.get(name) if isinstance(doc, dict) else getattr(doc, name, None)


_HEADLINE_END = re.compile(r"[.,;:]['\"’”)\]]*$")


def _headline(text: str) -> str | None:
    """The first line of ``text`` if it looks like a headline, else None."""
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    first = first.strip()
    if not first or not rest.strip() or len(first) > 150 or len(first.split()) > 25:
        return None
    if _HEADLINE_END.search(first):
        return None
    return first


# --- decoding bytes ------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP/Office"),
    (b"\x1f\x8b", "gzip"),
    (b"\x89PNG", "PNG"),
    (b"GIF8", "GIF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"PAR1", "Parquet"),
    (b"\xd0\xcf\x11\xe0", "MS Office"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3", "SQLite"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` if the NUL bytes fall where UTF-16 text puts them."""
    half = len(sample) // 2
    if half < 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if odd_nuls >= 0.3 * half and even_nuls <= 0.02 * half:
        return "utf-16-le"
    if even_nuls >= 0.3 * half and odd_nuls <= 0.02 * half:
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    if not sample:
        return False
    return len(_CONTROL.findall(sample)) > max(2, 0.01 * len(sample))


def _binary_message(data: bytes) -> str:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return f"binary file, not text (looks like {kind})"
    return "binary file, not text"


def _decode(data: bytes) -> tuple[str | None, str | None, str | None]:
    """Decode text bytes: ``(text, warning, problem)``; text is None on failure."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None, None, f"invalid {encoding.upper()} despite its byte-order mark"
            if _looks_binary(text):
                return None, None, _binary_message(data)
            return text, None, None
    note = None
    if b"\x00" in data[:65536]:
        guess = _utf16_without_bom(data[:65536])
        if guess is None:
            return None, None, _binary_message(data)
        try:
            text = data.decode(guess)
        except UnicodeDecodeError:
            return None, None, _binary_message(data)
        note = f"no byte-order mark; read as {guess.upper()} from its NUL-byte pattern"
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
            note = "not valid UTF-8; read as Latin-1 (Windows-1252)"
    if _looks_binary(text):
        return None, None, _binary_message(data)
    return text, note, None


_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)


def _decode_html(data: bytes) -> tuple[str | None, str | None, str | None]:
    """Like :func:`_decode`, but a page's declared charset beats the fallback."""
    if not any(data.startswith(bom) for bom, _ in _BOMS) and b"\x00" not in data[:65536]:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            declared = _META_CHARSET.search(data[:8192])
            if declared:
                try:
                    text = data.decode(declared.group(1).decode("ascii"))
                except (LookupError, UnicodeDecodeError):
                    pass
                else:
                    return (
                        (None, None, _binary_message(data))
                        if _looks_binary(text)
                        else (text, None, None)
                    )
        else:
            return (
                (None, None, _binary_message(data)) if _looks_binary(text) else (text, None, None)
            )
    return _decode(data)


def _sniff_encoding(path: Path, opener: Any = open) -> tuple[str | None, str | None, str | None]:
    """Encoding of a possibly large text file: ``(encoding, warning, problem)``."""
    with opener(path, "rb") as handle:
        head = handle.read(65536)
        for bom, encoding in _BOMS:
            if head.startswith(bom):
                return encoding, None, None
        if b"\x00" in head:
            guess = _utf16_without_bom(head)
            if guess is None:
                return None, None, _binary_message(head)
            return (
                guess,
                f"no byte-order mark; read as {guess.upper()} from its NUL-byte pattern",
                None,
            )
        decoder = codecs.getincrementaldecoder("utf-8")()
        block = head
        try:
            while block:
                decoder.decode(block)
                block = handle.read(1 << 20)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            if _looks_binary(head.decode("cp1252", errors="replace")):
                return None, None, _binary_message(head)
            return "cp1252", "not valid UTF-8; read as Latin-1 (Windows-1252)", None
    if _looks_binary(head.decode("utf-8", errors="replace")):
        return None, None, _binary_message(head)
    return "utf-8", None, None


# --- tabular inputs ----------------------------------------------------------------


def _norm(name: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


@dataclass(frozen=True)
class _Columns:
    """Which input column plays which role, and what to keep as extras."""

    text: str
    outlet: str | None
    title: str | None
    date: str | None
    url: str | None
    id: str | None
    extras: tuple[tuple[str, str], ...]  # (input name, output name)


def _resolve(
    columns: Sequence[str], mapping: ColumnMapping
) -> tuple[_Columns | None, str | None, list[str]]:
    """Resolve roles to columns: ``(columns, problem, notes)``."""
    exact = {str(c): str(c) for c in columns}
    lowered: dict[str, str] = {}
    for c in columns:
        lowered.setdefault(_norm(c), str(c))
    roles: dict[str, str | None] = {}
    for role in ("text", "outlet", "title", "date", "url", "id"):
        given = getattr(mapping, role)
        if given is not None:
            found = exact.get(given) or lowered.get(_norm(given))
            if found is None:
                listing = ", ".join(map(str, columns)) or "none"
                return (
                    None,
                    f"column '{given}' given by {_FLAGS[role]} not found (columns: {listing})",
                    [],
                )
            roles[role] = found
            continue
        roles[role] = next((lowered[c] for c in COLUMN_CANDIDATES[role] if c in lowered), None)
    text = roles["text"]
    if text is None:
        listing = ", ".join(map(str, columns)) or "none"
        return None, f"no text column recognised (columns: {listing}); name it with --text-col", []
    id_col = roles["id"] if mapping.id is not None else None
    if id_col is None and ARTICLE_ID in exact:
        id_col = ARTICLE_ID  # a column literally called article_id is the id
    used = {roles[r] for r in ("text", "outlet", "title", "date", "url")} - {None}
    notes: list[str] = []
    extras: list[tuple[str, str]] = []
    reserved = set(ARTICLE_COLUMNS)
    for c in map(str, columns):
        if c in used or (c == id_col and c == ARTICLE_ID):
            continue
        out = c
        if c in reserved:
            out = f"input_{c}"
            notes.append(f"column '{c}' kept as '{out}' (its name is taken by the articles table)")
        extras.append((c, out))
    return (
        _Columns(
            text,
            roles["outlet"],
            roles["title"],
            roles["date"],
            roles["url"],
            id_col,
            tuple(extras),
        ),
        None,
        notes,
    )


def _safe_extra_name(name: str) -> str:
    return f"input_{name}" if name in ARTICLE_COLUMNS else name


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return value is pd.NaT or value is pd.NA


def _scalar(value: Any) -> Any:
    """Extras are scalar: lists become "a; b", mappings JSON text."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, (list, tuple)) or (
        hasattr(value, "tolist") and getattr(value, "ndim", 0) == 1
    ):
        items = value.tolist() if hasattr(value, "tolist") else value
        return "; ".join(str(v) for v in items if not _is_missing(v))
    return value


def _as_str(value: Any) -> str | None:
    if _is_missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


class _TableReader:
    """Turns records (dicts) of one tabular file into rows."""

    def __init__(self, display: str, ref: str, unit: str, mapping: ColumnMapping) -> None:
        self.display = display
        self.ref = ref
        self.unit = unit
        self.mapping = mapping
        self.cache: dict[tuple[str, ...], _Columns] = {}
        self.no_outlet_warned = False

    def columns_for(self, keys: tuple[str, ...]) -> tuple[_Columns | None, list[_Issue]]:
        cols = self.cache.get(keys)
        if cols is not None:
            return cols, []
        cols, problem, notes = _resolve(keys, self.mapping)
        issues: list[_Issue] = []
        if cols is None:
            return None, [_problem(self.display, f"{problem} (skipped)")]
        self.cache[keys] = cols
        issues.extend(_warning(self.display, note) for note in notes if len(self.cache) == 1)
        if cols.outlet is None and not self.no_outlet_warned:
            self.no_outlet_warned = True
            issues.append(
                _warning(
                    self.display,
                    f"no outlet column; outlet set to '{UNKNOWN_OUTLET}' (use --outlet-col)",
                )
            )
        return cols, issues

    def row(self, record: Mapping[str, Any], cols: _Columns, number: int) -> _Row:
        get = record.get
        given = _as_str(get(cols.id)) if cols.id is not None else None
        return _Row(
            text=get(cols.text),
            outlet=_as_str(get(cols.outlet)) if cols.outlet else None,
            title=_as_str(get(cols.title)) if cols.title else None,
            published=get(cols.date) if cols.date else None,
            url=_as_str(get(cols.url)) if cols.url else None,
            given_id=given,
            source_ref=f"{self.ref}:{self.unit} {number}",
            extras={out: _scalar(get(name)) for name, out in cols.extras},
            source=self.display,
            line=number,
            unit=self.unit,
            id_expected=cols.id is not None and given is None,
        )


def _read_table(
    path: Path, display: str, ref: str, suffix: str, mapping: ColumnMapping, chunk_size: int
) -> Iterator[_Item]:
    if suffix in (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz"):
        yield from _read_jsonl(path, display, ref, suffix.endswith(".gz"), mapping)
    elif suffix == ".json":
        yield from _read_json(path, display, ref, mapping)
    elif suffix == ".parquet":
        yield from _read_parquet(path, display, ref, mapping, chunk_size)
    else:
        yield from _read_csv(path, display, ref, suffix, mapping, chunk_size)


def _gzip_problem(display: str, exc: Exception) -> _Issue:
    if isinstance(exc, EOFError):
        return _problem(
            display, "gzip data ends early (truncated file?); the lines before it were loaded"
        )
    return _problem(display, f"not a valid gzip file ({_one_line(exc)}) (skipped)")


def _read_jsonl(
    path: Path, display: str, ref: str, compressed: bool, mapping: ColumnMapping
) -> Iterator[_Item]:
    reader = _TableReader(display, ref, "line", mapping)
    opener: Any = gzip.open if compressed else open
    try:
        head = _read_head(path, opener)
    except (OSError, zlib.error) as exc:
        yield (
            _gzip_problem(display, exc)
            if compressed
            else _problem(display, f"cannot read: {exc} (skipped)")
        )
        return
    encoding = next(
        (enc for bom, enc in _BOMS if head.startswith(bom) and enc != "utf-8-sig"), None
    )
    if encoding is not None:
        try:
            codecs.getincrementaldecoder(encoding)().decode(head)
        except UnicodeDecodeError:
            yield _problem(
                display, f"invalid {encoding.upper()} despite its byte-order mark (skipped)"
            )
            return
    if encoding is None and b"\x00" in head:
        encoding = _utf16_without_bom(head)
        if encoding is None:
            yield _problem(display, f"{_binary_message(head)} (skipped)")
            return
        yield _warning(
            display, f"no byte-order mark; read as {encoding.upper()} from its NUL-byte pattern"
        )
    elif encoding is None and _looks_binary(head.decode("utf-8", errors="replace")):
        yield _problem(display, f"{_binary_message(head)} (skipped)")
        return
    if encoding is not None:
        lines: Iterable[bytes | str] = _text_lines(path, opener, encoding)
    else:
        lines = _byte_lines(path, opener)
    loaded_any = False
    latin1_lines: list[int] = []
    try:
        for number, raw in enumerate(lines, 1):
            if number == 1 and isinstance(raw, bytes) and raw.startswith(codecs.BOM_UTF8):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                try:
                    record = json.loads(raw)
                except UnicodeDecodeError:
                    assert isinstance(raw, bytes)
                    record = json.loads(_latin1(raw))  # JSON itself is valid: only the bytes
                    latin1_lines.append(number)
            except ValueError as exc:  # JSONDecodeError
                yield _problem(display, f"invalid JSON ({_one_line(exc)}) (skipped)", number)
                continue
            if not isinstance(record, dict):
                yield _problem(
                    display, f"not a JSON object ({type(record).__name__}) (skipped)", number
                )
                continue
            cols, issues = reader.columns_for(tuple(record))
            if cols is None:
                if not loaded_any:  # the file's columns are unusable: one problem, stop
                    yield from issues
                    return
                yield _problem(display, "no text field (skipped)", number)
                continue
            yield from issues
            loaded_any = True
            yield reader.row(record, cols, number)
    except (OSError, EOFError, zlib.error) as exc:
        yield _gzip_problem(display, exc) if compressed else _problem(display, f"read error: {exc}")
    if latin1_lines:
        yield _warning(
            display,
            f"{len(latin1_lines)} line(s) not valid UTF-8 were read as Latin-1 "
            f"(Windows-1252), e.g. line {latin1_lines[0]}",
        )
    if not loaded_any and reader.cache == {}:
        yield _problem(display, "no JSON objects found (skipped)")


def _read_head(path: Path, opener: Any, size: int = 65536) -> bytes:
    """Up to ``size`` bytes from the start (of a truncated gzip: what there is)."""
    parts: list[bytes] = []
    have = 0
    with opener(path, "rb") as handle:
        try:
            while have < size:
                block = handle.read(min(8192, size - have))
                if not block:
                    break
                parts.append(block)
                have += len(block)
        except EOFError:
            pass  # the line reader meets it again and reports it
    return b"".join(parts)


def _latin1(data: bytes) -> str:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes Windows-1252 leaves undefined
        return data.decode("latin-1")


def _byte_lines(path: Path, opener: Any) -> Iterator[bytes]:
    with opener(path, "rb") as handle:
        yield from handle


def _text_lines(path: Path, opener: Any, encoding: str) -> Iterator[str]:
    with (
        opener(path, "rb") as raw,
        io.TextIOWrapper(raw, encoding=encoding, errors="replace") as handle,
    ):
        yield from handle


_JSON_LIST_KEYS = ("articles", "data", "items", "records", "documents", "docs", "results", "rows")


def _read_json(path: Path, display: str, ref: str, mapping: ColumnMapping) -> Iterator[_Item]:
    text, note, problem = _decode(path.read_bytes())
    if text is None:
        yield _problem(display, f"{problem} (skipped)")
        return
    if note:
        yield _warning(display, note)
    try:
        payload = json.loads(text)
    except ValueError as exc:
        first = text.lstrip()[:1]
        if first == "{" and "\n" in text.strip():  # JSON Lines saved as .json
            yield _warning(display, "not a single JSON document; read as JSON Lines")
            yield from _read_jsonl(path, display, ref, False, mapping)
            return
        yield _problem(display, f"invalid JSON ({_one_line(exc)}) (skipped)")
        return
    records: Any = None
    if isinstance(payload, list):
        records = payload
    elif isinstance(payload, dict):
        for key in _JSON_LIST_KEYS:
            if isinstance(payload.get(key), list):
                records = payload[key]
                break
        else:
            lists = [
                v for v in payload.values() if isinstance(v, list) and v and isinstance(v[0], dict)
            ]
            if len(lists) == 1:
                records = lists[0]
            elif _resolve(tuple(payload), mapping)[0] is not None:
                records = [payload]  # a single article object
    if records is None:
        yield _problem(display, 'expected a list of objects or {"articles": [...]} (skipped)')
        return
    reader = _TableReader(display, ref, "item", mapping)
    loaded_any = False
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict):
            yield _problem(
                display, f"not a JSON object ({type(record).__name__}) (skipped)", number, "item"
            )
            continue
        cols, issues = reader.columns_for(tuple(record))
        if cols is None:
            if not loaded_any:
                yield from issues
                return
            yield _problem(display, "no text field (skipped)", number, "item")
            continue
        yield from issues
        loaded_any = True
        yield reader.row(record, cols, number)
    if not records:
        yield _problem(display, "no articles in the JSON (skipped)")


def _read_parquet(
    path: Path, display: str, ref: str, mapping: ColumnMapping, chunk_size: int
) -> Iterator[_Item]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        yield _problem(display, f"not a valid Parquet file ({_one_line(exc)}) (skipped)")
        return
    names = tuple(parquet.schema_arrow.names)
    reader = _TableReader(display, ref, "row", mapping)
    cols, issues = reader.columns_for(names)
    yield from issues
    if cols is None:
        return
    number = 0
    try:
        for batch in parquet.iter_batches(batch_size=max(chunk_size, 1024)):
            frame = batch.to_pandas()
            for record in frame.to_dict("records"):
                number += 1
                yield reader.row(record, cols, number)
    except (pa.ArrowException, OSError, ValueError) as exc:
        yield _problem(display, f"cannot read Parquet data after row {number} ({_one_line(exc)})")
    if number == 0:
        yield _problem(display, "no rows (skipped)")


_SKIPPING = re.compile(r"Skipping line (\d+): (.*)")


def _read_csv(
    path: Path, display: str, ref: str, suffix: str, mapping: ColumnMapping, chunk_size: int
) -> Iterator[_Item]:
    compressed = suffix.endswith(".gz")
    opener: Any = gzip.open if compressed else open
    try:
        encoding, note, problem = _sniff_encoding(path, opener)
    except (OSError, EOFError, zlib.error) as exc:
        if compressed:
            yield _gzip_problem(display, exc)
        else:
            yield _problem(display, f"cannot read: {exc} (skipped)")
        return
    if encoding is None:
        yield _problem(display, f"{problem} (skipped)")
        return
    if note:
        yield _warning(display, note)
    sep = "\t" if suffix.startswith(".tsv") else _sniff_delimiter(path, opener, encoding)
    options: dict[str, Any] = {
        "sep": sep,
        "encoding": encoding,
        "encoding_errors": "replace",
        "compression": "gzip" if compressed else None,
        "keep_default_na": False,
        "na_values": [""],
        "on_bad_lines": "warn",
    }
    try:
        header = pd.read_csv(path, nrows=0, **options)
    except pd.errors.EmptyDataError:
        yield _problem(display, "empty file (skipped)")
        return
    except (ValueError, pd.errors.ParserError, OSError, EOFError, zlib.error) as exc:
        yield _problem(display, f"cannot parse CSV ({_one_line(exc)}) (skipped)")
        return
    names = tuple(map(str, header.columns))
    reader = _TableReader(display, ref, "row", mapping)
    cols, issues = reader.columns_for(names)
    yield from issues
    if cols is None:
        return
    as_text = [
        c
        for c in (cols.text, cols.outlet, cols.title, cols.date, cols.url, cols.id)
        if c is not None
    ]
    dtype = {c: str for c in as_text}
    skip: set[int] = set()  # physical lines left out: rows whose quote never closes
    dropped: list[int] = []  # their record numbers in the parser's numbering (header 0)
    reported: set[int] = set()  # malformed lines already reported
    number = 0  # rows yielded
    while True:
        seen = 0  # rows read in this pass; a pass after a skipped line starts again
        stream = _SkipLines(path, opener, encoding, skip) if skip else None
        read_options = options if stream is None else _stream_options(options)
        lines = _RecordLines(path, opener, encoding, sep, skip)
        try:
            chunks = pd.read_csv(stream or path, dtype=dtype, chunksize=chunk_size, **read_options)
            while True:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always", pd.errors.ParserWarning)
                    try:
                        frame = next(chunks)
                    except StopIteration:
                        break
                for warning in caught:
                    message = str(warning.message)
                    for issue in _bad_line_problems(display, message, dropped, lines):
                        line = issue.problem.line
                        if line is None or line not in reported:
                            if line is not None:
                                reported.add(line)
                            yield issue
                for record in frame.to_dict("records"):
                    seen += 1
                    if seen <= number:
                        continue
                    number += 1
                    yield reader.row(record, cols, number)
            break
        except pd.errors.ParserError as exc:
            match = _EOF_IN_QUOTE.search(str(exc))
            bad_record = int(match.group(1)) if match else -1
            found = None
            if bad_record > 0 and len(skip) < _MAX_UNTERMINATED:
                found = _record_start_line(path, opener, encoding, sep, skip, bad_record)
            if found is None or found in skip:
                yield _problem(
                    display,
                    f"cannot parse CSV after row {number} ({_one_line(exc)}); "
                    "the rest of the file skipped",
                )
                break
            skip.add(found)
            dropped.append(_original_record(bad_record, dropped))
            dropped.sort()
            yield _problem(
                display,
                "unterminated quoted field (its quote runs to the end of the file); "
                "this line skipped, the lines after it read",
                found,
            )
        except (ValueError, OSError, EOFError, zlib.error) as exc:
            yield _problem(
                display,
                f"cannot parse CSV after row {number} ({_one_line(exc)}); "
                "the rest of the file skipped",
            )
            break
        finally:
            lines.close()
            if stream is not None:
                stream.close()
    if number == 0:
        yield _problem(display, "no rows (skipped)")


_EOF_IN_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")
#: Unterminated quotes skipped in one file before the rest of it is given up.
_MAX_UNTERMINATED = 20


def _stream_options(options: dict[str, Any]) -> dict[str, Any]:
    """read_csv options for an already decoded text stream."""
    drop = ("encoding", "encoding_errors", "compression")
    return {k: v for k, v in options.items() if k not in drop}


def _original_record(record: int, dropped: Sequence[int]) -> int:
    """A record number of the parser on a stream without ``dropped`` records
    (sorted, original numbering), in the original file's numbering."""
    for d in dropped:
        if record >= d:
            record += 1
    return record


class _SkipLines:
    """A text file read without some of its physical lines (1-based numbers).

    Lines are split as the CSV parser splits them (``\\n``, ``\\r\\n`` or
    ``\\r``) and handed on with their endings unchanged.
    """

    def __init__(self, path: Path, opener: Any, encoding: str, skip: set[int]) -> None:
        self._handle = io.TextIOWrapper(
            opener(path, "rb"), encoding=encoding, errors="replace", newline=""
        )
        self._skip = frozenset(skip)
        self._line = 0
        self._pending = ""

    def numbered(self) -> Iterator[tuple[int, str]]:
        """``(line number, line)`` of every line not skipped."""
        while True:
            line = self._handle.readline()
            if not line:
                return
            self._line += 1
            if self._line not in self._skip:
                yield self._line, line

    def read(self, size: int | None = -1) -> str:
        parts = [self._pending]
        have = len(self._pending)
        if size is None or size < 0:
            parts.extend(line for _, line in self.numbered())
            self._pending = ""
            return "".join(parts)
        for _, line in self.numbered():
            parts.append(line)
            have += len(line)
            if have >= size:
                break
        data = "".join(parts)
        self._pending = data[size:]
        return data[:size]

    def __iter__(self) -> Iterator[str]:
        return (line for _, line in self.numbered())

    def close(self) -> None:
        self._handle.close()


class _RecordLines:
    """Physical lines of the CSV parser's records, found in one forward pass.

    Records are numbered as the parser numbers them (header 0, blank lines
    counted, lines in ``skip`` left out); line numbers are the file's own.
    """

    def __init__(self, path: Path, opener: Any, encoding: str, sep: str, skip: set[int]) -> None:
        self._args = (path, opener, encoding, skip)
        self._sep = sep
        self._stream: _SkipLines | None = None
        self._reader: Iterator[list[str]] | None = None
        self._record = -1  # last record read
        self._first: int | None = None
        self._last = 0

    def _lines(self, stream: _SkipLines) -> Iterator[str]:
        for number, line in stream.numbered():
            if self._first is None:
                self._first = number
            self._last = number
            yield line

    def span(self, record: int) -> tuple[int, int] | None:
        """``(first, last)`` line of ``record``; None past the end or on a csv error."""
        import csv

        if self._reader is None or record <= self._record:
            self.close()
            self._stream = _SkipLines(*self._args)
            self._reader = csv.reader(self._lines(self._stream), delimiter=self._sep)
            self._record = -1
        old_limit = csv.field_size_limit()
        csv.field_size_limit(2**31 - 1)
        try:
            while self._record < record:
                self._first = None
                next(self._reader)
                self._record += 1
        except (StopIteration, csv.Error):
            self.close()
            return None
        finally:
            csv.field_size_limit(old_limit)
        return (self._first or self._last, self._last)

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
        self._stream = None
        self._reader = None


def _record_start_line(
    path: Path, opener: Any, encoding: str, sep: str, skip: set[int], record: int
) -> int | None:
    """Physical line (of the file) where the parser's record ``record`` starts.

    ``record`` counts as the CSV parser does: the header is 0 and blank
    lines count; lines in ``skip`` are left out as they were for the parser.
    None when the file has fewer records.
    """
    import csv

    stream = _SkipLines(path, opener, encoding, skip)
    current = [0]

    def lines() -> Iterator[str]:
        for no, line in stream.numbered():
            current[0] = no
            yield line

    source = lines()
    old_limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)
    try:
        reader = csv.reader(source, delimiter=sep)
        for _ in range(record):
            next(reader)
        next(source)  # the first line of the record
        return current[0]
    except (StopIteration, csv.Error):
        return None
    finally:
        csv.field_size_limit(old_limit)
        stream.close()


def _bad_line_problems(
    display: str,
    message: str,
    dropped: Sequence[int] = (),
    lines: _RecordLines | None = None,
) -> Iterator[_Issue]:
    for part in message.strip().splitlines():
        match = _SKIPPING.match(part.strip())
        if match:
            # The parser's "line N" is its record N - 1 (header 0); count the
            # records taken out of the stream back in.
            record = int(match.group(1)) - 1
            line = _original_record(record, dropped) + 1
            where = ""
            span = lines.span(record) if lines is not None else None
            if span is not None and span[1] > span[0]:
                where = (
                    f"; it runs over lines {span[0]}-{span[1]} of the file "
                    "(a quote that does not close where it should?)"
                )
            elif span is not None and span[0] != line:
                where = f"; it is line {span[0]} of the file"
            yield _problem(display, f"malformed CSV line: {match.group(2)}{where} (skipped)", line)
        elif part.strip():
            yield _warning(display, part.strip())


def _sniff_delimiter(path: Path, opener: Any, encoding: str) -> str:
    with opener(path, "rb") as handle:
        first = (
            handle.read(65536).decode(encoding, errors="replace").lstrip("\ufeff").split("\n", 1)[0]
        )
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] > counts[","] else ","


#: Bytes of HTML allowed per character of the article limit (markup included).
_HTML_BYTES_PER_CHAR = 10


def _too_long_text(n: int, max_chars: int) -> str:
    return (
        f"text is {n:,} characters, over the {max_chars:,}-character limit for one "
        "article (a whole corpus in one file? split it into articles) (skipped)"
    )


def _too_long_file(size: int, max_chars: int) -> str:
    return (
        f"file is {size / 1e6:,.1f} MB, too large for one article (limit: {max_chars:,} "
        "characters; a whole corpus in one file? split it into articles) (skipped)"
    )


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200] + ("..." if len(text) > 200 else "")


# --- dates ---------------------------------------------------------------------

_ISO_DAY = r"^\s*(\d{4}-\d{2}-\d{2})(?:$|[T\s])"
_DOTTED = re.compile(r"\s*\d{1,2}\.\d{1,2}\.\d{2,4}\b.*")
_DEFAULT_A = datetime(2000, 1, 1)
_DEFAULT_B = datetime(2001, 2, 2)


def _parse_one_date(value: Any) -> pd.Timestamp | None:
    """One value to a day, or None if it is not a complete date."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (pd.Timestamp, datetime, date)):
        ts = pd.Timestamp(value)
        if ts is pd.NaT:
            return None
        if ts.tzinfo is not None:
            ts = ts.tz_localize(None)  # keep the wall-clock day the source printed
        return ts.normalize()
    if isinstance(value, (int, float)):
        return _epoch(float(value))
    text = str(value).strip()
    if not text:
        return None
    if text.isdigit():
        return _epoch(float(text))
    from dateutil import parser as dateparser

    dayfirst = bool(_DOTTED.fullmatch(text))
    try:
        first = dateparser.parse(text, default=_DEFAULT_A, dayfirst=dayfirst)
        second = dateparser.parse(text, default=_DEFAULT_B, dayfirst=dayfirst)
    except (ValueError, OverflowError, TypeError):
        return None
    if first.date() != second.date():  # year, month or day was not in the text
        return None
    return pd.Timestamp(first.replace(tzinfo=None)).normalize()


def _safe_parse_date(value: Any) -> pd.Timestamp | None:
    try:
        return _parse_one_date(value)
    except (ValueError, OverflowError, TypeError, pd.errors.OutOfBoundsDatetime):
        return None


def _epoch(number: float) -> pd.Timestamp | None:
    if math.isnan(number):
        return None
    if 1e9 <= number < 1e11:
        return pd.Timestamp(number, unit="s").normalize()
    if 1e11 <= number < 1e14:
        return pd.Timestamp(number, unit="ms").normalize()
    return None


def _parse_dates(values: Sequence[Any]) -> tuple[pd.Series, list[int]]:
    """Days (datetime64[us], NaT where missing) and the positions that were unreadable."""
    raw = pd.Series(values, dtype=object)
    result = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]")
    present = raw.map(lambda v: not _is_missing(v) and not (isinstance(v, str) and not v.strip()))
    if not present.any():
        return result, []
    is_text = raw.map(lambda v: isinstance(v, str)) & present
    if is_text.any():
        texts = raw[is_text].astype(str)
        iso = texts.str.extract(_ISO_DAY, expand=False)
        days = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce")
        result.loc[days.index] = days.astype("datetime64[us]")
    todo = present & result.isna()
    bad: list[int] = []
    if todo.any():
        cache: dict[Any, pd.Timestamp | None] = {}
        for position in todo[todo].index:
            value = raw.iat[position]
            if isinstance(value, (str, int, float)):
                if value not in cache:
                    cache[value] = _safe_parse_date(value)
                parsed = cache[value]
            else:
                parsed = _safe_parse_date(value)
            if parsed is None:
                bad.append(position)
            else:
                result.iat[position] = parsed
    return result, bad


# --- assembling rows into the articles table -----------------------------------------


def _empty_duplicates() -> pd.DataFrame:
    return pd.DataFrame(
        {
            ARTICLE_ID: pd.Series(dtype="str"),
            SOURCE_REF: pd.Series(dtype="str"),
            "duplicate_of": pd.Series(dtype="str"),
        }
    )


def _text_value(value: Any) -> str:
    """A non-string text cell as text: paragraphs in a list are joined."""
    if _is_missing(value):
        return ""
    if isinstance(value, (list, tuple)):
        return "\n\n".join(str(v) for v in value if not _is_missing(v))
    return str(value)


def _valid_text(text: str) -> str:
    """Text that encodes as UTF-8 (lone surrogates from bad JSON become U+FFFD)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


class _Assembler:
    """Cleans, identifies and de-duplicates rows; remembers ids across chunks."""

    def __init__(self, *, clean: bool, max_chars: int | None = MAX_ARTICLE_CHARS) -> None:
        self.clean = clean
        self.max_chars = max_chars
        self.seen: dict[str, str] = {}  # article_id -> source_ref of its first copy

    def build(self, rows: list[_Row], issues: list[_Issue]) -> LoadResult:
        problems = [i.problem for i in issues if not i.is_warning]
        warns = [i.problem for i in issues if i.is_warning]
        cols: dict[str, list[Any]] = {name: [] for name in ARTICLE_COLUMNS}
        dates: list[Any] = []
        extras: list[dict[str, Any]] = []
        sources: list[str] = []
        dups: list[tuple[str, str, str]] = []
        dup_sources: list[str] = []
        missing_ids: dict[str, int] = {}
        folder_outlets: dict[str, int] = {}
        seen = self.seen
        for row in rows:
            raw = row.text
            if not isinstance(raw, str):
                raw = _text_value(raw)
            if not raw.strip():
                problems.append(
                    InputProblem(row.source, "empty text (skipped)", row.line, row.unit)
                )
                continue
            if self.clean:
                cleaned = clean_text(raw)
                text, removed = cleaned.text, "\n".join(cleaned.removed)
            else:
                text, removed = raw, ""
            if not text:
                problems.append(
                    InputProblem(
                        row.source,
                        "empty text after cleaning (only site furniture) (skipped)",
                        row.line,
                        row.unit,
                    )
                )
                continue
            if self.max_chars is not None and len(text) > self.max_chars:
                problems.append(
                    InputProblem(
                        row.source, _too_long_text(len(text), self.max_chars), row.line, row.unit
                    )
                )
                continue
            text = _valid_text(text)
            outlet = _valid_text(row.outlet) if row.outlet else UNKNOWN_OUTLET
            if row.given_id is not None:
                aid = row.given_id
                first = seen.get(aid)
                if first is not None:
                    problems.append(
                        InputProblem(
                            row.source,
                            f"duplicate id '{aid}' (first at {first}) (skipped)",
                            row.line,
                            row.unit,
                        )
                    )
                    continue
            else:
                if row.id_expected:
                    missing_ids[row.source] = missing_ids.get(row.source, 0) + 1
                aid = article_id(outlet, text)
                first = seen.get(aid)
                if first is not None:
                    dups.append((aid, row.source_ref, first))
                    dup_sources.append(row.source)
                    continue
            seen[aid] = row.source_ref
            if row.outlet_from_folder is not None:
                folder = str(Path(row.source).parent)
                folder_outlets[folder] = folder_outlets.get(folder, 0) + 1
            title = row.title
            if not title and row.headline_fallback is not None:
                title = _headline(text) or row.headline_fallback
            cols[ARTICLE_ID].append(aid)
            cols[OUTLET].append(outlet)
            cols[TITLE].append(title)
            cols[URL].append(row.url)
            cols[TEXT].append(text)
            cols[SOURCE_REF].append(row.source_ref)
            cols[REMOVED].append(removed)
            dates.append(row.published)
            extras.append(row.extras)
            sources.append(row.source)
        for source, count in missing_ids.items():
            warns.append(
                InputProblem(
                    source, f"{count} row(s) without an id; their article_id is the content hash"
                )
            )
        for folder, count in folder_outlets.items():
            warns.append(
                InputProblem(
                    folder,
                    f"{count} file(s) name no outlet (no manifest row, no page metadata); "
                    "outlet set to the folder name",
                )
            )
        published, bad = _parse_dates(dates)
        if bad:
            by_source: dict[str, list[int]] = {}
            for position in bad:
                by_source.setdefault(sources[position], []).append(position)
            for source, positions in by_source.items():
                example = dates[positions[0]]
                warns.append(
                    InputProblem(
                        source,
                        f"{len(positions)} unreadable date(s) set to null, "
                        f"e.g. {str(example)[:40]!r}",
                    )
                )
        data: dict[str, Any] = {
            name: pd.Series(cols[name], dtype="str") for name in ARTICLE_COLUMNS
        }
        data[PUBLISHED] = published
        frame = pd.DataFrame(data, columns=list(ARTICLE_COLUMNS))
        if any(extras):
            extra_frame = pd.DataFrame.from_records(extras, index=frame.index)
            frame = pd.concat([frame, extra_frame], axis=1)
        duplicates = (
            pd.DataFrame(dups, columns=[ARTICLE_ID, SOURCE_REF, "duplicate_of"])
            if dups
            else _empty_duplicates()
        )
        if dups:
            names = sorted(set(dup_sources))
            warns.append(
                InputProblem(
                    ", ".join(names[:3]) + (" ..." if len(names) > 3 else ""),
                    _dup_message(len(dups)),
                )
            )
        return LoadResult(frame, problems, warns, duplicates)
