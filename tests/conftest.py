"""Shared fixtures: the five bundled seed articles (``seeds/``, copied
byte-identical from the project's shared seed set; see seeds/manifest.csv for
what each one is) and their scores."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED_CORPUS = ROOT.parent / "shared" / "corpora" / "abp-articles.jsonl.gz"


@pytest.fixture(autouse=True)
def _private_store(tmp_path_factory, monkeypatch):
    """Every test (and every command it starts) gets its own store, never the
    user's ~/.cache/slantscope/store.duckdb."""
    monkeypatch.setenv("SLANTSCOPE_STORE", str(tmp_path_factory.mktemp("store") / "store.duckdb"))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """Raw seed files by name, exactly as shipped."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def loaded():
    """``load_corpus`` of the seeds (articles, problems, warnings, duplicates)."""
    from analytics.corpus import load_corpus

    result = load_corpus(SEEDS)
    assert not result.problems
    return result


@pytest.fixture(scope="session")
def seed_articles(loaded):
    return loaded.articles


@pytest.fixture(scope="session")
def scored_seeds(seed_articles):
    from analytics.pipeline import score_corpus

    return score_corpus(seed_articles, engine="serial")


@pytest.fixture(scope="session")
def scored(scored_seeds):
    """The seeds' scores, sentences and hits (serial engine)."""
    return scored_seeds


def shared_corpus_head(n: int) -> list[dict]:
    """The first ``n`` records of the shared corpus (skips when it is absent)."""
    import gzip
    import json

    if not SHARED_CORPUS.exists():
        pytest.skip(f"shared corpus not found at {SHARED_CORPUS}")
    out = []
    with gzip.open(SHARED_CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            out.append(json.loads(line))
            if len(out) >= n:
                break
    return out
