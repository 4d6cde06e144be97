"""knowledge/matching."""
