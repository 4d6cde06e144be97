"""knowledge/db."""
