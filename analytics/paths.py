"""Where slantscope keeps its per-user files."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/slantscope``, else ``~/.cache/slantscope`` (not created here)."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "slantscope"
