"""Lexicons as data: TOML files with provenance, and a small loader.

A lexicon is a versioned list of terms, each in one category, with the exact
surface forms to match and a note on why the term is there and what it
misfires on.  Lexicons are plain TOML (parsed with :mod:`tomllib`, never
evaluated), so users can read them, cite them, edit them and bring their own.
The content hash of a lexicon (:attr:`Lexicon.hash`) travels with every figure
it produced.

File layout::

    [lexicon]
    name = "hedges"                  # [a-z][a-z0-9_]*
    family = "hedge"                 # hedge | booster | framing
    version = "1.0.0"
    description = "..."
    licence = "CC BY 4.0"
    sources = ["Hyland, K. (2005). Metadiscourse. Continuum."]

    [categories]
    modal = "Modal verbs of possibility"

    [[terms]]
    term = "may"                     # canonical, lower case; always a form
    category = "modal"
    note = "Why it is here and what it misfires on"
    forms = ["may well"]             # optional: more surface forms
    inflect = true                   # optional: see below

Forms are lower case with straight apostrophes; words are separated by single
spaces and split exactly like :func:`analytics.text.word_tokens` splits text
("de-escalation" and "russia's" are one word each, "according to" is two).  A
trailing ``*`` on the last word is a prefix wildcard ("annex*" matches
"annex", "annexed", "annexation", ...); wildcards over-match, so the built-in
lexicons list forms explicitly instead.

``inflect = true`` adds regular English inflections of the term's last word:
-s/-es, -ed and -ing ("annex" -> "annexes", "annexed", "annexing";
"escalate" -> "escalates", "escalated", "escalating"; "ban" -> "bans",
"banned", "banning").  Consonant doubling is applied only to one-syllable
words, because in longer words it depends on stress ("deter" -> "deterred"
but "visit" -> "visited"): list such forms explicitly.  ``inflect = "plural"``
adds the -s/-es form only (for nouns).
Irregular forms ("withdrew", "crises") are always listed in ``forms``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast, get_args

from analytics.text import word_tokens

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BUILTIN_LEXICONS",
    "DEFAULT_LEXICONS",
    "FAMILIES",
    "Family",
    "Lexicon",
    "LexiconError",
    "Term",
    "builtin_lexicons",
    "default_lexicons",
    "inflections",
    "lexicon_from_table",
    "lexicon_from_toml",
    "lexicon_table",
    "lexicon_to_toml",
    "load_lexicon",
]

Family = Literal["hedge", "booster", "framing"]
FAMILIES: tuple[str, ...] = get_args(Family)

#: Names of the lexicons shipped with the package (``<name>.toml`` here).
BUILTIN_LEXICONS: tuple[str, ...] = (
    "hedges",
    "boosters",
    "framing_conflict",
    "framing_policy",
)
#: The set scored when the user chooses nothing.
DEFAULT_LEXICONS: tuple[str, ...] = ("hedges", "boosters", "framing_conflict")

_ID_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
_VOWELS = frozenset("aeiou")
#: Shortest prefix a wildcard may have ("ann*" would match half the dictionary).
_MIN_WILDCARD_PREFIX = 3

_LEXICON_KEYS = {"name", "family", "version", "description", "licence", "sources"}
_REQUIRED_LEXICON_KEYS = ("name", "family", "version")
_TERM_KEYS = {"term", "category", "note", "forms", "inflect"}


class LexiconError(ValueError):
    """A lexicon that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Term:
    """One lexicon entry.

    ``forms`` holds every surface pattern to match, lower case, starting with
    ``term`` itself and including expanded inflections; multi-word forms are
    allowed and a trailing ``*`` is a prefix wildcard.
    """

    term: str
    category: str
    forms: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Lexicon:
    """A versioned, citable list of terms of one family."""

    name: str
    family: Family
    version: str
    description: str
    sources: tuple[str, ...]
    licence: str
    categories: dict[str, str]
    terms: tuple[Term, ...]

    def __hash__(self) -> int:  # ``categories`` is a dict; hash the content
        return hash(self.hash)

    @functools.cached_property
    def hash(self) -> str:
        """12 hex digits of SHA-256 over a canonical serialisation of the content.

        Equal content gives the same hash whatever the file's layout, key
        order or inflection shorthand; any change of metadata, category or term
        gives a new one.
        """
        content = {
            "name": self.name,
            "family": self.family,
            "version": self.version,
            "description": self.description,
            "sources": list(self.sources),
            "licence": self.licence,
            "categories": dict(self.categories),
            "terms": [[t.term, t.category, list(t.forms), t.note] for t in self.terms],
        }
        blob = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]

    def __repr__(self) -> str:
        return (
            f"Lexicon(name={self.name!r}, family={self.family!r}, version={self.version!r}, "
            f"categories={len(self.categories)}, terms={len(self.terms)}, hash={self.hash!r})"
        )


