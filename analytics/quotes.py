"""Who is quoted, and how: each quotation attributed to a speaker, a verb and a side.

:func:`attribute_quotes` takes the quote spans of :func:`analytics.text.quote_spans`
and finds, for each, the reporting clause that introduces it, with plain rules
over the text outside quotation marks (no statistical model, no downloads):

* after the quote: ``“…,” Stoltenberg said``, ``“…,” said Stoltenberg``,
  ``“…,” he added``, ``“…,” according to Reuters``;
* before it, in the same sentence: ``Stoltenberg said: “…”``,
  ``Stoltenberg, who chaired the meeting, said “…”``, ``Peskov stated that
  the exercises “…”``, ``According to The New York Times, … “…”`` (an
  "according to" at the head of the sentence wins over a nearer clause);
* the speaker: a name with its role as written ("NATO Secretary General
  Jens Stoltenberg", "Kremlin spokesman Dmitry Peskov", "Deputy Secretary
  of State Wendy Sherman", "the Deputy Foreign Minister of Russia –
  Alexander Grushko"), a later reference by surname ("Stoltenberg said"), by
  role ("the secretary-general said", resolved only when exactly one person
  named earlier in the article held that role), a pronoun ("he said", the
  most recent speaker whose gender is not known to differ), an organisation
  ("the Kremlin said") or unnamed sources ("Russian officials have said");
* a quote with no clause of its own continues the previous speaker when it
  opens the next paragraph or the next sentence of the same paragraph and
  is more than three words long.

Precision comes before recall: a quote is left without a speaker rather than
given a guessed one.  One to three quoted words with no reporting clause in
their sentence are scare quotes ("revisionist") and stay unattributed.

:func:`quotes_table` builds one row per quote over a corpus;
:func:`sourcing_summary` and :func:`verb_mix` aggregate it per outlet.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from analytics.actors import ActorSet, default_actors, find_mentions, fold
from analytics.text import Quote, Sentence, quote_spans, sentences, word_tokens

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ATTRIBUTIONS",
    "QUOTE_COLUMNS",
    "REPORTING_VERBS",
    "QuoteRecord",
    "attribute_quotes",
    "quotes_table",
    "sourcing_summary",
    "verb_mix",
]

#: How a quote's speaker was found, from most to least direct.
ATTRIBUTIONS: tuple[str, ...] = (
    "explicit",  # named in the clause ("Jens Stoltenberg said", "the Kremlin said")
    "surname",  # a later reference by surname or short name ("Stoltenberg said")
    "role",  # a later reference by role ("the secretary-general said")
    "pronoun",  # "he/she said", carried from an earlier speaker
    "continued",  # no clause of its own: continues the previous speaker
    "anonymous",  # unnamed sources ("officials said"); speaker is None
    "none",  # no speaker found; speaker is None
)

QUOTE_COLUMNS: tuple[str, ...] = (
    "article_id",
    "source_ref",
    "outlet",
    "title",
    "start",
    "end",
    "quote_text",
    "speaker",
    "speaker_text",
    "role",
    "verb",
    "side",
    "words",
    "attribution",
)

SCARE_QUOTE_MAX_WORDS = 3


class QuoteRecord(NamedTuple):
    """One quotation: ``text[start:end] == quote_text`` (quotation marks included)."""

    start: int
    end: int
    quote_text: str
    speaker: str | None  # canonical name ("Jens Stoltenberg"), None when not attributed
    speaker_text: str | None  # the speaker as written ("Stoltenberg", "he")
    role: str | None  # the speaker's role as written in the article
    verb: str | None  # reporting verb, past-tense form ("said", "warned", "according to")
    side: str | None  # actor group of the speaker ("nato", "russia"), when known
    words: int  # word tokens inside the quote
    attribution: str  # one of ATTRIBUTIONS


# --- word lists -------------------------------------------------------------


def _verb_forms() -> dict[str, str]:
    table = {
        "said": "say says saying said",
        "added": "add adds adding added",
        "claimed": "claims claimed",
        "insisted": "insists insisted",
        "warned": "warns warned",
        "stated": "stated",
        "noted": "notes noted",
        "assured": "assures assured",
        "opined": "opines opined",
        "tweeted": "tweets tweeted",
        "told": "tells told",
        "announced": "announces announced",
        "explained": "explains explained",
        "stressed": "stresses stressed",
        "emphasised": "emphasises emphasised emphasizes emphasized",
        "argued": "argues argued",
        "asserted": "asserts asserted",
        "declared": "declares declared",
        "acknowledged": "acknowledges acknowledged",
        "admitted": "admits admitted",
        "conceded": "concedes conceded",
        "replied": "replies replied",
        "responded": "responds responded",
        "asked": "asks asked",
        "urged": "urges urged",
        "reiterated": "reiterates reiterated",
        "suggested": "suggests suggested",
        "wrote": "writes wrote",
        "remarked": "remarks remarked",
        "commented": "commented",
        "confirmed": "confirms confirmed",
        "denied": "denies denied",
        "predicted": "predicts predicted",
        "cautioned": "cautions cautioned",
        "complained": "complains complained",
        "recalled": "recalls recalled",
        "concluded": "concludes concluded",
        "maintained": "maintains maintained",
        "contended": "contends contended",
        "alleged": "alleges alleged",
        "vowed": "vows vowed",
        "pledged": "pledges pledged",
        "underlined": "underlines underlined",
        "underscored": "underscores underscored",
        "reported": "reports reported",
        "observed": "observes observed",
    }
    return {form: lemma for lemma, forms in table.items() for form in forms.split()}


#: Reporting verb forms -> the form reported in ``verb`` (its past tense).
REPORTING_VERBS: dict[str, str] = _verb_forms()

# Words that may stand between a subject and its verb ("Peskov also said",
# "Ross this week said", "Peskov on Monday said").
_ADVERBS_AUX = frozenset(
    """also later then again further previously earlier has had have was is
    would will reportedly repeatedly once recently separately on this last
    monday tuesday wednesday thursday friday saturday sunday week weekend
    today yesterday tonight morning afternoon evening night""".split()
)
_PRONOUNS = {"he": "m", "she": "f"}
_OTHER_PRONOUNS = frozenset({"they", "it", "we", "i", "you"})
_ROLE_WORDS = frozenset(
    """secretary general deputy foreign defense defence minister undersecretary under
    state president vice prime premier chancellor spokesman spokeswoman spokesperson
    ambassador envoy representative permanent chief head negotiator director adviser
    advisor national security commander leader senator governor mayor chairman
    chairwoman chair high affairs assistant counsellor counselor press top senior king
    queen prince delegate sen rep gov gen lt col adm congressman congresswoman justice
    judge""".split()
)
# Role words that name an office (a role needs one: "Social Security" is none).
_HEAD_ROLE_WORDS = frozenset(
    """secretary general minister undersecretary president premier chancellor
    spokesman spokeswoman spokesperson ambassador envoy representative chief head
    negotiator director adviser advisor commander leader senator governor mayor
    chairman chairwoman chair king queen prince delegate counsellor counselor sen
    rep gov gen congressman congresswoman justice judge""".split()
)
_ANON_NOUNS = frozenset(
    """official officials diplomat diplomats source sources analyst analysts expert
    experts observer observers critic critics""".split()
)
_ANON_MODIFIERS = frozenset(
    """a an the some other several many two three four unnamed anonymous administration
    government military intelligence western european senior top and""".split()
)
_HONORIFICS = {
    "mr": "m", "mrs": "f", "ms": "f", "miss": "f", "dr": None, "prof": None,
    "sir": "m", "dame": "f",
}
# Abbreviated titles after which a period does not break a name ("Gen. Keith Alexander").
_ABBREVIATED_TITLES = frozenset(
    {*_HONORIFICS, "gen", "lt", "col", "maj", "capt", "sgt", "adm", "sen", "rep", "gov", "rev",
     "hon", "pres", "st", "cmdr", "cpl", "amb"}
)
_CONNECTORS = frozenset({"of", "for", "the", "and", "de", "van", "von", "der", "al", "bin", "du"})
_DETERMINERS = frozenset({"the", "a", "an"})
_PREPOSITIONS = frozenset(
    """in of for at to from with by on about against into over between among toward
    towards through within without like than via per""".split()
)
# Lower-case words that may follow a speaker named after the verb ("said
# Stoltenberg at a press conference"); any other lower-case word means the
# name was a modifier ("says a Republican House member").
_FOLLOWERS = frozenset(
    """at in on to during after before earlier later last this that from with when
    while as and but who whose which adding recently also then yesterday today
    tonight told via by for of about over since following speaking according said
    says wrote added in an a the his her their its familiar close""".split()
)
# Words that make an unknown name an organisation, not a person.
_ORG_WORDS = frozenset(
    """house senate congress committee department ministry office council party union
    commission agency institute university college bank group times post news press
    association corporation company inc corp ltd fund court police army forces force
    government administration republicans democrats conservatives liberals foundation
    center centre service services organization organisation network journal herald
    guardian telegraph tribune daily weekly magazine channel television radio media club
    league federation authority board bureau parliament assembly cabinet coalition
    campaign church school hospital airlines airways motors reuters bloomberg afp tass
    interfax xinhua ria politico axios cnn bbc nbc cbs abc fox msnbc twitter facebook
    instagram telegram youtube""".split()
)
_NOT_NAMES = frozenset(
    """but or nor so yet in on at to by from with without into after before when
    while as if though although because since until unless this that these those
    there here it he she they we i you his her its their our my your what which who
    whom whose why how where also however meanwhile still then now thus hence indeed
    finally further furthermore moreover besides earlier later even some many most
    more much no not one all both each every any such only just according during
    among between speaking calling citing asked post monday tuesday wednesday thursday
    friday saturday sunday january february march april may june july august september
    october november december today yesterday will would can could should shall did
    does do is are was were has have had might must""".split()
)

_TOKEN_RE = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:[-'’]\w+)*")
_POSSESSIVE_RE = re.compile(r"['’]s?\Z")
_MASK = "\x00"
_SPACE_RE = re.compile(r"[^\S\n]+\Z")
_TAIL_GAP_RE = re.compile(r"[^\S\n]*[,;–—-]?[^\S\n]*(?:(?:[Tt]he|an?)[^\S\n]+)?\Z")
_DASH_GAP_RE = re.compile(r"[^\S\n]*[–—-][^\S\n]*\Z")
_COMMA_GAP_RE = re.compile(r",[^\S\n]+\Z")
_HONORIFIC_GAP_RE = re.compile(r"\.[^\S\n]+\Z")
_POSSESSIVE_GAP_RE = re.compile(r"['’][^\S\n]+\Z")


# --- tokens -----------------------------------------------------------------


class _Tok(NamedTuple):
    start: int
    end: int
    surface: str
    low: str


def _masked(text: str, quotes: Sequence[Quote]) -> str:
    if not quotes:
        return text
    parts: list[str] = []
    pos = 0
    for q in quotes:
        parts.append(text[pos : q.start])
        parts.append(_MASK * (q.end - q.start))
        pos = q.end
    parts.append(text[pos:])
    return "".join(parts)


def _is_capital(t: _Tok) -> bool:
    return t.surface[:1].isupper()


def _is_role_word(low: str) -> bool:
    return all(p in _ROLE_WORDS for p in low.split("-"))


# --- subjects ---------------------------------------------------------------


@dataclass
class _Subject:
    """A parsed speaker reference: tokens ``toks[i:j]`` of the article."""

    i: int
    j: int
    kind: str  # "pronoun", "run"
    role: str | None = None  # a role in an appositive ("Smith, a former adviser, said")


@dataclass
class _Speaker:
    speaker: str | None
    speaker_text: str | None
    role: str | None
    side: str | None
    attribution: str
    gender: str | None = None
    is_person: bool = False


@dataclass
class _Clause:
    start: int  # first character of the clause
    end: int  # last character + 1
    verb: str
    kind: str  # "sv", "vs", "according"
    subject: _Subject
    who: _Speaker | None = None


class _Binding(NamedTuple):
    pos: int
    signature: frozenset[str]
    side: str | None
    person: str
    role: str
    gender: str | None


def _signature(role: str) -> frozenset[str]:
    words = [w for t in word_tokens(role) for w in t.norm.split("-")]
    out: list[str] = []
    for k, w in enumerate(words):
        if w == "secretary" and k > 0 and words[k - 1] == "under":
            out[-1:] = ["undersecretary"]
            continue
        if w in _ROLE_WORDS:
            out.append(w)
    return frozenset(out) - {"top", "senior"}


class _Article:
    """One article's tokens, clauses and speakers, resolved in reading order."""

    def __init__(
        self,
        text: str,
        quotes: Sequence[Quote],
        sents: Sequence[Sentence],
        actors: ActorSet,
    ) -> None:
        self.text = text
        self.quotes = list(quotes)
        self.sents = list(sents)
        self.actors = actors
        self.masked = _masked(text, self.quotes)
        self.toks = [
            _Tok(m.start(), m.end(), m.group(), m.group().lower())
            for m in _TOKEN_RE.finditer(self.masked)
        ]
        self.tok_starts = [t.start for t in self.toks]
        self.sent_starts = [s.start for s in self.sents]
        self.para_starts = [0] + [m.end() for m in re.finditer(r"\n\s*", text)]
        self.mentions = find_mentions(text, None, actors)
        starts = [m.start for m in self.mentions]
        self.tok_group: list[str | None] = []
        self.tok_person: list[str | None] = []
        for t in self.toks:
            k = bisect.bisect_right(starts, t.end - 1) - 1
            m = self.mentions[k] if k >= 0 and self.mentions[k].end > t.start else None
            self.tok_group.append(m.group if m else None)
            self.tok_person.append(m.person if m else None)
        self.bindings: list[_Binding] = []
        # Surname -> the full names given earlier ({} when none, 2+ when ambiguous).
        self.local_people: dict[str, dict[str, tuple[str | None, str | None]]] = {}
        self.history: list[tuple[int, _Speaker]] = []

    # --- helpers ---------------------------------------------------------

    def gap(self, i: int) -> str:
        """Masked text between token ``i - 1`` and token ``i``."""
        return self.masked[self.toks[i - 1].end : self.toks[i].start]

    def span(self, i: int, j: int) -> str:
        return self.text[self.toks[i].start : self.toks[j - 1].end]

    def sentence_of(self, pos: int) -> Sentence | None:
        k = bisect.bisect_right(self.sent_starts, pos) - 1
        return self.sents[k] if k >= 0 else None

    def para_of(self, pos: int) -> int:
        return bisect.bisect_right(self.para_starts, pos) - 1

    def low(self, k: int) -> str:
        return _POSSESSIVE_RE.sub("", self.toks[k].low)

    def possessive(self, k: int) -> bool:
        """Token ``k`` is a possessive ("Russia’s", "the Times’ ")."""
        t = self.toks[k]
        if t.low.endswith(("'s", "’s")):
            return True
        nxt = self.masked[t.end : t.end + 1]
        return nxt in ("'", "’") and t.low.endswith("s")

    def run_ok(self, k: int) -> bool:
        """Whether token ``k`` can be part of a speaker reference."""
        t = self.toks[k]
        low = self.low(k)
        if low in _PRONOUNS or low in _OTHER_PRONOUNS:
            return False
        if _is_capital(t):
            return low not in _NOT_NAMES or low in _ANON_MODIFIERS
        return (
            _is_role_word(low)
            or low in _ANON_NOUNS
            or low in _ANON_MODIFIERS
            or low in _CONNECTORS
            or self.tok_group[k] is not None
        )

    def joins(self, k: int) -> bool:
        """Whether the gap before token ``k`` can sit inside a speaker reference."""
        g = self.gap(k)
        if _SPACE_RE.match(g):
            return True
        prev = self.toks[k - 1]
        if _HONORIFIC_GAP_RE.match(g):
            return prev.low in _ABBREVIATED_TITLES or (
                len(prev.surface) == 1 and prev.surface.isupper()
            )
        return bool(_POSSESSIVE_GAP_RE.match(g)) and prev.low.endswith("s")

    def run_backward(self, j: int, stop: int = 0) -> tuple[int, int] | None:
        """The longest run of name/role tokens ending at token ``j``: ``(i, j + 1)``."""
        if j < stop or not self.run_ok(j):
            return None
        if self.toks[j].low in _CONNECTORS or self.toks[j].low in _ANON_MODIFIERS:
            return None
        i = j
        dash_used = False
        while i > stop:
            if self.joins(i):
                pass
            elif not dash_used and _DASH_GAP_RE.match(self.gap(i)) and _is_capital(self.toks[i]):
                dash_used = True  # "the Deputy Foreign Minister of Russia – Alexander Grushko"
            else:
                break
            if not self.run_ok(i - 1):
                break
            i -= 1
        while i <= j and self.toks[i].low in _CONNECTORS:
            i += 1
        return (i, j + 1) if i <= j else None

    def run_forward(self, i: int) -> tuple[int, int] | None:
        """The run of name/role tokens starting at token ``i`` (after "said", "according to")."""
        n = len(self.toks)
        if i >= n or not self.run_ok(i):
            return None
        j = i
        while j + 1 < n and self.joins(j + 1) and self.run_ok(j + 1):
            j += 1
        end = j + 1
        while j >= i and (self.toks[j].low in _CONNECTORS or self.toks[j].low in _ANON_MODIFIERS):
            j -= 1
        if j < i:
            return None
        if end < n and _SPACE_RE.match(self.gap(end)):
            nxt = self.toks[end]
            if not _is_capital(nxt) and nxt.low not in _FOLLOWERS:
                return None  # "said a Republican House member": the run modifies a noun
        return (i, j + 1)

    def after_preposition(self, i: int) -> bool:
        """Whether the run starting at token ``i`` is the object of a preposition."""
        k = i - 1
        while k >= 0 and self.toks[k].low in _DETERMINERS and _SPACE_RE.match(self.gap(k + 1)):
            k -= 1
        return k >= 0 and _SPACE_RE.match(self.gap(k + 1)) is not None and (
            self.toks[k].low in _PREPOSITIONS
        )

    def has_name(self, i: int, j: int) -> bool:
        """Whether tokens ``i:j`` hold a capitalised word that is not a role."""
        return any(
            _is_capital(self.toks[k]) and not _is_role_word(self.low(k))
            and self.low(k) not in _NOT_NAMES and self.low(k) not in _DETERMINERS
            for k in range(i, j)
        )

    def ends_in_name(self, i: int, j: int) -> bool:
        """Whether the run ends in a name (a person or an organisation), not a role."""
        k = j - 1
        return _is_capital(self.toks[k]) and not _is_role_word(self.low(k)) and (
            self.low(k) not in _NOT_NAMES
        )

    def head_role(self, i: int, j: int) -> bool:
        return bool(_signature(self.span(i, j)) & _HEAD_ROLE_WORDS)

    # --- clauses ---------------------------------------------------------

    def subject_before(self, v: int) -> _Subject | None:
        """The subject of the verb at token ``v``, written before it."""
        j = v - 1
        skipped = 0
        while j >= 0 and skipped < 3 and self.toks[j].low in _ADVERBS_AUX and _SPACE_RE.match(
            self.gap(j + 1)
        ):
            j -= 1
            skipped += 1
        if j < 0:
            return None
        low = self.toks[j].low
        if _SPACE_RE.match(self.gap(j + 1)):
            if low in _PRONOUNS or low in _OTHER_PRONOUNS:
                return _Subject(j, j + 1, "pronoun")
            run = self.run_backward(j)
            if run is None or self.after_preposition(run[0]):
                return None
            return _Subject(run[0], run[1], "run")
        if not _COMMA_GAP_RE.match(self.gap(j + 1)):
            return None
        return self.appositive_subject(j)

    def appositive_subject(self, j: int) -> _Subject | None:
        """"Stoltenberg, who chaired the meeting, said", "the US official, Wendy
        Sherman, said", "Smith, a former adviser, said" (``j`` ends the appositive)."""
        open_i = None
        for i in range(j, max(0, j - 30), -1):
            gi = self.gap(i)
            if "\n" in gi or _MASK in gi or any(c in gi for c in ".;:!?()\"“”"):
                break
            if gi.strip() == ",":
                open_i = i
                break
        if open_i is None or open_i == 0:
            return None
        inner = self.run_backward(j, stop=open_i)
        inner_name = inner is not None and inner[0] == open_i and self.has_name(*inner)
        if inner_name and inner is not None and (
            any(self.tok_person[k] for k in range(*inner)) or self.head_role(*inner)
        ):
            return _Subject(inner[0], inner[1], "run")
        before = None
        if _COMMA_GAP_RE.match(self.gap(open_i)):
            k = open_i - 1
            if self.toks[k].low in _PRONOUNS:
                return _Subject(k, k + 1, "pronoun")
            before = self.run_backward(k)
            if before is not None and self.after_preposition(before[0]):
                before = None
        if before is not None and (self.ends_in_name(*before) or self.head_role(*before)):
            return _Subject(before[0], before[1], "run", self.appositive_role(open_i, j + 1))
        if inner_name and inner is not None:
            return _Subject(inner[0], inner[1], "run")
        return None

    def appositive_role(self, i: int, j: int) -> str | None:
        """"a former adviser to Barack Obama", "Bankrate's senior economic analyst"."""
        if j - i > 15:
            return None
        first = self.toks[i]
        if first.low in ("a", "an", "the"):
            i += 1
        elif not self.possessive(i):
            return None
        return self.span(i, j).strip(" ,") if i < j else None

    def clauses(self) -> list[_Clause]:
        out: list[_Clause] = []
        toks = self.toks
        n = len(toks)
        for v, t in enumerate(toks):
            if t.low == "according":
                if v + 2 < n and toks[v + 1].low == "to" and _SPACE_RE.match(self.gap(v + 1)) and (
                    _SPACE_RE.match(self.gap(v + 2))
                ):
                    run = self.run_forward(v + 2)
                    if run:
                        out.append(_Clause(t.start, toks[run[1] - 1].end, "according to",
                                           "according", _Subject(run[0], run[1], "run")))
                continue
            lemma = REPORTING_VERBS.get(t.surface)
            if lemma is None:
                if t.surface in ("pointed", "points") and v + 1 < n and toks[v + 1].low == "out":
                    lemma = "pointed out"
                else:
                    continue
            subj = self.subject_before(v)
            if subj is not None:
                out.append(_Clause(toks[subj.i].start, t.end, lemma, "sv", subj))
                continue
            # Inversion after a quote: "“…,” said Stoltenberg".
            before = self.masked[max(0, t.start - 6) : t.start]
            after_quote = _MASK in before and _TAIL_GAP_RE.match(before.rsplit(_MASK, 1)[1])
            if v + 1 < n and after_quote and _SPACE_RE.match(self.gap(v + 1)):
                run = self.run_forward(v + 1)
                if run:
                    out.append(_Clause(t.start, toks[run[1] - 1].end, lemma, "vs",
                                       _Subject(run[0], run[1], "run")))
        return out

    # --- roles -----------------------------------------------------------

    def clean_role(self, i: int, j: int) -> str | None:
        """The role written in tokens ``i:j``, if it names an office."""
        while i < j and (self.toks[i].low in _DETERMINERS or self.toks[i].low in _CONNECTORS):
            i += 1
        while j > i and self.toks[j - 1].low in _CONNECTORS:
            j -= 1
        if j <= i:
            return None
        role = self.span(i, j).strip(" ,–—-")
        return role if role and _signature(role) & _HEAD_ROLE_WORDS else None

    def role_before_comma(self, i: int) -> str | None:
        """"the Secretary General of the Alliance, Jens Stoltenberg": the role
        before the comma in front of the name starting at token ``i``."""
        if i == 0 or not _COMMA_GAP_RE.match(self.gap(i)):
            return None
        before = self.run_backward(i - 1)
        if before is None:
            return None
        if self.has_name(*before) and self.ends_in_name(*before) and not (
            self.tok_group[before[1] - 1]
        ):
            return None
        return self.clean_role(*before)

    def prescan_roles(self) -> None:
        """Role bindings of the people the actor set knows, wherever they are named."""
        for m in self.mentions:
            if m.person is None:
                continue
            j = bisect.bisect_right(self.tok_starts, m.end - 1) - 1
            if j < 0:
                continue
            run = self.run_backward(j)
            if run is None:
                continue
            k = run[0]
            while k < run[1] and self.toks[k].start < m.start:
                k += 1
            role = self.clean_role(run[0], k) if k > run[0] else None
            role = role or self.role_before_comma(run[0])
            person = self.actors.person(m.person)
            if role and person is not None:
                self.bind(m.start, role, person.group, person.name, person.gender)

    def bind(self, pos: int, role: str, side: str | None, person: str,
             gender: str | None) -> None:
        sig = _signature(role)
        if sig & _HEAD_ROLE_WORDS:
            self.bindings.append(_Binding(pos, sig, side, person, role, gender))

    def role_for(self, person: str, pos: int) -> str | None:
        """The role most recently written for ``person`` before ``pos``."""
        best = None
        for b in self.bindings:
            if b.person == person and b.pos <= pos and (best is None or b.pos >= best.pos):
                best = b
        return best.role if best else None

    def side_of_text(self, s: str) -> str | None:
        ms = find_mentions(s, None, self.actors)
        return ms[0].group if ms else None

    # --- speakers --------------------------------------------------------

    def resolve(self, subj: _Subject, pos: int) -> _Speaker:
        if subj.kind == "pronoun":
            return self.resolve_pronoun(subj, pos)
        i, j = subj.i, subj.j
        written = self.span(i, j)
        # A person the actor set knows: the longest name at the end of the run.
        for k in range(i, j):
            if not _is_capital(self.toks[k]) or self.toks[k].low in _DETERMINERS:
                continue
            name = self.span(k, j)
            if self.possessive(j - 1):
                name = _POSSESSIVE_RE.sub("", name)
            person = self.actors.person(name)
            if person is None:
                continue
            role = self.clean_role(i, k) if k > i else None
            if role is None:
                head = self.role_before_comma(i)
                rest = self.span(i, k).strip(" ,–—-") if k > i else ""
                if head:
                    role = f"{head}, {rest}" if rest else head  # "…of State, U.S. – Wendy Sherman"
            role = role or subj.role
            if role:
                self.bind(pos, role, person.group, person.name, person.gender)
            else:
                role = self.role_for(person.name, pos)
            how = "explicit" if len(name.split()) >= 2 else "surname"
            return _Speaker(person.name, name, role, person.group, how, person.gender, True)
        return self.resolve_other(subj, written, pos)

    def resolve_pronoun(self, subj: _Subject, pos: int) -> _Speaker:
        """"he/she": the most recent person speaker whose gender is not known to differ."""
        t = self.toks[subj.i]
        gender = _PRONOUNS.get(t.low)
        if gender is not None:
            for at, sp in reversed(self.history):
                if sp.gender is None or sp.gender == gender:
                    assert sp.speaker is not None
                    if self.other_subject_between(at, pos, sp.speaker, gender):
                        break  # someone else became the topic: do not guess
                    role = self.role_for(sp.speaker, pos) or sp.role
                    return _Speaker(sp.speaker, t.surface, role, sp.side, "pronoun",
                                    sp.gender or gender, True)
        return _Speaker(None, t.surface, None, None, "none")

    def other_subject_between(self, a: int, b: int, speaker: str, gender: str) -> bool:
        """Whether a sentence between ``a`` and ``b`` opens with the name of another
        person who could be meant (not one known to be of the other gender)."""
        last = fold(speaker.split()[-1])
        first = bisect.bisect_right(self.sent_starts, a)
        for s in self.sents[first:]:
            if s.start >= b:
                break
            k = bisect.bisect_left(self.tok_starts, s.start)
            if k >= len(self.toks) or self.toks[k].start != s.start:
                continue  # the sentence opens with a quote or punctuation
            j = k
            while j < len(self.toks) and _is_capital(self.toks[j]) and (
                j == k or self.joins(j)
            ):
                j += 1
            if j == k or j >= len(self.toks) or _is_capital(self.toks[j]):
                continue
            low = self.low(j - 1)
            group_word = self.tok_group[j - 1] is not None and self.tok_person[j - 1] is None
            if low in _NOT_NAMES or _is_role_word(low) or group_word or any(
                t.low in _ORG_WORDS or t.surface.isupper() for t in self.toks[k:j]
            ):
                continue  # not a person ("NBC News also found")
            name = _POSSESSIVE_RE.sub("", self.toks[j - 1].surface)
            person = self.tok_person[j - 1]
            if fold(name) == last or person == speaker:
                continue
            known = self.actors.person(person) if person else None
            if known is not None and known.gender is not None and known.gender != gender:
                continue  # "Grushko warned …" does not stand between Sherman and "she"
            return True
        return False

    def name_start(self, i: int, j: int) -> int:
        """Start of the name at the end of run ``toks[i:j]``: capitalised words
        that are not roles, titles, unnamed sources or names of a group."""
        k = j
        while k > i:
            t = self.toks[k - 1]
            low = self.low(k - 1)
            if not _is_capital(t) or _is_role_word(low) or low in _DETERMINERS or (
                low in _ABBREVIATED_TITLES or low in _ANON_NOUNS or low in _NOT_NAMES
                or self.tok_group[k - 1] is not None
                or (k < j and self.possessive(k - 1))
            ):
                break
            k -= 1
        return k

    def earlier_full_names(self, surname: str, before: int) -> dict[str, str | None]:
        """Full names an earlier passage gave a surname ("Gen. Keith Alexander"), with
        the gender an honorific gave them.  Empty unless the surname's first
        occurrence is a full name (a bare "Trump" first, then "Melania Trump", is
        not resolved)."""
        out: dict[str, str | None] = {}
        for idx in range(before):
            t = self.toks[idx]
            if t.surface != surname:
                continue
            nxt = idx + 1
            if nxt < len(self.toks) and _is_capital(self.toks[nxt]) and self.joins(nxt):
                continue  # a first name here ("Alexander Grushko"), not the surname
            run = self.run_backward(idx)
            k = self.name_start(run[0], idx + 1) if run is not None else idx
            if idx + 1 - k < 2:
                if not out:
                    return out  # first named by surname alone
                continue
            gender = None
            h = k
            while run is not None and h > run[0] and self.toks[h - 1].low in _ABBREVIATED_TITLES:
                gender = _HONORIFICS.get(self.toks[h - 1].low, gender)
                h -= 1
            out.setdefault(" ".join(self.span(k, idx + 1).split()), gender)
        return out

    def resolve_other(self, subj: _Subject, written: str, pos: int) -> _Speaker:
        """A subject that is not a person the actor set knows."""
        toks = self.toks
        i, j = subj.i, subj.j
        for m in range(i + 1, j - 1):
            if toks[m].low == "of" and self.name_start(i, m) < m and not (
                any(w.low in _ORG_WORDS for w in toks[i:m])
            ):
                j = m  # "James Lewis of the Center for Strategic and International Studies"
                break
        content = [k for k in range(i, j)
                   if toks[k].low not in _DETERMINERS and toks[k].low not in _CONNECTORS]
        # Organisations: the run is names of one group ("the Kremlin", "NATO allies").
        if content and all(self.tok_group[k] is not None for k in content):
            org = self.span(content[0], j)
            if self.possessive(j - 1):
                org = _POSSESSIVE_RE.sub("", org)
            return _Speaker(org, written, None, self.tok_group[content[-1]], "explicit")
        k = self.name_start(i, j)
        if k == j:
            return self.resolve_role(i, j, written, pos)
        gender = None
        h = k
        while h > i and toks[h - 1].low in _ABBREVIATED_TITLES:
            gender = _HONORIFICS.get(toks[h - 1].low, gender)
            h -= 1
        name = " ".join(self.span(k, j).split())
        if self.possessive(j - 1):
            name = _POSSESSIVE_RE.sub("", name)
        role = (self.clean_role(i, h) if h > i else None) or self.role_before_comma(i) or subj.role
        side = self.side_of_text(role) if role else None
        words = name.split()
        if any(w.lower() in _ORG_WORDS for w in words):
            # An organisation the actor set does not know ("the Foreign Office").
            return _Speaker(name, written, role, side, "explicit")
        key = fold(words[-1]).lower()
        if len(words) == 1:
            known = self.local_people.setdefault(key, {})
            for full, g in self.earlier_full_names(name, i).items():
                known.setdefault(full, (g, None))
            firsts = {fold(f.split()[0]).lower() for f in known}
            if len(firsts) == 1:  # one person of that name: "Alexander" -> "Keith Alexander"
                full = max(known, key=len)
                g, s = known[full]
                return _Speaker(full, name, role or self.role_for(full, pos), s or side,
                                "surname", g or gender, True)
        if len(words) == 1 and gender is None and (
            name.isupper() or any(c.isupper() for c in name[1:])
        ):
            # An acronym or a CamelCase brand ("CNN", "YouGov"): not a person.
            return _Speaker(name, written, role, side, "explicit")
        if len(words) >= 2:
            self.local_people.setdefault(key, {})[name] = (gender, side)
        if role:
            self.bind(pos, role, side, name, gender)
        return _Speaker(name, name, role or self.role_for(name, pos), side, "explicit", gender,
                        True)

    def resolve_role(self, i: int, j: int, written: str, pos: int) -> _Speaker:
        """A role with no name: a later reference ("the secretary-general") or
        unnamed sources ("Russian officials", "a Kremlin spokesman")."""
        lows = [self.low(k) for k in range(i, j)]
        sig = _signature(written)
        anonymous = any(w in _ANON_NOUNS for w in lows)
        if not sig & _HEAD_ROLE_WORDS and not anonymous:
            return _Speaker(None, written, None, None, "none")
        side = self.side_of_text(written)
        definite = i == 0 or self.toks[i - 1].low not in ("a", "an")
        plural = lows[-1].endswith("s") and lows[-1] not in _ROLE_WORDS
        if sig & _HEAD_ROLE_WORDS and definite and not plural and not anonymous:
            found = {
                b.person: b for b in self.bindings
                if b.pos < pos and sig <= b.signature
                and (side is None or b.side is None or b.side == side)
            }
            if len(found) == 1:
                b = next(iter(found.values()))
                role = self.clean_role(i, j) or written
                return _Speaker(b.person, written, role, b.side, "role", b.gender, True)
        if i > 0 and self.toks[i - 1].low in ("a", "an", "the") and _SPACE_RE.match(self.gap(i)):
            written = self.span(i - 1, j)
        return _Speaker(None, written, self.clean_role(i, j), side, "anonymous")

    def resolve_clauses(self, clauses: list[_Clause]) -> None:
        for c in clauses:
            c.who = self.resolve(c.subject, c.start)
            if c.who.speaker is not None and c.who.is_person:
                self.history.append((c.start, c.who))


