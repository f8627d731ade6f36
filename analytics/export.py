"""Writing results to files: tables by extension, charts as PNG, SVG or HTML.

Tables (:func:`write_table`) are Parquet, CSV or JSON Lines, chosen by the
file's extension. Every file carries the versions that made it: Parquet in its
schema metadata, and every format in a ``<stem>.meta.json`` beside it.

CSV is opened by spreadsheets, which run a cell that starts with ``=``, ``+``,
``-`` or ``@`` as a formula, so every CSV this module writes goes through
:func:`csv_safe`: such text cells (titles, sentences and matched text come from
the articles, i.e. from anyone) get a leading ``'``. Numbers, negative ones
included, are left as numbers.

Charts (:func:`figure_to_image`, :func:`export_figures`) are rendered by
kaleido 1.x, which drives a headless Chrome or Chromium: Debian's ``chromium``
on ``PATH`` is found by itself, any other one through ``BROWSER_PATH``.
Starting the browser costs a few seconds and each image after that a fraction
of one, so a batch keeps one kaleido server for all its figures
(:func:`image_session`). HTML export needs no browser.

Examples
--------
>>> safe_filename("../../etc/passwd")
'etc_passwd'
>>> import pandas as pd
>>> csv_safe(pd.DataFrame({"t": ["=1+1", "ok"], "n": [-2, 3]}))["t"].tolist()
["'=1+1", 'ok']
"""

from __future__ import annotations

import contextlib
import html
import importlib.util
import io
import json
import os
import re
import shutil
import struct
import threading
import unicodedata
import zlib
from collections.abc import Iterator, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

from analytics import schema

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

TABLE_FORMATS: tuple[str, ...] = (".parquet", ".csv", ".jsonl")

ImageFormat = Literal["png", "svg", "jpeg", "webp", "pdf"]
IMAGE_FORMATS: tuple[str, ...] = ("png", "svg", "jpeg", "webp", "pdf")
ExportFormat = Literal["png", "svg", "html"]
EXPORT_FORMATS = schema.EXPORT_FORMATS

#: Leading characters that make a spreadsheet read a cell as a formula
#: (OWASP "CSV injection": ``=``, ``+``, ``-``, ``@``, tab, carriage return).
CSV_FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

#: Names kaleido's browser search also tries, used when choreographer's own
#: search cannot be called.
BROWSER_NAMES: tuple[str, ...] = (
    "chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome",
)

INSTALL_HINT = "apt-get install chromium, or set BROWSER_PATH to a Chrome executable"


class ExportError(ValueError):
    """A table or chart could not be written (one-line message naming the problem)."""


# --- tables ---------------------------------------------------------------------

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


def _needs_quote(value: object) -> bool:
    return isinstance(value, str) and value.startswith(CSV_FORMULA_TRIGGERS)


def _safe_text(value: object) -> object:
    return f"'{value}" if _needs_quote(value) else value


