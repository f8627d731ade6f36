"""Chart and table exports: images as a reader opens them, safe names and cells,
one browser per batch, and the ``export`` / ``dashboard`` commands."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from analytics import export
from analytics.cli import dashboard_command, find_dashboard, main
from analytics.export import (
    ExportError,
    chrome_available,
    csv_safe,
    export_figures,
    figure_to_image,
    safe_filename,
    to_csv_bytes,
    to_parquet_bytes,
    write_table,
)
from tests.conftest import ROOT, SEEDS

needs_chrome = pytest.mark.skipif(
    not chrome_available(),
    reason="PNG/SVG export needs Chrome or Chromium (apt-get install chromium); "
    "CI installs it in .ci/run",
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def small_figure(title: str = "Mean sentiment by outlet") -> go.Figure:
    return go.Figure(
        go.Bar(x=["BBC", "RT", "Reuters"], y=[0.12, -0.31, 0.05], marker_color="#1f77b4"),
        layout={"title": {"text": title}, "template": "plotly_white"},
    )


def open_png(data: bytes):
    from PIL import Image

    assert data.startswith(PNG_SIGNATURE)
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def assert_real_chart(img) -> None:
    """At least 600 x 300 pixels and not blank (many colours, some ink)."""
    width, height = img.size
    assert width >= 600 and height >= 300, img.size
    colours = img.convert("RGB").getcolors(maxcolors=1 << 24)
    assert colours is not None and len(colours) > 1
    white = sum(n for n, c in colours if c == (255, 255, 255))
    assert white < width * height  # something was drawn


class StartSpy:
    """Counts kaleido server starts (each one is a browser launch)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import kaleido

        self.starts = 0
        real = kaleido.start_sync_server

        def spy(*args, **kwargs):
            self.starts += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(kaleido, "start_sync_server", spy)


# --- file names -------------------------------------------------------------------

@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd", "etc_passwd"),
    ("a/b", "a_b"),
    ("a\\b", "a_b"),
    ("<script>", "script"),
    (".hidden", "hidden"),
    ("...", "chart"),
    ("", "chart"),
    ("Sentiment: BBC vs RT", "Sentiment_BBC_vs_RT"),
    ("Télam", "Telam"),
    ("-rf", "rf"),
    ("CON", "CON_"),
    ("sentiment_arc", "sentiment_arc"),
])
def test_safe_filename(name: str, expected: str) -> None:
    out = safe_filename(name)
    assert out == expected
    assert "/" not in out and "\\" not in out and not out.startswith(".")
    assert set(out) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


def test_safe_filename_is_bounded() -> None:
    assert len(safe_filename("x" * 1000)) == 100


# --- CSV safety -------------------------------------------------------------------

def formula_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "text": pd.Series(['=HYPERLINK("http://evil.example","click")', "+1", "-2", "@SUM(A1:A9)",
                           "\tcmd", "plain", None], dtype="string"),
        "obj": pd.Series(["=1+1", "fine", 3, None, "-x", "a=b", "\rline"], dtype=object),
        "number": [-2, 1, 0, 5, -7, 2, 3],
        "rate": [-2.5, 0.0, 1.5, None, -0.1, 2.0, 3.0],
    })


def test_csv_safe_quotes_text_formulas_only() -> None:
    safe = csv_safe(formula_frame())
    assert safe["text"].tolist()[:6] == ["'=HYPERLINK(\"http://evil.example\",\"click\")", "'+1",
                                         "'-2", "'@SUM(A1:A9)", "'\tcmd", "plain"]
    assert pd.isna(safe["text"].iloc[6])
    assert safe["obj"].tolist()[:3] == ["'=1+1", "fine", 3]
    assert safe["obj"].iloc[4] == "'-x" and safe["obj"].iloc[5] == "a=b"
    assert safe["obj"].iloc[6] == "'\rline"
    # numbers stay numbers, negative ones included
    assert safe["number"].tolist() == [-2, 1, 0, 5, -7, 2, 3]
    assert safe["number"].dtype == formula_frame()["number"].dtype
    assert safe["rate"].iloc[0] == -2.5


def test_csv_safe_leaves_input_alone_and_quotes_headers() -> None:
    df = formula_frame()
    df["=cmd()"] = 1
    safe = csv_safe(df)
    assert df["text"].iloc[0].startswith("=")
    assert "'=cmd()" in safe.columns and "=cmd()" in df.columns


def test_csv_safe_categorical_and_untouched_columns() -> None:
    df = pd.DataFrame({"c": pd.Categorical(["=a", "b", "=a"]),
                       "k": pd.Categorical(["x", "y", "x"])})
    safe = csv_safe(df)
    assert safe["c"].tolist() == ["'=a", "b", "'=a"]
    assert isinstance(safe["k"].dtype, pd.CategoricalDtype)  # nothing to quote: kept as it was