# --- quotes -----------------------------------------------------------------


def _words(text: str, q: Quote) -> int:
    return len(word_tokens(text[q.start : q.end]))


def attribute_quotes(
    text: str,
    quotes: Sequence[Quote] | None = None,
    sentences: Sequence[Sentence] | None = None,
    actors: ActorSet | None = None,
) -> list[QuoteRecord]:
    """Every quote of ``text`` with its speaker, role, reporting verb and side.

    ``quotes`` and ``sentences`` are those of :func:`analytics.text.quote_spans`
    and :func:`analytics.text.sentences` (computed when not given); ``actors``
    maps names to canonical people and sides (default: the built-in set).
    Unattributed quotes are kept with ``speaker=None``.

    >>> t = "“We are ready,” NATO Secretary General Jens Stoltenberg said."
    >>> r = attribute_quotes(t)[0]
    >>> r.speaker, r.role, r.verb, r.side, r.attribution
    ('Jens Stoltenberg', 'NATO Secretary General', 'said', 'nato', 'explicit')
    """
    from analytics import text as text_mod

    actors = actors if actors is not None else default_actors()
    quotes = list(quotes) if quotes is not None else quote_spans(text)
    sents = list(sentences) if sentences is not None else text_mod.sentences(text)
    if not quotes:
        return []
    art = _Article(text, quotes, sents, actors)
    art.prescan_roles()
    clauses = art.clauses()
    art.resolve_clauses(clauses)
    clause_starts = [c.start for c in clauses]

    records: list[QuoteRecord] = []
    # Speaker events in reading order: (position, paragraph, speaker) of
    # attributed quotes and reporting clauses, for continuation.
    events: list[tuple[int, _Speaker]] = [(c.start, c.who) for c in clauses
                                          if c.who is not None and c.who.speaker is not None]
    events.sort(key=lambda e: e[0])
    for q in quotes:
        n_words = _words(text, q)
        found = _tail_clause(art, q, clauses, clause_starts) or _head_clause(art, q, clauses)
        who: _Speaker | None = None
        verb: str | None = None
        if found is not None and found.who is not None:
            who, verb = found.who, found.verb
        elif n_words > SCARE_QUOTE_MAX_WORDS:
            prev = _continued_from(art, q, events)
            if prev is not None:
                who = _Speaker(prev.speaker, None, prev.role, prev.side, "continued",
                               prev.gender, prev.is_person)
        if who is not None and who.speaker is not None:
            bisect.insort(events, (q.start, who), key=lambda e: e[0])
        if who is None:
            records.append(QuoteRecord(q.start, q.end, text[q.start : q.end], None, None, None,
                                       None, None, n_words, "none"))
        else:
            records.append(QuoteRecord(q.start, q.end, text[q.start : q.end], who.speaker,
                                       who.speaker_text, who.role, verb, who.side, n_words,
                                       who.attribution))
    return records


