"""The store: scored articles kept in an embedded DuckDB file.

A corpus scored once is never scored again: every result is stored under
the hash of the article's cleaned text and the key of what produced it, so

* a re-run over an unchanged corpus only reads what is stored;
* adding articles scores only the new ones;
* a run killed at any moment (even SIGKILL) loses nothing it had committed:
  each batch of articles is written in one transaction together with its
  "done" markers, so an article is either complete or absent, and the next
  run resumes where the last one stopped;
* a lexicon edit re-scores only the lexicon columns, from the stored hits
  and only the articles the edit can change (see :meth:`Store.ensure_lexicons`).

Keys
----
``text_hash``
    SHA-256 of the cleaned text (16 hex digits): scores do not depend on the
    outlet or the id, so one text is scored once however many rows carry it.
``core_key``
    :func:`analytics.pipeline.core_key`: the extractor versions (slantscope's
    scorer, vaderSentiment, textstat, the actor set, the hashes of the shipped
    hedge and target models) behind the sentiment,
    readability, text and actor columns, the sentences and the mentions.
``lexicon_hash``
    The hash of the lexicon whose hits a row holds.  Lexicon columns
    (``hedge_per_1k``, ``framing_<category>_per_1k``...) are not stored: they
    are counted from the stored hits whenever they are read, by the same
    function the scorer uses (:func:`analytics.features.rates.lexicon_rates`).

Tables: ``articles`` (one row per article id: labels, metadata, text hash,
input order), ``texts`` (cleaned text and what cleaning removed),
``scores``, ``sentences``, ``mentions`` (by text hash and core key),
``hits`` (by text hash and lexicon hash), ``lexicon_done`` (which texts
have been matched with which lexicon, including those with no hit) and
``lexicons`` (every lexicon used, as TOML, so an edit can be compared with
what was stored).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analytics import schema
from analytics.features.rates import families_and_categories, rate_columns, rate_frame
from analytics.lexicons import Lexicon
from analytics.paths import cache_dir
from analytics.rematch import LexiconEdit, StoredSentences, lexicon_edit

if TYPE_CHECKING:  # pragma: no cover
    import duckdb

SCHEMA_VERSION = "1"
STORE_SUFFIXES = (".duckdb", ".db")

#: Text-valued score columns (a batch where all are null must still store text).
_TEXT_METRICS = frozenset({schema.READABILITY_FLAG})

#: Texts looked at in one pass over the stored texts when a lexicon edit is
#: matched again...
_REMATCH_GROUP = 100_000
#: ... read in batches of this many (DuckDB reads the next ones ahead while
#: Python searches these)...
_REMATCH_READ = 1_000
#: ... and matched with their stored hits and sentences this many at once.
_REMATCH_CHUNK = 10_000

#: Columns of the article table that are not labels.
_NOT_LABELS = (schema.TEXT, schema.REMOVED)


@dataclass
class _Rematched:
    """What :meth:`Store._rematch` found: complete hit rows of the texts in
    ``replaced`` (their stored hits are not copied), rows ``added`` to the
    stored hits of other texts (numbered from ``next_n``), and how many
    texts were read and matched."""

    rows: list[tuple[Any, ...]] = field(default_factory=list)
    added: list[tuple[Any, ...]] = field(default_factory=list)
    next_n: dict[str, int] = field(default_factory=dict)
    replaced: set[str] = field(default_factory=set)
    matched: int = 0


class _Near:
    """An edit of one family as :meth:`Store._rematch_batch` applies it."""

    def __init__(self, lexicons: Sequence[Lexicon], base_key: str | None,
                 moved: dict[tuple[str, str], str], dropped: set[tuple[str, str]],
                 edit: LexiconEdit | None, by_hits: set[str]) -> None:
        from analytics.features.lexicon import LexiconMatcher
        from analytics.rematch import longest_form

        self.lexicons = lexicons
        self.family = lexicons[0].family if lexicons else ""
        self.base_key, self.moved, self.dropped = base_key, moved, dropped
        self.edit, self.by_hits = edit, by_hits
        self.matcher = LexiconMatcher(lexicons)
        self.max_len = longest_form(lexicons)
        #: The one-word added forms placed directly, when the edit only adds such.
        self.simple = edit.simple if edit is not None and base_key is not None else None


def _moved_frame(moved: dict[tuple[str, str], str]) -> pd.DataFrame:
    """Moved terms, ``(category, term) -> new category``, as SQL's ``_m``."""
    return pd.DataFrame([(c, t, n) for (c, t), n in moved.items()],
                        columns=["old", "term", "new"]).astype(str)


def _dropped_frame(dropped: set[tuple[str, str]]) -> pd.DataFrame:
    """Dropped ``(category, term)`` pairs, as SQL's ``_d``."""
    return pd.DataFrame(sorted(dropped), columns=["category", "term"]).astype(str)


#: The stored hits ``h`` that copying keeps: not of a dropped term (``_d``).
_KEPT = "NOT EXISTS (SELECT 1 FROM _d WHERE _d.category = h.category AND _d.term = h.term)"


#: Character offsets of several texts as one ordered key: the text's
#: position in its batch times this, plus the offset (texts are shorter).
_TEXT_STRIDE = 1 << 32


