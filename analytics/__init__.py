"""slantscope: compare how news outlets cover the same story.

The public API, re-exported lazily so ``import analytics`` stays cheap:

* :func:`load_corpus` (``analytics.corpus``): any supported input -> articles;
* :func:`score_corpus` (``analytics.pipeline``): articles -> scores,
  sentences and hits;
* :func:`load_lexicon`, :func:`default_lexicons` (``analytics.lexicons``).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "ColumnMapping",
    "Scored",
    "default_lexicons",
    "load_corpus",
    "load_lexicon",
    "score_corpus",
]

_WHERE = {
    "ColumnMapping": "analytics.corpus",
    "load_corpus": "analytics.corpus",
    "Scored": "analytics.pipeline",
    "score_corpus": "analytics.pipeline",
    "default_lexicons": "analytics.lexicons",
    "load_lexicon": "analytics.lexicons",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'analytics' has no attribute {name!r}")