def _tail_clause(art: _Article, q: Quote, clauses: list[_Clause],
                 clause_starts: list[int]) -> _Clause | None:
    """A clause right after the quote: "“…,” Stoltenberg said", "“…,” said Stoltenberg"."""
    k = bisect.bisect_left(clause_starts, q.end)
    if k >= len(clauses):
        return None
    c = clauses[k]
    gap = art.masked[q.end : c.start]
    if not _TAIL_GAP_RE.match(gap):
        return None
    closing = art.sentence_of(q.end - 1)
    if closing is not None and c.start >= closing.end:
        return None  # the clause opens a new sentence
    inner = art.text[q.start : q.end].rstrip("\"”’»")
    sent = art.sentence_of(q.start)
    opens_sentence = sent is not None and not art.masked[sent.start : q.start].strip()
    if (
        inner.endswith((",", "?", "!", "…", "—", "-", "–"))
        or gap.strip()[:1] in (",", "–", "—", "-")
        or c.kind in ("vs", "according")
        or c.subject.kind == "pronoun"
        or opens_sentence
    ):
        return c
    return None


def _head_clause(art: _Article, q: Quote, clauses: list[_Clause]) -> _Clause | None:
    """The clause before the quote in its sentence ("Peskov stated that … “…”")."""
    sent = art.sentence_of(q.start)
    if sent is None:
        return None
    found = [c for c in clauses if sent.start <= c.start and c.end <= q.start]
    if not found:
        return None
    for c in found:
        if c.kind == "according" and not art.masked[sent.start : c.start].strip(" ,"):
            return c
    return found[-1]


