"""Loading inputs into the articles table: formats, encodings, bad input, ids.

Fixtures: the seed folder (``seeds/`` with its manifest), small files written
into ``tmp_path`` by each test, and the first 200 lines of the shared corpus.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analytics.corpus import (
    ColumnMapping,
    CorpusError,
    InputProblem,
    article_id,
    iter_corpus_chunks,
    load_corpus,
)
from analytics.schema import ARTICLE_COLUMNS
from tests.conftest import SEEDS, SHARED_CORPUS

BODY_A = "NATO and Russia met in Brussels on Wednesday.\n\nThe talks ended without a deal."
BODY_B = "Moscow wants security guarantees. Washington said some demands were non-starters."
BODY_C = "The OSCE meets in Vienna on Thursday. Diplomats expect little progress."


def _write_jsonl(path: Path, records: list[dict], compress: bool = False) -> Path:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


RECORDS = [
    {
        "doc_id": "a1",
        "headline": "Talks end",
        "body": BODY_A,
        "media_name": "Daily Planet",
        "publish_date": "2022-01-12",
        "link": "https://example.org/a",
        "topic": "nato",
    },
    {
        "doc_id": "b2",
        "headline": "Demands",
        "body": BODY_B,
        "media_name": "Evening Post",
        "publish_date": "2022-01-13T08:00:00Z",
        "link": "https://example.org/b",
        "topic": "nato",
    },
    {
        "doc_id": "c3",
        "headline": "Vienna next",
        "body": BODY_C,
        "media_name": "Daily Planet",
        "publish_date": "not a date",
        "link": None,
        "topic": "osce",
    },
]


def _check_records_loaded(result, ref_name: str, unit: str = "line") -> None:
    df = result.articles
    assert list(df.columns[: len(ARTICLE_COLUMNS)]) == list(ARTICLE_COLUMNS)
    assert len(df) == 3
    assert list(df["outlet"]) == ["Daily Planet", "Evening Post", "Daily Planet"]
    assert list(df["title"]) == ["Talks end", "Demands", "Vienna next"]
    assert df["text"].iloc[0] == BODY_A
    assert list(df["source_ref"]) == [f"{ref_name}:{unit} {i}" for i in (1, 2, 3)]
    assert df["published"].iloc[0] == pd.Timestamp("2022-01-12")
    assert df["published"].iloc[1] == pd.Timestamp("2022-01-13")
    assert pd.isna(df["published"].iloc[2])  # a bad date is null, not a failure
    assert any("unreadable date" in w.message for w in result.warnings)
    assert df["url"].iloc[0] == "https://example.org/a"
    assert list(df["topic"]) == ["nato", "nato", "osce"]  # extra columns kept by name
    assert list(df["doc_id"]) == ["a1", "b2", "c3"]  # the input's own id too
    assert df["article_id"].iloc[0] == article_id("Daily Planet", BODY_A)
    assert not result.problems


# --- seeds ----------------------------------------------------------------------


def test_seed_folder_with_manifest():
    result = load_corpus(SEEDS)
    df = result.articles
    manifest = pd.read_csv(SEEDS / "manifest.csv", dtype=str, keep_default_na=False)
    assert len(df) == 5
    assert not result.problems
    assert not result.warnings
    assert list(df["source_ref"]) == list(manifest["file"])
    assert list(df["outlet"]) == list(manifest["outlet"])
    assert df["outlet"].nunique() == 5
    assert df["title"].iloc[0] == "Explained: What happened at the NATO-Russia Council talks?"
    assert df["published"].iloc[0] == pd.Timestamp("2022-01-13")
    assert pd.isna(df["published"].iloc[2])
    assert list(df["attribution"]) == list(manifest["attribution"])
    assert "evidence" in df.columns
    assert df["removed"].iloc[2] == "Press play to listen to this article\nLeave a Comment"
    assert "Follow Us:" not in df["text"].iloc[0]
    assert df["text"].iloc[3].startswith("For the first time in two years")


def test_seed_manifest_is_well_formed():
    manifest = pd.read_csv(SEEDS / "manifest.csv", dtype=str, keep_default_na=False)
    assert list(manifest.columns) == [
        "file",
        "outlet",
        "title",
        "published",
        "url",
        "attribution",
        "evidence",
    ]
    assert sorted(manifest["file"]) == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert manifest["outlet"].is_unique
    assert (manifest["outlet"].str.len() < 45).all()
    assert set(manifest["attribution"]) <= {"stated", "inferred"}
    assert (manifest["evidence"].str.len() > 0).all()
    for value in manifest["published"]:
        assert value == "" or pd.Timestamp(value).strftime("%Y-%m-%d") == value
    # No URL is invented: every url given must appear in its file.
    for _, row in manifest.iterrows():
        if row["url"]:
            assert row["url"] in (SEEDS / row["file"]).read_text(encoding="utf-8")


def test_text_folder_without_manifest_uses_folder_name_and_headlines(tmp_path):
    folder = tmp_path / "nato-talks"
    folder.mkdir()
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    result = load_corpus(folder)
    df = result.articles
    assert len(df) == 5
    assert set(df["outlet"]) == {"nato-talks"}
    assert any("folder name" in w.message for w in result.warnings)
    assert df["title"].iloc[0] == "Explained: What happened at the NATO-Russia Council talks?"
    assert df["title"].iloc[1] == "NATO-Russia Council step forward"
    assert df["title"].iloc[3] == "003_71161054fa49cb52"  # first line is a sentence: the stem
    assert df["published"].isna().all()


def test_single_file_input_uses_manifest_beside_it():
    result = load_corpus(SEEDS / "001_08fce08e132a00d2.txt")
    assert list(result.articles["outlet"]) == ["Anna van Densky (WordPress blog)"]
    assert list(result.articles["source_ref"]) == ["001_08fce08e132a00d2.txt"]


# --- tabular formats ------------------------------------------------------------------


def test_jsonl_with_own_column_names(tmp_path):
    path = _write_jsonl(tmp_path / "news.jsonl", RECORDS)
    _check_records_loaded(load_corpus(path), "news.jsonl")


def test_jsonl_gz(tmp_path):
    path = _write_jsonl(tmp_path / "news.jsonl.gz", RECORDS, compress=True)
    _check_records_loaded(load_corpus(path), "news.jsonl.gz")


def test_csv_with_own_column_names(tmp_path):
    path = tmp_path / "news.csv"
    pd.DataFrame(RECORDS).to_csv(path, index=False)
    _check_records_loaded(load_corpus(path), "news.csv", "row")


def test_tsv(tmp_path):
    path = tmp_path / "news.tsv"
    pd.DataFrame(RECORDS).to_csv(path, index=False, sep="\t")
    _check_records_loaded(load_corpus(path), "news.tsv", "row")


def test_json_list_and_articles_object(tmp_path):
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps(RECORDS), encoding="utf-8")
    _check_records_loaded(load_corpus(listed), "list.json", "item")
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"articles": RECORDS}), encoding="utf-8")
    _check_records_loaded(load_corpus(wrapped), "wrapped.json", "item")


def test_parquet(tmp_path):
    path = tmp_path / "news.parquet"
    pd.DataFrame(RECORDS).to_parquet(path, index=False)
    _check_records_loaded(load_corpus(path), "news.parquet", "row")


def test_column_names_are_matched_case_insensitively(tmp_path):
    path = tmp_path / "upper.csv"
    pd.DataFrame({"Content": [BODY_A], "Source": ["Daily Planet"], "Date": ["2022-01-12"]}).to_csv(
        path, index=False
    )
    df = load_corpus(path).articles
    assert df["text"].iloc[0] == BODY_A
    assert df["outlet"].iloc[0] == "Daily Planet"


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_column_mapping_overrides(tmp_path, suffix):
    frame = pd.DataFrame(
        {
            "story_txt": [BODY_A, BODY_B],
            "paper": ["Daily Planet", "Evening Post"],
            "when": ["12.01.2022", "January 13, 2022"],
            "hed": ["Talks end", "Demands"],
            "key": [101, 102],
            "text": ["decoy", "decoy"],
        }
    )
    path = tmp_path / f"custom{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".jsonl":
        _write_jsonl(path, frame.to_dict("records"))
    else:
        frame.to_parquet(path, index=False)
    mapping = ColumnMapping(text="story_txt", outlet="paper", date="when", title="hed", id="key")
    result = load_corpus(path, mapping=mapping)
    df = result.articles
    assert list(df["article_id"]) == ["101", "102"]  # ids become article_id, as strings
    assert list(df["key"].astype(str)) == ["101", "102"]  # and the id column stays
    assert list(df["outlet"]) == ["Daily Planet", "Evening Post"]
    assert list(df["title"]) == ["Talks end", "Demands"]
    assert df["text"].iloc[1] == BODY_B
    assert list(df["published"]) == [pd.Timestamp("2022-01-12"), pd.Timestamp("2022-01-13")]
    assert list(df["input_text"]) == ["decoy", "decoy"]  # a clashing name is kept, renamed


def test_mapping_naming_a_missing_column_is_a_problem(tmp_path):
    path = tmp_path / "news.csv"
    pd.DataFrame(RECORDS).to_csv(path, index=False)
    with pytest.raises(CorpusError) as info:
        load_corpus(path, mapping=ColumnMapping(text="story"))
    assert "news.csv" in str(info.value)
    assert "--text-col" in str(info.value)


def test_csv_without_text_column_lists_columns_and_flag(tmp_path):
    bad = tmp_path / "meta.csv"
    pd.DataFrame({"headline": ["x"], "when": ["2022-01-12"], "paper": ["P"]}).to_csv(
        bad, index=False
    )
    good = tmp_path / "good.jsonl"
    _write_jsonl(good, RECORDS[:1])
    result = load_corpus([bad, good])
    assert len(result.articles) == 1
    (problem,) = result.problems
    assert problem.source == str(bad)
    for word in ("headline", "when", "paper", "--text-col"):
        assert word in problem.message
    with pytest.raises(CorpusError) as info:
        load_corpus(bad)
    assert "meta.csv" in str(info.value) and "--text-col" in str(info.value)
    assert "\n" not in str(info.value)


# --- encodings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "utf-16", "utf-16-le"],
    ids=["utf8", "bom", "utf16-bom", "utf16-no-bom"],
)
def test_text_encodings(tmp_path, encoding):
    text = "Café talks in Zürich\n\nThe ministers’ “frank” exchange went on for hours."
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(encoding))
    result = load_corpus(path)
    assert result.articles["text"].iloc[0] == text
    assert not result.problems
    if encoding == "utf-16-le":  # no BOM: detected from the NUL bytes, and said so
        assert any("UTF-16" in w.message for w in result.warnings)
    else:
        assert not [w for w in result.warnings if "UTF" in w.message or "Latin" in w.message]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_csv_encodings(tmp_path, encoding):
    path = tmp_path / "news.csv"
    pd.DataFrame({"text": ["Café talks in Zürich went on."], "outlet": ["Le Monde"]}).to_csv(
        path, index=False, encoding=encoding
    )
    df = load_corpus(path).articles
    assert df["text"].iloc[0] == "Café talks in Zürich went on."
    assert list(df.columns[: len(ARTICLE_COLUMNS)]) == list(ARTICLE_COLUMNS)


def test_latin1_falls_back_with_a_warning(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("Café talks in Zürich went on for hours.".encode("latin-1"))
    csv_path = tmp_path / "old.csv"
    csv_path.write_bytes("text,outlet\nDéjà vu in Genève,La Presse\n".encode("latin-1"))
    result = load_corpus([path, csv_path])
    assert list(result.articles["text"]) == [
        "Café talks in Zürich went on for hours.",
        "Déjà vu in Genève",
    ]
    sources = {w.source for w in result.warnings if "Latin-1" in w.message}
    assert sources == {str(path), str(csv_path)}


def test_binary_file_beside_good_text_files(tmp_path):
    (tmp_path / "a.txt").write_text(BODY_A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(BODY_B, encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(bytes(range(256)) * 20)
    result = load_corpus(tmp_path)
    assert len(result.articles) == 2
    (problem,) = result.problems
    assert problem.source == f"{tmp_path}/c.txt"
    assert "binary file, not text" in problem.message
    assert str(problem) == f"{tmp_path}/c.txt: binary file, not text (skipped)"


def test_pdf_named_txt_is_binary(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x01\x02 stream" + bytes(range(32)) * 50
    )
    with pytest.raises(CorpusError, match=r"report\.txt: binary file, not text"):
        load_corpus(path)


def test_empty_files_and_rows_are_problems(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "blank.txt").write_text("  \n\t\n", encoding="utf-8")
    (tmp_path / "good.txt").write_text(BODY_A, encoding="utf-8")
    (tmp_path / "rows.csv").write_text(f'text,outlet\n"{BODY_B}",P\n"   ",P\n', encoding="utf-8")
    result = load_corpus(tmp_path)
    assert len(result.articles) == 2
    messages = sorted(str(p) for p in result.problems)
    assert messages == [
        f"{tmp_path}/blank.txt: empty text (skipped)",
        f"{tmp_path}/empty.txt: empty text (skipped)",
        f"{tmp_path}/rows.csv row 2: empty text (skipped)",
    ]


# --- malformed input ----------------------------------------------------------------


def test_malformed_jsonl_line_in_the_middle(tmp_path):
    lines = [
        json.dumps(RECORDS[0]),
        '{"body": "broken',
        json.dumps(RECORDS[1]),
        "[1, 2]",
        json.dumps(RECORDS[2]),
    ]
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = load_corpus(path)
    assert list(result.articles["source_ref"]) == [
        "data.jsonl:line 1",
        "data.jsonl:line 3",
        "data.jsonl:line 5",
    ]
    assert [p.line for p in result.problems] == [2, 4]
    assert str(result.problems[0]).startswith(f"{path} line 2: invalid JSON (")
    assert str(result.problems[0]).endswith("(skipped)")


def test_malformed_csv_line_is_reported(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text(
        f'text,outlet\n"{BODY_A}",P\n"{BODY_B}",P,extra,fields\n"{BODY_C}",Q\n', encoding="utf-8"
    )
    result = load_corpus(path)
    assert len(result.articles) == 2
    (problem,) = result.problems
    assert problem.line == 3 and "expected 2 fields" in problem.message


def test_not_gzip_and_not_parquet(tmp_path):
    fake_gz = tmp_path / "fake.jsonl.gz"
    fake_gz.write_text('{"text": "plain, not gzip"}\n', encoding="utf-8")
    fake_parquet = tmp_path / "fake.parquet"
    fake_parquet.write_text("text,outlet\nhello,P\n", encoding="utf-8")
    good = _write_jsonl(tmp_path / "good.jsonl", RECORDS[:2])
    result = load_corpus([fake_gz, good, fake_parquet])
    assert len(result.articles) == 2
    assert [p.source for p in result.problems] == [str(fake_gz), str(fake_parquet)]
    assert "gzip" in result.problems[0].message
    assert "Parquet" in result.problems[1].message
    for path in (fake_gz, fake_parquet):
        with pytest.raises(CorpusError) as info:
            load_corpus(path)
        assert path.name in str(info.value)


def test_missing_path_is_a_problem(tmp_path):
    good = _write_jsonl(tmp_path / "good.jsonl", RECORDS[:1])
    result = load_corpus([tmp_path / "nope.csv", good])
    assert len(result.articles) == 1
    assert result.problems == [
        InputProblem(str(tmp_path / "nope.csv"), "no such file or folder (skipped)")
    ]


def test_nothing_loadable_raises_one_line_error(tmp_path):
    with pytest.raises(CorpusError) as info:
        load_corpus(tmp_path / "missing")
    assert "missing" in str(info.value)
    assert info.value.problems
    with pytest.raises(CorpusError):
        load_corpus([])


def test_unsupported_extension_is_a_problem(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(CorpusError, match="unsupported file type"):
        load_corpus(path)


# --- ids and duplicates ---------------------------------------------------------------


def test_exact_duplicates_are_dropped_and_reported(tmp_path):
    records = [
        {"text": BODY_A, "outlet": "Daily Planet"},
        {"text": BODY_B, "outlet": "Daily Planet"},
        {"text": BODY_A + "\n\nAdvertisement\n", "outlet": "Daily Planet"},  # same once cleaned
        {"text": BODY_A, "outlet": "Evening Post"},  # another outlet: not a duplicate
    ]
    path = _write_jsonl(tmp_path / "dups.jsonl", records)
    result = load_corpus(path)
    assert list(result.articles["source_ref"]) == [
        "dups.jsonl:line 1",
        "dups.jsonl:line 2",
        "dups.jsonl:line 4",
    ]
    assert result.duplicates.to_dict("records") == [
        {
            "article_id": article_id("Daily Planet", BODY_A),
            "source_ref": "dups.jsonl:line 3",
            "duplicate_of": "dups.jsonl:line 1",
        }
    ]
    summaries = [w for w in result.warnings if "duplicate" in w.message]
    assert len(summaries) == 1 and "1 exact duplicate" in summaries[0].message


def test_id_column_kept_as_article_id_and_duplicate_ids_reported(tmp_path):
    path = tmp_path / "ids.csv"
    pd.DataFrame(
        {
            "doc_id": ["x-1", "x-2", "x-1"],
            "text": [BODY_A, BODY_B, BODY_C],
            "outlet": ["P", "P", "Q"],
        }
    ).to_csv(path, index=False)
    result = load_corpus(path, mapping=ColumnMapping(id="doc_id"))
    assert list(result.articles["article_id"]) == ["x-1", "x-2"]
    assert list(result.articles["doc_id"]) == ["x-1", "x-2"]
    (problem,) = result.problems
    assert problem.line == 3 and problem.unit == "row"
    assert "duplicate id 'x-1'" in problem.message and "ids.csv:row 1" in problem.message
    assert result.duplicates.empty


def test_article_id_is_stable():
    expected = hashlib.sha256(b"Daily Planet\x1fSome text.").hexdigest()[:16]
    assert article_id("Daily Planet", "Some text.") == expected
    assert article_id("Daily Planet", "Some text.") != article_id("Evening Post", "Some text.")


def test_same_article_gets_same_id_from_any_format(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("Follow Us:\r\n" + BODY_A + "\r\n", encoding="utf-8")
    (tmp_path / "docs" / "manifest.csv").write_text(
        "file,outlet\na.txt,Daily Planet\n", encoding="utf-8"
    )
    jsonl = _write_jsonl(tmp_path / "a.jsonl", [{"content": BODY_A, "source": "Daily Planet"}])
    first = load_corpus(tmp_path / "docs").articles["article_id"].iloc[0]
    second = load_corpus(jsonl).articles["article_id"].iloc[0]
    assert first == second == article_id("Daily Planet", BODY_A)
    assert load_corpus(jsonl).articles["article_id"].iloc[0] == second  # same on every run


# --- HTML and Markdown ---------------------------------------------------------------

HTML = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Talks end without a deal | Daily Planet</title>
<meta property="og:site_name" content="Daily Planet">
<meta property="article:published_time" content="2022-01-12T18:00:00+01:00">
<link rel="canonical" href="https://example.org/news/talks-end">
<script>var tracker = "SCRIPT_SHOULD_NOT_APPEAR"; function f() { return 1; }</script>
<style>.nav { color: red; }</style>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">NAV_SHOULD_NOT_APPEAR World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Talks end without a deal</h1>
<p>NATO allies and Russia ended nearly four hours of security talks in a stalemate on
Wednesday, with the West rejecting Moscow's demands for guarantees.</p>
<p>"We can discuss many issues, but we cannot discuss some core principles," NATO Secretary
General Jens Stoltenberg said at a press conference after the meeting in Brussels.</p>
<p>The talks will continue on Thursday in Vienna at the Organization for Security and
Cooperation in Europe, where diplomats expect little progress.</p>
</article>
<footer>FOOTER_SHOULD_NOT_APPEAR Copyright Daily Planet</footer>
<script>console.log("SCRIPT_SHOULD_NOT_APPEAR")</script>
</body></html>"""


