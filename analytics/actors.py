"""Actors: who a story is about, as groups of names, aliases and demonyms.

An actor set is data, like a lexicon: a TOML file (the built-in one is
``analytics/lexicons/actors.toml``) with a version, a description, sources, a
licence and notes, a list of **groups** ("russia", "nato", ...) with the
names, short forms and demonyms that refer to each, and the **people** who
speak for a group, each with a canonical full name and aliases ("Stoltenberg"
-> "Jens Stoltenberg" -> nato).  The content hash (:attr:`ActorSet.hash`)
travels with every figure the set produced.

:func:`find_mentions` finds every reference to a group in a text, with
offsets (``text[start:end] == surface``).  Matching is case-sensitive ("US"
is the United States, "us" is not), starts at a word or after a hyphen
("NATO-Russia", "Russian-backed"), ignores accents ("Grushkó") and prefers
the longest form ("NATO allies" is one mention).  :func:`propose_actors`
lists a corpus's frequent capitalised names that no group covers yet, as
candidates for new groups.

File layout::

    [actors]
    name = "actors"
    version = "1.0.0"
    description = "..."
    licence = "CC BY 4.0"
    sources = ["..."]
    notes = "..."

    [[groups]]
    id = "russia"                    # [a-z][a-z0-9_]*
    label = "Russia"
    names = ["Russia", "Moscow", "Kremlin"]
    demonyms = ["Russian", "Russians"]
    exclude = ["Russian roulette"]   # optional: phrases that are not the actor
    note = "..."

    [[people]]
    name = "Dmitry Peskov"           # canonical full name
    group = "russia"
    aliases = ["Dmitri Peskov", "Peskov"]
    gender = "m"                     # optional: "f" or "m" (for "he/she said")
    role = "Kremlin spokesman"       # optional, informative
    note = "..."
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from analytics.text import Sentence, Token, sentences, word_tokens

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BUILTIN_ACTORS",
    "MENTION_COLUMNS",
    "ActorError",
    "ActorGroup",
    "ActorSet",
    "Mention",
    "Person",
    "actors_from_toml",
    "actors_to_toml",
    "default_actors",
    "find_mentions",
    "fold",
    "load_actors",
    "propose_actors",
]

#: Names of the actor sets shipped with the package (``analytics/lexicons/<name>.toml``).
BUILTIN_ACTORS: tuple[str, ...] = ("actors",)

#: Columns of the mentions table (one row per mention).
MENTION_COLUMNS: tuple[str, ...] = (
    "article_id",
    "group",
    "start",
    "end",
    "surface",
    "sentence_index",
    "in_quote",
    "polarity",
    "p_negative",
    "p_neutral",
    "p_positive",
)

GENDERS: tuple[str, ...] = ("f", "m")

_ID_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
_META_KEYS = {"name", "version", "description", "licence", "sources", "notes"}
_GROUP_KEYS = {"id", "label", "names", "demonyms", "exclude", "note"}
_PERSON_KEYS = {"name", "group", "aliases", "gender", "role", "note"}
_FIRST_WORD_RE = re.compile(r"\w+")


class ActorError(ValueError):
    """An actor set that cannot be used; the message names the file and the problem."""


# --- accent folding -------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    base = unicodedata.normalize("NFD", c)[0]
    return base if base.isascii() and base.isalpha() else c


#: Code point -> folded letter, for every character seen so far that folds
#: to something else; ``_FOLDED`` holds those characters, ``_FOLD_SEEN``
#: every non-ASCII character already looked at.
_FOLD_TABLE: dict[int, str] = {}
_FOLDED: set[str] = set()
_FOLD_SEEN: set[str] = set()
_ASCII_RUNS_RE = re.compile(r"[\x00-\x7f]+")


def fold(text: str) -> str:
    """``text`` with accents removed letter by letter; the length never changes.

    >>> fold("Alexandr Grushkó, Geoană")
    'Alexandr Grushko, Geoana'
    """
    if text.isascii():
        return text
    # The non-ASCII characters of a news text are few (mostly curly quotes
    # and dashes): what is left when the ASCII runs are cut out has a set
    # several times cheaper to build than ``set(text)``, and replacing the
    # few that fold, one ``str.replace`` each, is far cheaper than
    # ``str.translate`` with a dict (a lookup per character).  Folded letters
    # are ASCII, so no replacement feeds another: the result is the
    # letter-by-letter one.
    chars = set(_ASCII_RUNS_RE.sub("", text))
    new = chars.difference(_FOLD_SEEN)
    if new:
        for c in new:
            if (f := _fold_char(c)) != c:
                _FOLD_TABLE[ord(c)] = f
                _FOLDED.add(c)
        _FOLD_SEEN.update(new)
    for c in chars.intersection(_FOLDED):
        text = text.replace(c, _FOLD_TABLE[ord(c)])
    return text  # unchanged (the same object) when no letter folds


# --- data -----------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """Someone who speaks for a group; ``name`` is the canonical full name."""

    name: str
    group: str
    aliases: tuple[str, ...] = ()
    gender: str | None = None
    role: str = ""
    note: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class ActorGroup:
    """One party: the names, short forms and demonyms that refer to it."""

    id: str
    label: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    note: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        return (*self.names, *self.demonyms)


class _Entry(NamedTuple):
    pattern: re.Pattern[str]
    group: str | None  # None: an excluded phrase (matched, then dropped)
    person: str | None
    length: int


class Mention(NamedTuple):
    """A reference to an actor group: ``text[start:end] == surface``."""

    group: str
    start: int
    end: int
    surface: str
    sentence_index: int | None = None
    person: str | None = None  # canonical name when the form names a person


@dataclass(frozen=True)
class ActorSet:
    """A versioned, citable set of actor groups and the people who speak for them."""

    name: str
    version: str
    description: str
    sources: tuple[str, ...]
    licence: str
    notes: str
    groups: tuple[ActorGroup, ...]
    people: tuple[Person, ...] = field(default=())

    @functools.cached_property
    def hash(self) -> str:
        """12 hex digits of SHA-256 over a canonical serialisation of the content."""
        content = {
            "name": self.name,
            "version": self.version,
            "description": self.description,
            "sources": list(self.sources),
            "licence": self.licence,
            "notes": self.notes,
            "groups": [
                [g.id, g.label, list(g.names), list(g.demonyms), list(g.exclude), g.note]
                for g in self.groups
            ],
            "people": [
                [p.name, p.group, list(p.aliases), p.gender, p.role, p.note] for p in self.people
            ],
        }
        blob = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]

    def __repr__(self) -> str:
        return (
            f"ActorSet(name={self.name!r}, version={self.version!r}, "
            f"groups={list(self.group_ids)!r}, people={len(self.people)}, hash={self.hash!r})"
        )

    @property
    def group_ids(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.groups)

    def group(self, group_id: str) -> ActorGroup:
        for g in self.groups:
            if g.id == group_id:
                return g
        raise KeyError(f"no actor group {group_id!r}; groups are {', '.join(self.group_ids)}")

    @functools.cached_property
    def _index(self) -> dict[str, list[_Entry]]:
        """Folded first word -> forms starting with it, longest first."""
        entries: list[tuple[str, str | None, str | None]] = []
        for g in self.groups:
            entries += [(f, g.id, None) for f in g.forms]
            entries += [(f, None, None) for f in g.exclude]
        for p in self.people:
            entries += [(f, p.group, p.name) for f in p.forms]
        index: dict[str, list[_Entry]] = {}
        for form, group, person in entries:
            folded = fold(form)
            first = _FIRST_WORD_RE.match(folded)
            if not first:
                continue
            words = [re.escape(w) for w in folded.split()]
            body = r"[^\S\n]+".join(words)
            tail = r"(?!\w)" if folded[-1].isalnum() or folded[-1] == "_" else r"(?![\w.])"
            pat = re.compile(body + tail)
            index.setdefault(first.group(), []).append(_Entry(pat, group, person, len(folded)))
        for lst in index.values():
            lst.sort(key=lambda e: -e.length)
        return index

    @functools.cached_property
    def _matchers(self) -> tuple[tuple[re.Pattern[str], tuple[_Entry, ...]], ...]:
        """Regexes that find the forms, each with the entry of each of its
        groups (by index); between them, every first word of :attr:`_index`.

        A form can start only where a run of word characters starts, not
        right after "x'" (the later part of "Russia's"), and its first word
        is that whole run: each branch checks the two characters before the
        run, then tries the forms of its first word(s), each first word's
        forms longest first.  At most one first word fits a run, so the
        first form that matches is the one a word-by-word search of
        :attr:`_index` finds.

        The first regex takes the first words that start with a capital, in
        one branch per first character: the regex engine skips to the next
        such character in C.  A first word starting otherwise ("allies",
        "von") gets a regex of its own that opens with the whole word, found
        by a fast literal search: in the first regex it would stop the scan
        at every "a" or "v" of the text.
        """
        own = [first for first in self._index if not first[0].isupper()][:_OWN_SCANS]
        by_char: dict[str, list[_Entry]] = {}
        for first, forms in self._index.items():
            if first not in own:
                by_char.setdefault(first[0], []).extend(forms)
        regexes = [] if not by_char else [_alternation([
            (c, f"{c}(?<!\\w.)(?<!\\w['’‘].)", forms) for c, forms in by_char.items()
        ])]
        for first in own:
            # the same checks of the two characters before the run, behind the word
            word, n = re.escape(first), len(first)
            head = f"{word}(?<!\\w.{{{n}}})(?<!\\w['’‘].{{{n}}})"
            regexes.append(_alternation([(word, head, self._index[first])]))
        return tuple(regexes)

    @functools.cached_property
    def _people_by_form(self) -> dict[str, Person]:
        out: dict[str, Person] = {}
        for p in self.people:
            for f in p.forms:
                out[" ".join(fold(f).split())] = p
        return out

    @functools.cached_property
    def _group_by_form(self) -> dict[str, str]:
        return {" ".join(fold(f).split()): g.id for g in self.groups for f in g.forms}

    def person(self, name: str) -> Person | None:
        """The person a written name refers to, or None.

        A listed form matches exactly (accents ignored); otherwise a name
        whose last word is a listed surname and whose first letter agrees
        with the canonical first name ("Alexandr Grushkó" -> Alexander
        Grushko) matches too.
        """
        key = " ".join(fold(name).split())
        if not key:
            return None
        hit = self._people_by_form.get(key)
        if hit is not None:
            return hit
        words = key.split()
        if len(words) < 2:
            return None
        cand = self._people_by_form.get(words[-1])
        if cand is not None and fold(cand.name)[:1] == words[0][:1]:
            return cand
        return None

    def group_of(self, form: str) -> str | None:
        """The group a written name, short form or demonym belongs to, or None."""
        key = " ".join(fold(form).split())
        g = self._group_by_form.get(key)
        if g is not None:
            return g
        p = self._people_by_form.get(key)
        return p.group if p is not None else None

    def with_group(
        self,
        group_id: str,
        names: Sequence[str],
        *,
        label: str | None = None,
        demonyms: Sequence[str] = (),
        note: str = "",
    ) -> ActorSet:
        """A copy with one more group (or ``group_id`` replaced); validated like a file."""
        new = ActorGroup(group_id, label or group_id, tuple(names), tuple(demonyms), (), note)
        groups = [g for g in self.groups if g.id != group_id] + [new]
        return _validated(replace(self, groups=tuple(groups)), f"{self.name} (edited)")


# --- validation -----------------------------------------------------------


def _fail(source: str, problem: str) -> ActorError:
    return ActorError(f"{source}: {' '.join(problem.split())}")


def _str(value: Any, what: str, source: str) -> str:
    if not isinstance(value, str):
        raise _fail(source, f"{what} must be a string, not {type(value).__name__}")
    return value


def _str_list(value: Any, what: str, source: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(source, f"{what} must be a list of strings")
    return tuple(value)


def _check_keys(raw: Mapping[str, Any], allowed: set[str], where: str, source: str) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise _fail(
            source,
            f"{where} has unknown key(s) {', '.join(unknown)}; "
            f"expected {', '.join(sorted(allowed))}",
        )


def _check_form(form: str, where: str, source: str) -> None:
    if form != form.strip() or "  " in form or "\n" in form:
        raise _fail(source, f"{where}: form {form!r} must be words separated by single spaces")
    if not form or not _FIRST_WORD_RE.match(fold(form)):
        raise _fail(source, f"{where}: form {form!r} must start with a letter or digit")


def _validated(actors: ActorSet, source: str) -> ActorSet:
    """Check ids, forms and references of a built set; return it unchanged."""
    if not actors.groups:
        raise _fail(source, "the actor set has no [[groups]]")
    owner: dict[str, str] = {}

    def claim(form: str, who: str) -> None:
        _check_form(form, who, source)
        key = " ".join(fold(form).split())
        other = owner.get(key)
        if other is not None:
            raise _fail(source, f"form {form!r} is listed twice: in {other} and in {who}")
        owner[key] = who

    ids: set[str] = set()
    for g in actors.groups:
        if not _ID_RE.match(g.id):
            raise _fail(source, f"group id {g.id!r} must match [a-z][a-z0-9_]*")
        if g.id in ids:
            raise _fail(source, f"group {g.id!r} is listed twice")
        ids.add(g.id)
        if not g.names:
            raise _fail(source, f"group {g.id!r} has no names")
        for f in (*g.forms, *g.exclude):
            claim(f, f"group {g.id!r}")
    for p in actors.people:
        if p.group not in ids:
            raise _fail(
                source,
                f"person {p.name!r}: group {p.group!r} is not one of {', '.join(sorted(ids))}",
            )
        if p.gender is not None and p.gender not in GENDERS:
            raise _fail(source, f"person {p.name!r}: gender must be \"f\" or \"m\"")
        if len(p.name.split()) < 2:
            raise _fail(source, f"person {p.name!r}: name must be the full name")
        for f in p.forms:
            claim(f, f"person {p.name!r}")
    return actors


def actors_from_toml(text: str, *, source: str = "<string>") -> ActorSet:
    """Parse and validate an actor set from TOML text.

    Raises :class:`ActorError` with a one-line message naming ``source``.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(source, f"not valid TOML: {exc}") from None
    _check_keys(data, {"actors", "groups", "people"}, "the file", source)
    meta = data.get("actors")
    if not isinstance(meta, dict):
        raise _fail(source, "no [actors] table")
    _check_keys(meta, _META_KEYS, "[actors]", source)
    for key in ("name", "version"):
        if key not in meta:
            raise _fail(source, f"[actors] is missing {key!r}")
    name = _str(meta["name"], "[actors] name", source)
    if not _ID_RE.match(name):
        raise _fail(source, f"actor set name {name!r} must match [a-z][a-z0-9_]*")
    raw_groups = data.get("groups", [])
    raw_people = data.get("people", [])
    if not isinstance(raw_groups, list) or not isinstance(raw_people, list):
        raise _fail(
            source, "'groups' and 'people' must be arrays of tables ([[groups]], [[people]])"
        )
    groups: list[ActorGroup] = []
    for i, raw in enumerate(raw_groups, start=1):
        if not isinstance(raw, dict):
            raise _fail(source, f"group #{i} must be a table")
        _check_keys(raw, _GROUP_KEYS, f"group #{i}", source)
        if "id" not in raw:
            raise _fail(source, f"group #{i} has no 'id'")
        gid = _str(raw["id"], f"group #{i} id", source)
        groups.append(
            ActorGroup(
                id=gid,
                label=_str(raw.get("label", gid), f"group {gid!r} label", source),
                names=_str_list(raw.get("names", []), f"group {gid!r} names", source),
                demonyms=_str_list(raw.get("demonyms", []), f"group {gid!r} demonyms", source),
                exclude=_str_list(raw.get("exclude", []), f"group {gid!r} exclude", source),
                note=_str(raw.get("note", ""), f"group {gid!r} note", source),
            )
        )
    people: list[Person] = []
    for i, raw in enumerate(raw_people, start=1):
        if not isinstance(raw, dict):
            raise _fail(source, f"person #{i} must be a table")
        _check_keys(raw, _PERSON_KEYS, f"person #{i}", source)
        for key in ("name", "group"):
            if key not in raw:
                raise _fail(source, f"person #{i} has no {key!r}")
        pname = _str(raw["name"], f"person #{i} name", source)
        gender = raw.get("gender")
        people.append(
            Person(
                name=pname,
                group=_str(raw["group"], f"person {pname!r} group", source),
                aliases=_str_list(raw.get("aliases", []), f"person {pname!r} aliases", source),
                gender=None if gender is None else _str(gender, f"person {pname!r} gender", source),
                role=_str(raw.get("role", ""), f"person {pname!r} role", source),
                note=_str(raw.get("note", ""), f"person {pname!r} note", source),
            )
        )
    actors = ActorSet(
        name=name,
        version=_str(meta["version"], "[actors] version", source),
        description=_str(meta.get("description", ""), "[actors] description", source),
        sources=_str_list(meta.get("sources", []), "[actors] sources", source),
        licence=_str(meta.get("licence", ""), "[actors] licence", source),
        notes=_str(meta.get("notes", ""), "[actors] notes", source),
        groups=tuple(groups),
        people=tuple(people),
    )
    return _validated(actors, source)


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_toml_str(v) for v in values) + "]"