def _continued_from(art: _Article, q: Quote, events: list[tuple[int, _Speaker]]) -> (
        _Speaker | None):
    """The speaker a quote with no clause of its own continues, if any.

    The quote must open its sentence; the latest speaker event before it must
    lie in the previous sentence of the same paragraph or, when the quote
    opens a paragraph, in the last sentence of the previous paragraph (or be a
    quote that runs to that paragraph's end).
    """
    sent = art.sentence_of(q.start)
    if sent is None or art.masked[sent.start : q.start].strip():
        return None
    k = bisect.bisect_left([e[0] for e in events], q.start) - 1
    if k < 0:
        return None
    pos, who = events[k]
    para = art.para_of(q.start)
    para_start = art.para_starts[para]
    if art.text[para_start : q.start].strip():
        if sent.index == 0:
            return None
        prev = art.sents[sent.index - 1]
        return who if prev.start <= pos < prev.end and pos >= para_start else None
    if para == 0:
        return None
    prev_para_start = art.para_starts[para - 1]
    if pos < prev_para_start:
        return None
    e = para_start
    while e > prev_para_start and art.text[e - 1].isspace():
        e -= 1
    last = art.sentence_of(e - 1)
    if last is not None and pos >= last.start:
        return who
    return who if _quote_reaches(art, pos, e) else None


