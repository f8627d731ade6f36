"""Actor sets (TOML data), mentions with offsets, proposals, and the actor
columns of the scores."""

from __future__ import annotations

import random
import re
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from analytics.actors import (
    MENTION_COLUMNS,
    ActorError,
    ActorSet,
    actors_from_toml,
    actors_to_toml,
    default_actors,
    find_mentions,
    fold,
    load_actors,
    propose_actors,
)
from analytics.text import in_quotes, quote_spans, sentences, word_tokens

ACTORS = default_actors()
ACTOR_FILE = Path(str(resources.files("analytics.lexicons"))) / "actors.toml"

MINIMAL = """\
[actors]
name = "mini"
version = "0.1"
description = "Two groups."
licence = "CC0"
sources = ["Nobody (2024). Nothing."]
notes = ""

[[groups]]
id = "red"
label = "Red"
names = ["Redland", "Red Capital"]
demonyms = ["Redlander", "Redlanders"]
exclude = ["Redland Road"]

[[groups]]
id = "blue"
label = "Blue"
names = ["Blueland"]

[[people]]
name = "Ann Azure"
group = "blue"
aliases = ["Azure"]
gender = "f"
"""


def _mentions(text: str, actors: ActorSet = ACTORS) -> list[tuple[str, str]]:
    return [(m.group, m.surface) for m in find_mentions(text, actors=actors)]


# --- the built-in file --------------------------------------------------------


def test_builtin_file_has_provenance() -> None:
    assert ACTORS.name == "actors"
    assert ACTORS.version and ACTORS.licence and ACTORS.description
    assert ACTORS.sources and all(s.strip() for s in ACTORS.sources)
    assert "Brussels" in ACTORS.notes
    assert re.fullmatch(r"[0-9a-f]{12}", ACTORS.hash)
    assert load_actors() is ACTORS
    assert load_actors(ACTOR_FILE) == ACTORS
    assert load_actors(ACTOR_FILE).hash == ACTORS.hash


def test_builtin_groups_and_names() -> None:
    assert ACTORS.group_ids == ("russia", "nato", "united_states", "ukraine", "eu")
    expected = {
        "russia": ["Russia", "Moscow", "Kremlin", "Russian", "Russians", "Putin",
                   "Vladimir Putin", "Lavrov", "Peskov", "Grushko", "Ryabkov", "Fomin"],
        "nato": ["NATO", "Alliance", "allies", "Allies", "North Atlantic Treaty Organisation",
                 "North Atlantic Treaty Organization", "Stoltenberg"],
        "united_states": ["United States", "US", "U.S.", "Washington", "American",
                          "Americans", "Biden", "Blinken", "Sherman"],
        "ukraine": ["Ukraine", "Kyiv", "Kiev", "Ukrainian", "Ukrainians", "Zelensky",
                    "Zelenskyy"],
        "eu": ["European Union", "EU"],
    }
    for group, forms in expected.items():
        for form in forms:
            assert ACTORS.group_of(form) == group, form
    for ambiguous in ("Brussels", "Europe", "European", "us"):
        assert ACTORS.group_of(ambiguous) is None


def test_every_person_has_a_full_name_a_group_and_a_gender() -> None:
    groups = set(ACTORS.group_ids)
    for p in ACTORS.people:
        assert len(p.name.split()) >= 2 and p.group in groups and p.gender in ("f", "m")
    assert ACTORS.person("Stoltenberg").name == "Jens Stoltenberg"
    assert ACTORS.person("Stoltenberg").group == "nato"
    assert ACTORS.person("Alexandr Grushkó").name == "Alexander Grushko"
    assert ACTORS.person("Wendy Sherman").gender == "f"
    assert ACTORS.person("Secretary Sherman") is None  # first letter does not match
    assert ACTORS.person("Smith") is None


def test_toml_round_trip_keeps_content_and_hash() -> None:
    again = actors_from_toml(actors_to_toml(ACTORS))
    assert again == ACTORS and again.hash == ACTORS.hash


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace('names = ["Blueland"]', 'names = ["Redland"]'), "listed twice"),
        (lambda t: t.replace('group = "blue"', 'group = "green"'), "not one of"),
        (lambda t: t.replace('gender = "f"', 'gender = "x"'), "gender"),
        (lambda t: t.replace('id = "red"', 'id = "Red"'), r"\[a-z\]"),
        (lambda t: t.replace('label = "Blue"', 'label = "Blue"\ncolour = "blue"'), "unknown key"),
        (lambda t: t.replace('name = "Ann Azure"', 'name = "Ann"'), "full name"),
        (lambda t: t.replace("[actors]", "[actor]"), "unknown key"),
        (lambda t: t + "\n[[", "not valid TOML"),
    ],
)
def test_invalid_files_fail_with_one_line_naming_the_source(edit, message) -> None:
    with pytest.raises(ActorError, match=message) as info:
        actors_from_toml(edit(MINIMAL), source="mine.toml")
    assert str(info.value).startswith("mine.toml: ") and "\n" not in str(info.value)


