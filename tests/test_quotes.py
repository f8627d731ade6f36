"""Quote attribution: one test per pattern, the seeds, and the corpus tables."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.quotes import (
    ATTRIBUTIONS,
    QUOTE_COLUMNS,
    attribute_quotes,
    quotes_table,
    sourcing_summary,
    verb_mix,
)


def _one(text: str):
    records = attribute_quotes(text)
    assert len(records) == 1, records
    r = records[0]
    assert text[r.start : r.end] == r.quote_text
    return r


def _who(r) -> tuple:
    return (r.speaker, r.verb, r.side, r.attribution)


# --- patterns -----------------------------------------------------------------


def test_x_said_colon_quote() -> None:
    r = _one("Stoltenberg said: “We are ready to talk.”")
    assert _who(r) == ("Jens Stoltenberg", "said", "nato", "surname")
    assert r.speaker_text == "Stoltenberg"


def test_quote_then_x_said() -> None:
    r = _one("“We are ready to talk,” Jens Stoltenberg said.")
    assert _who(r) == ("Jens Stoltenberg", "said", "nato", "explicit")


def test_quote_then_said_x() -> None:
    r = _one("“We are ready to talk,” said Grushko.")
    assert _who(r) == ("Alexander Grushko", "said", "russia", "surname")


def test_x_who_did_something_said() -> None:
    r = _one("NATO Secretary General Jens Stoltenberg, who chaired the meeting, said: "
             "“This was not an easy discussion.”")
    assert _who(r) == ("Jens Stoltenberg", "said", "nato", "explicit")
    assert r.role == "NATO Secretary General"


def test_clause_earlier_in_the_sentence() -> None:
    r = _one("Kremlin spokesman Dmitry Peskov stated that the exercises “will continue to be "
             "carried out” as planned.")
    assert _who(r) == ("Dmitry Peskov", "stated", "russia", "explicit")
    assert r.role == "Kremlin spokesman"


def test_according_to() -> None:
    r = _one("According to Reuters, the talks were “frank but useful for both sides.”")
    assert _who(r) == ("Reuters", "according to", None, "explicit")
    r = _one("“The drills will go on as planned,” according to the Kremlin.")
    assert _who(r) == ("Kremlin", "according to", "russia", "explicit")


@pytest.mark.parametrize(
    ("text", "speaker", "role", "side"),
    [
        ("NATO Secretary General Jens Stoltenberg said: “We are ready.”",
         "Jens Stoltenberg", "NATO Secretary General", "nato"),
        ("Kremlin spokesman Dmitry Peskov said: “We are ready.”",
         "Dmitry Peskov", "Kremlin spokesman", "russia"),
        ("Deputy Secretary of State Wendy Sherman said: “We are ready.”",
         "Wendy Sherman", "Deputy Secretary of State", "united_states"),
        ("Russian Deputy Foreign Minister Alexander Grushko said: “We are ready.”",
         "Alexander Grushko", "Russian Deputy Foreign Minister", "russia"),
        ("The Deputy Foreign Minister of Russia – Alexander Grushko said, “We are ready.”",
         "Alexander Grushko", "Deputy Foreign Minister of Russia", "russia"),
        ("The United States Undersecretary of State, Wendy Sherman, assured that “we are "
         "ready.”", "Wendy Sherman", "United States Undersecretary of State", "united_states"),
    ],
)
def test_titles_and_roles_before_names(text: str, speaker: str, role: str, side: str) -> None:
    r = _one(text)
    assert (r.speaker, r.role, r.side) == (speaker, role, side)
    assert r.attribution == "explicit"


def test_later_reference_by_surname_of_an_unknown_person() -> None:
    text = ("John Smith, a local farmer, said: “We are worried about the harvest.” Later, "
            "“It is hard to say anything,” Smith added.")
    first, second = attribute_quotes(text)
    assert (first.speaker, first.role, first.attribution) == ("John Smith", "local farmer",
                                                               "explicit")
    assert (second.speaker, second.speaker_text, second.verb, second.attribution) == (
        "John Smith", "Smith", "added", "surname")


def test_he_said_carries_the_previous_speaker() -> None:
    text = ("Stoltenberg said the meeting was useful. “We will meet again soon,” he said.")
    r = _one(text)
    assert (r.speaker, r.speaker_text, r.attribution) == ("Jens Stoltenberg", "he", "pronoun")


def test_she_said_skips_a_speaker_of_the_other_gender() -> None:
    text = ("Sherman said the talks were frank. Grushko warned of consequences. "
            "“We will not give up our principles,” she said.")
    r = _one(text)
    assert (r.speaker, r.side, r.attribution) == ("Wendy Sherman", "united_states", "pronoun")
    assert _who(_one("“It is over,” she said."))[0] is None  # nobody to carry: not guessed


def test_pronoun_not_carried_past_another_person() -> None:
    text = ("“It was useful,” Stoltenberg said. Antony Blinken arrived later. "
            "“We will see,” he said.")
    first, second = attribute_quotes(text)
    assert first.speaker == "Jens Stoltenberg"
    assert (second.speaker, second.attribution) == (None, "none")


def test_quote_continued_over_paragraphs() -> None:
    text = ("“There are opportunities for engagement,” Stoltenberg said.\n\n"
            "“We had a frank and open discussion on a wide range of issues.\n\n"
            "“On membership all Allies are united.”")
    first, second = attribute_quotes(text)  # the last two paragraphs are one quote
    assert first.attribution == "surname"
    assert (second.speaker, second.verb, second.attribution) == ("Jens Stoltenberg", None,
                                                                  "continued")
    assert "\n\n" in second.quote_text


def test_quote_continued_in_the_next_sentence() -> None:
    text = ("NATO Secretary General Jens Stoltenberg said the differences were significant. "
            "“But it is a positive sign that all NATO Allies and Russia sat down.”")
    r = _one(text)
    assert (r.speaker, r.attribution) == ("Jens Stoltenberg", "continued")


def test_scare_quotes_stay_unattributed() -> None:
    r = _one("NATO recognises the need to deter a “revisionist” Russia.")
    assert r.speaker is None and r.verb is None and r.attribution == "none" and r.words == 1


def test_scare_quote_is_not_continued() -> None:
    text = "Stoltenberg said the talks were hard. “Frank” talks, analysts noted, are rare."
    r = _one(text)
    assert r.speaker is None


def test_unattributed_long_quote_stays_none() -> None:
    r = _one("The talks ended.\n\n“There will be consequences for everyone involved.”")
    assert (r.speaker, r.speaker_text, r.verb, r.side, r.attribution) == (
        None, None, None, None, "none")


def test_role_reference_resolves_to_one_person() -> None:
    text = ("NATO Secretary General Jens Stoltenberg arrived early. "
            "“It is over for now,” the secretary-general said.")
    r = _one(text)
    assert (r.speaker, r.attribution, r.side) == ("Jens Stoltenberg", "role", "nato")
    r = _one("“It is over for now,” the secretary-general said.")
    assert (r.speaker, r.attribution) == (None, "anonymous")


def test_unnamed_sources_are_anonymous_with_a_side() -> None:
    r = _one("Russian officials insisted that “there is no plan to invade anyone at all.”")
    assert (r.speaker, r.side, r.verb, r.attribution) == (None, "russia", "insisted",
                                                          "anonymous")
    assert r.speaker_text == "Russian officials"


def test_organisation_speaker() -> None:
    r = _one("The Kremlin said on Tuesday that the drills were “routine and defensive.”")
    assert _who(r) == ("Kremlin", "said", "russia", "explicit")


def test_preposition_object_is_not_a_speaker() -> None:
    text = ("Sabine Weyand, director general for trade in the European Commission, the EU’s "
            "executive arm, cautioned that “this will lead to a cliff edge in the talks.”")
    assert _one(text).speaker != "European Commission"


def test_clause_in_the_next_sentence_is_not_a_tail() -> None:
    text = ("NATO Secretary General Jens Stoltenberg said: “This was not easy.” He noted that "
            "Allies are ready.")
    r = _one(text)
    assert (r.speaker_text, r.attribution) == ("Jens Stoltenberg", "explicit")


def test_verbs_are_reported_in_the_past_tense() -> None:
    assert _one("“We are ready,” Stoltenberg says.").verb == "said"
    assert _one("“We are ready,” Stoltenberg warns.").verb == "warned"
    assert _one("Stoltenberg tweeted: “We are ready.”").verb == "tweeted"


def test_no_quotes_no_records() -> None:
    assert attribute_quotes("") == []
    assert attribute_quotes("Stoltenberg said the talks were hard.") == []


# --- the seeds ------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_quotes(seed_articles) -> pd.DataFrame:
    return quotes_table(seed_articles)


def test_quotes_table_columns_order_and_offsets(seed_articles, seed_quotes) -> None:
    assert list(seed_quotes.columns) == list(QUOTE_COLUMNS)
    texts = dict(zip(seed_articles.article_id, seed_articles.text, strict=True))
    for r in seed_quotes.itertuples():
        assert texts[r.article_id][r.start : r.end] == r.quote_text
    order = {aid: i for i, aid in enumerate(seed_articles.article_id)}
    keys = [(order[a], s) for a, s in zip(seed_quotes.article_id, seed_quotes.start,
                                          strict=True)]
    assert keys == sorted(keys)
    assert set(seed_quotes.attribution) <= set(ATTRIBUTIONS)
    assert seed_quotes.source_ref.notna().all() and seed_quotes.outlet.notna().all()


def test_seed_speakers_are_found_with_verbs(seed_quotes) -> None:
    named = seed_quotes[seed_quotes.speaker.notna()]
    sides = {"Jens Stoltenberg": "nato", "Alexander Grushko": "russia",
             "Wendy Sherman": "united_states", "Dmitry Peskov": "russia"}
    for speaker, side in sides.items():
        mine = named[named.speaker == speaker]
        assert len(mine) >= 1, speaker
        assert mine.verb.notna().any(), speaker
        assert (mine.side == side).all(), speaker
    peskov = named[named.speaker == "Dmitry Peskov"]
    assert set(peskov.verb) == {"stated"} and set(peskov.role) == {"Kremlin spokesman"}
    grushko = named[named.speaker == "Alexander Grushko"]
    assert {"opined", "added", "said", "announced"} <= set(grushko.verb)
    assert "Alexandr Grushkó" in set(grushko.speaker_text)  # the Spanish spelling
    assert {"explicit", "surname", "pronoun", "continued", "role"} <= set(named.attribution)


def test_revisionist_is_a_quote_without_a_speaker(seed_articles, seed_quotes) -> None:
    first = seed_quotes[seed_quotes.article_id == seed_articles.article_id.iloc[0]]
    rev = first[first.quote_text == "“revisionist”"]
    assert len(rev) >= 1
    assert rev.speaker.isna().all() and rev.verb.isna().all()
    assert (rev.attribution == "none").all() and (rev.words == 1).all()
    for word in ("“illegal”", "“illegitimate”", "“militarily advanced”"):
        assert first.loc[first.quote_text == word, "speaker"].isna().all()


def test_no_seed_quote_is_given_to_the_wrong_side(seed_quotes) -> None:
    """Hand-checked: every attributed seed quote, speaker by speaker."""
    got = seed_quotes[seed_quotes.speaker.notna()].groupby("speaker").size().to_dict()
    assert got == {"Jens Stoltenberg": 17, "Wendy Sherman": 7, "Alexander Grushko": 6,
                   "Dmitry Peskov": 2, "New York Times": 1}


# --- summaries ------------------------------------------------------------------


def _toy() -> pd.DataFrame:
    rows = [
        ("a1", "A", "Jens Stoltenberg", "said", "nato", 10, "explicit"),
        ("a1", "A", "Jens Stoltenberg", None, "nato", 5, "continued"),
        ("a1", "A", "Dmitry Peskov", "warned", "russia", 4, "surname"),
        ("a2", "A", None, None, None, 1, "none"),
        ("b1", "B", "Reuters", "according to", None, 8, "explicit"),
        ("b1", "B", None, "said", "russia", 6, "anonymous"),
        ("b1", "B", None, "said", None, 3, "anonymous"),
    ]
    df = pd.DataFrame(rows, columns=["article_id", "outlet", "speaker", "verb", "side",
                                     "words", "attribution"])
    df["words"] = df["words"].astype("Int64")
    return df


def test_sourcing_summary_counts_quotes_and_words_per_side() -> None:
    s = sourcing_summary(_toy()).set_index("outlet")
    assert s.loc["A", "articles"] == 2 and s.loc["A", "quotes"] == 4
    assert s.loc["A", "quoted_words"] == 20
    assert s.loc["A", "quotes_nato"] == 2 and s.loc["A", "quoted_words_nato"] == 15
    assert s.loc["A", "quotes_russia"] == 1 and s.loc["A", "quoted_words_russia"] == 4
    assert s.loc["A", "quotes_unattributed"] == 1 and s.loc["A", "quoted_words_unattributed"] == 1
    assert s.loc["A", "quotes_united_states"] == 0
    assert s.loc["A", "distinct_speakers"] == 2
    assert s.loc["A", "verbs"] == "said: 1; warned: 1"
    assert s.loc["B", "quotes_russia"] == 1 and s.loc["B", "quotes_other"] == 2
    assert s.loc["B", "quoted_words_other"] == 11 and s.loc["B", "quotes_unattributed"] == 0
    assert s.loc["B", "verbs"] == "said: 2; according to: 1"
    buckets = [c for c in s.columns if c.startswith("quotes_")]
    assert (s[buckets].sum(axis=1) == s["quotes"]).all()


def test_verb_mix_shares_sum_to_one() -> None:
    mix = verb_mix(_toy())
    assert list(mix.columns) == ["outlet", "verb", "n", "share"]
    assert mix.values.tolist() == [
        ["A", "said", 1, 0.5], ["A", "warned", 1, 0.5],
        ["B", "said", 2, 2 / 3], ["B", "according to", 1, 1 / 3],
    ]
    assert mix.groupby("outlet")["share"].sum().round(9).eq(1).all()


def test_summaries_of_an_empty_table() -> None:
    empty = pd.DataFrame(columns=list(QUOTE_COLUMNS))
    assert sourcing_summary(empty).empty and "quotes_nato" in sourcing_summary(empty).columns
    assert verb_mix(empty).empty


def test_seed_summary_has_one_row_per_outlet(seed_articles, seed_quotes) -> None:
    s = sourcing_summary(seed_quotes)
    assert len(s) == seed_articles.outlet.nunique() == 5
    assert s["quotes"].sum() == len(seed_quotes)
    assert (s["quotes_nato"] > 0).sum() == 4  # the last seed quotes only Sherman and Grushko
    first = s.set_index("outlet").loc["The Indian Express"]
    assert first["quotes_unattributed"] == 6 and first["quotes_other"] == 1
    mix = verb_mix(seed_quotes)
    assert set(mix.verb) >= {"said", "stated", "opined", "added", "assured"}