def _positions(ranks: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """The keys of ``offsets`` in the texts ``ranks``, ordered as the pairs."""
    return ranks * _TEXT_STRIDE + offsets


def _bounds(ranks: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``lo, hi``: the rows ``lo[k]:hi[k]`` of sorted ``ranks`` equal to
    ``k``, for each ``k < n``."""
    every = np.arange(n)
    return np.searchsorted(ranks, every, side="left"), np.searchsorted(ranks, every, side="right")


@dataclass
class _Spans:
    """Stored hits of a batch of texts (:meth:`Store._stored_spans`): their
    starts as :func:`_positions` (in order; one text's hits do not overlap)
    and ends, and per text the number after its last ``n`` (0 when none)."""

    keys: np.ndarray
    ends: np.ndarray
    next_n: np.ndarray

    def overlapping(self, ranks: np.ndarray, starts: np.ndarray,
                    ends: np.ndarray) -> np.ndarray:
        """Whether each range ``[starts, ends)`` of the text ``ranks``
        overlaps a stored hit of that text: whether the text's last hit
        starting before the range's end ends after its start."""
        if not len(self.keys):
            return np.zeros(len(ranks), dtype=bool)
        j = np.searchsorted(self.keys, _positions(ranks, ends), side="left") - 1
        at = np.maximum(j, 0)
        return (j >= 0) & (self.keys[at] // _TEXT_STRIDE == ranks) & (self.ends[at] > starts)


@dataclass
class _Sentences:
    """Stored sentences of a batch of texts (:meth:`Store._sentences`): the
    starts as :func:`_positions` (in order), ends and quoted shares (NaN when
    null) of the texts whose sentences are ``usable``, the rows
    ``lo[k]:hi[k]`` being those of the text ``k``."""

    keys: np.ndarray
    ends: np.ndarray
    quoted: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    usable: np.ndarray

    def of(self, k: int) -> StoredSentences:
        """The sentences of the text ``k`` (usable ones)."""
        lo, hi = int(self.lo[k]), int(self.hi[k])
        return StoredSentences((self.keys[lo:hi] - k * _TEXT_STRIDE).tolist(),
                               self.ends[lo:hi].tolist(), self.quoted[lo:hi].tolist(),
                               0, hi - lo)

    def locate(self, ranks: np.ndarray, offsets: np.ndarray
               ) -> tuple[list[int | None], list[float]]:
        """For each offset of a text (``ranks``, with usable sentences), its
        sentence number and the quoted share of that sentence, as
        :func:`analytics.rematch.hit_rows` takes them: the last sentence
        starting at or before the offset, else the first, None when the text
        has none; the share NaN when the offset is not inside the sentence."""
        lo, hi = self.lo[ranks], self.hi[ranks]
        has = hi > lo
        if not has.any():
            return [None] * len(ranks), [float("nan")] * len(ranks)
        found = np.searchsorted(self.keys, _positions(ranks, offsets), side="right") - 1
        k = np.where(has, np.maximum(lo, found), 0)
        inside = has & (self.keys[k] <= _positions(ranks, offsets)) & (offsets < self.ends[k])
        index = [i if h else None for i, h in zip((k - lo).tolist(), has.tolist(), strict=True)]
        return index, np.where(inside, self.quoted[k], np.nan).tolist()


class StoreError(Exception):
    """The store cannot be opened or used; the message names the file."""


def default_store_path() -> Path:
    """``$SLANTSCOPE_STORE``, else ``<cache dir>/slantscope/store.duckdb``.

    The cache directory is ``$XDG_CACHE_HOME`` or ``~/.cache``.
    """
    env = os.environ.get("SLANTSCOPE_STORE")
    if env:
        return Path(env).expanduser()
    return cache_dir() / "store.duckdb"


def is_store_path(path: str | Path) -> bool:
    """Whether ``path`` names a store (by its extension)."""
    return Path(path).suffix.lower() in STORE_SUFFIXES


def text_hash(text: str) -> str:
    """Key of a cleaned text: 16 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def family_key(lexicons: Sequence[Lexicon]) -> str:
    """Key of the lexicons of one family: the hash, or the hashes joined."""
    return "+".join(lx.hash for lx in lexicons)


def by_family(lexicons: Sequence[Lexicon]) -> dict[str, list[Lexicon]]:
    """Lexicons grouped by family, in order."""
    out: dict[str, list[Lexicon]] = {}
    for lx in lexicons:
        out.setdefault(lx.family, []).append(lx)
    return out


def _sql_list(values: Iterable[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _normalise(df: pd.DataFrame) -> pd.DataFrame:
    """Column types DuckDB infers the same way every time.

    An object column holding only numbers and nulls (a metric that is null in
    a whole batch) becomes float; any other object column becomes text.
    """
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if c in _TEXT_METRICS:
            out[c] = s.astype("string")
        elif s.dtype == object:
            values = s.dropna()
            if values.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)).all():
                out[c] = pd.to_numeric(s, errors="coerce").astype("float64")
            else:
                out[c] = s.astype("string")
    return out


def _typed_columns(columns: dict[str, Sequence[Any]]) -> Any:
    """Columns of Python values as a table for :meth:`Store._append`.

    An Arrow table when every column converts to the type that pandas'
    inference followed by :func:`_normalise` would give it (whole numbers,
    numbers with nulls as floats, NaN as null, text, booleans, a column of
    nulls as float or text), built without pandas' row-by-row object
    conversion (several times faster on the hundreds of thousands of rows a
    scoring run writes); otherwise the pandas DataFrame, for ``_normalise``.
    """
    import pyarrow as pa

    arrays = []
    for name, values in columns.items():
        try:
            arr = pa.array(values, from_pandas=True)
        except (pa.ArrowException, TypeError, ValueError, OverflowError):
            return pd.DataFrame(columns)
        kind = arr.type
        if name in _TEXT_METRICS and (pa.types.is_null(kind) or pa.types.is_string(kind)):
            arr = arr.cast(pa.string())
        elif pa.types.is_null(kind) or (pa.types.is_integer(kind) and arr.null_count):
            arr = arr.cast(pa.float64())
        elif not (pa.types.is_string(kind) or pa.types.is_float64(kind)
                  or pa.types.is_int64(kind) or (pa.types.is_boolean(kind)
                                                 and not arr.null_count)):
            return pd.DataFrame(columns)  # e.g. booleans with nulls: text, as pandas has it
        arrays.append(arr)
    return pa.table(arrays, names=list(columns))


def _names(df: Any) -> list[str]:
    """Column names of a DataFrame or an Arrow table."""
    return list(df.columns) if isinstance(df, pd.DataFrame) else list(df.column_names)


def _row_columns(rows: Sequence[Sequence[Any]], names: Sequence[str]) -> dict[str, Sequence[Any]]:
    """Rows (tuples in the order of ``names``) as columns (one ``itemgetter``
    pass per column: about 3x faster than ``zip(*rows)`` on a run's rows)."""
    from operator import itemgetter

    return {name: list(map(itemgetter(i), rows)) for i, name in enumerate(names)}


def _keyed_table(rows: Sequence[Sequence[Any]], names: Sequence[str], core: str) -> Any:
    """Result rows (the article id, which is the text hash, first) as stored:
    ``text_hash``, ``core_key``, then the other columns."""
    cols = _row_columns(rows, names)
    return _typed_columns({"text_hash": cols.pop(schema.ARTICLE_ID),
                           "core_key": [core] * len(rows), **cols})


class Store:
    """An open store.  Use as a context manager, or call :meth:`close`.

    Parameters
    ----------
    path : the DuckDB file (created with its folder when missing).
    read_only : open without the right to write (several processes may
        read one store at once; only one may write).
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        import duckdb

        self.path = Path(path)
        self.read_only = read_only
        self._column_cache: dict[str, list[str]] = {}
        if not read_only:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot create the store's folder ({exc})") from exc
        elif not self.path.exists():
            raise StoreError(f"{self.path}: no such store")
        try:
            self.con: duckdb.DuckDBPyConnection = duckdb.connect(
                str(self.path), read_only=read_only
            )
        except (duckdb.Error, OSError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            low = first.lower()
            if "lock" in low:
                first = "the store is in use by another process"
            elif "different configuration" in low:
                first = "the store is already open in this program, read-write or read-only"
            elif "not a valid" in low or "database file" in low:
                first = "not a slantscope store (not a DuckDB file)"
            raise StoreError(f"{self.path}: cannot open the store ({first})") from exc
        # A bounded buffer: big sorts and joins spill to disk instead of
        # growing with the corpus (memory stays flat from thousands to
        # millions of articles).
        self._run(f"SET memory_limit = '{os.environ.get('SLANTSCOPE_STORE_MEMORY', '256MB')}'")
        if not read_only:
            # Checkpoints (moving the write-ahead log into the file) come
            # after 64 MB of log rather than DuckDB's 16 MB: each one
            # recompresses the tables' last, partly filled row groups, so
            # fewer of them cost less in all (a 2,000-article run writes
            # about 45 MB of log).
            self._run("SET wal_autocheckpoint = '64MB'")
            self._create()
        elif not self._has_table("info"):
            self.close()
            raise StoreError(f"{self.path}: not a slantscope store (no info table)")
        #: The last frame of :meth:`_core_scores` for all articles, with its key.
        self._core_cache: tuple[tuple[Any, ...], pd.DataFrame] | None = None
        #: The last counts of :meth:`_hit_counts` for all articles, per lexicon key.
        self._count_cache: dict[str, tuple[Any, ...]] = {}

    # --- life cycle -----------------------------------------------------------------

    @contextlib.contextmanager
    def one_thread(self) -> Iterator[None]:
        """DuckDB on one thread for the block: while scoring, the workers
        have the cores, and DuckDB's own threads would only take CPU time from
        them (its inserts and commits gain little from a second thread)."""
        old = self.con.execute("SELECT current_setting('threads')").fetchall()[0][0]
        self._run("SET threads = 1")
        try:
            yield
        finally:
            self._run(f"SET threads = {int(old)}")

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing twice is harmless
            self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _create(self) -> None:
        self._run("CREATE TABLE IF NOT EXISTS info (key VARCHAR, value VARCHAR)")
        if not self.con.execute("SELECT value FROM info WHERE key = 'schema'").fetchall():
            self._run("INSERT INTO info VALUES ('schema', ?)", [SCHEMA_VERSION])
        self._run("""CREATE TABLE IF NOT EXISTS articles (
            article_id VARCHAR, text_hash VARCHAR, seq BIGINT)""")
        self._run("CREATE TABLE IF NOT EXISTS texts (text_hash VARCHAR, text VARCHAR, "
                  "removed VARCHAR)")
        self._run("""CREATE TABLE IF NOT EXISTS lexicon_done (
            text_hash VARCHAR, lexicon_hash VARCHAR)""")
        self._run("""CREATE TABLE IF NOT EXISTS lexicons (
            lexicon_hash VARCHAR, family VARCHAR, name VARCHAR, version VARCHAR,
            toml VARCHAR, added BIGINT)""")
        self._run("""CREATE TABLE IF NOT EXISTS hits (
            text_hash VARCHAR, lexicon_hash VARCHAR, n INTEGER, family VARCHAR,
            category VARCHAR, term VARCHAR, matched_text VARCHAR, start BIGINT,
            "end" BIGINT, sentence_index BIGINT, in_quote BOOLEAN)""")

    @contextlib.contextmanager
    def _registered(self, name: str, df: Any) -> Iterator[None]:
        """``df`` visible to SQL as ``name`` for the duration of a ``with`` block."""
        self.con.register(name, df)
        try:
            yield
        finally:
            self.con.unregister(name)

    def _run(self, sql: str, params: Sequence[Any] | None = None) -> None:
        """Execute a statement and finish its result (DuckDB wants every
        result consumed before the connection does anything else)."""
        self.con.execute(sql, params).fetchall()

    def _has_table(self, name: str) -> bool:
        if name in self._column_cache:
            return True
        rows = self.con.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchall()
        return bool(rows)

    def _columns(self, table: str) -> list[str]:
        """The table's columns (remembered: only this connection writes the
        store, and :meth:`_append` forgets a table whose columns it changes)."""
        cols = self._column_cache.get(table)
        if cols is None:
            if not self._has_table(table):
                return []
            cols = [r[0] for r in self.con.execute(f'DESCRIBE "{table}"').fetchall()]
            self._column_cache[table] = cols
        return list(cols)

    def _append(self, table: str, df: Any) -> None:
        """Insert ``df`` (a DataFrame, or an Arrow table from
        :func:`_typed_columns`) by column name, creating the table or adding
        columns."""
        if isinstance(df, pd.DataFrame):
            if df.empty and self._has_table(table):
                return
            df = _normalise(df)
        elif df.num_rows == 0 and self._has_table(table):
            return
        with self._registered("_incoming", df):
            if not self._has_table(table):
                self._run(f'CREATE TABLE "{table}" AS SELECT * FROM _incoming LIMIT 0')
            have = set(self._columns(table))
            missing = [col for col in _names(df) if col not in have]
            if missing:
                described = self.con.execute("DESCRIBE SELECT * FROM _incoming").fetchall()
                types = {r[0]: r[1] for r in described}
                for col in missing:
                    kind = types[col] if types[col] != '"NULL"' else "DOUBLE"
                    self._run(f'ALTER TABLE "{table}" ADD COLUMN "{col}" {kind}')
                self._column_cache.pop(table, None)
            self._run(f'INSERT INTO "{table}" BY NAME SELECT * FROM _incoming')

    # --- what is there ----------------------------------------------------------------

    def core_keys(self) -> list[str]:
        """Core keys with stored scores, most articles first."""
        if not self._has_table("scores"):
            return []
        rows = self.con.execute(
            "SELECT core_key FROM scores GROUP BY core_key ORDER BY count(*) DESC, core_key"
        ).fetchall()
        return [r[0] for r in rows]

    def scored_hashes(self, hashes: Sequence[str], core: str) -> set[str]:
        """The ``hashes`` that have stored scores under ``core``."""
        if not hashes or not self._has_table("scores"):
            return set()
        with self._registered("_h", pd.DataFrame({"text_hash": list(hashes)})):
            rows = self.con.execute(
                "SELECT DISTINCT s.text_hash FROM scores s JOIN _h USING (text_hash) "
                "WHERE s.core_key = ?", [core]
            ).fetchall()
        return {r[0] for r in rows}

    # --- writing -------------------------------------------------------------------------

    def write_articles(self, articles: pd.DataFrame) -> None:
        """Insert or replace article rows (labels, metadata, text)."""
        if articles.empty:
            return
        df = articles.copy()
        df["text_hash"] = [text_hash(t) for t in df[schema.TEXT].astype(str)]
        texts = df[["text_hash", schema.TEXT, schema.REMOVED]].drop_duplicates("text_hash")
        labels = df.drop(columns=[c for c in _NOT_LABELS if c in df.columns])
        for c in labels.columns:
            if c != schema.PUBLISHED and c != "text_hash":
                labels[c] = labels[c].astype("string")
        if schema.PUBLISHED in labels.columns:
            labels[schema.PUBLISHED] = pd.to_datetime(labels[schema.PUBLISHED], errors="coerce")
        with self._transaction():
            start = (self.con.execute("SELECT coalesce(max(seq), -1) + 1 FROM articles")
                     .fetchall()[0])[0]
            labels["seq"] = range(int(start), int(start) + len(labels))
            self.con.register("_a", labels[["article_id"]])
            self.con.register("_t", texts[["text_hash", schema.REMOVED]])
            try:
                self._run("DELETE FROM articles WHERE article_id IN "
                                 "(SELECT article_id FROM _a)")
                # A text is stored once: one already there is kept (it is the
                # same text) unless what cleaning removed around it differs.
                self._run("DELETE FROM texts USING _t WHERE texts.text_hash = _t.text_hash "
                          "AND texts.removed IS DISTINCT FROM _t.removed")
                stored = {r[0] for r in self.con.execute(
                    "SELECT text_hash FROM texts JOIN _t USING (text_hash)").fetchall()}
            finally:
                self.con.unregister("_a")
                self.con.unregister("_t")
            self._append("articles", labels)
            self._append("texts", texts[~texts["text_hash"].isin(stored)])

    def write_results(
        self,
        hashes: Sequence[str],
        results: Sequence[Any],
        *,
        core: str,
        lexicons: Sequence[Lexicon],
    ) -> None:
        """Store ``ArticleScorer.score_all`` results, one per text hash of
        ``hashes`` (the texts were scored with their hash as article id), all
        in one transaction with their done markers.

        Lexicon rates are not stored: they are counted from the hits when read.
        """
        if not results:
            return
        rates = set(rate_columns(lexicons))
        core_columns = [k for k in results[0][0] if k not in rates]
        n = len(results)
        scores = _typed_columns({
            "text_hash": list(hashes), "core_key": [core] * n,
            **{c: [r[0].get(c) for r in results] for c in core_columns},
        })
        sent = _keyed_table([row for r in results for row in r[1]],
                            schema.SENTENCE_COLUMNS, core)
        from analytics.actors import MENTION_COLUMNS

        ment = _keyed_table([(*row, i) for r in results for i, row in enumerate(r[3])],
                            [*MENTION_COLUMNS, "n"], core)
        hits = self._hit_frame([row for r in results for row in r[2]], lexicons)
        done = self._done_frame(hashes, lexicons)
        with self._transaction():
            self._store_lexicons(lexicons)
            self._append("scores", scores)
            self._append("sentences", sent)
            self._append("mentions", ment)
            self._append("hits", hits)
            self._append("lexicon_done", done)

    def _hit_frame(self, rows: Sequence[tuple[Any, ...]], lexicons: Sequence[Lexicon],
                   first_n: dict[str, int] | None = None) -> Any:
        """Hit rows as stored; ``n`` numbers each text's rows from 0, or from
        ``first_n[text]`` (rows added to stored ones)."""
        keys = {fam: family_key(lxs) for fam, lxs in by_family(lexicons).items()}
        cols = _row_columns(rows, schema.HIT_COLUMNS)
        texts = cols.pop(schema.ARTICLE_ID)
        seen: dict[str, int] = dict(first_n) if first_n else {}
        n: list[int] = []
        for h in texts:
            k = seen.get(h, 0)
            n.append(k)
            seen[h] = k + 1
        return _typed_columns({"text_hash": texts,
                               "lexicon_hash": [keys.get(f) for f in cols["family"]],
                               "n": n, **cols})

    @staticmethod
    def _done_frame(hashes: Iterable[str], lexicons: Sequence[Lexicon]) -> Any:
        keys = [family_key(lxs) for lxs in by_family(lexicons).values()]
        hs = list(hashes)
        return _typed_columns({"text_hash": [h for h in hs for _ in keys],
                               "lexicon_hash": [k for _ in hs for k in keys]})

    def _store_lexicons(self, lexicons: Sequence[Lexicon]) -> None:
        from analytics.lexicons import lexicon_to_toml

        known = {r[0] for r in self.con.execute("SELECT lexicon_hash FROM lexicons").fetchall()}
        added = self.con.execute("SELECT coalesce(max(added), 0) FROM lexicons").fetchall()[0][0]
        for lx in lexicons:
            if lx.hash in known:
                continue
            added += 1
            self._run("INSERT INTO lexicons VALUES (?, ?, ?, ?, ?, ?)",
                             [lx.hash, lx.family, lx.name, lx.version, lexicon_to_toml(lx), added])
            known.add(lx.hash)

    class _Tx:
        def __init__(self, store: Store) -> None:
            self.store = store

        def __enter__(self) -> None:
            self.store.con.execute("BEGIN TRANSACTION").fetchall()

        def __exit__(self, exc_type: object, *rest: object) -> None:
            if exc_type:
                self.store._column_cache.clear()  # a table made or altered may be undone
            self.store.con.execute("ROLLBACK" if exc_type else "COMMIT").fetchall()

    def _transaction(self) -> Store._Tx:
        return Store._Tx(self)

    # --- lexicons ------------------------------------------------------------------------

    def missing_lexicon(self, hashes: Sequence[str], lexicons: Sequence[Lexicon]) -> set[str]:
        """The ``hashes`` not yet matched with every family of ``lexicons``."""
        if not hashes:
            return set()
        keys = [family_key(lxs) for lxs in by_family(lexicons).values()]
        with self._registered("_h", pd.DataFrame({"text_hash": list(hashes)})):
            rows = self.con.execute(
                f"SELECT text_hash FROM _h WHERE text_hash NOT IN ("
                f"  SELECT text_hash FROM lexicon_done WHERE lexicon_hash IN ({_sql_list(keys)})"
                f"  GROUP BY text_hash HAVING count(DISTINCT lexicon_hash) = {len(keys)})"
            ).fetchall()
        return {r[0] for r in rows}

    def ensure_lexicons(self, lexicons: Sequence[Lexicon], *, core: str,
                        hashes: Sequence[str] | None = None) -> dict[str, int]:
        """Match ``lexicons`` on every stored text (or ``hashes``) not yet matched.

        For each family, the stored lexicon of that family covering the most
        of the texts is the base: hits of terms the edit does not touch are
        copied from it, and only texts that had a hit of a changed term, or
        contain a word of an added form, are matched again (from the stored
        text, never from the input files), and only near the edit, from their
        stored hits and sentences (:mod:`analytics.rematch`, with the same
        result as matching them in full).  A family with no stored base is
        matched on every text.  Returns counts per family:
        ``{"<family>": texts re-matched}``.
        """
        report: dict[str, int] = {}
        if hashes is None:
            hashes = [r[0] for r in self.con.execute(
                "SELECT DISTINCT text_hash FROM scores WHERE core_key = ?", [core]).fetchall()]
        for family, lxs in by_family(lexicons).items():
            key = family_key(lxs)
            need = self._needing(hashes, key)
            if not need:
                continue
            base = self._base_for(family, key, need, lxs)
            moved: dict[tuple[str, str], str] = {}
            dropped: set[tuple[str, str]] = set()
            edit: LexiconEdit | None = None
            by_hits: set[str] = set()
            if base is not None:
                moved, dropped, edit, by_hits = self._edit(need, base[0], base[1], lxs)
            got = self._rematch(need, lxs, core=core, base_key=None if base is None else base[0],
                                moved=moved, dropped=dropped, edit=edit, by_hits=by_hits)
            copy = set(need) - got.replaced if base is not None else set()
            rows = got.rows
            hits = self._hit_frame(rows, lxs)
            done = self._done_frame(sorted(need), lxs)
            with self._transaction():
                self._store_lexicons(lxs)
                if copy and base is not None:
                    self.con.register("_c", pd.DataFrame({"text_hash": sorted(copy)}))
                    try:
                        # Moved terms are relabelled and dropped ones left
                        # out as the hits are copied.
                        self.con.register("_m", _moved_frame(moved))
                        self.con.register("_d", _dropped_frame(dropped))
                        cols = [c for c in self._columns("hits") if c != "lexicon_hash"]
                        quoted = ", ".join(f'"{c}"' for c in cols)
                        collist = ", ".join(
                            "coalesce(_m.new, h.category)" if c == "category" else f'h."{c}"'
                            for c in cols)
                        self._run(
                            f"INSERT INTO hits (lexicon_hash, {quoted}) "
                            f"SELECT ?, {collist} FROM hits h JOIN _c USING (text_hash) "
                            "LEFT JOIN _m ON h.category = _m.old AND h.term = _m.term "
                            f"WHERE h.lexicon_hash = ? AND {_KEPT}",
                            [key, base[0]])
                    finally:
                        for name in ("_c", "_m", "_d"):
                            self.con.unregister(name)
                self._append("hits", hits)
                self._append("hits", self._hit_frame(got.added, lxs, first_n=got.next_n))
                self._append("lexicon_done", done)
            report[family] = got.matched
        return report

    def _rematch(self, need: Sequence[str], lexicons: Sequence[Lexicon], *, core: str,
                 base_key: str | None, moved: dict[tuple[str, str], str],
                 dropped: set[tuple[str, str]], edit: LexiconEdit | None,
                 by_hits: set[str]) -> _Rematched:
        """Match one family's ``lexicons`` again where an edit of the stored
        ``base_key`` lexicon can change the hits of the texts ``need``.

        Without a base (or with an edit that can act anywhere) every text is
        matched in full (:func:`analytics.pipeline.lexicon_hits`).  Otherwise
        only the texts holding a stored hit of a changed term (``by_hits``)
        or a word of an added form are read, in one pass over the stored
        texts, and each is matched near the edit only
        (:mod:`analytics.rematch`: the same hits as matching it in full) from
        its stored hits and sentences; a text that cannot be, or has no
        stored sentences under ``core``, is matched in full.  Memory is
        bounded by a chunk of ``_REMATCH_CHUNK`` texts (and DuckDB's buffer
        of the texts read ahead).
        """
        from analytics.rematch import added_matches

        out = _Rematched()
        if base_key is not None and edit is not None and not edit.words and not by_hits:
            return out
        cond, params = "true", []
        if base_key is not None and edit is not None:
            cond = "t.text_hash IN (SELECT text_hash FROM _b)"
            if edit.words:
                # Any word of a form must occur in the text for the form to
                # match; the longest is the most selective.  Searched without
                # regard to case (RE2's case folding matches every character
                # whose Python lower case is the pattern's); texts where
                # Python's lower case is not one character for one (a dotted
                # capital I) or depends on context (a capital sigma) are taken
                # whatever they contain.
                cond += (" OR regexp_matches(t.text, ?, 'i') OR contains(t.text, 'İ') "
                         "OR contains(t.text, 'Σ')")
                params.append(_any_of(edit.words))
        near = _Near(lexicons, base_key, moved, dropped, edit, by_hits)
        for i in range(0, len(need), _REMATCH_GROUP):
            # One pass over the stored texts per group, streamed by a
            # connection of its own: DuckDB reads ahead while the texts read
            # are searched for added forms and matched in chunks (with
            # queries on this connection).
            cur = self.con.cursor()
            try:
                cur.register("_n", pd.DataFrame({"text_hash": list(need[i:i + _REMATCH_GROUP])}))
                cur.register("_b", pd.DataFrame({"text_hash": sorted(by_hits)}, dtype=object))
                reader = cur.sql(
                    f"SELECT t.text_hash, t.text FROM texts t JOIN _n USING (text_hash) "
                    f"WHERE {cond}", params=params or None).to_arrow_reader(_REMATCH_READ)
                texts: dict[str, str] = {}
                added: dict[str, Any] = {}
                for batch in reader:
                    for h, text in zip(batch.column(0).to_pylist(), batch.column(1).to_pylist(),
                                       strict=True):
                        texts[h] = text
                        if near.simple is not None and h not in by_hits:
                            added[h] = added_matches(text, near.simple)
                    if len(texts) >= _REMATCH_CHUNK:
                        self._rematch_batch(texts, added, near, core, out)
                        texts, added = {}, {}
                if texts:
                    self._rematch_batch(texts, added, near, core, out)
            finally:
                cur.close()
        return out

    def _rematch_batch(self, texts: dict[str, str], added: dict[str, Any], near: _Near,
                       core: str, out: _Rematched) -> None:
        """:meth:`_rematch` for one batch of texts, into ``out``; ``added``
        holds :func:`analytics.rematch.added_matches` of each text without a
        stored hit of a changed term when the edit adds one-word forms only
        (``near.simple``)."""
        from analytics.pipeline import lexicon_hits
        from analytics.rematch import rematch_text

        edit, base_key, family = near.edit, near.base_key, near.family
        out.matched += len(texts)
        hashes = list(texts)
        full: list[str] = hashes
        if edit is not None and base_key is not None:
            full = []
            sentences = self._sentences(hashes, core)
            if near.simple is None:
                windowed = list(range(len(hashes)))
            else:
                windowed = [k for k, h in enumerate(hashes)
                            if h in near.by_hits or not sentences.usable[k]]
                plain = [k for k, h in enumerate(hashes)
                         if h not in near.by_hits and sentences.usable[k]]
                windowed += self._add_simple(texts, hashes, plain, added, near, sentences,
                                             out)
            stored = self._stored_hits([hashes[k] for k in windowed], base_key, near.moved,
                                       near.dropped)
            for k in windowed:
                h = hashes[k]
                got = None
                if sentences.usable[k]:
                    got = rematch_text(texts[h], stored.get(h, []), edit, near.matcher,
                                       near.max_len, sentences.of(k))
                if got is None:
                    full.append(h)
                else:
                    out.rows.extend((h, family, *r) for r in got)
                    out.replaced.add(h)
        for h in full:
            out.rows.extend(lexicon_hits(near.lexicons, h, texts[h]))
            out.replaced.add(h)

    def _add_simple(self, texts: dict[str, str], hashes: Sequence[str], plain: Sequence[int],
                    added: dict[str, Any], near: _Near, sentences: _Sentences,
                    out: _Rematched) -> list[int]:
        """Add to ``out`` the hits that one-word added forms
        (``LexiconEdit.simple``) add to the texts ``plain`` (positions in
        ``hashes``; none holds a stored hit of a changed term, all have usable
        stored sentences): :func:`analytics.rematch.added_hits` for each, from
        the tokens the forms match in it (``added``), with the stored hits and
        sentences looked up for all at once.  Returns, in order, the
        positions of the texts that need windows
        (:func:`analytics.rematch.rematch_text`) instead."""
        from analytics.rematch import hit_rows

        assert near.base_key is not None
        windowed: list[int] = []
        found: dict[int, list[Any]] = {}
        for k in plain:
            matches = added[hashes[k]]
            if matches is None:
                windowed.append(k)
            elif matches:
                found[k] = matches
        if not found:
            return windowed
        ranks = list(found)
        counts = [len(found[k]) for k in ranks]
        which = np.repeat(np.arange(len(ranks)), counts)  # each match's text, in ``ranks``
        starts = np.fromiter((m.start for k in ranks for m in found[k]), np.int64, sum(counts))
        ends = np.fromiter((m.end for k in ranks for m in found[k]), np.int64, sum(counts))
        spans = self._stored_spans([hashes[k] for k in ranks], near.base_key, near.dropped)
        clash = set(which[spans.overlapping(which, starts, ends)].tolist())
        index, shares = sentences.locate(np.asarray(ranks)[which], starts)
        first = 0
        for i, k in enumerate(ranks):
            last = first + counts[i]
            if i in clash:
                windowed.append(k)
            else:
                h = hashes[k]
                rows = hit_rows(texts[h], found[k], index[first:last], shares[first:last])
                out.added.extend((h, near.family, *r) for r in rows)
                out.next_n[h] = int(spans.next_n[i])
            first = last
        return sorted(windowed)

    def _stored_hits(self, hashes: Sequence[str], base_key: str,
                     moved: dict[tuple[str, str], str], dropped: set[tuple[str, str]]
                     ) -> dict[str, list[Any]]:
        """The hits of ``base_key`` in each text, moved terms relabelled and
        dropped ones left out (what copying them makes), sorted by start."""
        if not hashes:
            return {}
        with self._registered("_h", pd.DataFrame({"text_hash": list(hashes)})), \
                self._registered("_m", _moved_frame(moved)), \
                self._registered("_d", _dropped_frame(dropped)):
            found = self.con.execute(
                "SELECT h.text_hash, coalesce(_m.new, h.category), h.term, h.matched_text, "
                'h.start, h."end", h.sentence_index, h.in_quote FROM hits h '
                "JOIN _h USING (text_hash) "
                "LEFT JOIN _m ON h.category = _m.old AND h.term = _m.term "
                f"WHERE h.lexicon_hash = ? AND {_KEPT} "
                "ORDER BY h.text_hash, h.start", [base_key]
            ).fetchall()
        out: dict[str, list[Any]] = {}
        for row in found:
            out.setdefault(row[0], []).append(row[1:])
        return out

    def _stored_spans(self, hashes: Sequence[str], base_key: str,
                      dropped: set[tuple[str, str]]) -> _Spans:
        """Where the hits of ``base_key`` that copying keeps lie in each text
        of ``hashes``, and the number after each text's last ``n``."""
        with self._registered("_h", pd.DataFrame({"text_hash": list(hashes),
                                                  "k": np.arange(len(hashes))})), \
                self._registered("_d", _dropped_frame(dropped)):
            found = self.con.execute(
                'SELECT _h.k, h.start, h."end", h.n FROM hits h JOIN _h USING (text_hash) '
                f"WHERE h.lexicon_hash = ? AND {_KEPT} "
                "ORDER BY _h.k, h.start", [base_key]
            ).fetchnumpy()
        ranks = np.asarray(found["k"], dtype=np.int64)
        lo, hi = _bounds(ranks, len(hashes))
        has = hi > lo  # texts with kept hits: the largest ``n`` of each run of rows, plus 1
        next_n = np.zeros(len(hashes), dtype=np.int64)
        if has.any():
            next_n[has] = np.maximum.reduceat(np.asarray(found["n"], dtype=np.int64) + 1, lo[has])
        return _Spans(_positions(ranks, np.asarray(found["start"], dtype=np.int64)),
                      np.asarray(found["end"], dtype=np.int64), next_n)

    def _sentences(self, hashes: Sequence[str], core: str) -> _Sentences:
        """Stored sentences of each text of ``hashes`` scored under ``core``
        (starts, ends, quoted shares, in order).  A text's are usable when
        they are exactly ``0 .. text_sentences - 1`` (its scores row says how
        many) and start in order; a text with no sentences has usable ones."""
        with self._registered("_h", pd.DataFrame({"text_hash": list(hashes),
                                                  "k": np.arange(len(hashes))})):
            counts = self.con.execute(
                "SELECT _h.k, any_value(s.text_sentences) FROM scores s JOIN _h USING (text_hash) "
                "WHERE s.core_key = ? GROUP BY _h.k HAVING count(*) = 1", [core]).fetchall()
            found = self.con.execute(
                'SELECT _h.k, t.sentence_index, t.start, t."end", t.quoted '
                "FROM sentences t JOIN _h USING (text_hash) WHERE t.core_key = ? "
                "ORDER BY _h.k, t.sentence_index", [core]
            ).fetchnumpy()
        want = np.full(len(hashes), -1, dtype=np.int64)  # sentences per text; -1: unknown
        for k, n in counts:
            if n is not None:
                want[k] = n
        ranks = np.asarray(found["k"], dtype=np.int64)
        index = np.asarray(found["sentence_index"], dtype=np.int64)
        starts = np.asarray(found["start"], dtype=np.int64)
        lo, hi = _bounds(ranks, len(hashes))
        rows = hi - lo
        padded = np.append(index, -1)  # what a text with no rows finds at ``lo`` and ``hi - 1``
        first, last = padded[lo], np.where(rows > 0, padded[hi - 1], -1)
        usable = (want == 0) | ((want > 0) & (rows == want) & (first == 0) & (last == want - 1))
        usable[ranks[1:][(ranks[1:] == ranks[:-1]) & (starts[1:] < starts[:-1])]] = False
        keep = (usable & (want > 0))[ranks]  # rows of the texts with usable sentences
        ranks = ranks[keep]
        return _Sentences(
            _positions(ranks, starts[keep]), np.asarray(found["end"], dtype=np.int64)[keep],
            np.ma.filled(np.ma.asarray(found["quoted"], dtype=float), np.nan)[keep],
            *_bounds(ranks, len(hashes)), usable)

    def _needing(self, hashes: Sequence[str], key: str) -> list[str]:
        with self._registered("_h", pd.DataFrame({"text_hash": list(hashes)})):
            rows = self.con.execute(
                "SELECT DISTINCT text_hash FROM _h WHERE text_hash NOT IN "
                "(SELECT text_hash FROM lexicon_done WHERE lexicon_hash = ?)", [key]
            ).fetchall()
        return sorted(r[0] for r in rows)

    def _base_for(self, family: str, key: str, need: Sequence[str],
                  new: Sequence[Lexicon] | None = None) -> tuple[str, list[Lexicon]] | None:
        """The stored lexicon version of ``family`` that covers all of ``need``
        and differs least from ``new`` (fewest forms changed); None when no
        version covers every text."""
        from analytics.lexicons import LexiconError, lexicon_from_toml

        with self._registered("_n", pd.DataFrame({"text_hash": list(need)})):
            rows = self.con.execute(
                "SELECT d.lexicon_hash, count(*) AS n FROM lexicon_done d "
                "JOIN _n USING (text_hash) WHERE d.lexicon_hash <> ? "
                "GROUP BY 1 ORDER BY n DESC, 1", [key]
            ).fetchall()
        wanted = _effective_forms(new) if new is not None else {}
        best: tuple[int, str, list[Lexicon]] | None = None
        for base_key, n in rows:
            if n < len(need):
                break  # the rest cover fewer texts
            parts = base_key.split("+")
            found = []
            for part in parts:
                rows_ = self.con.execute(
                    "SELECT family, toml FROM lexicons WHERE lexicon_hash = ?", [part]).fetchall()
                if not rows_ or rows_[0][0] != family:
                    break
                try:
                    found.append(lexicon_from_toml(rows_[0][1], source=f"{self.path}:{part}"))
                except LexiconError:
                    break
            if len(found) != len(parts):
                continue
            have = _effective_forms(found)
            changed = sum(have.get(f) != v for f, v in wanted.items()) + sum(
                f not in wanted for f in have)
            if best is None or changed < best[0]:
                best = (changed, base_key, found)
        return None if best is None else (best[1], best[2])

    def _edit(self, need: Sequence[str], base_key: str, base: Sequence[Lexicon],
              new: Sequence[Lexicon]
              ) -> tuple[dict[tuple[str, str], str], set[tuple[str, str]], LexiconEdit | None,
                         set[str]]:
        """What an edit from ``base`` to ``new`` changes in the texts of ``need``.

        Returns the ``(category, term) -> category`` moves (a term whose
        forms all stay and only change category: its stored hits are
        relabelled), the removed ``(category, term)`` pairs whose hits can
        simply be dropped (one-word forms, no wildcard in the family: with
        leftmost-longest matching, no other match can start where such a form
        was), the edit as :mod:`analytics.rematch` needs it (None when an
        added form has no word to search for: every text is then matched
        again in full), and the texts holding a stored hit of a changed term.
        """
        old_forms, new_forms = _effective_forms(base), _effective_forms(new)
        moved: dict[tuple[str, str], str] = {}
        dropped: set[tuple[str, str]] = set()
        wild = any(f.endswith("*") for f in (*old_forms, *new_forms))
        by_term_old: dict[tuple[str, str], set[str]] = {}
        for f, v in old_forms.items():
            by_term_old.setdefault(v, set()).add(f)
        by_term_new: dict[str, dict[str, set[str]]] = {}
        for f, (cat, term) in new_forms.items():
            by_term_new.setdefault(term, {}).setdefault(cat, set()).add(f)
        for (cat, term), forms in by_term_old.items():
            now = by_term_new.get(term, {})
            if cat in now:
                continue
            if len(now) == 1 and next(iter(now.values())) == forms:
                moved[(cat, term)] = next(iter(now))
            elif not now and not wild and all(" " not in f and f not in new_forms
                                              for f in forms):
                dropped.add((cat, term))
        removed = {(v[0], v[1]) for f, v in old_forms.items() if new_forms.get(f) != v}
        removed -= set(moved) | dropped
        moved_terms = {t for (_, t) in moved}
        added = [f for f, v in new_forms.items()
                 if old_forms.get(f) != v and v[1] not in moved_terms]
        edit = lexicon_edit(removed, added, new_forms)
        if edit is None:  # a bare "*" can match anywhere
            return moved, dropped, None, set(need)
        by_hits: set[str] = set()
        if removed:
            with self._registered("_n", pd.DataFrame({"text_hash": list(need)})), \
                    self._registered("_r", pd.DataFrame(sorted(removed),
                                                        columns=["category", "term"])):
                rows = self.con.execute(
                    "SELECT DISTINCT h.text_hash FROM hits h JOIN _n USING (text_hash) "
                    "JOIN _r ON h.category = _r.category AND h.term = _r.term "
                    "WHERE h.lexicon_hash = ?", [base_key]
                ).fetchall()
            by_hits.update(r[0] for r in rows)
        return moved, dropped, edit, by_hits

    # --- reading ------------------------------------------------------------------------------

    def _run_filter(self, article_ids: Sequence[str] | None) -> tuple[str, str]:
        """A join restricting to ``article_ids`` (registered as ``_ids``)."""
        if article_ids is None:
            return "", ""
        self.con.register("_ids", pd.DataFrame({"article_id": list(article_ids)}))
        return " JOIN _ids USING (article_id)", "_ids"

    def _done_filter(self, name: str) -> None:
        if name:
            self.con.unregister(name)

    def scores(self, *, core: str, lexicons: Sequence[Lexicon],
               article_ids: Sequence[str] | None = None,
               label_columns: Sequence[str] | None = None) -> pd.DataFrame:
        """One row per article (labels, core columns, lexicon rates), in input order.

        Lexicon rates are counted from the stored hits; articles not matched
        with every family of ``lexicons`` (see :meth:`ensure_lexicons`) get
        null rates.  Read again for all articles after a lexicon edit, the
        core columns and the other families' counts are those of the last
        read (:meth:`_core_scores`, :meth:`_hit_counts`).
        """
        join, name = self._run_filter(article_ids)
        try:
            state = None if join else self._table_state()
            df = self._core_scores(core, join, label_columns, state)
            counts = self._hit_counts(lexicons, join, state)
        finally:
            self._done_filter(name)
        return self._with_rates(df, counts, lexicons)

    def _table_state(self) -> tuple[Any, ...]:
        """What tells whether the ``articles`` and ``scores`` tables changed
        (whichever connection wrote them): writes only append score rows and
        give every article row they write a new ``seq``, so the row counts
        and the largest ``seq`` change with every write."""
        return tuple(self.con.execute(
            "SELECT (SELECT count(*) FROM scores), (SELECT count(*) FROM articles), "
            "(SELECT max(seq) FROM articles)").fetchall()[0])

    def _core_scores(self, core: str, join: str, label_columns: Sequence[str] | None,
                     state: tuple[Any, ...] | None) -> pd.DataFrame:
        """Labels, text hash and core columns of the articles (all, or those
        of ``join``), in input order.

        The frame of all articles is kept for the next call while the
        :meth:`_table_state` stays ``state`` (a lexicon edit re-reads the
        scores and changes none of these columns).
        """
        key = None if state is None else (
            core, None if label_columns is None else tuple(label_columns), state)
        if key is not None and self._core_cache is not None and self._core_cache[0] == key:
            return self._core_cache[1]
        labels = [c for c in self._columns("articles") if c not in ("text_hash", "seq")]
        if label_columns is not None:
            labels = [c for c in labels if c in set(label_columns) or c == schema.ARTICLE_ID]
        core_cols = [c for c in self._columns("scores") if c not in ("text_hash", "core_key")]
        sel = ", ".join([*(f'a."{c}"' for c in labels), "a.text_hash",
                         *(f's."{c}"' for c in core_cols)])
        df = _restore_dtypes(self.con.execute(
            f"SELECT {sel} FROM articles a{join} JOIN scores s "
            f"ON s.text_hash = a.text_hash AND s.core_key = ? ORDER BY a.seq", [core]
        ).df())
        if key is not None:
            self._core_cache = (key, df)
        return df

    def _hit_counts(self, lexicons: Sequence[Lexicon], join: str, state: tuple[Any, ...] | None
                    ) -> tuple[pd.DataFrame, set[str]]:
        """Hits per text, count key and voice (texts and keys as categories:
        what :func:`~analytics.features.rates.rate_frame` looks up fastest);
        and the texts matched with every family of ``lexicons`` (the others
        get null rates).

        Counted family by family; for all articles, each family's counts are
        kept for the next call while the :meth:`_table_state` stays ``state``
        and the family's ``lexicon_done`` rows as many (its hits are written
        only with new such rows, and neither is ever deleted): after a
        lexicon edit, only the edited family is counted again.
        """
        import pyarrow as pa

        keys = [family_key(lxs) for lxs in by_family(lexicons).values()]
        if not keys:
            return pd.DataFrame(columns=["article", "key", "quoted", "n"]), set()
        sub = (f"SELECT DISTINCT a.text_hash FROM articles a{join}" if join else
               "SELECT DISTINCT text_hash FROM articles")
        stamps: dict[str, tuple[Any, ...]] = {}
        if state is not None:
            done_rows = dict(self.con.execute(
                "SELECT lexicon_hash, count(*) FROM lexicon_done "
                f"WHERE lexicon_hash IN ({_sql_list(keys)}) GROUP BY 1").fetchall())
            stamps = {key: (state, done_rows.get(key, 0)) for key in keys}
        kept: dict[str, tuple[Any, ...]] = {}
        for key in keys:
            got = self._count_cache.get(key)
            if got is None or key not in stamps or got[0] != stamps[key]:
                got = (stamps.get(key), *self._family_counts(key, sub))
            kept[key] = got
        if state is not None:
            self._count_cache = kept
        found = pa.concat_tables([got[1] for got in kept.values()])
        counts = pd.DataFrame({
            "article": _categories(found.column("article")),
            "key": _categories(found.column("key")),
            "quoted": found.column("quoted").to_numpy(),
            "n": found.column("n").to_numpy()})
        return counts, set.intersection(*(got[2] for got in kept.values()))

    def _family_counts(self, key: str, sub: str) -> tuple[Any, set[str]]:
        """The hits of the lexicon ``key`` counted per text (of ``sub``),
        count key and voice (an Arrow table), and the texts of ``sub``
        matched with it."""
        found = self.con.sql(
            "SELECT h.text_hash AS article, CASE WHEN h.family = 'framing' THEN h.category "
            "ELSE h.family END AS key, coalesce(h.in_quote, false) AS quoted, count(*) AS n "
            f"FROM hits h WHERE h.lexicon_hash = ? AND h.text_hash IN ({sub}) GROUP BY ALL",
            params=[key]).to_arrow_table()
        done = self.con.execute(
            f"SELECT DISTINCT text_hash FROM lexicon_done WHERE lexicon_hash = ? "
            f"AND text_hash IN ({sub})", [key]).fetchall()
        return found, {h for (h,) in done}

    def _with_rates(self, df: pd.DataFrame, counts: tuple[pd.DataFrame, set[str]],
                    lexicons: Sequence[Lexicon]) -> pd.DataFrame:
        families, categories = families_and_categories(lexicons)
        hit_counts, done = counts
        words = pd.DataFrame({
            "all": df["text_words"].to_numpy(), "authorial": df["text_words_authorial"].to_numpy(),
            "quoted": df["text_words_quoted"].to_numpy(),
            "non_english": df["text_non_english"].astype(bool).to_numpy()},
            index=df["text_hash"].to_numpy())
        words = words[~words.index.duplicated()]
        rates = rate_frame(hit_counts, words, families=families, categories=categories)
        matched = np.array([h in done for h in rates.index.to_numpy(dtype=object)], dtype=bool)
        rates.loc[~matched] = np.nan  # not matched: unknown, not zero
        rates = rates.reindex(df["text_hash"].to_numpy())
        rates.index = df.index
        df = df.drop(columns=["text_hash"])
        cut = next((i for i, c in enumerate(df.columns) if c.startswith("actor_")), len(df.columns))
        return pd.concat([df.iloc[:, :cut], rates, df.iloc[:, cut:]], axis=1)

    def iter_table(self, table: str, *, core: str, lexicons: Sequence[Lexicon] | None = None,
                   article_ids: Sequence[str] | None = None,
                   batch_rows: int = 50_000) -> Iterator[pd.DataFrame]:
        """``sentences``, ``hits`` or ``mentions`` of the articles, in input
        order, as DataFrames of at most ``batch_rows`` rows (memory stays flat)."""
        if table not in ("sentences", "hits", "mentions"):
            raise ValueError(f"unknown table {table!r}; choose sentences, hits or mentions")
        if not self._has_table(table):
            return
        cols = [c for c in self._columns(table)
                if c not in ("text_hash", "core_key", "lexicon_hash", "n")]
        sel = ", ".join(["a.article_id", *(f't."{c}"' for c in cols)])
        if table == "hits":
            keys = [family_key(lxs) for lxs in by_family(lexicons or []).values()]
            cond = f"t.lexicon_hash IN ({_sql_list(keys)})"
            order = "a.seq, t.start, t.family, t.n"
            params: list[Any] = []
        else:
            cond = "t.core_key = ?"
            order = "a.seq, t.sentence_index" if table == "sentences" else "a.seq, t.n"
            params = [core]
        # A cursor of its own: the connection stays free while batches are read.
        cur = self.con.cursor()
        join = ""
        if article_ids is not None:
            cur.register("_ids", pd.DataFrame({"article_id": list(article_ids)}))
            join = " JOIN _ids USING (article_id)"
        try:
            reader = cur.sql(
                f"SELECT {sel} FROM articles a{join} JOIN {table} t ON t.text_hash = a.text_hash "
                f"WHERE {cond} ORDER BY {order}", params=params or None
            ).to_arrow_reader(batch_rows)
            for batch in reader:
                yield _restore_dtypes(batch.to_pandas())
        finally:
            cur.close()

    def table(self, table: str, *, core: str, lexicons: Sequence[Lexicon] | None = None,
              article_ids: Sequence[str] | None = None) -> pd.DataFrame:
        """The whole of :meth:`iter_table` as one DataFrame."""
        parts = list(self.iter_table(table, core=core, lexicons=lexicons,
                                     article_ids=article_ids))
        if not parts:
            return pd.DataFrame()
        return pd.concat(parts, ignore_index=True)

    def articles(self, article_ids: Sequence[str] | None = None) -> pd.DataFrame:
        """Articles (the corpus contract's columns and metadata), in input order."""
        join, name = self._run_filter(article_ids)
        try:
            labels = [c for c in self._columns("articles") if c not in ("text_hash", "seq")]
            sel = ", ".join([*(f'a."{c}"' for c in labels), "t.text", "t.removed"])
            df = self.con.execute(
                f"SELECT {sel} FROM articles a{join} JOIN texts t USING (text_hash) ORDER BY a.seq"
            ).df()
        finally:
            self._done_filter(name)
        return _restore_dtypes(df)

    def hit_counts(self, *, lexicons: Sequence[Lexicon]) -> pd.DataFrame:
        """Hits counted per article, family, category and voice (``n``): what
        :func:`analytics.compare.voice_scores` needs, a fraction of the rows."""
        keys = [family_key(lxs) for lxs in by_family(lexicons).values()]
        df = self.con.execute(
            "SELECT a.article_id, h.family, h.category, h.in_quote, count(*) AS n "
            "FROM hits h JOIN articles a ON a.text_hash = h.text_hash "
            f"WHERE h.lexicon_hash IN ({_sql_list(keys)}) GROUP BY ALL ORDER BY ALL"
        ).df()
        for c in ("article_id", "family", "category"):
            df[c] = df[c].astype("category")
        return _restore_dtypes(df)

    def sentence_numbers(self, *, core: str) -> pd.DataFrame:
        """Every sentence's numbers without its text (article, index, quoted
        share, compounds): the whole corpus's distributions in little memory."""
        cols = ("sentence_index", "quoted", "sentiment_compound", "sentiment_authorial",
                "sentiment_quoted")
        df = self.con.execute(
            "SELECT a.article_id, " + ", ".join(f"s.{c}" for c in cols) +
            " FROM sentences s JOIN articles a ON a.text_hash = s.text_hash "
            "WHERE s.core_key = ? ORDER BY a.seq, s.sentence_index", [core]
        ).df()
        df["article_id"] = df["article_id"].astype("category")
        return _restore_dtypes(df)

    def sentence_stats(self, groups: pd.DataFrame, *, core: str, voice: str) -> pd.DataFrame:
        """:func:`analytics.compare.sentence_stats` computed in DuckDB: per
        group of ``groups`` (columns ``article_id, outlet``), the articles,
        sentences, mean, quartiles (linear interpolation, as ``np.quantile``)
        and Tukey's fences of the voice's sentence compounds."""
        from analytics.compare import SENTENCE_STATS_COLUMNS, check_voice

        col = {"all": "sentiment_compound", "authorial": "sentiment_authorial",
               "quoted": "sentiment_quoted"}[check_voice(voice)]
        g = pd.DataFrame({"article_id": groups["article_id"].astype(str).to_numpy(),
                          "outlet": groups["outlet"].astype(str).to_numpy()})
        with self._registered("_g", g):
            df = self.con.execute(f"""
                WITH v AS (
                    SELECT g.outlet, g.article_id, s.{col} AS v
                    FROM sentences s JOIN articles a ON a.text_hash = s.text_hash
                    JOIN _g g ON g.article_id = a.article_id
                    WHERE s.core_key = ? AND s.{col} IS NOT NULL AND NOT isnan(s.{col})),
                q AS (
                    SELECT outlet, count(DISTINCT article_id) AS n_art, count(*) AS n_sent,
                           avg(v) AS mean, quantile_cont(v, 0.25) AS q1,
                           quantile_cont(v, 0.5) AS median, quantile_cont(v, 0.75) AS q3
                    FROM v GROUP BY outlet)
                SELECT q.*,
                       min(v.v) FILTER (WHERE v.v >= q.q1 - 1.5 * (q.q3 - q.q1)) AS lowerfence,
                       max(v.v) FILTER (WHERE v.v <= q.q3 + 1.5 * (q.q3 - q.q1)) AS upperfence
                FROM q JOIN v USING (outlet) GROUP BY ALL
                ORDER BY n_art DESC, outlet""", [core]).df()
        return df[list(SENTENCE_STATS_COLUMNS)].reset_index(drop=True)

    def hits_where(self, *, lexicons: Sequence[Lexicon], article_ids: Sequence[str],
                   family: str | None = None, category: str | None = None,
                   in_quote: bool | None = None, limit: int = 500) -> pd.DataFrame:
        """Hits of some articles (at most ``limit``, in input order), filtered
        by family, category and voice: the evidence lists of a large corpus."""
        keys = [family_key(lxs) for lxs in by_family(lexicons).values()]
        cond = [f"h.lexicon_hash IN ({_sql_list(keys)})"]
        params: list[Any] = []
        for col, value in (("family", family), ("category", category), ("in_quote", in_quote)):
            if value is not None:
                cond.append(f"h.{col} = ?")
                params.append(value)
        with self._registered("_ids", pd.DataFrame({"article_id": list(article_ids)})):
            df = self.con.execute(
                "SELECT a.article_id, h.family, h.category, h.term, h.matched_text, h.start, "
                'h."end", h.sentence_index, h.in_quote FROM hits h '
                "JOIN articles a ON a.text_hash = h.text_hash JOIN _ids USING (article_id) "
                f"WHERE {' AND '.join(cond)} ORDER BY a.seq, h.start LIMIT {int(limit)}", params
            ).df()
        return _restore_dtypes(df)

def _restore_dtypes(df: pd.DataFrame) -> pd.DataFrame:
    """The in-memory tables' integer types for what DuckDB hands back
    (DuckDB gives float for an integer column with nulls)."""
    for c in ("sentence_index", "start", "end"):
        if c in df.columns:
            df[c] = df[c].astype("Int64")
    for c in ("in_quote",):
        if c in df.columns:
            df[c] = df[c].astype("boolean")
    return df


def _categories(column: Any) -> pd.Categorical:
    """An Arrow string column as pandas categories (nulls missing)."""
    codes = column.combine_chunks().dictionary_encode()
    return pd.Categorical.from_codes(
        codes.indices.fill_null(-1).to_numpy(zero_copy_only=False),
        categories=pd.Index(codes.dictionary.to_numpy(zero_copy_only=False)))


def _effective_forms(lexicons: Sequence[Lexicon]) -> dict[str, tuple[str, str]]:
    """form -> (category, term) as the matcher resolves it (first listing wins)."""
    out: dict[str, tuple[str, str]] = {}
    for lx in lexicons:
        for t in lx.terms:
            for f in t.forms:
                out.setdefault(f, (t.category, t.term))
    return out


def _any_of(words: Iterable[str]) -> str:
    """An RE2 pattern, to be used case-insensitively, for any of ``words``
    as they appear in lower-cased text with straight apostrophes (so an
    apostrophe also matches a curly one)."""
    def char(c: str) -> str:
        if c == "'":
            return "['\\x{2019}\\x{2018}]"
        return c if c.isascii() and c.isalnum() else f"\\x{{{ord(c):x}}}"

    return "|".join("".join(map(char, w)) for w in words)


def open_store(path: str | Path | None, *, read_only: bool = False) -> Store:
    """Open the store at ``path`` (default: :func:`default_store_path`)."""
    return Store(path if path is not None else default_store_path(), read_only=read_only)


__all__ = [
    "STORE_SUFFIXES",
    "Store",
    "StoreError",
    "by_family",
    "default_store_path",
    "family_key",
    "is_store_path",
    "open_store",
    "text_hash",
]