def test_load_actors_reports_a_missing_file(tmp_path) -> None:
    with pytest.raises(ActorError, match="no such file"):
        load_actors(tmp_path / "nope.toml")
    path = tmp_path / "mini.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert load_actors(path).group_ids == ("red", "blue")


def test_hash_changes_with_content() -> None:
    mini = actors_from_toml(MINIMAL)
    assert actors_from_toml(MINIMAL.replace('"0.1"', '"0.2"')).hash != mini.hash
    bigger = mini.with_group("green", ["Greenland"], label="Green")
    assert bigger.group_ids == ("red", "blue", "green") and bigger.hash != mini.hash
    assert _mentions("Greenland and Redland", bigger) == [("green", "Greenland"),
                                                          ("red", "Redland")]
    with pytest.raises(ActorError, match="listed twice"):
        mini.with_group("green", ["Blueland"])


# --- mentions -----------------------------------------------------------------


def test_mentions_slice_the_text_and_know_their_sentence() -> None:
    text = "NATO met Russia. Then the Kremlin’s envoy left Brussels for Moscow.\nKyiv waited."
    sents = sentences(text)
    ms = find_mentions(text, word_tokens(text), ACTORS, sentences=sents)
    assert [(m.group, m.surface, m.sentence_index) for m in ms] == [
        ("nato", "NATO", 0), ("russia", "Russia", 0), ("russia", "Kremlin", 1),
        ("russia", "Moscow", 1), ("ukraine", "Kyiv", 2),
    ]
    for m in ms:
        assert text[m.start : m.end] == m.surface


def test_us_is_case_sensitive() -> None:
    assert _mentions("Let us talk to the US about U.S. policy, said USA Today.") == [
        ("united_states", "US"), ("united_states", "U.S."), ("united_states", "USA"),
    ]
    assert _mentions("They told us so.") == []


def test_hyphens_possessives_longest_forms_and_exclusions() -> None:
    assert _mentions("The NATO-Russia Council and Russian-backed forces") == [
        ("nato", "NATO"), ("russia", "Russia"), ("russia", "Russian"),
    ]
    assert _mentions("Russia's and Ukraine’s demands") == [("russia", "Russia"),
                                                           ("ukraine", "Ukraine")]
    assert _mentions("NATO allies and the United States of America") == [
        ("nato", "NATO allies"), ("united_states", "United States of America"),
    ]
    assert _mentions("Latin America and the Washington Post; Washington said") == [
        ("united_states", "Washington"),
    ]


def test_people_map_to_canonical_names_accents_ignored() -> None:
    ms = find_mentions("Alexandr Grushkó met Jens Stoltenberg and Wendy R. Sherman.")
    assert [(m.group, m.surface, m.person) for m in ms] == [
        ("russia", "Alexandr Grushkó", "Alexander Grushko"),
        ("nato", "Jens Stoltenberg", "Jens Stoltenberg"),
        ("united_states", "Wendy R. Sherman", "Wendy Sherman"),
    ]
    assert fold("Grushkó") == "Grushko" and len(fold("Geoană")) == len("Geoană")


def test_mentions_in_every_seed_slice_the_text(seed_articles) -> None:
    for text in seed_articles.text:
        ms = find_mentions(text)
        assert ms
        assert all(text[m.start : m.end] == m.surface for m in ms)
        assert [m.start for m in ms] == sorted(m.start for m in ms)


def _word_by_word(text: str, actors: ActorSet) -> list[tuple[str, int, int, str | None]]:
    """Mentions by the definition: at every word start and every part after a
    hyphen inside a word (not after an apostrophe), outside earlier
    matches, the first of that word's forms (longest first) that matches
    the folded text."""
    folded = fold(text)
    out: list[tuple[str, int, int, str | None]] = []
    last_end = -1
    for token in re.finditer(r"\w+(?:[-'’‘]\w+)*", folded):
        starts = [token.start()] + [token.start() + i + 1 for i, c in enumerate(token.group())
                                    if c == "-"]
        for p in starts:
            word = re.match(r"\w+", folded[p:])
            if p < last_end or word is None:
                continue
            for e in actors._index.get(word.group(), []):
                m = e.pattern.match(folded, p)
                if m is not None:
                    last_end = m.end()
                    if e.group is not None:
                        out.append((e.group, p, m.end(), e.person))
                    break
    return out