# --- inflection -----------------------------------------------------------


def _is_cvc_monosyllable(word: str) -> bool:
    """True for one-syllable words ending consonant-vowel-consonant ("ban", "stop")."""
    if len(word) < 3 or not word.isalpha():
        return False
    a, b, c = word[-3], word[-2], word[-1]
    if a in _VOWELS or b not in _VOWELS or c in _VOWELS or c in "wxy":
        return False
    groups = re.findall(r"[aeiouy]+", word)
    return len(groups) == 1


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
        return word[:-1] + "ies"
    return word + "s"


def _past(word: str) -> str:
    if word.endswith("e"):
        return word + "d"
    if len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
        return word[:-1] + "ied"
    if _is_cvc_monosyllable(word):
        return word + word[-1] + "ed"
    return word + "ed"


def _gerund(word: str) -> str:
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith(("ee", "ye", "oe")) or word == "be":
        return word + "ing"
    if word.endswith("e") and len(word) > 2:
        return word[:-1] + "ing"
    if _is_cvc_monosyllable(word):
        return word + word[-1] + "ing"
    return word + "ing"


def inflections(phrase: str, how: Literal["verb", "plural"] = "verb") -> list[str]:
    """Regular inflections of the last word of ``phrase``.

    >>> inflections("annex")
    ['annexes', 'annexed', 'annexing']
    >>> inflections("security guarantee", "plural")
    ['security guarantees']
    """
    head, _, last = phrase.rpartition(" ")
    prefix = head + " " if head else ""
    words = [_plural(last)] if how == "plural" else [_plural(last), _past(last), _gerund(last)]
    return [prefix + w for w in words]


# --- validation -----------------------------------------------------------


def _fail(source: str, problem: str) -> LexiconError:
    one_line = " ".join(problem.split())
    return LexiconError(f"{source}: {one_line}")


def _check_form(form: str, where: str, source: str) -> None:
    """A form must read exactly like the tokens it is to match."""
    if not form:
        raise _fail(source, f"{where}: empty form")
    if form != form.lower() or "’" in form or "‘" in form:
        raise _fail(source, f"{where}: form {form!r} must be lower case with straight apostrophes")
    body = form
    if form.endswith("*"):
        body = form[:-1]
        last = body.rpartition(" ")[2]
        if len(last) < _MIN_WILDCARD_PREFIX or not re.fullmatch(r"\w+(?:[-']\w+)*", last):
            raise _fail(
                source,
                f"{where}: wildcard {form!r} needs a prefix of at least "
                f"{_MIN_WILDCARD_PREFIX} word characters before the '*'",
            )
    if "*" in body:
        raise _fail(source, f"{where}: form {form!r} may have '*' only at its very end")
    if " ".join(t.norm for t in word_tokens(body)) != body:
        raise _fail(
            source,
            f"{where}: form {form!r} must be words separated by single spaces "
            "(letters, digits, inner hyphens or apostrophes; no other punctuation)",
        )


def _as_str(value: Any, what: str, source: str) -> str:
    if not isinstance(value, str):
        raise _fail(source, f"{what} must be a string, not {type(value).__name__}")
    return value