def _quote_reaches(art: _Article, pos: int, para_end: int) -> bool:
    """Whether a quote starting at ``pos`` runs on to ``para_end``."""
    for q in art.quotes:
        if q.start == pos:
            return not art.text[q.end : para_end].strip(" .,;")
    return False


# --- tables -----------------------------------------------------------------


def quotes_table(articles: pd.DataFrame, *, actors: ActorSet | None = None) -> pd.DataFrame:
    """One row per quote over a corpus: :data:`QUOTE_COLUMNS`.

    ``articles`` has the corpus contract's columns (at least ``article_id``
    and ``text``; ``source_ref``, ``outlet`` and ``title`` are carried when
    present).  Rows follow the articles' order, then ``start``.
    """
    import pandas as pd

    actors = actors if actors is not None else default_actors()
    labels = {c: (articles[c].tolist() if c in articles.columns else [None] * len(articles))
              for c in ("article_id", "source_ref", "outlet", "title")}
    rows: list[tuple[object, ...]] = []
    for n, text in enumerate(articles["text"].astype(str).tolist()):
        label = tuple(labels[c][n] for c in ("article_id", "source_ref", "outlet", "title"))
        for r in attribute_quotes(text, quote_spans(text), sentences(text), actors):
            rows.append((*label, *r))
    df = pd.DataFrame(rows, columns=list(QUOTE_COLUMNS))
    for c in ("start", "end", "words"):
        df[c] = df[c].astype("Int64")
    return df


