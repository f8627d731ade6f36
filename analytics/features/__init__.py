"""Feature extractors, one module per family; each is pure (no I/O)."""