def _as_str_list(value: Any, what: str, source: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(source, f"{what} must be a list of strings")
    return list(value)


def _build(
    meta: Mapping[str, Any],
    categories: Mapping[str, Any],
    raw_terms: Iterable[Mapping[str, Any]],
    source: str,
) -> Lexicon:
    """Validate parsed content and build a :class:`Lexicon`."""
    unknown = sorted(set(meta) - _LEXICON_KEYS)
    if unknown:
        raise _fail(
            source,
            f"[lexicon] has unknown key(s) {', '.join(unknown)}; "
            f"expected {', '.join(sorted(_LEXICON_KEYS))}",
        )
    for key in _REQUIRED_LEXICON_KEYS:
        if key not in meta:
            raise _fail(source, f"[lexicon] is missing {key!r}")
    name = _as_str(meta["name"], "[lexicon] name", source)
    if not _ID_RE.match(name):
        raise _fail(source, f"lexicon name {name!r} must match [a-z][a-z0-9_]*")
    family = _as_str(meta["family"], "[lexicon] family", source)
    if family not in FAMILIES:
        raise _fail(source, f"family {family!r} is not one of {', '.join(FAMILIES)}")
    version = _as_str(meta["version"], "[lexicon] version", source)
    if not version.strip():
        raise _fail(source, "[lexicon] version is empty")
    description = _as_str(meta.get("description", ""), "[lexicon] description", source)
    licence = _as_str(meta.get("licence", ""), "[lexicon] licence", source)
    sources = _as_str_list(meta.get("sources", []), "[lexicon] sources", source)

    if not isinstance(categories, Mapping) or not categories:
        raise _fail(source, "[categories] is missing or empty")
    cats: dict[str, str] = {}
    for cat_id, cat_desc in categories.items():
        if not _ID_RE.match(cat_id):
            raise _fail(source, f"category id {cat_id!r} must match [a-z][a-z0-9_]*")
        cats[cat_id] = _as_str(cat_desc, f"category {cat_id!r} description", source)

    terms: list[Term] = []
    owner: dict[str, str] = {}  # form -> term that lists it
    for i, raw in enumerate(raw_terms, start=1):
        if not isinstance(raw, Mapping):
            raise _fail(source, f"term #{i} must be a table")
        unknown = sorted(set(raw) - _TERM_KEYS)
        if unknown:
            raise _fail(
                source,
                f"term #{i} has unknown key(s) {', '.join(unknown)}; "
                f"expected {', '.join(sorted(_TERM_KEYS))}",
            )
        if "term" not in raw:
            raise _fail(source, f"term #{i} has no 'term'")
        term = _as_str(raw["term"], f"term #{i} 'term'", source).strip()
        if not term:
            raise _fail(source, f"term #{i} is empty")
        where = f"term {term!r}"
        if "category" not in raw:
            raise _fail(source, f"{where} has no category")
        category = _as_str(raw["category"], f"{where} category", source)
        if category not in cats:
            raise _fail(
                source,
                f"{where}: category {category!r} is not declared in [categories] "
                f"({', '.join(cats)})",
            )
        note = _as_str(raw.get("note", ""), f"{where} note", source)
        explicit = _as_str_list(raw.get("forms", []), f"{where} forms", source)
        seen_explicit: set[str] = set()
        for form in explicit:
            if form in seen_explicit:
                raise _fail(source, f"{where}: form {form!r} is listed twice")
            seen_explicit.add(form)
        inflect = raw.get("inflect", False)
        if inflect not in (True, False, "plural"):
            raise _fail(source, f'{where}: inflect must be true, false or "plural"')
        _check_form(term, where, source)
        generated: list[str] = []
        if inflect:
            if term.endswith("*"):
                raise _fail(source, f"{where}: a wildcard term cannot also be inflected")
            generated = inflections(term, "plural" if inflect == "plural" else "verb")
        forms: list[str] = []
        for form in [term, *explicit, *generated]:
            if form in forms:
                continue  # the term itself or an inflection also listed explicitly
            _check_form(form, where, source)
            other = owner.get(form)
            if other is not None:
                raise _fail(
                    source, f"form {form!r} is listed twice: in term {other!r} and in {where}"
                )
            owner[form] = term
            forms.append(form)
        terms.append(Term(term=term, category=category, forms=tuple(forms), note=note))
    if not terms:
        raise _fail(source, "the lexicon has no [[terms]]")
    return Lexicon(
        name=name,
        family=cast(Family, family),
        version=version,
        description=description,
        sources=tuple(sources),
        licence=licence,
        categories=cats,
        terms=tuple(terms),
    )


# --- TOML -----------------------------------------------------------------


def lexicon_from_toml(text: str, *, source: str = "<string>") -> Lexicon:
    """Parse and validate a lexicon from TOML text.

    Raises :class:`LexiconError` with a one-line message naming ``source``.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(source, f"not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {"lexicon", "categories", "terms"})
    if unknown:
        raise _fail(
            source,
            f"unknown top-level key(s) {', '.join(unknown)}; "
            "expected [lexicon], [categories] and [[terms]]",
        )
    meta = data.get("lexicon")
    if not isinstance(meta, dict):
        raise _fail(source, "no [lexicon] table")
    categories = data.get("categories")
    if not isinstance(categories, dict):
        raise _fail(source, "no [categories] table")
    raw_terms = data.get("terms", [])
    if not isinstance(raw_terms, list):
        raise _fail(source, "'terms' must be an array of tables ([[terms]])")
    return _build(meta, categories, raw_terms, source)


def _toml_str(value: str) -> str:
    # JSON string escapes are a subset of TOML basic-string escapes; DEL must
    # be escaped in TOML but not in JSON.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_list(values: Iterable[str], indent: str = "") -> str:
    items = [_toml_str(v) for v in values]
    one_line = "[" + ", ".join(items) + "]"
    if len(one_line) <= 88 - len(indent):
        return one_line
    return "[\n" + "".join(f"    {item},\n" for item in items) + "]"


def lexicon_to_toml(lex: Lexicon) -> str:
    """Serialise a lexicon to TOML; ``lexicon_from_toml`` reads it back equal.

    Forms are written out in full (no ``inflect`` shorthand).
    """
    out = [
        "[lexicon]",
        f"name = {_toml_str(lex.name)}",
        f"family = {_toml_str(lex.family)}",
        f"version = {_toml_str(lex.version)}",
        f"description = {_toml_str(lex.description)}",
        f"licence = {_toml_str(lex.licence)}",
        f"sources = {_toml_list(lex.sources, 'sources = ')}",
        "",
        "[categories]",
    ]
    out += [f"{cat_id} = {_toml_str(desc)}" for cat_id, desc in lex.categories.items()]
    for t in lex.terms:
        out += [
            "",
            "[[terms]]",
            f"term = {_toml_str(t.term)}",
            f"category = {_toml_str(t.category)}",
        ]
        extra = [f for f in t.forms if f != t.term]
        if extra:
            out.append(f"forms = {_toml_list(extra, 'forms = ')}")
        if t.note:
            out.append(f"note = {_toml_str(t.note)}")
    return "\n".join(out) + "\n"


# --- loading --------------------------------------------------------------


@functools.cache
def _load_builtin(name: str) -> Lexicon:
    text = resources.files(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return lexicon_from_toml(text, source=f"{name}.toml")


def load_lexicon(path_or_name: str | Path) -> Lexicon:
    """Load a built-in lexicon by name ("hedges", "boosters",
    "framing_conflict", "framing_policy") or a lexicon file by path.
    """
    if isinstance(path_or_name, str) and path_or_name in BUILTIN_LEXICONS:
        return _load_builtin(path_or_name)
    path = Path(path_or_name)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _fail(
            str(path),
            f"no such file (built-in lexicons are {', '.join(BUILTIN_LEXICONS)})",
        ) from None
    except IsADirectoryError:
        raise _fail(str(path), "is a folder, not a lexicon file") from None
    except UnicodeDecodeError:
        raise _fail(str(path), "is not UTF-8 text") from None
    except OSError as exc:
        raise _fail(str(path), exc.strerror or "cannot be read") from None
    return lexicon_from_toml(text, source=str(path))


def builtin_lexicons() -> dict[str, Lexicon]:
    """Every lexicon shipped with the package, by name."""
    return {name: _load_builtin(name) for name in BUILTIN_LEXICONS}


def default_lexicons() -> list[Lexicon]:
    """The default set: hedges, boosters and conflict/diplomacy framing."""
    return [_load_builtin(name) for name in DEFAULT_LEXICONS]


# --- editable tables ------------------------------------------------------

TABLE_COLUMNS: tuple[str, ...] = ("category", "term", "forms", "note")


def lexicon_table(lex: Lexicon) -> pd.DataFrame:
    """One row per term: ``category, term, forms`` (";"-joined), ``note``.

    Meant for an editable table; :func:`lexicon_from_table` reads it back.
    """
    import pandas as pd

    rows = [(t.category, t.term, ";".join(t.forms), t.note) for t in lex.terms]
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN
        return ""
    try:
        import pandas as pd

        if value is pd.NA:
            return ""
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return " ".join(str(value).split())


def lexicon_from_table(df: pd.DataFrame, like: Lexicon) -> Lexicon:
    """A lexicon with ``like``'s metadata and categories and the table's terms.

    Cells are forgiving (surrounding and repeated whitespace is dropped, forms
    and terms are lower-cased, blank rows are skipped); everything else is
    validated like a file, with errors naming the row.
    """
    missing = [c for c in TABLE_COLUMNS if c not in df.columns]
    source = f"{like.name} (edited table)"
    if missing:
        raise _fail(source, f"missing column(s) {', '.join(missing)}")
    raw_terms: list[dict[str, Any]] = []
    for row_no, row in enumerate(df[list(TABLE_COLUMNS)].itertuples(index=False), start=1):
        category, term, forms, note = (_cell(v) for v in row)
        if not (category or term or forms or note):
            continue
        term = term.lower()
        if not term:
            raise _fail(source, f"row {row_no}: term is empty")
        if not category:
            raise _fail(source, f"row {row_no} ({term!r}): category is empty")
        form_list: list[str] = []
        for form in (f.strip().lower() for f in forms.split(";")):
            if form and form != term and form not in form_list:
                form_list.append(form)
        raw_terms.append({"term": term, "category": category, "forms": form_list, "note": note})
    meta = {
        "name": like.name,
        "family": like.family,
        "version": like.version,
        "description": like.description,
        "licence": like.licence,
        "sources": list(like.sources),
    }
    return _build(meta, like.categories, raw_terms, source)