def test_csv_files_and_bytes_are_formula_safe(tmp_path: Path) -> None:
    df = formula_frame().drop(columns="obj")
    path = write_table(df, tmp_path / "t.csv")
    text = path.read_bytes().decode("utf-8")
    lines = text.splitlines()
    assert not any(ln.startswith(("=", "+", "@")) for ln in lines)
    assert "'=HYPERLINK" in text and ",-2," in text  # the number -2 is written as -2
    assert to_csv_bytes(df).decode("utf-8") == text
    back = pd.read_csv(path)
    assert back["number"].tolist() == [-2, 1, 0, 5, -7, 2, 3]


def test_parquet_bytes_carry_meta() -> None:
    import pyarrow.parquet as pq

    data = to_parquet_bytes(formula_frame().drop(columns="obj"), {"slantscope": "0.1.0"})
    table = pq.read_table(io.BytesIO(data))
    assert json.loads(table.schema.metadata[b"slantscope"]) == {"slantscope": "0.1.0"}
    # Parquet is not opened by spreadsheets as formulas: values kept as they are
    assert table.to_pandas()["text"].iloc[0].startswith("=HYPERLINK")


# --- no browser -----------------------------------------------------------------

def test_missing_browser_is_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chrome"))
    assert not chrome_available()
    with pytest.raises(ExportError) as info:
        figure_to_image(small_figure())
    msg = str(info.value)
    assert "\n" not in msg
    assert "Chrome or Chromium" in msg and "apt-get install chromium" in msg
    assert "camera button" in msg
    with pytest.raises(ExportError, match="SVG export needs Chrome"):
        export_figures({"a": small_figure()}, tmp_path / "out", fmt="svg")


def test_no_browser_found_anywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "browser_path", lambda: None)
    assert not chrome_available()
    with pytest.raises(ExportError, match="PNG export needs Chrome or Chromium on the server"):
        figure_to_image(small_figure())


@pytest.mark.skipif(not os.access("/bin/false", os.X_OK), reason="needs /bin/false")
def test_browser_that_dies_at_start_is_an_error_not_a_hang(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/bin/false")
    with pytest.raises(ExportError, match="could not start the browser at /bin/false"):
        figure_to_image(small_figure())


def test_unknown_formats_list_the_valid_ones(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="png, svg, html"):
        export_figures({"a": small_figure()}, tmp_path, fmt="gif")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="png, svg, jpeg"):
        figure_to_image(small_figure(), fmt="bmp")  # type: ignore[arg-type]


# --- images ---------------------------------------------------------------------

@needs_chrome
def test_png_of_one_figure() -> None:
    data = figure_to_image(small_figure(), meta={"slantscope": "0.1.0"})
    img = open_png(data)
    assert img.size == (1400, 1000)  # plotly's 700 x 500 at scale 2
    assert_real_chart(img)
    stamp = json.loads(img.info["slantscope"])
    assert stamp["slantscope"] == "0.1.0" and stamp["plotly"] and stamp["kaleido"]


@needs_chrome
def test_png_size_and_scale() -> None:
    img = open_png(figure_to_image(small_figure(), width=800, height=400, scale=1))
    assert img.size == (800, 400)
    assert_real_chart(img)


