"""Column names and record types shared by every module, in one place.

The data contracts (see ``ARCHITECTURE.md``):

* articles: one row per article, :data:`ARTICLE_COLUMNS`;
* scores: one row per article, ``<family>_<metric>`` columns;
* sentences: one row per sentence, :data:`SENTENCE_COLUMNS`;
* hits: one row per lexicon match, :data:`HIT_COLUMNS`.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- articles -------------------------------------------------------------

ARTICLE_ID = "article_id"
OUTLET = "outlet"
TITLE = "title"
PUBLISHED = "published"
URL = "url"
TEXT = "text"
SOURCE_REF = "source_ref"
REMOVED = "removed"

ARTICLE_COLUMNS: tuple[str, ...] = (
    ARTICLE_ID,
    OUTLET,
    TITLE,
    PUBLISHED,
    URL,
    TEXT,
    SOURCE_REF,
    REMOVED,
)

#: Columns that identify an article in every output table, so a reader can
#: find the article without joining (``source_ref``, title and outlet).
ARTICLE_LABEL_COLUMNS: tuple[str, ...] = (ARTICLE_ID, SOURCE_REF, OUTLET, TITLE)

# --- sentences ------------------------------------------------------------

SENTENCE_COLUMNS: tuple[str, ...] = (
    ARTICLE_ID,
    "sentence_index",
    "start",
    "end",
    "text",
    "quoted",
    "sentiment_compound",
    "sentiment_authorial",
    "sentiment_quoted",
    "hedged",
)

# --- hits -----------------------------------------------------------------

HIT_COLUMNS: tuple[str, ...] = (
    ARTICLE_ID,
    "family",
    "category",
    "term",
    "matched_text",
    "start",
    "end",
    "sentence_index",
    "in_quote",
)

# --- scores ---------------------------------------------------------------

SENTIMENT_COLUMNS: tuple[str, ...] = (
    "sentiment_mean",
    "sentiment_min",
    "sentiment_max",
    "sentiment_pos_share",
    "sentiment_neg_share",
    "sentiment_authorial_mean",
    "sentiment_quoted_mean",
)

#: textstat function name for each readability column, in display order.
READABILITY_INDICES: dict[str, str] = {
    "readability_flesch_reading_ease": "flesch_reading_ease",
    "readability_flesch_kincaid_grade": "flesch_kincaid_grade",
    "readability_gunning_fog": "gunning_fog",
    "readability_smog_index": "smog_index",
    "readability_coleman_liau_index": "coleman_liau_index",
    "readability_automated_readability_index": "automated_readability_index",
    "readability_dale_chall_readability_score": "dale_chall_readability_score",
}

TEXT_COLUMNS: tuple[str, ...] = (
    "text_words",
    "text_sentences",
    "text_words_per_sentence",
    "text_words_authorial",
    "text_words_quoted",
    "text_non_english",
)

READABILITY_FLAG = "readability_flag"

# --- chart export -----------------------------------------------------------

#: Formats of ``slantscope export`` (here rather than in ``analytics.export``
#: so the command line is built without importing pandas).
EXPORT_FORMATS: tuple[str, ...] = ("png", "svg", "html")


def framing_column(category: str) -> str:
    """Score column for a framing category, e.g. ``framing_legality_per_1k``."""
    return f"framing_{category}_per_1k"


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character span ``text[start:end]``."""

    start: int
    end: int