def _sides_in(quotes_df: pd.DataFrame, sides: Sequence[str] | None) -> list[str]:
    if sides is not None:
        return list(sides)
    present = sorted({str(s) for s in quotes_df["side"].dropna()})
    base = list(default_actors().group_ids)
    return base + [s for s in present if s not in base]


def _verb_string(verbs: pd.Series) -> str:
    counts = Counter(str(v) for v in verbs.dropna())
    return "; ".join(f"{v}: {n}" for v, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def sourcing_summary(
    quotes_df: pd.DataFrame, *, sides: Sequence[str] | None = None
) -> pd.DataFrame:
    """Who each outlet quotes: one row per outlet.

    Columns: ``outlet, articles`` (articles with at least one quote),
    ``quotes, quoted_words``; ``quotes_<side>, quoted_words_<side>`` for every
    side (``sides``, default: the built-in groups and any other side in the
    data); ``quotes_other, quoted_words_other`` (a speaker with no side, or
    unnamed sources with none); ``quotes_unattributed,
    quoted_words_unattributed`` (no speaker found); ``distinct_speakers``;
    ``verbs``, the reporting verbs by frequency ("said: 5; warned: 2").
    """
    import pandas as pd

    side_list = _sides_in(quotes_df, sides)
    buckets = [*side_list, "other", "unattributed"]
    cols = ["outlet", "articles", "quotes", "quoted_words"]
    for b in buckets:
        cols += [f"quotes_{b}", f"quoted_words_{b}"]
    cols += ["distinct_speakers", "verbs"]
    if quotes_df.empty:
        return pd.DataFrame(columns=cols)

    def bucket(row: pd.Series) -> str:
        side = row["side"]
        if isinstance(side, str) and side:
            return side if side in side_list else "other"
        if isinstance(row["speaker"], str) or row["attribution"] == "anonymous":
            return "other"
        return "unattributed"

    df = quotes_df.assign(_bucket=quotes_df.apply(bucket, axis=1),
                          _words=quotes_df["words"].astype("int64"))
    rows = []
    for outlet, g in df.groupby("outlet", dropna=False, sort=True):
        row: dict[str, object] = {
            "outlet": outlet,
            "articles": int(g["article_id"].nunique()),
            "quotes": len(g),
            "quoted_words": int(g["_words"].sum()),
        }
        for b in buckets:
            mine = g[g["_bucket"] == b]
            row[f"quotes_{b}"] = len(mine)
            row[f"quoted_words_{b}"] = int(mine["_words"].sum())
        row["distinct_speakers"] = int(g["speaker"].dropna().nunique())
        row["verbs"] = _verb_string(g["verb"])
        rows.append(row)
    return pd.DataFrame(rows, columns=cols)


def verb_mix(quotes_df: pd.DataFrame) -> pd.DataFrame:
    """Reporting verbs per outlet, long: ``outlet, verb, n, share``.

    ``share`` is the verb's share of the outlet's quotes that have a verb.
    Rows are sorted by outlet, then by frequency, then by verb.
    """
    import pandas as pd

    cols = ["outlet", "verb", "n", "share"]
    with_verb = quotes_df[quotes_df["verb"].notna()] if not quotes_df.empty else quotes_df
    if with_verb.empty:
        return pd.DataFrame(columns=cols)
    counts = with_verb.groupby(["outlet", "verb"], dropna=False).size().rename("n").reset_index()
    totals = counts.groupby("outlet", dropna=False)["n"].transform("sum")
    counts["share"] = counts["n"] / totals
    counts["n"] = counts["n"].astype("int64")
    counts = counts.sort_values(["outlet", "n", "verb"], ascending=[True, False, True],
                                kind="stable")
    return counts.reset_index(drop=True)[cols]
