"""Site-furniture removal: the seeds' furniture goes, every article sentence stays.

Fixtures are the five seed files in ``seeds/`` (byte-identical copies of the
shared seed set) and, for speed, the first articles of the shared corpus.
"""

from __future__ import annotations

import gzip
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.cleaning import MAX_FURNITURE_LINE, clean_text, furniture_rule
from tests.conftest import SEEDS, SHARED_CORPUS

S000 = "000_fc48db95838584a8.txt"
S001 = "001_08fce08e132a00d2.txt"
S002 = "002_66c77f65f70d1ee2.txt"
S003 = "003_71161054fa49cb52.txt"
S004 = "004_4ff5280c6cc9d9f3.txt"

# Opening words of the first and last real paragraph of each seed; the test
# takes the whole line from the raw file and requires it verbatim.
FIRST_LAST = {
    S000: (
        "The North Atlantic Treaty Organisation (NATO) and Russia discussed",
        "“Allies made clear that they will not renounce their ability",
    ),
    S001: (
        "Brussels 12.01.2022 Anna van Densky The NATO-Russia Council",
        "On December 17, 2021, the Russian Foreign Ministry published",
    ),
    S002: (
        "NATO allies and Russia ended nearly four hours of security talks",
        "Sherman said Russian diplomats had expressed concerns",
    ),
    S003: (
        "For the first time in two years, NATO and Russia met",
        "The NATO-Russia Council talks will continue on Thursday in Vienna.",
    ),
    S004: (
        "In a major development, the North Atlantic Treaty Organisation",
        "Besides, NATO also rejected Russia’s proposal",
    ),
}

FURNITURE = {
    S000: [
        "Follow Us:",
        "Sunday, January 23, 2022",
        "By: Explained Desk | New Delhi |",
        "January 13, 2022 8:59:16 pm",
        "Newsletter | Click to get the day’s best explainers in your inbox",
        "📣 The Indian Express is now on Telegram. Click here to join our channel "
        "(@indianexpress) and stay updated with the latest headlines",
        "For all the latest Explained News, download Indian Express App.",
        "• Newsguard",
        "• The Indian Express website has been rated GREEN for its credibility and "
        "trustworthiness by Newsguard, a global service that rates news sources for their "
        "journalistic standards.",
        "• Newsguard",
        "0 Comment(s) *",
        "* The moderation of comments is automated and not cleared manually by",
    ],
    S001: [
        "Leave a Reply",
        "Fill in your details below or click an icon to log in:",
        "WordPress.com Logo",
        "You are commenting using your WordPress.com account. Log\xa0Out\xa0/\xa0 Change\xa0)",
        "Facebook photo",
        "You are commenting using your Facebook account. Log\xa0Out\xa0/\xa0 Change\xa0)",
        "Connecting to %s",
    ],
    S002: ["Press play to listen to this article", "Leave a Comment"],
    S003: ["date 2022-01-12"],
    S004: [],
}


@pytest.fixture(scope="module")
def raw() -> dict[str, str]:
    return {name: (SEEDS / name).read_text(encoding="utf-8") for name in FIRST_LAST}


@pytest.fixture(scope="module")
def cleaned(raw):
    return {name: clean_text(text) for name, text in raw.items()}


def _line_starting(text: str, start: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if start in ln]
    assert lines, start
    line = lines[0]
    return line[line.index(start) :]


@pytest.mark.parametrize("name", sorted(FIRST_LAST))
def test_first_and_last_paragraphs_survive_verbatim(name, raw, cleaned):
    first, last = FIRST_LAST[name]
    text = cleaned[name].text
    first_par = _line_starting(raw[name], first)
    last_par = _line_starting(raw[name], last)
    assert first_par in text
    assert last_par in text
    assert text.rstrip().endswith(last_par) or name in (S003,)  # 003 ends with its credit line


@pytest.mark.parametrize("name", sorted(FURNITURE))
def test_furniture_lines_go_and_are_listed(name, raw, cleaned):
    result = cleaned[name]
    assert result.removed == FURNITURE[name]
    kept_lines = {ln.strip() for ln in result.text.splitlines()}
    for line in FURNITURE[name]:
        assert line not in kept_lines