def actors_to_toml(actors: ActorSet) -> str:
    """Serialise an actor set to TOML; :func:`actors_from_toml` reads it back equal."""
    out = [
        "[actors]",
        f"name = {_toml_str(actors.name)}",
        f"version = {_toml_str(actors.version)}",
        f"description = {_toml_str(actors.description)}",
        f"licence = {_toml_str(actors.licence)}",
        f"sources = {_toml_list(actors.sources)}",
        f"notes = {_toml_str(actors.notes)}",
    ]
    for g in actors.groups:
        out += [
            "",
            "[[groups]]",
            f"id = {_toml_str(g.id)}",
            f"label = {_toml_str(g.label)}",
            f"names = {_toml_list(g.names)}",
            f"demonyms = {_toml_list(g.demonyms)}",
            f"exclude = {_toml_list(g.exclude)}",
            f"note = {_toml_str(g.note)}",
        ]
    for p in actors.people:
        out += [
            "",
            "[[people]]",
            f"name = {_toml_str(p.name)}",
            f"group = {_toml_str(p.group)}",
            f"aliases = {_toml_list(p.aliases)}",
        ]
        if p.gender is not None:
            out.append(f"gender = {_toml_str(p.gender)}")
        out += [f"role = {_toml_str(p.role)}", f"note = {_toml_str(p.note)}"]
    return "\n".join(out) + "\n"


