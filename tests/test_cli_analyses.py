"""The analysis commands as a user meets them: compare, quotes, terms, similar."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analytics.cli import build_parser, main
from tests.conftest import ROOT, SEEDS


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "analytics.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=600)


@pytest.fixture(scope="module")
def repost_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An original, a republished copy (extra first line, one word edited) and another."""
    folder = tmp_path_factory.mktemp("repost")
    original = (SEEDS / "002_66c77f65f70d1ee2.txt").read_text(encoding="utf-8")
    (folder / "a_original.txt").write_text(original, encoding="utf-8")
    copy = "Republished with permission of the author.\n\n" + original.replace(
        "stalemate", "deadlock", 1)
    (folder / "b_copy.txt").write_text(copy, encoding="utf-8")
    shutil.copy(SEEDS / "004_4ff5280c6cc9d9f3.txt", folder / "c_other.txt")
    pd.DataFrame({"file": ["a_original.txt", "b_copy.txt", "c_other.txt"],
                  "outlet": ["Origin Post", "Copy Daily", "Other Times"]}).to_csv(
        folder / "manifest.csv", index=False)
    return folder


def test_compare_has_counts_and_intervals(tmp_path: Path) -> None:
    out = tmp_path / "cmp.csv"
    assert main(["compare", str(SEEDS), "--engine", "serial", "-o", str(out)]) == 0
    df = pd.read_csv(out)
    assert len(df) == 5 and (df["n_articles"] == 1).all()
    for col in ("sentiment_mean_mean", "sentiment_mean_low", "sentiment_mean_high",
                "hedge_per_1k_mean", "actor_russia_sentiment_mean_mean"):
        assert col in df.columns, col
    assert df["single_article"].all() and df["sentiment_mean_low"].isna().all()


def test_compare_bad_group_column_is_one_line() -> None:
    proc = run("compare", str(SEEDS), "--engine", "serial", "--by", "nope")
    assert proc.returncode == 2 and "--by nope" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_quotes_attribute_the_seed_speakers(tmp_path: Path) -> None:
    out = tmp_path / "q.csv"
    assert main(["quotes", str(SEEDS), "-o", str(out)]) == 0
    q = pd.read_csv(out)
    speakers = set(q["speaker"].dropna())
    for name in ("Stoltenberg", "Grushko", "Sherman", "Peskov"):
        assert any(name in s for s in speakers), name
    assert q.loc[q["speaker"].notna(), "verb"].notna().mean() > 0.8
    seed0 = q[q["source_ref"] == "000_fc48db95838584a8.txt"]
    rev = seed0[seed0["quote_text"].str.contains("revisionist")]
    assert len(rev) and rev["speaker"].isna().all()
    for col in ("article_id", "outlet", "title", "start", "end", "side"):
        assert col in q.columns


def test_quotes_summary_per_outlet(tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    assert main(["quotes", str(SEEDS), "--summary", "-o", str(out)]) == 0
    s = pd.read_csv(out)
    assert len(s) == 5 and {"quotes_nato", "quotes_russia", "distinct_speakers"} <= set(s.columns)


def test_terms_give_ten_per_outlet_on_three_outlets(repost_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    assert main(["terms", str(repost_corpus), "--top", "10", "--min-count", "1",
                 "-o", str(out)]) == 0
    t = pd.read_csv(out)
    assert t.columns[0] == "outlet"
    assert (t.groupby("outlet").size() >= 10).all() and t["outlet"].nunique() == 3


def test_similar_pairs_a_repost_with_its_original(repost_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.csv"
    assert main(["similar", str(repost_corpus), "--passages", "-o", str(out)]) == 0
    pairs = pd.read_csv(out)
    top = pairs.iloc[0]
    assert {top["source_ref_a"], top["source_ref_b"]} == {"a_original.txt", "b_copy.txt"}
    assert top["cosine"] > 0.9 and top["shared_share"] > 0.9
    passages = pd.read_csv(tmp_path / "p.passages.csv")
    assert len(passages) >= 1


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    for name in commands:
        assert f"slantscope {name}" in readme, name


def test_targets_command_one_row_per_target_in_input_order(tmp_path) -> None:
    import json
    import subprocess
    import sys

    import pandas as pd

    rows = [
        {"primary_gid": "s1", "sentence_normalized": "Critics accused Smith of corruption.",
         "targets": [{"Input.gid": "t1", "from": 16, "to": 21, "mention": "Smith",
                      "polarity": 2.0}]},
        {"primary_gid": "s2", "sentence_normalized": "Jones praised Brown as a hero.",
         "targets": [{"Input.gid": "t2", "from": 0, "to": 5, "mention": "Jones"},
                     {"Input.gid": "t3", "from": 14, "to": 19, "mention": "Brown"}]},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows) + "{not json\n",
                   encoding="utf-8")
    out = tmp_path / "out.csv"
    r = subprocess.run([sys.executable, "-m", "analytics.cli", "targets", str(src), "-o",
                        str(out)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1  # one bad line, the rest written
    assert "in.jsonl:3" in r.stderr and "Traceback" not in r.stderr
    table = pd.read_csv(out)
    assert list(table["gid"]) == ["t1", "t2", "t3"]
    assert list(table.columns[:9]) == ["gid", "primary_gid", "mention", "from", "to",
                                       "polarity", "p_negative", "p_neutral", "p_positive"]
    probs = table[["p_negative", "p_neutral", "p_positive"]].sum(axis=1)
    assert (probs.sub(1).abs() < 1e-9).all()
    assert set(table["polarity"]) <= {"negative", "neutral", "positive"}
