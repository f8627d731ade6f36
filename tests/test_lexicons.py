"""Lexicon files and loader: every built-in file is valid, documented data."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from analytics.lexicons import (
    BUILTIN_LEXICONS,
    DEFAULT_LEXICONS,
    Lexicon,
    LexiconError,
    Term,
    builtin_lexicons,
    default_lexicons,
    inflections,
    lexicon_from_table,
    lexicon_from_toml,
    lexicon_table,
    lexicon_to_toml,
    load_lexicon,
)
from analytics.text import word_tokens

LEXICON_DIR = Path(str(resources.files("analytics.lexicons")))
BUILTINS = builtin_lexicons()

CONFLICT_CATEGORIES = {
    "aggression",
    "legality",
    "threat",
    "diplomacy",
    "escalation",
    "labels",
    "sovereignty",
}
POLICY_CATEGORIES = {
    "economic",
    "capacity_and_resources",
    "morality",
    "fairness_and_equality",
    "legality",
    "policy_prescription",
    "crime_and_punishment",
    "security_and_defense",
    "health_and_safety",
    "quality_of_life",
    "cultural_identity",
    "public_opinion",
    "political",
    "external_regulation_and_reputation",
}

MINIMAL = """\
[lexicon]
name = "mini"
family = "framing"
version = "0.1"
description = "A tiny test lexicon."
licence = "CC0"
sources = ["Nobody (2024). Nothing."]

[categories]
legality = "Law"
escalation = "Escalation"

[[terms]]
term = "annex"
category = "legality"
inflect = true
forms = ["annexation", "annexations"]
note = "The example from the docs."