@functools.cache
def _load_builtin(name: str) -> ActorSet:
    pkg = resources.files("analytics.lexicons")
    text = pkg.joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return actors_from_toml(text, source=f"{name}.toml")


def load_actors(path_or_name: str | Path = "actors") -> ActorSet:
    """Load the built-in actor set by name ("actors") or an actor file by path."""
    if isinstance(path_or_name, str) and path_or_name in BUILTIN_ACTORS:
        return _load_builtin(path_or_name)
    path = Path(path_or_name)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _fail(
            str(path), f"no such file (built-in actor sets are {', '.join(BUILTIN_ACTORS)})"
        ) from None
    except IsADirectoryError:
        raise _fail(str(path), "is a folder, not an actor file") from None
    except UnicodeDecodeError:
        raise _fail(str(path), "is not UTF-8 text") from None
    except OSError as exc:
        raise _fail(str(path), exc.strerror or "cannot be read") from None
    return actors_from_toml(text, source=str(path))


def default_actors() -> ActorSet:
    """The built-in actor set: russia, nato, united_states, ukraine, eu."""
    return _load_builtin("actors")


# --- mentions -------------------------------------------------------------

#: First words that get a regex of their own (see ``ActorSet._matchers``):
#: each is one more scan of the text, so a set with many is scanned by the
#: shared regex for the rest.
_OWN_SCANS = 4


