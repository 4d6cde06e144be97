"""The README's settings table lists every setting the code reads (bot/config.py), nested
ones as ``UCC_SECTION__FIELD``, and nothing the code does not read."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from pydantic import BaseModel

from bot.config import Settings

README: Final = Path(__file__).resolve().parents[2] / "README.md"
NAME: Final = re.compile(r"`(UCC_[A-Z0-9_]+(?:__<?[A-Z0-9_]+>?)?)`")


def documented() -> set[str]:
    text = README.read_text(encoding="utf-8")
    table = text.split("\n## Settings", 1)[1].split("\n## ", 1)[0]
    first_cells = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    return {name for cell in first_cells for name in NAME.findall(cell)}


def read_by_the_code() -> set[str]:
    names = set()
    for field, info in Settings.model_fields.items():
        kind = info.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            names |= {f"UCC_{field.upper()}__{sub.upper()}" for sub in kind.model_fields}
        elif str(kind).startswith("dict"):  # a table of overrides, one variable a key
            names.add(f"UCC_{field.upper()}__<RULE>")
        else:
            names.add(f"UCC_{field.upper()}")
    return names


def test_the_readme_lists_every_setting_the_code_reads_and_no_other() -> None:
    assert sorted(read_by_the_code() - documented()) == []
    assert sorted(documented() - read_by_the_code()) == []