[[terms]]
term = "de-escalate"
category = "escalation"
inflect = true
"""


@pytest.fixture(params=BUILTIN_LEXICONS)
def lex(request: pytest.FixtureRequest) -> Lexicon:
    return BUILTINS[request.param]


# --- every built-in file ------------------------------------------------------


def test_builtin_files_are_exactly_the_listed_ones() -> None:
    # actors.toml lives beside the lexicons but is an actor file (analytics.actors).
    on_disk = sorted(p.stem for p in LEXICON_DIR.glob("*.toml") if p.stem != "actors")
    assert on_disk == sorted(BUILTIN_LEXICONS)
    assert list(BUILTINS) == list(BUILTIN_LEXICONS)


def test_builtin_parses_and_names_match_file(lex: Lexicon) -> None:
    path = LEXICON_DIR / f"{lex.name}.toml"
    assert lexicon_from_toml(path.read_text(encoding="utf-8"), source=path.name) == lex
    assert load_lexicon(path) == lex
    assert load_lexicon(lex.name) is lex  # cached


def test_builtin_has_provenance(lex: Lexicon) -> None:
    assert lex.version.strip()
    assert len(lex.description) > 200
    assert lex.licence.strip()
    assert lex.sources
    for source in lex.sources:
        assert re.search(r"\((19|20)\d\d\)", source), source  # author (year) ...


def test_builtin_terms_are_lower_case_and_have_notes(lex: Lexicon) -> None:
    for t in lex.terms:
        assert t.term == t.term.lower().strip()
        assert t.forms[0] == t.term
        assert t.note.strip(), t.term
        for form in t.forms:
            assert form == form.lower(), form
            assert "’" not in form


def test_builtin_forms_are_unique_within_lexicon(lex: Lexicon) -> None:
    forms = [f for t in lex.terms for f in t.forms]
    assert len(forms) == len(set(forms))
    assert len({t.term for t in lex.terms}) == len(lex.terms)


def test_builtin_forms_tokenise_like_text(lex: Lexicon) -> None:
    for t in lex.terms:
        for form in t.forms:
            body = form.removesuffix("*")
            assert " ".join(tok.norm for tok in word_tokens(body)) == body, form


def test_builtin_every_category_has_terms(lex: Lexicon) -> None:
    used = {t.category for t in lex.terms}
    assert used == set(lex.categories)
    for cat_id, desc in lex.categories.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", cat_id)
        assert desc.strip()


def test_builtin_wildcards_are_rare(lex: Lexicon) -> None:
    wild = [f for t in lex.terms for f in t.forms if f.endswith("*")]
    assert len(wild) <= 3


def test_builtin_sizes_and_categories() -> None:
    hedges, boosters = BUILTINS["hedges"], BUILTINS["boosters"]
    conflict, policy = BUILTINS["framing_conflict"], BUILTINS["framing_policy"]
    assert (hedges.family, boosters.family) == ("hedge", "booster")
    assert conflict.family == policy.family == "framing"
    assert 150 <= len(hedges.terms) <= 200
    assert 80 <= len(boosters.terms) <= 120
    assert set(conflict.categories) == CONFLICT_CATEGORIES
    assert set(policy.categories) == POLICY_CATEGORIES
    assert "other" in policy.description
    for framing, low, high in ((conflict, 25, 60), (policy, 20, 40)):
        for cat in framing.categories:
            n = sum(t.category == cat for t in framing.terms)
            assert low <= n <= high, (framing.name, cat, n)


def test_builtin_expected_terms() -> None:
    def category_of(name: str, form: str) -> str:
        (hit,) = [t.category for t in BUILTINS[name].terms if form in t.forms]
        return hit

    assert category_of("framing_conflict", "revisionist") == "labels"
    assert category_of("framing_conflict", "rogue") == "labels"
    for form in ("illegal", "illegitimate", "annex", "annexed", "annexation"):
        assert category_of("framing_conflict", form) == "legality"
    for form in ("aggression", "invasion", "invade"):
        assert category_of("framing_conflict", form) == "aggression"
    for form in ("de-escalate", "escalation", "build-up"):
        assert category_of("framing_conflict", form) == "escalation"
    for form in ("dialogue", "negotiations", "talks"):
        assert category_of("framing_conflict", form) == "diplomacy"
    for form in ("territorial integrity", "self-determination", "sovereignty"):
        assert category_of("framing_conflict", form) == "sovereignty"
    for form in ("threat", "deter", "security guarantees"):
        assert category_of("framing_conflict", form) == "threat"
    for form in ("reportedly", "allegedly", "it is believed", "some critics say", "according to"):
        assert category_of("hedges", form) == "attribution"
    assert category_of("hedges", "may") == "modal"
    may = next(t for t in BUILTINS["hedges"].terms if t.term == "may")
    assert "month" in may.note
    for form in (
        "clearly",
        "certainly",
        "undoubtedly",
        "in fact",
        "must",
        "definitely",
        "absolutely",
        "without doubt",
    ):
        category_of("boosters", form)


def test_default_and_builtin_sets() -> None:
    assert [lex.name for lex in default_lexicons()] == list(DEFAULT_LEXICONS)
    assert DEFAULT_LEXICONS == ("hedges", "boosters", "framing_conflict")


def test_builtin_files_use_only_tomllib_data() -> None:
    # Data, not code: plain TOML with the three expected top-level keys.
    for name in BUILTIN_LEXICONS:
        data = tomllib.loads((LEXICON_DIR / f"{name}.toml").read_text(encoding="utf-8"))
        assert set(data) == {"lexicon", "categories", "terms"}


# --- round trip and hash ------------------------------------------------------


def test_round_trip_toml(lex: Lexicon) -> None:
    text = lexicon_to_toml(lex)
    again = lexicon_from_toml(text)
    assert again == lex
    assert again.hash == lex.hash
    assert lexicon_to_toml(again) == text


def test_round_trip_awkward_strings() -> None:
    lex = lexicon_from_toml(MINIMAL)
    odd = dataclasses.replace(
        lex,
        description='Quotes " and \\ backslash, tab\t, newline\n, DEL \x7f, “curly”, é',
        terms=(*lex.terms, Term("ok", "legality", ("ok",), 'a "note"\nover lines')),
    )
    assert lexicon_from_toml(lexicon_to_toml(odd)) == odd


def test_hash_is_stable_and_content_based() -> None:
    a = lexicon_from_toml(MINIMAL)
    b = lexicon_from_toml(
        MINIMAL.replace(
            'inflect = true\nforms = ["annexation", "annexations"]',
            'forms = ["annexation", "annexations"]\ninflect = true',
        )
    )
    assert re.fullmatch(r"[0-9a-f]{12}", a.hash)
    assert a == b and a.hash == b.hash  # key order in the file does not matter
    assert lexicon_from_toml(lexicon_to_toml(a)).hash == a.hash  # nor the shorthand
    assert hash(a) == hash(b)
    edits = [
        dataclasses.replace(a, version="0.2"),
        dataclasses.replace(a, description=a.description + " "),
        dataclasses.replace(a, sources=()),
        dataclasses.replace(a, categories={**a.categories, "threat": "Threat"}),
        dataclasses.replace(a, terms=a.terms[:1]),
        dataclasses.replace(
            a, terms=(dataclasses.replace(a.terms[0], note="changed"), *a.terms[1:])
        ),
        dataclasses.replace(
            a, terms=(dataclasses.replace(a.terms[0], forms=a.terms[0].forms[:-1]), *a.terms[1:])
        ),
    ]
    hashes = {a.hash} | {e.hash for e in edits}
    assert len(hashes) == len(edits) + 1


def test_lexicon_pickles_for_worker_processes() -> None:
    import pickle

    lex = BUILTINS["hedges"]
    again = pickle.loads(pickle.dumps(lex))
    assert again == lex and again.hash == lex.hash and hash(again) == hash(lex)


def test_builtin_hashes_differ_and_are_stable() -> None:
    hashes = [lex.hash for lex in BUILTINS.values()]
    assert len(set(hashes)) == len(hashes)
    for name, lex in BUILTINS.items():
        text = (LEXICON_DIR / f"{name}.toml").read_text(encoding="utf-8")
        assert lexicon_from_toml(text).hash == lex.hash


# --- inflection -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("annex", ["annexes", "annexed", "annexing"]),
        ("escalate", ["escalates", "escalated", "escalating"]),
        ("de-escalate", ["de-escalates", "de-escalated", "de-escalating"]),
        ("threaten", ["threatens", "threatened", "threatening"]),
        ("ban", ["bans", "banned", "banning"]),
        ("occupy", ["occupies", "occupied", "occupying"]),
        ("deploy", ["deploys", "deployed", "deploying"]),
        ("warn", ["warns", "warned", "warning"]),
        ("tax", ["taxes", "taxed", "taxing"]),
        ("sue", ["sues", "sued", "suing"]),
        ("die", ["dies", "died", "dying"]),
        ("free", ["frees", "freed", "freeing"]),
        ("visit", ["visits", "visited", "visiting"]),
        ("stress", ["stresses", "stressed", "stressing"]),
    ],
)
def test_inflections(word: str, expected: list[str]) -> None:
    assert inflections(word) == expected


def test_inflections_of_last_word_and_plural() -> None:
    assert inflections("security guarantee", "plural") == ["security guarantees"]
    assert inflections("ratchet up")[0] == "ratchet ups"  # last word only: keep simple
    lex = lexicon_from_toml(MINIMAL)
    annex = lex.terms[0]
    assert annex.forms == ("annex", "annexation", "annexations", "annexes", "annexed", "annexing")


# --- bad files ----------------------------------------------------------------


BAD_CASES = [
    ("[lexicon\nname = 1", "not valid TOML"),
    (MINIMAL.replace('category = "legality"', 'category = "law"', 1), "'law' is not declared"),
    (MINIMAL.replace("legality = ", "Legality = ", 1), "must match"),
    (MINIMAL.replace('term = "annex"', 'term = "Annex"'), "lower case"),
    (MINIMAL.replace('term = "annex"', 'term = ""'), "empty"),
    (
        MINIMAL.replace('"annexation", "annexations"', '"annexation", "annexation"'),
        "'annexation' is listed twice",
    ),
    (
        MINIMAL + '\n[[terms]]\nterm = "annexed"\ncategory = "legality"\n',
        "form 'annexed' is listed twice: in term 'annex' and in term 'annexed'",
    ),
    (MINIMAL.replace('family = "framing"', 'family = "frames"'), "family 'frames'"),
    (MINIMAL.replace('version = "0.1"\n', ""), "missing 'version'"),
    (MINIMAL.replace("inflect = true", "inflec = true", 1), "unknown key(s) inflec"),
    (MINIMAL.replace("inflect = true", 'inflect = "yes"', 1), "inflect must be"),
    (MINIMAL.replace('"annexation", "annexations"', '"annex*ation"'), "'*' only at"),
    (MINIMAL.replace('"annexation", "annexations"', '"an*"'), "prefix of at least"),
    (MINIMAL.replace('"annexation", "annexations"', '"u.s."'), "single spaces"),
    (MINIMAL.replace('"annexation", "annexations"', '"according  to"'), "single spaces"),
    (MINIMAL.replace('"annexation", "annexations"', '"russia’s"'), "straight apostrophes"),
    (MINIMAL.split("[[terms]]")[0], "no [[terms]]"),
    (MINIMAL.replace("[categories]\nlegality", "[categorys]\nlegality"), "unknown top-level"),
    (
        MINIMAL.replace('sources = ["Nobody (2024). Nothing."]', 'sources = "Nobody"'),
        "list of strings",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD_CASES)
def test_bad_lexicon_gives_one_line_error_naming_file(text: str, message: str) -> None:
    with pytest.raises(LexiconError) as info:
        lexicon_from_toml(text, source="my_lexicon.toml")
    msg = str(info.value)
    assert msg.startswith("my_lexicon.toml: "), msg
    assert "\n" not in msg
    assert message in msg
    assert isinstance(info.value, ValueError)


def test_bad_file_on_disk_names_path(tmp_path: Path) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text(
        MINIMAL.replace('category = "legality"', 'category = "law"', 1), encoding="utf-8"
    )
    with pytest.raises(LexiconError, match=r"^.*broken\.toml: term 'annex': category 'law'"):
        load_lexicon(bad)
    with pytest.raises(LexiconError, match=r"nope\.toml: no such file .*hedges"):
        load_lexicon(tmp_path / "nope.toml")
    with pytest.raises(LexiconError, match="not_a_lexicon: no such file"):
        load_lexicon("not_a_lexicon")
    good = tmp_path / "mine.toml"
    good.write_text(MINIMAL, encoding="utf-8")
    assert load_lexicon(str(good)).name == "mini"


# --- editable tables ------------------------------------------------------------


def test_table_round_trip(lex: Lexicon) -> None:
    df = lexicon_table(lex)
    assert list(df.columns) == ["category", "term", "forms", "note"]
    assert len(df) == len(lex.terms)
    assert lexicon_from_table(df, like=lex) == lex


def test_table_edits_make_a_new_lexicon() -> None:
    lex = lexicon_from_toml(MINIMAL)
    df = lexicon_table(lex)
    df.loc[len(df)] = ["escalation", "  Build-Up ", "build-up; buildup ;BUILD-UPS", "new"]
    df.loc[len(df)] = [None, None, None, None]  # blank row from an editor
    edited = lexicon_from_table(df, like=lex)
    assert edited.terms[-1] == Term(
        "build-up", "escalation", ("build-up", "buildup", "build-ups"), "new"
    )
    assert edited.hash != lex.hash
    assert (edited.name, edited.version, edited.sources) == (lex.name, lex.version, lex.sources)


def test_table_errors_name_the_row() -> None:
    lex = lexicon_from_toml(MINIMAL)
    df = lexicon_table(lex)
    df.loc[len(df)] = ["nonsense", "foo", "", ""]
    with pytest.raises(
        LexiconError, match=r"mini \(edited table\): term 'foo': category 'nonsense'"
    ):
        lexicon_from_table(df, like=lex)
    df = lexicon_table(lex)
    df.loc[len(df)] = ["legality", "", "x", ""]
    with pytest.raises(LexiconError, match="row 3: term is empty"):
        lexicon_from_table(df, like=lex)
    with pytest.raises(LexiconError, match="missing column"):
        lexicon_from_table(pd.DataFrame({"term": ["x"]}), like=lex)