def test_html_page_gives_body_text_only(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    result = load_corpus(path)
    row = result.articles.iloc[0]
    assert "NATO allies and Russia ended nearly four hours" in row["text"]
    assert "Cooperation in Europe, where diplomats expect little progress." in row["text"]
    for marker in (
        "SCRIPT_SHOULD_NOT_APPEAR",
        "NAV_SHOULD_NOT_APPEAR",
        "FOOTER_SHOULD_NOT_APPEAR",
        "tracker",
        "color: red",
    ):
        assert marker not in row["text"]
    assert row["title"] == "Talks end without a deal"
    assert row["outlet"] == "Daily Planet"
    assert row["url"] == "https://example.org/news/talks-end"
    assert row["published"] == pd.Timestamp("2022-01-12")
    assert not result.problems


def test_html_without_article_text_is_a_problem(tmp_path):
    (tmp_path / "empty.html").write_text(
        "<html><body><script>x()</script></body></html>", encoding="utf-8"
    )
    (tmp_path / "ok.txt").write_text(BODY_A, encoding="utf-8")
    result = load_corpus(tmp_path)
    assert len(result.articles) == 1
    assert [p.source for p in result.problems] == [f"{tmp_path}/empty.html"]


def test_markdown_file(tmp_path):
    path = tmp_path / "post.md"
    path.write_text(
        "# Talks end\n\nNATO and **Russia** met in [Brussels](https://x.org).\n", encoding="utf-8"
    )
    row = load_corpus(path).articles.iloc[0]
    assert row["title"] == "Talks end"
    assert row["text"] == "Talks end\n\nNATO and Russia met in Brussels."


# --- dates, cleaning switch, streaming ---------------------------------------------------


def test_dates_of_many_shapes(tmp_path):
    values = [
        "2022-01-12",
        "12.01.2022",
        "January 13, 2022 8:59:16 pm",
        "2022-01-12T23:30:00-05:00",
        "Sunday, January 23, 2022",
        "",
        "2022",
        "soon",
    ]
    records = [
        {"text": f"Article number {i}.", "outlet": "P", "date": v} for i, v in enumerate(values)
    ]
    result = load_corpus(_write_jsonl(tmp_path / "d.jsonl", records))
    published = result.articles["published"]
    assert str(published.dtype).startswith("datetime64")
    assert list(published[:5]) == [
        pd.Timestamp(d)
        for d in ("2022-01-12", "2022-01-12", "2022-01-13", "2022-01-12", "2022-01-23")
    ]
    assert published[5:].isna().all()  # empty, year only, nonsense
    (warning,) = [w for w in result.warnings if "date" in w.message]
    assert warning.message.startswith("2 unreadable date(s)")


def test_clean_false_keeps_raw_text(tmp_path):
    raw = "Follow Us:\nNATO met Russia.\n"
    (tmp_path / "a.txt").write_text(raw, encoding="utf-8")
    row = load_corpus(tmp_path, clean=False).articles.iloc[0]
    assert row["text"] == raw
    assert row["removed"] == ""


def test_iter_corpus_chunks_streams_and_remembers_ids(tmp_path):
    records = [{"text": f"Article number {i} about the talks.", "outlet": "P"} for i in range(23)]
    records.append({"text": "Article number 3 about the talks.", "outlet": "P"})  # duplicate of 3
    path = _write_jsonl(tmp_path / "many.jsonl", records)
    chunks = list(iter_corpus_chunks(path, chunk_size=10))
    assert [len(c.articles) for c in chunks] == [10, 10, 3]
    assert sum(len(c.duplicates) for c in chunks) == 1
    streamed = pd.concat([c.articles for c in chunks], ignore_index=True)
    whole = load_corpus(path).articles
    pd.testing.assert_frame_equal(streamed, whole)


def test_warnings_are_summed_across_internal_chunks(tmp_path):
    n = 10_050  # load_corpus works in chunks of 10,000 rows
    frame = pd.DataFrame(
        {"text": [f"Article {i}." for i in range(n)], "outlet": "P", "date": "someday"}
    )
    frame = pd.concat([frame, frame.head(3)], ignore_index=True)  # three exact duplicates
    frame.to_csv(tmp_path / "big.csv", index=False)
    result = load_corpus(tmp_path / "big.csv")
    assert len(result.articles) == n
    assert [w.message for w in result.warnings] == [
        "10050 unreadable date(s) set to null, e.g. 'someday'",
        "dropped 3 exact duplicates (same outlet and cleaned text); see LoadResult.duplicates",
    ]


def test_iter_corpus_chunks_over_csv_and_parquet(tmp_path):
    frame = pd.DataFrame({"text": [f"Article number {i}." for i in range(12)], "outlet": "P"})
    frame.to_csv(tmp_path / "a.csv", index=False)
    frame.to_parquet(tmp_path / "b.parquet", index=False)
    for name in ("a.csv", "b.parquet"):
        chunks = list(iter_corpus_chunks(tmp_path / name, chunk_size=5))
        assert [len(c.articles) for c in chunks] == [5, 5, 2]


# --- the shared corpus ------------------------------------------------------------------


def test_shared_corpus_head_loads_without_flags(tmp_path):
    if not SHARED_CORPUS.exists():
        pytest.skip(f"shared corpus not found at {SHARED_CORPUS}")
    lines = []
    with gzip.open(SHARED_CORPUS, "rb") as handle:
        for line in handle:
            lines.append(line)
            if len(lines) == 200:
                break
    path = tmp_path / "head.jsonl.gz"
    path.write_bytes(gzip.compress(b"".join(lines)))
    records = [json.loads(line) for line in lines]
    result = load_corpus(path)
    df = result.articles
    assert not result.problems
    assert len(df) + len(result.duplicates) == 200
    kept = {int(ref.rsplit(" ", 1)[1]) - 1 for ref in df["source_ref"]}
    assert list(df["outlet"]) == [records[i]["source"] for i in sorted(kept)]
    assert list(df["id"]) == [records[i]["id"] for i in sorted(kept)]  # own id column kept
    for column in ("topic", "authors", "bias_text"):
        assert column in df.columns
    assert list(df.columns[: len(ARTICLE_COLUMNS)]) == list(ARTICLE_COLUMNS)
    first = records[0]
    assert df["title"].iloc[0] == first["title"]
    assert df["published"].iloc[0] == pd.Timestamp(first["date"])
    assert df["text"].iloc[0] in first["content"].replace("\r\n", "\n") or df["removed"].iloc[0]