def _alternation(
    branches: Sequence[tuple[str, str, Sequence[_Entry]]],
) -> tuple[re.Pattern[str], tuple[_Entry, ...]]:
    """One regex of branches ``head(?:(form 1)|(form 2)|...)``, and the entry
    of each group (group 0, the whole match, is never a form).

    ``(prefix, head, forms)``: every form's pattern starts with ``prefix``,
    which ``head`` matches (and checks around); the groups hold the rest.
    """
    entries: list[_Entry] = [_Entry(re.compile(""), None, None, 0)]
    out: list[str] = []
    for prefix, head, forms in branches:
        alternatives = []
        for e in forms:
            body = e.pattern.pattern
            if not body.startswith(prefix):  # pragma: no cover - re.escape goes char by char
                raise AssertionError(f"{body!r} does not start with {prefix!r}")
            alternatives.append(f"({body[len(prefix):]})")
            entries.append(e)
        out.append(f"{head}(?:{'|'.join(alternatives)})")
    return re.compile("|".join(out)), tuple(entries)


def _matches(
    folded: str, regexes: Sequence[tuple[re.Pattern[str], tuple[_Entry, ...]]]
) -> Iterator[tuple[re.Match[str], _Entry]]:
    """Matches of the forms in ``folded``, in order, none inside another."""
    if len(regexes) == 1:
        pattern, entries = regexes[0]
        for m in pattern.finditer(folded):
            yield m, entries[m.lastindex or 0]
        return
    # What one regex of all the forms would find: from the end of the last
    # match, the leftmost next match of any (no two match at one position).
    # A regex's next match is searched again only once the scan has passed
    # its start; ``search`` from ``pos`` still sees the characters before.
    nxt: list[re.Match[str] | None] = [pattern.search(folded) for pattern, _ in regexes]
    pos = 0
    while True:
        best, start = -1, len(folded)
        for k, found in enumerate(nxt):
            if found is not None and found.start() < pos:
                found = nxt[k] = regexes[k][0].search(folded, pos)
            if found is not None and found.start() < start:
                best, start = k, found.start()
        if best < 0:
            return
        hit = nxt[best]
        assert hit is not None
        pos = hit.end()
        yield hit, regexes[best][1][hit.lastindex or 0]


