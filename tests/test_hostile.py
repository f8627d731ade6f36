"""Bad input through ``slantscope score``, the way a user meets it.

Each case runs the command in a fresh process (with a timeout, so a hang is a
failure) and checks what the command line promises: a result, or one line
per problem naming the file (and the line or row), never a traceback; the
good inputs beside a bad one still scored and written; the documented exit
code (0 success, 1 some input could not be used, 2 nothing could be done).

Inputs are written into ``tmp_path`` by each test, from the seed articles
where real prose is needed.  Marked ``slow``: the 200,000-row CSV, and two
million characters of quoted dialogue (an expected failure: scoring time is
quadratic in sentences x quotes, see its reason).
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analytics.schema import READABILITY_INDICES
from tests.conftest import ROOT, SEEDS

GOOD_NAME = "000_fc48db95838584a8.txt"
GOOD_TEXT = (SEEDS / GOOD_NAME).read_text(encoding="utf-8")
PROSE = (
    "NATO and Russia met in Brussels on Wednesday. The talks ended without a deal, "
    "officials said. Moscow wants security guarantees; Washington called some demands "
    "non-starters."
)
_MESSAGE = re.compile(r"^slantscope: (warning|error): \S")
# What `score` may print on stderr besides messages: the closing summary and the
# progress bar of a long run.
_SUMMARY = re.compile(r"^scored \d+ articles? \(")
_TMP = re.compile(r"/\S*/pytest-of-[^/\s]+/pytest-\d+/[^/\s]+/")


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m analytics.cli ARGS`` with a timeout (a hang fails the test)."""
    return subprocess.run(
        [sys.executable, "-m", "analytics.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )


def score(
    *inputs: Path | str, out: Path, extra: tuple[str, ...] = (), timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return run("score", *map(str, inputs), "-o", str(out), *extra, timeout=timeout)


def check_clean(proc: subprocess.CompletedProcess[str], code: int) -> list[str]:
    """No traceback, only one-line messages, the exit code; returns the error lines
    with the temporary folder's path taken out (it holds the test's name)."""
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == code, proc.stderr
    for line in proc.stderr.splitlines():
        if not line.strip() or "article/s" in line or line.startswith("scoring"):
            continue
        assert _MESSAGE.match(line) or _SUMMARY.match(line), f"unexpected stderr line: {line!r}"
    return [
        _TMP.sub("", ln) for ln in proc.stderr.splitlines() if ln.startswith("slantscope: error:")
    ]


def with_good_file(folder: Path) -> Path:
    """A folder holding one good seed article (beside whatever the test adds)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / GOOD_NAME).write_text(GOOD_TEXT, encoding="utf-8")
    return folder


def scores(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out)


def sentences(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out.with_name(f"{out.stem}.sentences{out.suffix}"))


def good_scored(out: Path) -> bool:
    return GOOD_NAME in set(scores(out)["source_ref"])


# --- files that are not text ---


@pytest.mark.parametrize(
    "content", [b"", b"   \n\t\n  \r\n", b"\n\n\n"], ids=["empty", "whitespace", "newlines"]
)
def test_empty_and_whitespace_only_files(tmp_path: Path, content: bytes) -> None:
    folder = with_good_file(tmp_path / "corpus")
    (folder / "blank.txt").write_bytes(content)
    out = tmp_path / "s.parquet"
    errors = check_clean(score(folder, out=out), 1)
    assert len(errors) == 1 and "blank.txt" in errors[0] and "empty" in errors[0]
    assert len(scores(out)) == 1 and good_scored(out)


BINARIES = {
    "random.txt": bytes(range(256)) * 40,
    "photo.md": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10,
    "report.html": b"%PDF-1.7\n" + bytes(range(256)) * 10,
    "table.csv": bytes(range(256)) * 40,
    "lines.jsonl": bytes(range(255, -1, -1)) * 40,
    "list.json": b"\x7fELF" + bytes(range(256)) * 10,
}


@pytest.mark.parametrize("name", sorted(BINARIES))
def test_binary_file_with_a_text_extension(tmp_path: Path, name: str) -> None:
    folder = with_good_file(tmp_path / "corpus")
    (folder / name).write_bytes(BINARIES[name])
    out = tmp_path / "s.parquet"
    errors = check_clean(score(folder, out=out), 1)
    assert len(errors) == 1, errors  # one line for the file, not one per line of it
    assert name in errors[0]
    assert "binary file" in errors[0] or "despite its byte-order mark" in errors[0]
    assert len(scores(out)) == 1 and good_scored(out)


def test_gz_that_is_not_gzip(tmp_path: Path) -> None:
    folder = with_good_file(tmp_path / "corpus")
    (folder / "a.jsonl.gz").write_text(json.dumps({"text": PROSE}) + "\n", encoding="utf-8")
    (folder / "b.csv.gz").write_text(f'text\n"{PROSE}"\n', encoding="utf-8")
    out = tmp_path / "s.parquet"
    errors = check_clean(score(folder, out=out), 1)
    assert len(errors) == 2
    assert all("gzip" in e for e in errors)
    assert {"a.jsonl.gz", "b.csv.gz"} == {
        n for n in ("a.jsonl.gz", "b.csv.gz") for e in errors if n in e
    }
    assert len(scores(out)) == 1 and good_scored(out)


def test_truncated_gzip_keeps_the_lines_before_the_cut(tmp_path: Path) -> None:
    records = [{"text": f"{PROSE} Number {i}.", "outlet": "Wire"} for i in range(400)]
    data = gzip.compress("".join(json.dumps(r) + "\n" for r in records).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    out = tmp_path / "s.parquet"
    errors = check_clean(score(path, out=out, extra=("--engine", "serial")), 1)
    assert len(errors) == 1 and "cut.jsonl.gz" in errors[0] and "ends early" in errors[0]
    assert 0 < len(scores(out)) < 400


def test_parquet_that_is_not_parquet(tmp_path: Path) -> None:
    folder = with_good_file(tmp_path / "corpus")
    (folder / "data.parquet").write_text("text,outlet\nhello,P\n", encoding="utf-8")
    out = tmp_path / "s.parquet"
    errors = check_clean(score(folder, out=out), 1)
    assert len(errors) == 1 and "data.parquet" in errors[0] and "Parquet" in errors[0]
    assert good_scored(out)
    # Alone, nothing can be done: exit 2 and one line naming the file.
    errors = check_clean(score(folder / "data.parquet", out=tmp_path / "t.parquet"), 2)
    assert len(errors) == 1 and "data.parquet" in errors[0]


# --- encodings and line endings ---


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_utf16_with_and_without_bom(tmp_path: Path, encoding: str) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "article.txt").write_bytes(GOOD_TEXT.encode(encoding))
    (folder / "rows.csv").write_bytes(f'text,outlet\n"{PROSE}",Wire\n'.encode(encoding))
    out = tmp_path / "s.parquet"
    reference = tmp_path / "ref.parquet"
    utf8 = with_good_file(tmp_path / "utf8")
    check_clean(score(utf8, out=reference), 0)
    proc = score(folder, out=out)
    check_clean(proc, 0)
    if encoding in ("utf-16-le", "utf-16-be"):  # no BOM: read, and said so
        assert "no byte-order mark" in proc.stderr
    df = scores(out).set_index("source_ref")
    ref = scores(reference).iloc[0]
    assert df.loc["article.txt", "text_words"] == ref["text_words"]
    assert df.loc["article.txt", "sentiment_mean"] == ref["sentiment_mean"]
    assert df.loc["rows.csv:row 1", "outlet"] == "Wire"
    assert "\x00" not in "".join(sentences(out)["text"])


def test_latin1_text_falls_back_with_a_warning(tmp_path: Path) -> None:
    folder = with_good_file(tmp_path / "corpus")
    text = "Le café de Genève était fermé. Les négociations ont échoué à Bruxelles, dit-il.\n"
    (folder / "latin.txt").write_bytes(text.encode("latin-1"))
    record = json.dumps({"text": text, "outlet": "Le Monde"}, ensure_ascii=False)
    (folder / "latin.jsonl").write_bytes((record + "\n").encode("latin-1"))
    out = tmp_path / "s.parquet"
    proc = score(folder, out=out)
    check_clean(proc, 0)
    warnings = [ln for ln in proc.stderr.splitlines() if "Latin-1" in ln]
    assert any("latin.txt" in w for w in warnings) and any("latin.jsonl" in w for w in warnings)
    joined = " ".join(sentences(out)["text"])
    assert joined.count("Le café de Genève était fermé.") == 2
    assert len(scores(out)) == 3


def test_mixed_line_endings(tmp_path: Path) -> None:
    folder = with_good_file(tmp_path / "corpus")
    (folder / "mixed.txt").write_bytes(
        b"Talks opened in Brussels.\r\nThe delegations met for hours.\rNo deal emerged.\n"
        b"Both sides promised to meet again.\r\n\r\nA second paragraph follows.\r"
    )
    (folder / "mixed.csv").write_bytes(
        b'text,outlet\r\n"First line.\r\nSecond line.\rThird line.",A\n"Other row.",B\r'
    )
    out = tmp_path / "s.parquet"
    check_clean(score(folder, out=out), 0)
    df = scores(out).set_index("source_ref")
    assert df.loc["mixed.txt", "text_sentences"] == 5
    assert df.loc["mixed.csv:row 1", "text_sentences"] == 3
    assert df.loc["mixed.csv:row 2", "outlet"] == "B"
    assert not sentences(out)["text"].str.contains("\r").any()


# --- size ---


def _peak_rss_mb_of(
    args: list[str], timeout: float
) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run ``args`` and return it with the peak RSS (MB) of it and its children."""
    code = (
        "import resource, subprocess, sys\n"
        "r = subprocess.run(sys.argv[1:])\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(r.returncode)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )
    return proc, int(proc.stdout.strip().splitlines()[-1]) / 1024


def _seed_paragraphs() -> list[str]:
    paragraphs = []
    for path in sorted(SEEDS.glob("*.txt")):
        paragraphs += [
            p for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.split()) > 20
        ]
    return paragraphs


def test_50_mb_single_article(tmp_path: Path) -> None:
    folder = with_good_file(tmp_path / "corpus")
    paragraphs = _seed_paragraphs()
    parts, size, i = [], 0, 0
    while size < 50_000_000:
        p = paragraphs[i % len(paragraphs)]
        parts.append(p)
        size += len(p.encode("utf-8")) + 2
        i += 1
    (folder / "huge.txt").write_text("\n\n".join(parts), encoding="utf-8")
    del parts
    out = tmp_path / "s.parquet"
    t0 = time.monotonic()
    proc, peak_mb = _peak_rss_mb_of(
        [sys.executable, "-m", "analytics.cli", "score", str(folder), "-o", str(out)],
        timeout=600,
    )
    elapsed = time.monotonic() - t0
    errors = check_clean(proc, 1)
    # Too long for one article: a clear error naming the file and the limit.
    assert len(errors) == 1 and "huge.txt" in errors[0] and "limit" in errors[0]
    assert good_scored(out) and len(scores(out)) == 1
    assert peak_mb < 1024, f"peak RSS {peak_mb:.0f} MB"
    assert elapsed < 120


def test_article_over_the_limit_in_a_csv_row(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    long_text = " ".join(_seed_paragraphs()) * 200  # ~5 MB in one cell
    pd.DataFrame({"text": [PROSE, long_text, PROSE + " Again."], "outlet": ["A", "B", "C"]}).to_csv(
        path, index=False
    )
    out = tmp_path / "s.parquet"
    errors = check_clean(score(path, out=out, timeout=300), 1)
    assert len(errors) == 1 and "rows.csv row 2" in errors[0] and "limit" in errors[0]
    assert list(scores(out)["outlet"]) == ["A", "C"]


@pytest.mark.slow
def test_200000_row_csv(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    sentences_ = PROSE.split(". ")
    frame = pd.DataFrame(
        {
            "id": [f"r{i}" for i in range(200_000)],
            "outlet": [f"Outlet {i % 7}" for i in range(200_000)],
            "text": [
                f"{sentences_[i % 3].rstrip('.')}. Item {i} was reported." for i in range(200_000)
            ],
        }
    )
    frame.to_csv(path, index=False)
    out = tmp_path / "s.parquet"
    proc, peak_mb = _peak_rss_mb_of(
        [
            sys.executable,
            "-m",
            "analytics.cli",
            "score",
            str(path),
            "--id-col",
            "id",
            "-o",
            str(out),
        ],
        timeout=1200,
    )
    check_clean(proc, 0)
    df = scores(out)
    assert len(df) == 200_000
    assert list(df["article_id"][:3]) == ["r0", "r1", "r2"]
    assert peak_mb < 6000, f"peak RSS {peak_mb:.0f} MB"


# --- tabular files ---


def test_csv_with_an_unterminated_quote(tmp_path: Path) -> None:
    """A quote that never closes: the parser would read the rest of the file as
    one field; that line is reported and skipped and the lines after it read."""
    path = tmp_path / "quotes.csv"
    rows = ["id,outlet,text"]
    rows += [f'a{i},A,"{PROSE} First block {i}."' for i in range(5)]
    rows += ['bad,B,"This quote never closes. The rest of the file would be swallowed.']
    rows += [f"c{i},C,Plain text in row {i} needs no quotes." for i in range(3)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "s.parquet"
    errors = check_clean(score(path, out=out, extra=("--id-col", "id")), 1)
    assert len(errors) == 1
    assert "quotes.csv line 7: unterminated quoted field" in errors[0]
    ids = list(scores(out)["article_id"])
    assert ids == [f"a{i}" for i in range(5)] + [f"c{i}" for i in range(3)]


def test_csv_with_a_quote_closing_one_row_late(tmp_path: Path) -> None:
    """A stray quote that closes in the next row swallows that row: the problem
    names every line of the file that went, so nothing is lost unreported."""
    path = tmp_path / "quotes.csv"
    rows = ["id,outlet,text"]
    rows += [f'a{i},A,"{PROSE} First block {i}."' for i in range(5)]
    rows += ['bad,B,"This quote closes only in the next row.']
    rows += [f'c{i},C,"{PROSE} Second block {i}."' for i in range(3)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "s.parquet"
    errors = check_clean(score(path, out=out, extra=("--id-col", "id")), 1)
    assert len(errors) == 1
    assert "quotes.csv line 7: malformed CSV line" in errors[0]
    assert "lines 7-8 of the file" in errors[0]
    ids = list(scores(out)["article_id"])
    assert ids == [f"a{i}" for i in range(5)] + ["c1", "c2"]


def test_csv_without_a_text_column(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    pd.DataFrame({"headline_x": ["x"], "story_body": [PROSE], "paper": ["P"]}).to_csv(
        path, index=False
    )
    errors = check_clean(score(path, out=tmp_path / "s.parquet"), 2)
    assert len(errors) == 1
    for word in ("odd.csv", "headline_x", "story_body", "paper", "--text-col"):
        assert word in errors[0]
    # Beside a good input: that one is still scored.
    folder = with_good_file(tmp_path / "corpus")
    (folder / "odd.csv").write_bytes(path.read_bytes())
    out = tmp_path / "t.parquet"
    errors = check_clean(score(folder, out=out), 1)
    assert len(errors) == 1 and "--text-col" in errors[0] and good_scored(out)
    # And the flag the message names works.
    check_clean(score(path, out=out, extra=("--text-col", "story_body")), 0)


def test_rows_with_empty_text(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        f'text,outlet\n"{PROSE}",A\n,B\n"   ",C\n"{PROSE} Again.",D\n"\n\n",E\n', encoding="utf-8"
    )
    out = tmp_path / "s.parquet"
    errors = check_clean(score(path, out=out), 1)
    assert len(errors) == 3
    for row, line in zip((2, 3, 5), errors, strict=True):
        assert f"rows.csv row {row}: empty text" in line
    assert list(scores(out)["outlet"]) == ["A", "D"]


def test_duplicate_ids_with_id_col(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    pd.DataFrame(
        {
            "doc": ["x1", "x2", "x1", "x3", "x2"],
            "outlet": ["A", "B", "C", "D", "E"],
            "text": [f"{PROSE} Version {i}." for i in range(5)],
        }
    ).to_csv(path, index=False)
    out = tmp_path / "s.parquet"
    errors = check_clean(score(path, out=out, extra=("--id-col", "doc")), 1)
    assert len(errors) == 2
    assert "ids.csv row 3" in errors[0] and "'x1'" in errors[0] and "row 1" in errors[0]
    assert "ids.csv row 5" in errors[1] and "'x2'" in errors[1]
    df = scores(out)
    assert list(df["article_id"]) == ["x1", "x2", "x3"]
    assert list(df["outlet"]) == ["A", "B", "D"]  # the first of each id is kept


def test_malformed_line_in_the_middle_of_a_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [json.dumps({"text": f"{PROSE} Line {i}.", "outlet": "Wire"}) for i in range(1, 6)]
    lines[2] = '{"text": "an unterminated string, "outlet": '
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "s.parquet"
    errors = check_clean(score(path, out=out), 1)
    assert len(errors) == 1 and "feed.jsonl line 3" in errors[0] and "invalid JSON" in errors[0]
    assert list(scores(out)["source_ref"]) == [f"feed.jsonl:line {i}" for i in (1, 2, 4, 5)]


# --- markup ---

HOSTILE_HTML = """<!doctype html><html><head><title>Talks end without a deal</title>
<script>alert(1); var secret = "SCRIPTTEXT";</script>
<style>body { color: red } .STYLETEXT {}</style></head>
<body onload="alert('ONLOADTEXT')"><article><h1>Talks end without a deal</h1>
<p>NATO and Russia met in Brussels on Wednesday. The talks ended without a deal, officials
said after more than four hours behind closed doors.</p>
<img src=x onerror=alert(1)><img src="y" onerror="alert('ONERRORTEXT')">
<p onclick="alert('ONCLICKTEXT')">Moscow wants security guarantees. Washington said some of the
demands were non-starters for the alliance and its members.</p>
<script>document.write("DOCWRITETEXT")</script>
<a href="javascript:alert('HREFTEXT')">Diplomats expect little progress</a> at the OSCE in Vienna
on Thursday, several of them said.</p>
<noscript>NOSCRIPTTEXT</noscript></article></body></html>
"""
FORBIDDEN = (
    "alert",
    "SCRIPTTEXT",
    "STYLETEXT",
    "ONLOADTEXT",
    "ONERRORTEXT",
    "ONCLICKTEXT",
    "DOCWRITETEXT",
    "HREFTEXT",
    "NOSCRIPTTEXT",
    "onerror",
    "onclick",
    "<script",
    "javascript:",
)


@pytest.mark.parametrize("name", ["page.html", "page.md"])
def test_html_with_scripts_and_event_handlers(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / name).write_text(HOSTILE_HTML, encoding="utf-8")
    out = tmp_path / "s.parquet"
    check_clean(score(folder, out=out), 0)
    text = " ".join(sentences(out)["text"])
    assert "NATO and Russia met in Brussels on Wednesday." in text
    assert "Moscow wants security guarantees." in text
    for word in FORBIDDEN:
        assert word not in text, word
    for word in FORBIDDEN:
        assert word not in str(scores(out)["title"].iloc[0])


# --- text the measures cannot read ---


def test_text_without_sentence_punctuation(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    words = re.sub(r"[.!?;:,]", "", GOOD_TEXT).split()
    (folder / "run-on.txt").write_text(" ".join(words), encoding="utf-8")
    out = tmp_path / "s.parquet"
    check_clean(score(folder, out=out), 0)
    row = scores(out).iloc[0]
    assert row["readability_flag"] == "no_sentence_punctuation"
    assert all(pd.isna(row[c]) for c in READABILITY_INDICES)  # flagged, not nonsense
    assert row["text_words"] > 500
    assert -1 <= row["sentiment_mean"] <= 1


def test_one_100000_word_sentence(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    words = re.sub(r"[.!?;:,\n]", " ", " ".join(_seed_paragraphs())).split()
    text = " ".join(words[i % len(words)] for i in range(100_000)) + "."
    (folder / "one-sentence.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "s.parquet"
    check_clean(score(folder, out=out, timeout=60), 0)
    row = scores(out).iloc[0]
    assert row["text_sentences"] == 1
    assert row["readability_flag"] == "no_sentence_punctuation"


@pytest.mark.slow
def test_two_million_characters_of_quoted_dialogue(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "dialogue.txt").write_text('He said "yes." She said "no." ' * 66_000, "utf-8")
    out = tmp_path / "s.parquet"
    check_clean(score(folder, out=out, timeout=60), 0)
    assert scores(out).iloc[0]["text_words_quoted"] > 0


def test_one_5000_word_sentence(tmp_path: Path) -> None:
    """A long run-on sentence of ordinary size is scored, flagged and quick."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    words = re.sub(r"[.!?;:,\n]", " ", " ".join(_seed_paragraphs())).split()
    (folder / "one-sentence.txt").write_text(
        " ".join(words[i % len(words)] for i in range(5_000)) + ".", encoding="utf-8"
    )
    out = tmp_path / "s.parquet"
    check_clean(score(folder, out=out, timeout=60), 0)
    row = scores(out).iloc[0]
    assert row["text_sentences"] == 1 and row["text_words"] > 4_500
    assert row["readability_flag"] == "no_sentence_punctuation"


NON_LATIN = {
    "russian.txt": "Переговоры НАТО и России в Брюсселе завершились без соглашения. "
    "Москва требует гарантий безопасности. Вашингтон назвал часть требований "
    "неприемлемыми. Следующая встреча пройдёт в Вене. 🙂",
    "chinese.txt": "北约与俄罗斯在布鲁塞尔举行会谈，会谈没有达成协议。莫斯科要求安全保证。"
    "华盛顿称部分要求无法接受。🇺🇦🎉",
    "arabic.txt": "اجتمع حلف الناتو وروسيا في بروكسل يوم الأربعاء. انتهت المحادثات دون اتفاق.",
    "hindi.txt": "नाटो और रूस ने बुधवार को ब्रसेल्स में मुलाकात की। वार्ता बिना किसी समझौते के समाप्त हुई।",
    "emoji.txt": "🎉🎉🎉 🙂🙂 🇺🇦 🚀🚀🚀 " * 20,
}


def test_non_latin_scripts_and_emoji(tmp_path: Path) -> None:
    folder = with_good_file(tmp_path / "corpus")
    for name, text in NON_LATIN.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / "s.parquet"
    check_clean(score(folder, out=out), 0)
    df = scores(out).set_index("source_ref")
    assert set(df.index) == {GOOD_NAME, *NON_LATIN}
    english_only = [
        c
        for c in df.columns
        if c.startswith(("sentiment_", "readability_", "hedge_", "booster_", "framing_"))
        and c != "readability_flag"
    ]
    for name in ("russian.txt", "chinese.txt", "arabic.txt", "hindi.txt"):
        row = df.loc[name]
        assert bool(row["text_non_english"]) is True, name
        assert row["readability_flag"] == "non_english"
        assert all(pd.isna(row[c]) for c in english_only), name
        assert row["text_words"] > 0
    emoji = df.loc["emoji.txt"]
    assert emoji["text_words"] == 0 and emoji["readability_flag"] == "no_words"
    assert all(pd.isna(emoji[c]) for c in english_only)
    good = df.loc[GOOD_NAME]
    assert bool(good["text_non_english"]) is False and not pd.isna(good["sentiment_mean"])


def test_numbers_only(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "numbers.txt").write_text(
        "12 345 6789\n2022 3.14 100,000\n-5 +7 42% 1e9\n", encoding="utf-8"
    )
    out = tmp_path / "s.parquet"
    check_clean(score(folder, out=out), 0)
    row = scores(out).iloc[0]
    numeric = row.drop(
        labels=[
            "article_id",
            "outlet",
            "title",
            "published",
            "url",
            "source_ref",
            "readability_flag",
            "text_non_english",
        ]
    )
    assert all(pd.isna(v) or abs(float(v)) < 1e6 for v in numeric)
    assert row["text_words"] > 0 and row["readability_flag"] is not None


# --- paths ---


def test_manifest_row_naming_a_path_outside_the_folder_is_not_read(tmp_path: Path) -> None:
    canary = tmp_path / "secret.txt"
    canary.write_text("CANARY-7f3a the secret text must never be scored.", encoding="utf-8")
    folder = with_good_file(tmp_path / "data" / "corpus")
    (folder / "manifest.csv").write_text(
        "file,outlet,title\n"
        "../../etc/passwd,Evil,Passwords\n"
        "../../secret.txt,Evil,Secret\n"
        "/etc/passwd,Evil,Absolute\n"
        f"{GOOD_NAME},Good Outlet,Good title\n",
        encoding="utf-8",
    )
    out = tmp_path / "s.parquet"
    proc = score(folder, out=out)
    check_clean(proc, 0)
    df = scores(out)
    assert list(df["source_ref"]) == [GOOD_NAME]
    assert list(df["outlet"]) == ["Good Outlet"]
    assert "Evil" not in set(df["outlet"])
    text = " ".join(sentences(out)["text"])
    assert "CANARY" not in text and "root:" not in text
    refused = [ln for ln in proc.stderr.splitlines() if "outside this folder" in ln]
    assert len(refused) == 3
    assert all("manifest.csv row" in ln for ln in refused)
