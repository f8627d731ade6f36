"""``slantscope score`` as a user meets it: outputs, summaries and errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analytics.cli import main
from tests.conftest import ROOT, SEEDS


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "analytics.cli", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=600)


def test_score_seeds_to_csv(tmp_path: Path) -> None:
    out = tmp_path / "scores.csv"
    proc = run("score", str(SEEDS), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    df = pd.read_csv(out)
    assert len(df) == 5 and df["outlet"].nunique() == 5
    assert len([c for c in df.columns if c.startswith("framing_")]) >= 4
    assert (tmp_path / "scores.sentences.csv").exists()
    assert (tmp_path / "scores.hits.csv").exists()
    meta = json.loads((tmp_path / "scores.meta.json").read_text())
    assert meta["textstat"] == "0.7.8" and meta["lexicons"]
    assert "scored 5 articles" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("ext", ["parquet", "jsonl"])
def test_output_formats(tmp_path: Path, ext: str) -> None:
    out = tmp_path / f"s.{ext}"
    assert main(["score", str(SEEDS), "--engine", "serial", "-o", str(out)]) == 0
    df = pd.read_parquet(out) if ext == "parquet" else pd.read_json(out, lines=True)
    assert len(df) == 5


def test_parquet_carries_versions(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "s.parquet"
    main(["score", str(SEEDS), "--engine", "serial", "-o", str(out)])
    md = pq.read_schema(out).metadata
    meta = json.loads(md[b"slantscope"])
    assert meta["vaderSentiment"] == "3.3.2"


def test_summary_without_output(capsys) -> None:
    assert main(["score", str(SEEDS), "--engine", "serial"]) == 0
    out = capsys.readouterr().out
    assert "outlet" in out and "sentiment_mean" in out


def test_binary_file_beside_good_articles(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("000_fc48db95838584a8.txt", "002_66c77f65f70d1ee2.txt"):
        (folder / name).write_bytes((SEEDS / name).read_bytes())
    (folder / "broken.txt").write_bytes(bytes(range(256)) * 20)
    out = tmp_path / "scores.csv"
    proc = run("score", str(folder), "-o", str(out))
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    errors = [ln for ln in proc.stderr.splitlines() if "error" in ln]
    assert len(errors) == 1 and "broken.txt" in errors[0]
    assert len(pd.read_csv(out)) == 2


def test_unknown_output_format_is_one_line(tmp_path: Path) -> None:
    proc = run("score", str(SEEDS), "-o", str(tmp_path / "scores.xlsx"))
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "scores.xlsx" in proc.stderr and ".parquet" in proc.stderr


def test_missing_input_is_named(tmp_path: Path) -> None:
    proc = run("score", str(tmp_path / "nope"))
    assert proc.returncode != 0
    assert "nope" in proc.stderr and "Traceback" not in proc.stderr


def test_csv_with_own_column_names_via_flags(tmp_path: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))][:3]
    src = tmp_path / "mine.csv"
    pd.DataFrame({"doc": ["a", "b", "c"], "paper": ["X", "Y", "Z"], "story": texts}).to_csv(
        src, index=False
    )
    out = tmp_path / "out.csv"
    proc = run("score", str(src), "--text-col", "story", "--outlet-col", "paper",
               "--id-col", "doc", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    df = pd.read_csv(out)
    assert list(df.article_id) == ["a", "b", "c"] and list(df.outlet) == ["X", "Y", "Z"]


def test_csv_without_text_column_names_the_flag(tmp_path: Path) -> None:
    src = tmp_path / "odd.csv"
    pd.DataFrame({"foo": ["x"], "bar": ["y"]}).to_csv(src, index=False)
    proc = run("score", str(src))
    assert proc.returncode != 0
    assert "--text-col" in proc.stderr and "foo" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_bad_lexicon_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("this is [not toml", encoding="utf-8")
    proc = run("score", str(SEEDS), "--lexicons", str(bad))
    assert proc.returncode == 2
    assert "bad.toml" in proc.stderr and "Traceback" not in proc.stderr


def test_policy_frames_lexicon_by_name(tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    assert main(["score", str(SEEDS), "--engine", "serial", "--lexicons", "framing_policy",
                 "-o", str(out)]) == 0
    cols = pd.read_csv(out).columns
    assert "framing_economic_per_1k" in cols and "framing_aggression_per_1k" not in cols


def test_help_documents_every_command() -> None:
    proc = run("--help")
    assert proc.returncode == 0
    assert "score" in proc.stdout