LOWERCASE = MINIMAL + """
[[groups]]
id = "low"
label = "Low"
names = ["allied", "allied forces", "ally", "al-Qaeda", "al Qaeda", "de Gaulle", "vonnegut",
         "éclair", "e-mail", "red army", "2nd Army"]
demonyms = ["reds", "ünter", "x", "Redland-led"]
exclude = ["ally pally", "red herring"]

[[people]]
name = "Ann von Ally"
group = "low"
aliases = ["von Ally", "van Ally"]
"""


@pytest.mark.parametrize(("actors", "regexes"), [
    (ACTORS, 3),  # capitalised first words; "allies"; "von"
    (actors_from_toml(MINIMAL), 1),
    (actors_from_toml(LOWERCASE), 5),  # more lower-case first words than get their own
], ids=["builtin", "mini", "low"])
def test_mentions_equal_the_word_by_word_definition(seed_texts, actors, regexes) -> None:
    # The forms are found by a few regexes over the whole text (one for
    # capitalised first words, one each for a few others); the result is the
    # word-by-word search's, also where one regex's match covers another's.
    assert len(actors._matchers) == regexes
    pieces = ["NATO", "allies", "Ursula", "von", "der", "Leyen", "Redland", "Road", "Red",
              "Capital", "Ann", "Azure", "ally", "pally", "allied", "forces", "al", "Qaeda",
              "de", "Gaulle", "red", "army", "herring", "2nd", "Army", "Ally", "x", "éclair",
              "Ünter", "ünter", "e", "mail", "US", "U.S.", "Russia", "o", "_"]
    seps = [" ", "  ", "-", "'", "’", "\n", ".", "--", ", ", "—", "“", "\u00ad", ""]
    rng = random.Random(7)
    texts = [*seed_texts.values(), "Ursula von der Leyen and von der Leyen; allied forces-ally",
             "x-x x'x x’x al-Qaeda al Qaeda e-mail 2nd Army red army red herring ally pally"]
    texts += ["".join(rng.choice(pieces) + rng.choice(seps) for _ in range(rng.randint(1, 12)))
              for _ in range(3000)]
    for text in texts:
        got = [(m.group, m.start, m.end, m.person) for m in find_mentions(text, actors=actors)]
        assert got == _word_by_word(text, actors), text


# --- proposals ----------------------------------------------------------------


def test_propose_actors_on_a_tiny_corpus() -> None:
    articles = pd.DataFrame({
        "outlet": ["A", "B", "B"],
        "text": [
            "North Korea fired a missile. Russia and North Korea met. Earlier, NATO spoke.",
            "The Warsaw Pact was dissolved. North Korea stayed away from NATO Secretary "
            "General Jens Stoltenberg.",
            "Officials recalled the Warsaw Pact. Earlier, the talks in Geneva ended. "
            "Geneva was quiet.",
        ],
    })
    got = propose_actors(articles, n=10)
    assert list(got.columns) == ["name", "mentions", "articles", "outlets"]
    assert got.iloc[0].tolist() == ["North Korea", 3, 2, 2]
    names = got["name"].tolist()
    assert names == ["North Korea", "Warsaw Pact", "Geneva"]  # ties: more articles first
    for covered in ("NATO", "Russia", "Jens Stoltenberg", "Secretary General", "Earlier"):
        assert covered not in names
    assert propose_actors(articles, n=1)["name"].tolist() == ["North Korea"]
    assert propose_actors(["North Korea and North Korea"])["outlets"].tolist() == [0]


def test_propose_actors_on_the_seeds(seed_articles) -> None:
    got = propose_actors(seed_articles, n=20)
    names = set(got["name"])
    assert {"Brussels", "Vienna", "Geneva"} <= names
    assert not names & {"NATO", "Russia", "Ukraine", "Stoltenberg", "Wednesday"}


# --- the actor columns in the scores -----------------------------------------


def test_actor_columns_are_in_the_scores(scored_seeds) -> None:
    scores = scored_seeds.scores
    for group in ACTORS.group_ids:
        assert f"actor_{group}_mentions" in scores.columns
        assert f"actor_{group}_sentiment_mean" in scores.columns
    assert (scores["actor_russia_mentions"] > 0).all()
    assert (scores["actor_nato_mentions"] > 0).all()
    assert scored_seeds.meta["actors"] == {"name": "actors", "version": ACTORS.version,
                                           "hash": ACTORS.hash}