def test_seed_003_loses_only_its_metadata_prefix(cleaned):
    text = cleaned[S003].text
    assert text.startswith("For the first time in two years, NATO and Russia met to address")
    assert "date 2022-01-12" not in text
    assert cleaned[S003].text.endswith("With EFE and Reuters")


def test_embedded_tweets_in_seed_004_survive(raw, cleaned):
    text = cleaned[S004].text
    assert text == raw[S004].strip()  # nothing in 004 is furniture
    for line in (
        "Taking it to twitter, NATO tweeted,",
        "#ICYMI: The NATO-Russia Council, which brings together all 30 #NATO Allies",
        "— NATO (@NATO) January 13, 2022",
        "Stoltenberg tweeted,",
        "The NATO–Russia Council had a serious exchange on Russia's military build-up",
        "— Jens Stoltenberg (@jensstoltenberg) January 12, 2022",
    ):
        assert line in text


def test_photo_captions_survive(cleaned):
    assert (
        "NATO Secretary General Jens Stoltenberg talks with Russia's Deputy Foreign "
        "Minister Alexander Grushko ahead of the NATO-Russia Council"
    ) in cleaned[S000].text
    assert "Brussels, Belgium, on January 12, 2022. © Johanna Geron / Reuters" in cleaned[S003].text


def test_headlines_and_subheads_survive(cleaned):
    assert cleaned[S000].text.startswith(
        "Explained: What happened at the NATO-Russia Council talks?"
    )
    assert "What happened on Wednesday?" in cleaned[S000].text
    assert cleaned[S001].text.startswith("NATO-Russia Council step forward")
    assert cleaned[S002].text.startswith("NATO, Russia in a standoff after talks in Brussels")
    assert "The concerns of the West" in cleaned[S003].text


@pytest.mark.parametrize("name", sorted(FIRST_LAST))
def test_idempotent_on_seeds(name, cleaned):
    once = cleaned[name].text
    twice = clean_text(once)
    assert twice.text == once
    assert twice.removed == []


def test_removed_joins_to_one_string(cleaned):
    joined = "\n".join(cleaned[S002].removed)
    assert joined == "Press play to listen to this article\nLeave a Comment"


# --- sentences that look like furniture but are content ------------------------

CONTENT_LINES = [
    "Leave a reply to the ministry by Friday, the embassy told citizens.",
    "By Monday, the talks had ended without agreement.",
    "By the numbers",
    "By 2010, more than one in three residents were Hispanic.",
    "By conventional standards, no federal court should be allowed to hear this case",
    "The Indian Express is now on the ground in Kyiv.",
    "Trump is now on Telegram, his aides said.",
    "Readers who download the app get alerts, the company said.",
    "January 13, 2022 was the coldest day of the month in Brussels.",
    "On January 13, 2022, the OSCE met in Vienna.",
    "Follow the money, the senator said.",
    "Advertisement revenue fell by a third in 2021.",
    "Photos of the damage were shared widely on Friday.",
    "Copyright law was not on the agenda.",
    "He said he would sign up for the programme when it opens.",
    "Comments made by Lavrov on Friday angered Kyiv.",
    "Press play, the DJ said, and the crowd cheered.",
    "Newsguard rated the site poorly, a spokesman said, which he disputed.",
    "Share prices fell.",
    "Video footage showed tanks near the border.",
    "— NATO (@NATO) January 13, 2022",
    "“Leave a comment?” she asked.",
]


@pytest.mark.parametrize("line", CONTENT_LINES)
def test_sentences_resembling_furniture_are_kept(line):
    assert furniture_rule(line) is None
    text = f"Talks ended.\n\n{line}\n\nThe end."
    assert clean_text(text).text == text