def _csv_safe_column(col: pd.Series) -> pd.Series:
    import pandas as pd

    s = col.astype(object) if isinstance(col.dtype, pd.CategoricalDtype) else col
    if isinstance(s.dtype, pd.StringDtype):
        mask = s.str.startswith(CSV_FORMULA_TRIGGERS).fillna(False).astype(bool)
    elif s.dtype == object:
        mask = s.map(_needs_quote).astype(bool)
    else:  # numbers, booleans, dates: a spreadsheet reads them as values
        return col
    if not mask.any():
        return col
    out = s.copy()
    out[mask] = s[mask].map(lambda v: f"'{v}")
    return out


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` that a spreadsheet opens without running formulas.

    Text cells and column names that begin with ``=``, ``+``, ``-``, ``@``,
    a tab or a carriage return get a leading ``'`` (shown by spreadsheets as
    plain text); numbers, including negative numbers, are untouched, so
    ``"-2"`` (text) becomes ``"'-2"`` while ``-2`` (a number) stays ``-2``.
    """
    out = df.copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        safe = _csv_safe_column(col)
        if safe is not col:
            out.isetitem(i, safe)
    out.columns = [_safe_text(c) for c in out.columns]
    return out


def _arrow_table(df: pd.DataFrame, meta: Mapping[str, Any] | None) -> Any:
    import pyarrow as pa

    table = pa.Table.from_pandas(df, preserve_index=False)
    if meta:
        md = dict(table.schema.metadata or {})
        md[b"slantscope"] = json.dumps(meta, sort_keys=True, default=str).encode()
        table = table.replace_schema_metadata(md)
    return table


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """``df`` as UTF-8 CSV bytes (formula-safe, no index): for download buttons."""
    return csv_safe(df).to_csv(index=False).encode("utf-8")


def to_parquet_bytes(df: pd.DataFrame, meta: Mapping[str, Any] | None = None) -> bytes:
    """``df`` as Parquet bytes with ``meta`` in the schema metadata: for download buttons."""
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(_arrow_table(df, meta), buf)
    return buf.getvalue()


class TableWriter:
    """Write a table in parts, by the path's extension: Parquet (with ``meta``
    in the schema metadata), CSV (formula-safe) or JSON Lines.  Memory holds
    one part at a time, so a table larger than memory can be written.

    >>> import tempfile, pandas as pd
    >>> with tempfile.TemporaryDirectory() as d:
    ...     with TableWriter(f"{d}/t.csv") as w:
    ...         w.write(pd.DataFrame({"a": [1]})); w.write(pd.DataFrame({"a": [2]}))
    ...     open(f"{d}/t.csv").read()
    'a\\n1\\n2\\n'
    """

    def __init__(self, path: str | Path, *, meta: Mapping[str, Any] | None = None) -> None:
        self.path = check_table_path(path)
        self.suffix = self.path.suffix.lower()
        self.meta = meta
        self._parquet: Any = None
        self._schema: Any = None
        self._parts = 0

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, df: pd.DataFrame) -> None:
        """Append ``df`` (same columns as the first part)."""
        try:
            if self.suffix == ".parquet":
                import pyarrow.parquet as pq

                table = _arrow_table(df, self.meta)
                if self._parquet is None:
                    self._schema = table.schema
                    self._parquet = pq.ParquetWriter(self.path, self._schema)
                else:
                    table = table.cast(self._schema)
                self._parquet.write_table(table)
            elif self.suffix == ".csv":
                csv_safe(df).to_csv(self.path, index=False, mode="w" if not self._parts else "a",
                                    header=not self._parts)
            else:
                with open(self.path, "w" if not self._parts else "a", encoding="utf-8") as fh:
                    if len(df):
                        text = df.to_json(orient="records", lines=True, date_format="iso",
                                          force_ascii=False) or ""
                        fh.write(text if text.endswith("\n") else text + "\n")
        except OSError as exc:
            raise ExportError(f"{self.path}: cannot write ({exc.strerror or exc})") from exc
        self._parts += 1

    def close(self) -> None:
        """Finish the file (an empty table when nothing was written)."""
        if self._parts == 0:
            import pandas as pd

            self.write(pd.DataFrame())
        if self._parquet is not None:
            self._parquet.close()
            self._parquet = None


def write_table(df: pd.DataFrame, path: str | Path, *, meta: dict[str, Any] | None = None) -> Path:
    """Write ``df`` as Parquet, CSV (formula-safe) or JSON Lines, by the path's extension."""
    with TableWriter(path, meta=meta) as writer:
        writer.write(df)
    return writer.path


def write_meta(meta: dict[str, Any], path: Path) -> Path:
    """Write provenance as ``<stem>.meta.json`` beside ``path``."""
    out = path.with_name(f"{path.stem}.meta.json")
    out.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return out


# --- file names -----------------------------------------------------------------

_UNSAFE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"COM{i}" for i in range(1, 10)] + [f"LPT{i}" for i in range(1, 10)]
)


def safe_filename(name: object, *, default: str = "chart", max_length: int = 100) -> str:
    """A file name made of letters, digits, ``-``, ``_`` and ``.`` only.

    Path separators and every other character become ``_``, accents are
    dropped (``é`` -> ``e``), leading and trailing dots, dashes and
    underscores go (no hidden files, no ``..``, nothing that reads as a
    command-line flag), and an empty result becomes ``default``.

    >>> [safe_filename(n) for n in ("../../etc/passwd", "a/b", "<script>", "...")]
    ['etc_passwd', 'a_b', 'script', 'chart']
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    text = _UNSAFE_CHARS.sub("_", text).strip("._-")
    text = text[:max_length].rstrip("._-")
    if not text:
        return default
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text = f"{text}_"
    return text


def _unique_stems(names: list[str], *, reserved: tuple[str, ...] = ("index",)) -> list[str]:
    taken = {r.lower() for r in reserved}
    stems = []
    for name in names:
        base = safe_filename(name)
        stem, n = base, 2
        while stem.lower() in taken:
            stem, n = f"{base}-{n}", n + 1
        taken.add(stem.lower())
        stems.append(stem)
    return stems


# --- the browser ----------------------------------------------------------------

def _is_executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _kaleido_installed() -> bool:
    return importlib.util.find_spec("kaleido") is not None


def browser_path() -> str | None:
    """The Chrome or Chromium kaleido would start, found without starting it.

    ``BROWSER_PATH`` wins when set (and must then be an executable file);
    otherwise the search is kaleido's own (choreographer's: ``PATH`` names
    such as ``chromium`` and the usual install locations).
    """
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env if _is_executable(env) else None
    found: str | None = None
    try:
        from choreographer.browsers.chromium import Chromium

        hit = Chromium.find_browser(skip_local=False)
        found = str(hit) if hit else None
    except (ImportError, AttributeError, TypeError, OSError, RuntimeError):
        found = None
    if found:
        return found
    for name in BROWSER_NAMES:
        if hit := shutil.which(name):
            return hit
    return None


def chrome_available() -> bool:
    """True when kaleido is installed and can find a Chrome or Chromium to start."""
    return _kaleido_installed() and browser_path() is not None


def _require_browser(fmt: str = "png") -> None:
    what = f"{fmt.upper()} export"
    if not _kaleido_installed():
        raise ExportError(
            f"{what} needs the kaleido package (pip install 'kaleido>=1'); "
            "use the chart's camera button instead"
        )
    if browser_path() is None:
        env = os.environ.get("BROWSER_PATH")
        where = f" (BROWSER_PATH={env!r} is not an executable file)" if env else ""
        raise ExportError(
            f"{what} needs Chrome or Chromium on the server{where}: {INSTALL_HINT}; "
            "use the chart's camera button instead"
        )


# --- one kaleido server for a batch ---------------------------------------------
#
# kaleido's sync server is a process-wide singleton that answers one request
# at a time, so every use of it here holds _LOCK (re-entrant: a session may
# call figure_to_image). If the browser fails to start, kaleido's server
# thread dies and a request would wait for it forever: _render watches the
# thread and turns that into an ExportError carrying the browser's own reason.

_LOCK = threading.RLock()
_server_failures: list[BaseException] = []


def _global_server() -> Any:
    import kaleido

    return getattr(kaleido, "_global_server", None)


def _server_running() -> bool:
    server = _global_server()
    return bool(server is not None and server.is_running())


def _server_thread() -> threading.Thread | None:
    return getattr(_global_server(), "_thread", None)


def _first_line(exc: BaseException) -> str:
    parts = exc.args if exc.args else (exc,)
    text = str(parts[0]) if isinstance(parts[0], str) else str(exc)
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return lines[0] if lines else type(exc).__name__


@contextlib.contextmanager
def image_session() -> Iterator[None]:
    """Keep one kaleido server (one browser) for every image rendered inside.

    Re-entrant; a server that was already running is reused and left running.
    Raises :class:`ExportError` when no browser can be found.
    """
    with _LOCK:
        _require_browser()
        import kaleido

        started = not _server_running()
        previous_hook = threading.excepthook

        def quiet_server_death(args: threading.ExceptHookArgs) -> None:
            if args.thread is not None and args.thread is _server_thread():
                if args.exc_value is not None:
                    _server_failures.append(args.exc_value)
                return
            previous_hook(args)

        if started:
            _server_failures.clear()
            threading.excepthook = quiet_server_death
            kaleido.start_sync_server(mathjax=False, silence_warnings=True)
        try:
            yield
        finally:
            if started:
                kaleido.stop_sync_server(silence_warnings=True)
                if threading.excepthook is quiet_server_death:
                    threading.excepthook = previous_hook


def _image_size(fig_dict: Mapping[str, Any], width: int | None,
                height: int | None) -> tuple[int, int]:
    """Width and height as plotly's own ``to_image`` resolves them."""
    import plotly.io as pio

    layout = fig_dict.get("layout") or {}
    template = (layout.get("template") or {}).get("layout") or {}
    w = width or layout.get("width") or template.get("width") or pio.defaults.default_width
    h = height or layout.get("height") or template.get("height") or pio.defaults.default_height
    return int(w), int(h)


def _render(fig: go.Figure | Mapping[str, Any], *, fmt: str, scale: float,
            width: int | None, height: int | None) -> bytes:
    """One image through the running server (call inside :func:`image_session`)."""
    import kaleido

    fig_dict = fig.to_dict() if hasattr(fig, "to_dict") else dict(fig)
    w, h = _image_size(fig_dict, width, height)
    opts = {"format": fmt, "width": w, "height": h, "scale": scale}
    result: dict[str, Any] = {}
    done = threading.Event()

    def work() -> None:
        try:
            result["data"] = kaleido.calc_fig_sync(fig_dict, opts=opts)
        except Exception as exc:
            result["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, name="slantscope-image", daemon=True).start()
    while not done.wait(0.1):
        thread = _server_thread()
        if thread is not None and not thread.is_alive():
            why = _first_line(_server_failures[-1]) if _server_failures else "it exited"
            raise ExportError(f"could not start the browser at {browser_path()}: {why}")
    if "error" in result:
        raise ExportError(f"could not render the chart as {fmt}: {_first_line(result['error'])}")
    data = result["data"]
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def _check_image_format(fmt: str) -> None:
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"unknown image format {fmt!r}; use one of {', '.join(IMAGE_FORMATS)}")


def png_with_text(png: bytes, key: str, text: str) -> bytes:
    """``png`` with a ``tEXt`` chunk ``key: text`` after its header (Latin-1 text)."""
    sig, ihdr_end = b"\x89PNG\r\n\x1a\n", 8 + 8 + 13 + 4
    if not png.startswith(sig):
        raise ValueError("not a PNG file")
    body = key.encode("latin-1") + b"\x00" + text.encode("latin-1", "replace")
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body
    chunk += struct.pack(">I", zlib.crc32(b"tEXt" + body) & 0xFFFFFFFF)
    return png[:ihdr_end] + chunk + png[ihdr_end:]


def _stamp(data: bytes, fmt: str, meta: Mapping[str, Any] | None) -> bytes:
    if meta and fmt == "png":
        text = json.dumps({**meta, **versions()}, sort_keys=True, default=str)
        return png_with_text(data, "slantscope", text)
    return data


def figure_to_image(fig: go.Figure | Mapping[str, Any], *, fmt: ImageFormat = "png",
                    scale: float = 2, width: int | None = None, height: int | None = None,
                    meta: Mapping[str, Any] | None = None) -> bytes:
    """One figure as image bytes (a "Download PNG" button).

    ``width`` and ``height`` are layout pixels (default: the figure's own,
    else plotly's 700 x 500); the image is ``scale`` times larger. ``meta``
    (provenance) is stored with the plotly and kaleido versions in a PNG's
    ``tEXt`` chunk under the keyword ``slantscope``.
    Outside :func:`image_session` this starts and stops a browser (a few
    seconds). Raises :class:`ExportError` (one line) when there is no browser.
    """
    _check_image_format(fmt)
    _require_browser(fmt)
    with image_session():
        data = _render(fig, fmt=fmt, scale=scale, width=width, height=height)
    return _stamp(data, fmt, meta)


# --- many charts ----------------------------------------------------------------

def versions() -> dict[str, str]:
    """Versions of the chart toolchain (plotly, kaleido)."""
    out = {}
    for dist in ("plotly", "kaleido"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = "not installed"
    return out


def _chart_title(fig: Any) -> str:
    """The figure's title as plain text (plotly's <br> and tags removed)."""
    try:
        text = fig.layout.title.text
    except AttributeError:
        text = ((fig.get("layout") or {}).get("title") or {}).get("text") \
            if isinstance(fig, Mapping) else None
    if not text:
        return ""
    text = re.sub(r"<br\s*/?>", " - ", str(text), flags=re.IGNORECASE)
    return re.sub(r"<[^>]*>", "", text).strip()


def _html_config(stem: str, scale: float) -> dict[str, Any]:
    return {"displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": stem, "scale": scale}}


def _flatten(meta: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for key in sorted(meta, key=str):
        value = meta[key]
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            rows.extend(_flatten(value, f"{name}."))
        elif isinstance(value, list | tuple):
            rows.append((name, ", ".join(str(v) for v in value)))
        else:
            rows.append((name, str(value)))
    return rows


_INDEX_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;
max-width:1200px;padding:0 1rem;color:#222}
section{margin:0 0 3rem}
img{max-width:100%;height:auto;border:1px solid #ddd}
iframe{width:100%;height:620px;border:1px solid #ddd}
table{border-collapse:collapse;font-size:.9rem}
td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
.file{color:#555;font-size:.9rem}
"""


def write_index(entries: list[tuple[str, str, Path]], out_dir: Path, *, fmt: str,
                meta: Mapping[str, Any] | None = None,
                title: str = "slantscope charts") -> Path:
    """``index.html`` showing every exported chart with its file name and provenance.

    ``entries`` are ``(chart name, chart title, file)``. Everything that comes
    from data (names, titles, provenance) is HTML-escaped.
    """
    esc = html.escape
    provenance = {**(meta or {}), **versions()}
    parts = [
        "<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>", f"<style>{_INDEX_CSS}</style>", "</head>", "<body>",
        f"<h1>{esc(title)}</h1>",
        f"<p>{len(entries)} chart{'s' if len(entries) != 1 else ''} as {esc(fmt.upper())}; "
        'the versions that made them are listed <a href="#provenance">below</a>.</p>',
        "<ul>",
    ]
    for name, _, path in entries:
        parts.append(f'<li><a href="#{esc(path.stem)}">{esc(name)}</a></li>')
    parts.append("</ul>")
    for name, chart_title, path in entries:
        href = esc(quote(path.name))
        heading = chart_title or name
        parts.append(f'<section id="{esc(path.stem)}">')
        parts.append(f"<h2>{esc(heading)}</h2>")
        parts.append(f'<p class="file">{esc(name)}: <a href="{href}">{esc(path.name)}</a></p>')
        if fmt == "html":
            parts.append(f'<iframe src="{href}" title="{esc(heading)}" loading="lazy"></iframe>')
        else:
            parts.append(f'<img src="{href}" alt="{esc(heading)}" loading="lazy">')
        parts.append("</section>")
    parts.append('<h2 id="provenance">Provenance</h2>')
    parts.append("<table><tr><th>item</th><th>value</th></tr>")
    for key, value in _flatten(provenance):
        parts.append(f"<tr><td>{esc(key)}</td><td>{esc(value)}</td></tr>")
    parts.append("</table>")
    blob = json.dumps(provenance, sort_keys=True, default=str).replace("<", "\\u003c")
    parts.append(f'<script type="application/json" id="slantscope-provenance">{blob}</script>')
    parts += ["</body>", "</html>", ""]
    path = out_dir / "index.html"
    try:
        path.write_text("\n".join(parts), encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    return path


def export_figures(figs: Mapping[str, go.Figure], out_dir: str | Path, *,
                   fmt: ExportFormat = "png", scale: float = 2,
                   meta: Mapping[str, Any] | None = None,
                   title: str = "slantscope charts") -> list[Path]:
    """Write every figure as ``<name>.<fmt>`` in ``out_dir``, plus ``index.html``.

    Names go through :func:`safe_filename` (made unique; ``index`` is kept
    for the index page). PNG and SVG are rendered by one kaleido server for
    the whole batch; a PNG carries ``meta`` in a ``tEXt`` chunk. HTML files
    embed plotly.js in full (about 5 MB each) rather than loading it from a
    CDN: every file then opens offline and on its own, e.g. as an e-mail
    attachment, which is what an exported chart is for.

    Returns the chart files in ``figs`` order, then ``index.html``.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{out}: cannot create the folder ({exc.strerror or exc})") from exc
    names = list(figs)
    stems = _unique_stems(names)
    entries: list[tuple[str, str, Path]] = []

    def write(path: Path, data: bytes | None = None, fig: Any = None) -> None:
        try:
            if data is not None:
                path.write_bytes(data)
            else:
                fig.write_html(path, include_plotlyjs=True, full_html=True,
                               config=_html_config(path.stem, scale))
        except OSError as exc:
            raise ExportError(f"{path}: cannot write ({exc.strerror or exc})") from exc

    if fmt == "html":
        for name, stem in zip(names, stems, strict=True):
            path = out / f"{stem}.html"
            write(path, fig=figs[name])
            entries.append((name, _chart_title(figs[name]), path))
    else:
        _require_browser(fmt)
        with image_session():
            for name, stem in zip(names, stems, strict=True):
                path = out / f"{stem}.{fmt}"
                data = _render(figs[name], fmt=fmt, scale=scale, width=None, height=None)
                write(path, _stamp(data, fmt, meta))
                entries.append((name, _chart_title(figs[name]), path))
    index = write_index(entries, out, fmt=fmt, meta=meta, title=title)
    return [path for _, _, path in entries] + [index]