def test_mentions_table_matches_the_counts_and_slices_the_text(seed_articles,
                                                               scored_seeds) -> None:
    mentions = scored_seeds.mentions
    assert list(mentions.columns) == list(MENTION_COLUMNS)
    texts = dict(zip(seed_articles.article_id, seed_articles.text, strict=True))
    for m in mentions.itertuples():
        assert texts[m.article_id][m.start : m.end] == m.surface
    counts = mentions.groupby(["article_id", "group"]).size()
    for row in scored_seeds.scores.itertuples():
        for group in ACTORS.group_ids:
            n = int(counts.get((row.article_id, group), 0))
            assert getattr(row, f"actor_{group}_mentions") == n


def test_actor_sentiment_equals_a_hand_computation(seed_articles, scored_seeds) -> None:
    """Each group's figure is the mean of p_positive - p_negative of the target
    model over the sentences that mention it outside quotation marks (first
    mention the target, the others further mentions), computed here by hand."""
    from analytics.features.targets import default_model

    art = seed_articles.iloc[2]
    text = art.text
    quotes = quote_spans(text)
    sents = sentences(text)
    ms = find_mentions(text, word_tokens(text), ACTORS, sentences=sents)
    quoted = in_quotes([m.start for m in ms], quotes)
    row = scored_seeds.scores.set_index("article_id").loc[art.article_id]
    model = default_model()
    for group in ACTORS.group_ids:
        by_sentence: dict[int, list] = {}
        for m, q in zip(ms, quoted, strict=True):
            if m.group == group and not q and m.sentence_index is not None:
                by_sentence.setdefault(m.sentence_index, []).append(m)
        got = row[f"actor_{group}_sentiment_mean"]
        if not by_sentence:
            assert pd.isna(got), group
        else:
            texts, spans, further = [], [], []
            for i, group_ms in by_sentence.items():
                s0 = sents[i].start
                texts.append(text[s0:sents[i].end])
                spans.append((group_ms[0].start - s0, group_ms[0].end - s0))
                further.append([(m.start - s0, m.end - s0) for m in group_ms[1:]])
            p = model.predict_proba(texts, spans, further)
            assert got == pytest.approx(float((p[:, 2] - p[:, 0]).mean())), group
            assert row[f"actor_{group}_neg_share"] == pytest.approx(
                float((p.argmax(axis=1) == 0).mean()))
        assert row[f"actor_{group}_mentions"] == sum(m.group == group for m in ms)
    # The Russia figure of this article rests on several sentences.
    assert len({m.sentence_index for m in ms if m.group == "russia"}) >= 5


def test_accused_is_negative_toward_the_accused_not_the_accuser() -> None:
    from analytics.lexicons import default_lexicons
    from analytics.pipeline import ArticleScorer

    row, _, _ = ArticleScorer(default_lexicons()).score(
        "x", "NATO accused Russia of aggression against Ukraine and of lying about it.")
    assert row["actor_russia_sentiment_mean"] < 0
    assert row["actor_russia_neg_share"] == 1.0


def test_a_quoted_only_actor_has_no_authorial_sentiment() -> None:
    from analytics.lexicons import default_lexicons
    from analytics.pipeline import ArticleScorer

    row, _, _ = ArticleScorer(default_lexicons()).score(
        "x", "“Kyiv will stand firm,” the minister said. The talks went well."
    )
    assert row["actor_ukraine_mentions"] == 1
    assert row["actor_ukraine_sentiment_mean"] is None
    assert row["actor_eu_mentions"] == 0 and row["actor_eu_sentiment_mean"] is None


def test_a_custom_actor_set_flows_through_both_engines(seed_articles) -> None:
    from analytics.pipeline import score_corpus

    mini = actors_from_toml(MINIMAL).with_group("ukr", ["Ukraine"])
    serial = score_corpus(seed_articles, engine="serial", actors=mini)
    procs = score_corpus(seed_articles, engine="processes", workers=2, batch_size=2,
                         actors=mini)
    cols = [c for c in serial.scores.columns if c.startswith("actor_")]
    assert cols == [f"actor_{g}_{c}" for g in ("red", "blue", "ukr")
                    for c in ("mentions", "sentiment_mean", "neg_share", "pos_share")]
    assert (serial.scores["actor_ukr_mentions"] > 0).all()
    pd.testing.assert_frame_equal(serial.scores, procs.scores)
    pd.testing.assert_frame_equal(serial.mentions, procs.mentions)