FURNITURE_LINES = [
    "Follow us on Twitter @CNNOpinion.",
    "Follow @politicalticker Follow @KilloughCNN",
    "Sign up for Daily Newsletters Manage Newsletters",
    "CLICK HERE TO GET THE FOX NEWS APP",
    "Advertisement",
    "ADVERTISEMENT",
    "Story Continued Below",
    "Copyright © 2019 The Washington Times, LLC. Click here for reprint permission.",
    "Image copyright Getty Images",
    "Enlarge this image toggle caption Evan Vucci/AP Evan Vucci/AP",
    "SHARE THIS ARTICLE Share Tweet Post Email",
    "Share this:",
    "Like this:",
    "Slideshow (2 Images)",
    "6 years ago",
    "Updated at 8:15 p.m. ET",
    "Published on Oct 3, 2016",
    "By Anthony Zurcher, BBC News, Washington",
    "By MICHAEL FALCONE ( @michaelpfalcone ) and AMY WALTER ( @amyewalter )",
    "Listen to this article",
    "Your email address will not be published. Required fields are marked *",
    "Get all the latest news on coronavirus and more delivered daily to your inbox. Sign up here.",
]


@pytest.mark.parametrize("line", FURNITURE_LINES)
def test_common_furniture_is_recognised(line):
    assert furniture_rule(line) is not None
    result = clean_text(f"Talks ended.\n{line}\nThe end.")
    assert result.text == "Talks ended.\nThe end."
    assert result.removed == [line]


def test_photo_caption_with_image_copyright_prefix_is_kept():
    line = "Image copyright AFP Image caption Protesters turned out in Los Angeles"
    assert furniture_rule(line) is None


def test_long_lines_are_never_furniture():
    line = "Advertisement " + "word " * MAX_FURNITURE_LINE
    assert furniture_rule(line) is None


# --- normalisation ---------------------------------------------------------------


def test_line_endings_whitespace_and_blank_runs():
    raw = "Title  \r\n\r\n\r\n\r\nFirst paragraph.\t\rSecond paragraph.   \n\n\n\nLast.\n\n"
    assert clean_text(raw).text == "Title\n\nFirst paragraph.\nSecond paragraph.\n\nLast."


def test_removing_a_line_between_paragraphs_leaves_one_blank_line():
    raw = "One.\n\nAdvertisement\n\nTwo."
    assert clean_text(raw).text == "One.\n\nTwo."


def test_prefix_rule_applies_to_the_first_content_line_only():
    raw = "Follow Us:\n date 2022-01-12 First paragraph.\n\ndate 2022-01-13 stays here."
    result = clean_text(raw)
    assert result.text == "First paragraph.\n\ndate 2022-01-13 stays here."
    assert result.removed == ["Follow Us:", "date 2022-01-12"]


def test_empty_and_furniture_only_inputs():
    assert clean_text("") == ("", [])
    assert clean_text("  \n\r\n ") == ("", [])
    assert clean_text("Leave a Reply\nConnecting to %s").text == ""


_PIECES = [
    "Talks ended.",
    "“We can discuss many issues,” he said.",
    "Follow Us:",
    "Leave a Reply",
    "Advertisement",
    "January 13, 2022 8:59:16 pm",
    "By: Explained Desk | New Delhi |",
    " date 2022-01-12 Lead paragraph.",
    "date 2022-01-12",
    "",
    "   ",
    "\t",
    "— NATO (@NATO)",
    "0 Comment(s) *",
    "Photo",
    "By Monday, nothing.",
    "Newsletter | Click to get it",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES), max_size=12),
    st.sampled_from(["\n", "\r\n", "\r", "\n\n"]),
)
def test_idempotent_on_generated_text(pieces, newline):
    raw = newline.join(pieces)
    once = clean_text(raw)
    twice = clean_text(once.text)
    assert twice.text == once.text
    assert twice.removed == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_idempotent_on_arbitrary_text(raw):
    once = clean_text(raw).text
    assert clean_text(once).text == once


# --- the shared corpus ---------------------------------------------------------


@pytest.mark.slow
def test_cleaning_on_shared_corpus_sample_is_idempotent_and_removes_furniture():
    if not SHARED_CORPUS.exists():
        pytest.skip(f"shared corpus not found at {SHARED_CORPUS}")
    texts = []
    with gzip.open(SHARED_CORPUS, "rt", encoding="utf-8") as handle:
        for line in handle:
            texts.append(json.loads(line)["content"])
            if len(texts) >= 3000:
                break
    results = [clean_text(t) for t in texts]
    assert sum(len(r.removed) for r in results) > 0
    for r in results[:500]:
        assert clean_text(r.text).text == r.text