def find_mentions(
    text: str,
    tokens: Sequence[Token] | None = None,
    actors: ActorSet | None = None,
    *,
    sentences: Sequence[Sentence] | None = None,
) -> list[Mention]:
    """Every reference to an actor group in ``text``, in order.

    A form is looked for where a word starts, and after a hyphen inside a
    word ("NATO-Russia"), but not after an apostrophe inside one ("Russia's"
    is a mention, "o'Russia" is not).  Forms are matched case-sensitively and
    accent-insensitively, longest first; excluded phrases ("Latin America")
    are matched and dropped.  With ``sentences`` each mention carries its
    ``sentence_index``.  ``tokens`` (``analytics.text.word_tokens(text)``)
    are accepted for the callers that have them but not needed: the forms
    are found in the text directly.

    >>> [(m.group, m.surface) for m in find_mentions("US allies told us about NATO-Russia talks")]
    [('united_states', 'US'), ('nato', 'allies'), ('nato', 'NATO'), ('russia', 'Russia')]
    """
    actors = actors if actors is not None else default_actors()
    sent_starts = [s.start for s in sentences] if sentences else None
    out: list[Mention] = []
    for m, e in _matches(fold(text), actors._matchers):
        if e.group is None:
            continue  # an excluded phrase: no mention, and nothing inside it either
        p, end = m.span()
        si = None if sent_starts is None else max(0, bisect.bisect_right(sent_starts, p) - 1)
        out.append(Mention(e.group, p, end, text[p:end], si, e.person))
    return out


