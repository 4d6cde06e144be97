"""knowledge/pack."""