@needs_chrome
def test_export_png_batch_uses_one_browser(monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    spy = StartSpy(monkeypatch)
    figs = {f"chart {i}": small_figure(f"Chart {i}") for i in range(4)}
    paths = export_figures(figs, tmp_path / "out", meta={"inputs": ["seeds"]})
    assert spy.starts == 1
    assert [p.name for p in paths] == ["chart_0.png", "chart_1.png", "chart_2.png",
                                       "chart_3.png", "index.html"]
    for p in paths[:-1]:
        assert_real_chart(open_png(p.read_bytes()))
    index = paths[-1].read_text(encoding="utf-8")
    for p in paths[:-1]:
        assert f'<img src="{p.name}"' in index
    assert "Chart 3" in index and "kaleido" in index and "seeds" in index


@needs_chrome
def test_images_inside_a_session_share_the_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    spy = StartSpy(monkeypatch)
    with export.image_session():
        first = figure_to_image(small_figure())
        second = figure_to_image(small_figure("Other"), fmt="svg")
    assert spy.starts == 1
    assert first.startswith(PNG_SIGNATURE) and second.lstrip().startswith(b"<svg")


@needs_chrome
def test_export_svg(tmp_path: Path) -> None:
    paths = export_figures({"overview": small_figure(), "arc": small_figure("Arc")}, tmp_path,
                           fmt="svg")
    assert [p.name for p in paths] == ["overview.svg", "arc.svg", "index.html"]
    svg = paths[0].read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "Mean sentiment by outlet" in svg
    assert '<img src="arc.svg"' in paths[-1].read_text(encoding="utf-8")


def test_export_html_is_self_contained(tmp_path: Path) -> None:
    paths = export_figures({"overview": small_figure()}, tmp_path, fmt="html")
    assert [p.name for p in paths] == ["overview.html", "index.html"]
    page = paths[0].read_text(encoding="utf-8")
    assert "<script src=" not in page and "Plotly.newPlot" in page
    assert len(page) > 1_000_000  # plotly.js is inside: opens offline
    assert '"filename": "overview"' in page  # the camera button's file name
    assert '<iframe src="overview.html"' in paths[1].read_text(encoding="utf-8")


def test_index_escapes_everything_from_data(tmp_path: Path) -> None:
    figs = {
        "<script>alert(1)</script>": small_figure('<img src=x onerror="alert(2)">Sentiment'),
        "../../etc/passwd": small_figure("Fine & <b>bold</b>"),
        "index": small_figure(),
    }
    meta = {"inputs": ["<b>evil</b>.csv"], "lexicons": {"x<y": {"hash": "</script>"}}}
    paths = export_figures(figs, tmp_path / "o", fmt="html", meta=meta, title="<i>t</i>")
    assert [p.name for p in paths] == ["script_alert_1_script.html", "etc_passwd.html",
                                       "index-2.html", "index.html"]
    assert all(p.parent == tmp_path / "o" for p in paths)
    index = paths[-1].read_text(encoding="utf-8")
    for raw in ("<script>alert", "<img src=x", "<b>evil", "<i>t</i>", "x<y", "<b>bold"):
        assert raw not in index
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    assert "&lt;b&gt;evil&lt;/b&gt;.csv" in index and "Fine &amp; bold" in index
    assert index.count("</script>") == 1  # only the provenance block's own end tag


# --- the export command ---------------------------------------------------------

def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "analytics.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=600, env=env)


@needs_chrome
def test_export_command_writes_real_pngs(tmp_path: Path) -> None:
    from PIL import Image

    out = tmp_path / "charts"
    proc = run("export", str(SEEDS), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    pngs = sorted(out.glob("*.png"))
    assert len(pngs) >= 5
    for p in pngs:
        with Image.open(p) as img:
            assert_real_chart(img)
    index = (out / "index.html").read_text(encoding="utf-8")
    for p in pngs:
        assert f'src="{p.name}"' in index
    printed = proc.stdout.splitlines()
    assert len(printed) == len(pngs) + 1 and printed[-1].endswith("index.html")
    assert f"exported {len(pngs)} charts" in proc.stderr


def test_export_command_without_browser_is_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "BROWSER_PATH": str(tmp_path / "no-such-chrome")}
    proc = run("export", str(SEEDS), "-o", str(tmp_path / "charts"), env=env)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "apt-get install chromium" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "charts").exists()


def test_export_command_html_needs_no_browser(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chrome"))
    out = tmp_path / "charts"
    assert main(["export", str(SEEDS), "-o", str(out), "--format", "html",
                 "--engine", "serial"]) == 0
    assert len(list(out.glob("*.html"))) >= 6 and (out / "index.html").exists()


def test_export_command_refuses_a_file_as_folder(tmp_path: Path, capsys) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x")
    assert main(["export", str(SEEDS), "-o", str(target), "--format", "html"]) == 2
    assert "not a folder" in capsys.readouterr().err


# --- the dashboard command ------------------------------------------------------

def test_dashboard_command_line() -> None:
    script = Path("/repo/dashboard.py")
    assert dashboard_command(None, script=script) == [
        sys.executable, "-m", "streamlit", "run", str(script)]
    assert dashboard_command("seeds", ["--server.port", "8502"], script=script) == [
        sys.executable, "-m", "streamlit", "run", str(script), "--server.port", "8502",
        "--", str(Path("seeds").resolve())]


def test_dashboard_is_found_at_the_repository_root() -> None:
    if not (ROOT / "dashboard.py").exists():
        pytest.skip("dashboard.py not in this checkout")
    assert find_dashboard() == ROOT / "dashboard.py"


def test_dashboard_runs_streamlit(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []

    def fake_run(cmd, check=False):
        calls.append(cmd)
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(subprocess, "run", fake_run)
    monkeypatch.setattr("analytics.cli.find_dashboard", lambda: Path("/repo/dashboard.py"))
    assert main(["dashboard", str(SEEDS), "--", "--server.headless=true"]) == 0
    assert main(["dashboard", "--", "--server.port", "8502"]) == 0
    assert calls[0][1:] == ["-m", "streamlit", "run", "/repo/dashboard.py",
                            "--server.headless=true", "--", str(SEEDS)]
    assert calls[1][1:] == ["-m", "streamlit", "run", "/repo/dashboard.py",
                            "--server.port", "8502"]


def test_dashboard_errors_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys) -> None:
    assert main(["dashboard", str(tmp_path / "missing.csv")]) == 2
    err = capsys.readouterr().err
    assert "missing.csv" in err and err.strip().count("\n") == 0
    monkeypatch.setattr("analytics.cli.__file__", str(tmp_path / "pkg" / "cli.py"))
    assert main(["dashboard"]) == 2
    err = capsys.readouterr().err
    assert "dashboard.py not found" in err and err.strip().count("\n") == 0


def test_dashboard_help() -> None:
    proc = run("dashboard", "--help")
    assert proc.returncode == 0 and "streamlit" in proc.stdout