# --- proposals ------------------------------------------------------------

# Capitalised words that are not names: sentence openers, pronouns,
# determiners, days and months.
_NOT_NAMES = frozenset(
    """the a an and but or nor for so yet in on at to of by from with without into
    after before when while as if though although because since until unless
    this that these those there here it he she they we i you his her its their our
    my your me him them us what which who whom whose why how where also however
    meanwhile still then now thus hence indeed finally further furthermore moreover
    besides earlier later even some many most more much no not one two three all
    both each every any other such only just according during among between
    monday tuesday wednesday thursday friday saturday sunday january february
    march april may june july august september october november december today
    yesterday tomorrow tonight mr mrs ms dr prof sir""".split()
)
# Titles and offices: kept out of proposed names ("Secretary General").
_TITLE_WORDS = frozenset(
    """secretary general deputy minister president vice prime spokesman spokeswoman
    spokesperson ambassador envoy undersecretary under chief chancellor king queen
    prince pope gen lt col maj capt sgt adm sen rep gov senator governor mayor
    premier chairman chairwoman chair director commander foreign defence defense
    state affairs interior ministry""".split()
)
# Lower-case words inside a name ("Bank of England", "Ursula von der Leyen");
# "and" and "in" are left out: "Canada and Mexico" are two names.
_CONNECTORS = frozenset({"of", "for", "the", "de", "van", "von", "der", "al", "bin", "du"})
_POSSESSIVE_RE = re.compile(r"['’]s?\Z")


def _texts_and_labels(
    articles: pd.DataFrame | Iterable[str],
) -> list[tuple[str, str | None]]:
    import pandas as pd

    if isinstance(articles, pd.DataFrame):
        texts = articles["text"].astype(str).tolist()
        if "outlet" in articles.columns:
            outlets = [None if pd.isna(o) else str(o) for o in articles["outlet"]]
        else:
            outlets = [None] * len(texts)
        return list(zip(texts, outlets, strict=True))
    return [(str(t), None) for t in articles]


