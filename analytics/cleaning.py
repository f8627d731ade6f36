"""Remove site furniture from article text before scoring, keeping what went.

Scraped article text carries lines that belong to the page, not to the story:
"Follow Us:", newsletter and app prompts, comment forms, share widgets,
rating badges, audio-player labels, advertising markers, bylines and bare
datelines.  Scoring them would add words nobody at the outlet wrote as
journalism ("Leave a Reply", "Click here to join our channel").

Every rule here is a *whole-line* pattern: a line is removed only if the
entire line (after stripping surrounding whitespace) matches one rule, and no
rule matches a line longer than :data:`MAX_FURNITURE_LINE` characters.  A
sentence that merely mentions Telegram, a newsletter or a date is never
touched.  Photo captions, embedded tweets and quoted posts are article
content and stay.

The rules cover the furniture of the five seed articles and the furniture
lines repeated most often across the 37,554 articles of the
Article-Bias-Prediction corpus (Baly et al. 2020): advertising markers, newsletter and app
prompts, share strips, photo-credit toggles, copyright lines, CNN video
embeds ("JUST WATCHED ... Replay More Videos"), NPR image toggles, bylines.

The only edit inside a line is a leading ``date YYYY-MM-DD`` metadata prefix
glued to the first paragraph by some scrapers; just that prefix goes.

:func:`clean_text` also normalises line endings (``\\r\\n`` and ``\\r`` to
``\\n``), strips trailing whitespace from every line, collapses runs of blank
lines to one and strips the text's ends.  Cleaning is idempotent:
``clean_text(clean_text(x).text).text == clean_text(x).text``.

>>> c = clean_text("Follow Us:\\nTalks ended without a deal.\\n\\nLeave a Reply")
>>> c.text
'Talks ended without a deal.'
>>> c.removed
['Follow Us:', 'Leave a Reply']
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = [
    "FURNITURE_RULES",
    "KEYWORD_RULES",
    "MAX_FURNITURE_LINE",
    "Cleaned",
    "clean_text",
    "furniture_rule",
]


class Cleaned(NamedTuple):
    """Result of :func:`clean_text`.

    ``text`` is the cleaned article; ``removed`` lists what was taken out, in
    document order (whole furniture lines, stripped, and any metadata prefix).
    """

    text: str
    removed: list[str]


#: No furniture rule matches a line longer than this (a cheap guard that also
#: keeps long paragraphs away from the patterns altogether).
MAX_FURNITURE_LINE = 420

# --- building blocks --------------------------------------------------------

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?"
    r"|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Mon|Tue(?:s)?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:{_MONTH}\s+{_DAY},?\s+\d{{4}}"  # January 13, 2022
    rf"|{_DAY}\s+{_MONTH},?\s+\d{{4}}"  # 13 January 2022
    r"|\d{4}-\d{2}-\d{2}"  # 2022-01-13
    r"|\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2}))"  # 13.01.2022, 1/13/22
)
_TIME = (
    r"\d{1,2}(?:[:.]\d{2}){0,2}\s*(?:[aApP]\.?[mM]\.?)?"
    r"(?:\s*\(?(?:[A-Z]{2,4}|GMT[+-]\d{1,2}(?::?\d{2})?)\)?)?"
)
_STAMP_PREFIX = (
    r"(?:(?:Last\s+)?(?:Updated|Published|Posted|Modified|First\s+published)"
    r"(?:\s+(?:on|at))?\s*:?\s*)"
)
# A dateline: an optional label, weekday, a date, an optional time.
_DATE_LINE = (
    rf"{_STAMP_PREFIX}?(?:{_WEEKDAY},?\s+)?{_DATE}"
    rf"(?:\s*[,|/·•-]?\s*(?:at\s+)?{_TIME})?\s*\|?"
)
# "Updated at 8:15 p.m. ET", "Updated: 10:23 p.m. on Monday" (label required).
_STAMP_LINE = (
    rf"{_STAMP_PREFIX}(?:at\s+)?{_TIME}"
    rf"(?:\s*,?\s*(?:on\s+)?{_WEEKDAY})?(?:\s*,?\s*{_DATE})?"
)

# Bylines: "By: Explained Desk | New Delhi |", "By Tami Luhby, CNNMoney",
# "By MICHAEL FALCONE ( @michaelpfalcone ) and AMY WALTER ( @amyewalter )".
# At least two capitalised name words, so "By the numbers" or "By 2010, ..."
# stay; no sentence punctuation anywhere, so "By Monday, talks had ended." stays.
_NOT_A_NAME = (
    r"(?!(?:The|This|That|These|Those|Then|Now|Early|Late|Mid|Most|Some|All"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|January|February|March|April|May|June|July|August|September|October"
    r"|November|December)\b)"
)
_NAME_WORD = r"[A-Z][\w'’-]*\.?"
_PARTICLE = r"(?:van|von|de|der|den|da|del|della|di|du|la|le|al|bin|ibn|el)"
_NAME = (
    rf"{_NOT_A_NAME}{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{1,3}}"
    r"(?:\s*\(\s*@\w+\s*\))?"
)
_NAMES = rf"{_NAME}(?:\s*(?:,|\band\b|\bAND\b|&)\s*{_NAME}){{0,5}}"
_BYLINE = rf"By:?\s+{_NAMES}(?:\s*[,|]\s*[^,|.!?:;\"“”]{{1,70}}){{0,4}}\s*\|?"

_SOCIAL = (
    r"(?:Twitter|Facebook|Instagram|Telegram|LinkedIn|YouTube|TikTok|Threads"
    r"|Bluesky|Mastodon|Flipboard|WhatsApp|Google News)"
)
_WIDGET_WORD = (
    r"(?:share(?:\s+this(?:\s+(?:article|story|page))?)?:?|tweet|post|e-?mail|print|pin|save"
    r"|copy\s+link|whatsapp|facebook|twitter|linkedin|reddit|pinterest|pocket|flipboard"
    r"|messenger|telegram|sms|comments?)"
)

#: ``(name, pattern)`` pairs.  Each pattern must match a *whole* stripped line.
FURNITURE_RULES: tuple[tuple[str, str], ...] = (
    # --- navigation, social and follow prompts
    ("follow_us", r"(?i:follow\s+us)\s*:?"),
    ("follow_handles", r"(?:[-•]\s*)?(?:Follow\s*@\w+\s*)+"),
    (
        "follow_social",
        rf"(?:[-•*]\s*)?Follow\s+(?:us|@\w+|[\w.'’-]+(?:\s+[\w.'’@-]+){{0,5}})\s+on\s+{_SOCIAL}\b"
        r"[^.!?]{0,90}[.!]?(?:\s+Follow\s+[^.!?]{0,80}[.!]?)?",
    ),
    # --- newsletter and subscription prompts
    ("newsletter_bar", r"(?i:newsletter)\s*\|.{0,200}"),
    ("newsletter_signup", r"(?i:newsletter\s+sign[- ]?up\b).{0,400}"),
    (
        "sign_up_prompt",
        r"\W{0,4}(?i:sign\s+up\b(?=.{0,200}\b(?:newsletters?|inbox|briefing|e-?mails?|alerts)\b)).{0,250}",
    ),
    # --- app prompts
    (
        "latest_news_app",
        r"(?i:for\s+all\s+the\s+latest\s+.{1,80},\s+download\s+.{1,80}\bapp)\s*\.?",
    ),
    (
        "app_prompt",
        r"(?:(?:More|Read more)\s*:\s*)?(?:Like what you[’']re reading\?\s*:?\s*)?"
        r"(?i:click\s+here\s+(?:to\s+get|for|get)|click\s+(?:to\s+get|on)|get|download|stay\s+up\s+to\s+date\s+with)"
        r"\s+(?i:the\s+)?(?i:free\s+|all-new\s+|new\s+)?(?:[A-Z][\w.'’&-]*\s+){1,5}(?i:app)\b"
        r"[^.!?]{0,100}[.!]?",
    ),
    # --- advertising and page mechanics
    (
        "advertisement",
        r"(?i:advertisements?|advertising|sponsored(?:\s+content)?|ad)\s*:?"
        r"(?:\s+(?i:advertisement|continue\s+reading\s+the\s+main\s+story))?"
        r"(?:\s+Thanks for watching!\s+Visit Website)?",
    ),
    (
        "continue_reading",
        r"(?i:story\s+continue[sd]\s+below|continue\s+reading\s+below"
        r"|continue\s+reading\s+the\s+main\s+story|article\s+continues\s+below(?:\s+advertisement)?)",
    ),
    ("loading", r"(?i:loading(?:\.{2,}|…)?(?:\s+something\s+is\s+loading\.)?)"),
    (
        "relative_time",
        r"(?i:\d{1,2}\s+(?:seconds?|mins?|minutes?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago)",
    ),
    # --- share widgets and one-word labels
    ("share_strip", rf"(?i:{_WIDGET_WORD}(?:\s*[|,·•/]?\s*{_WIDGET_WORD}){{0,9}})"),
    ("share_article", r"SHARE THIS ARTICLE\b.{0,60}"),
    (
        "label",
        r"(?i:photo|photos|video|videos|close|related|more|watch|listen|audio|cancel"
        r"|youtube|gallery|image|images)",
    ),
    (
        "read_more",
        r"(?i:read\s+more(?:\s+here)?|more|related(?:\s+(?:stories|articles|coverage|content))?"
        r"|see\s+also|also\s+read|more\s+on\s+this(?:\s+story)?|recommended|trending|most\s+popular)"
        r"\s*(?::|\.\.\.|…)?",
    ),
    ("read_or_share", r"(?i:read\s+or\s+share\s+this\s+story)\s*:?\s*\S{0,300}"),
    ("video_embed", r"JUST WATCHED\b(?=.{0,300}\bReplay More Videos\b).{0,300}"),
    # --- photo furniture (credits and toggles; captions are content and stay)
    ("image_copyright", r"Image copyright\s+(?:(?!Image caption)[^.!?]){1,60}"),
    ("image_toggle", r"Enlarge this image(?:\s+toggle caption)?.{0,200}"),
    ("photo_credit", r"(?:Photo|Image|Picture)s?\s*(?:by\b|credit\s*:?|:)\s*[^.!?]{1,60}\.?"),
    (
        "slideshow",
        r"(?i:slideshow\s*\(\s*\d+\s+images?\s*\)|(?:prev|next)\s+image\s+\d+\s+of\s+\d+)",
    ),
    # --- copyright lines
    ("copyright", r"(?:Copyright\s*)?©.{0,200}|(?i:copyright\s+(?:©\s*)?\d{4})\b.{0,200}"),
    # --- audio players
    (
        "listen_prompt",
        r"(?i:(?:press\s+play\s+to\s+)?listen\s+to\s+(?:this\s+)?(?:article|story))\b[^.!?]{0,100}[.!]?"
        r"(?:\s*(?i:voiced\s+by\s+artificial\s+intelligence)\.?)?",
    ),
    # --- rating badges
    ("rating_badge", r"[•*·-]?\s*(?i:newsguard)"),
    # --- comments and comment forms
    (
        "comment_count",
        r"(?i:\d+\s+comments?(?:\s*\(s\))?|comment\(s\)|(?:view|show|hide|load|post|add)\s+comments?"
        r"|join\s+the\s+conversation)\s*\*?",
    ),
    ("leave_reply", r"(?i:leave\s+a\s+(?:reply|comment)(?:\s+cancel\s+reply)?|cancel\s+reply)"),
    (
        "comment_moderation",
        r"\*?\s*(?i:(?:the\s+)?moderation\s+of\s+comments\s+is\s+automated)\b.{0,200}"
        r"|(?i:comments\s+(?:are|will\s+be)\s+moderated)\b[^.!?]{0,150}[.!]?"
        r"|(?i:please\s+read\s+our\s+comments?\s+policy\b[^.!?]{0,80})[.!]?"
        r"|(?i:this\s+commenting\s+section\s+is\s+created\s+and\s+maintained\s+by\s+a\s+third\s+party)\b.{0,250}",
    ),
    (
        "comment_form",
        r"Fill in your details below or click an icon to log in:?"
        r"|(?:WordPress\.com|Google|Twitter|Facebook)\s+(?:Logo|photo|picture)"
        r"|\(?\s*You are commenting using your [\w. ]{1,40} account\.\s*"
        r"(?:\(?\s*Log\s*Out\s*/\s*Change\s*\)?)?"
        r"|Connecting to %s"
        r"|Your email address will not be published\.?(?:\s*Required fields are marked\s*\*)?"
        r"|Required fields are marked\s*\*"
        r"|Save my name, email, and website in this browser for the next time I comment\."
        r"|Notify me of (?:new comments|new posts|follow-up comments) (?:via|by) email\."
        r"|(?:Name|Email|E-mail|Website|Comment)\s*\*"
        r"|Post was not sent - check your email addresses!"
        r"|Email check failed, please try again"
        r"|Sorry, your blog cannot share posts by email\."
        r"|Like this:|Like Loading\.\.\.",
    ),
    # --- bylines and bare datelines (never sentences)
    ("byline", _BYLINE),
    ("dateline", _DATE_LINE),
    ("timestamp", _STAMP_LINE),
)

#: ``(name, pattern)`` pairs for prompts recognised by a phrase inside the
#: line rather than at its start.  They are tried only on lines containing one
#: of the phrases in ``_KEYWORDS`` (any case), which keeps cleaning fast.
KEYWORD_RULES: tuple[tuple[str, str], ...] = (
    (
        "channel_prompt",
        rf"[^\w\s]{{0,3}}\s*[^.!?]{{1,80}}\bis now on {_SOCIAL}\.?\s*"
        r"(?i:click here|join)\b.{0,200}",
    ),
    (
        "inbox_sign_up_here",
        r"\**(?=.{0,250}\b(?i:inbox|newsletters?)\b).{0,250}\b(?i:sign\s+up\s+here|subscribe\s+here)"
        r"[.!]?\**",
    ),
    ("by_signing_up", r".{0,300}\b(?i:by\s+signing\s+up,?\s+you\s+agree)\b.{0,300}"),
    (
        "rating_badge_text",
        r"[•*·-]?\s*(?=.{0,400}(?i:newsguard)).{0,120}\b(?:website|site)\s+has\s+been\s+rated\b.{0,300}",
    ),
)

_FURNITURE_RE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in FURNITURE_RULES))
_KEYWORD_RULES_RE = re.compile(
    "|".join(f"(?P<{name}>{pattern})" for name, pattern in KEYWORD_RULES)
)
#: Lower-case phrases that make a line worth trying against KEYWORD_RULES.
_KEYWORDS: tuple[str, ...] = (
    "is now on",
    "sign up here",
    "subscribe here",
    "by signing up",
    "newsguard",
)

# A ``date 2022-01-12`` metadata field glued to the start of the first paragraph.
_META_PREFIX_RE = re.compile(r"\s*(date:?\s+\d{4}-\d{2}-\d{2})(?:\s+|$)")
_BLANK_RUNS_RE = re.compile(r"\n{3,}")


def furniture_rule(line: str) -> str | None:
    """Name of the rule that makes ``line`` furniture, or None if it is content.

    >>> furniture_rule("Leave a Reply")
    'leave_reply'
    >>> furniture_rule("Leave a reply if you disagree with the minister.") is None
    True
    """
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_FURNITURE_LINE:
        return None
    match = _match_furniture(stripped)
    return match.lastgroup if match else None


def _has_keyword(text: str) -> bool:
    lowered = text.lower()
    return any(keyword in lowered for keyword in _KEYWORDS)


def _match_furniture(stripped: str) -> re.Match[str] | None:
    """Match a stripped line of at most MAX_FURNITURE_LINE characters."""
    match = _FURNITURE_RE.fullmatch(stripped)
    if match is None and _has_keyword(stripped):
        match = _KEYWORD_RULES_RE.fullmatch(stripped)
    return match


def clean_text(raw: str) -> Cleaned:
    """Remove site furniture lines from ``raw`` and report what was removed.

    Parameters
    ----------
    raw:
        Article text as scraped (any line endings).

    Returns
    -------
    Cleaned
        ``text``: the article with furniture lines removed, line endings
        normalised to ``\\n``, trailing whitespace stripped from every line,
        runs of blank lines collapsed to one and the ends stripped.
        ``removed``: the removed lines (stripped) in document order; join them
        with ``"\\n"`` to store them beside the text.

    Examples
    --------
    >>> c = clean_text(" date 2022-01-12 NATO met Russia.\\r\\nPress play to listen to this story")
    >>> c.text
    'NATO met Russia.'
    >>> c.removed
    ['date 2022-01-12', 'Press play to listen to this story']
    """
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    match = _match_furniture
    limit = MAX_FURNITURE_LINE
    kept: list[str] = []
    removed: list[str] = []
    seen_content = False
    for line in raw.split("\n"):
        line = line.rstrip()
        if not line:
            kept.append(line)
            continue
        stripped = line.lstrip()
        if len(stripped) <= limit and match(stripped):
            removed.append(stripped)
            continue
        if not seen_content:
            # A metadata prefix glued to the first content line; what remains
            # may itself be another prefix or a furniture line.
            prefix = _META_PREFIX_RE.match(line)
            while prefix is not None:
                removed.append(prefix.group(1))
                line = line[prefix.end() :]
                stripped = line.strip()
                if stripped and len(stripped) <= limit and match(stripped):
                    removed.append(stripped)
                    line = ""
                if not line:
                    break
                prefix = _META_PREFIX_RE.match(line)
            if not line:
                continue
            seen_content = True
        kept.append(line)

    text = "\n".join(kept)
    if "\n\n\n" in text:
        text = _BLANK_RUNS_RE.sub("\n\n", text)
    return Cleaned(text.strip(), removed)
