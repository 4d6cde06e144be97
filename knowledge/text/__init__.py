"""knowledge/text."""