def _name_runs(text: str, tokens: Sequence[Token], covered: list[tuple[int, int]],
               sent_starts: set[int]) -> Iterable[tuple[str, bool]]:
    """Runs of capitalised words with at least one word no group covers.

    Yields (name, whether it is one word at the start of a sentence).  Words
    a group covers may be part of a run ("NATO-Russia Council") when they
    touch it directly; connectors ("of", "for") join uncovered words only
    ("Bank of England").
    """
    cov_i = 0
    run: list[tuple[Token, bool]] = []
    pending: list[Token] = []  # connectors waiting for a capitalised word

    def flush() -> Iterable[tuple[str, bool]]:
        if run and not all(c for _, c in run):
            words = [t.surface for t, _ in run]
            words[-1] = _POSSESSIVE_RE.sub("", words[-1])
            yield " ".join(words), run[0][0].start in sent_starts and len(run) == 1

    prev_end = -1
    for t in tokens:
        while cov_i < len(covered) and covered[cov_i][1] <= t.start:
            cov_i += 1
        is_covered = cov_i < len(covered) and covered[cov_i][0] < t.end
        gap_ok = prev_end >= 0 and text[prev_end : t.start] == " "
        prev_end = t.end
        word = _POSSESSIVE_RE.sub("", t.surface)
        low = word.lower()
        if (word[:1].isupper() and word[:1].isalpha() and low not in _NOT_NAMES
                and low not in _TITLE_WORDS):
            joins = run and gap_ok and (
                not pending or (not is_covered and not run[-1][1])
            )
            if joins:
                run.extend((c, False) for c in pending)
                run.append((t, is_covered))
            else:
                yield from flush()
                run = [(t, is_covered)]
            pending = []
            if word != t.surface:  # a possessive ends the name
                yield from flush()
                run = []
            continue
        if run and gap_ok and low in _CONNECTORS and not is_covered and len(pending) < 2:
            pending.append(t)
            continue
        yield from flush()
        run, pending = [], []
    yield from flush()


def propose_actors(
    articles: pd.DataFrame | Iterable[str],
    n: int = 20,
    existing: ActorSet | None = None,
    *,
    min_mentions: int = 2,
) -> pd.DataFrame:
    """The corpus's most frequent capitalised names that no group covers yet.

    Runs of capitalised words ("North Korea", "Warsaw Pact", "Wendy Sherman"
    in a set without her) are counted, leaving out words a group of
    ``existing`` (default: the built-in set) already matches, titles
    ("Secretary General"), sentence openers, days and months.  A one-word
    name seen only at the start of sentences is left out ("Earlier").

    Returns ``name, mentions, articles, outlets`` (distinct articles and
    outlets naming it), most frequent first, at most ``n`` rows with at least
    ``min_mentions`` mentions: candidates a reader can add as new groups
    with :meth:`ActorSet.with_group`.
    """
    import pandas as pd

    existing = existing if existing is not None else default_actors()
    mentions: Counter[str] = Counter()
    mid_sentence: Counter[str] = Counter()
    in_articles: dict[str, set[int]] = {}
    in_outlets: dict[str, set[str]] = {}
    for i, (text, outlet) in enumerate(_texts_and_labels(articles)):
        tokens = word_tokens(text)
        covered = [(m.start, m.end) for m in find_mentions(text, tokens, existing)]
        starts = {s.start for s in sentences(text)}
        for name, at_start in _name_runs(text, tokens, covered, starts):
            mentions[name] += 1
            if not at_start:
                mid_sentence[name] += 1
            in_articles.setdefault(name, set()).add(i)
            if outlet is not None:
                in_outlets.setdefault(name, set()).add(outlet)
    rows = [
        (name, count, len(in_articles[name]), len(in_outlets.get(name, ())))
        for name, count in mentions.items()
        if count >= min_mentions and (" " in name or mid_sentence[name] > 0)
    ]
    rows.sort(key=lambda r: (-r[1], -r[2], r[0]))
    df = pd.DataFrame(rows[:n], columns=["name", "mentions", "articles", "outlets"])
    for c in ("mentions", "articles", "outlets"):
        df[c] = df[c].astype("int64")
    return df
