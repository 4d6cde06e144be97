"""End-to-end helpers: the ``ucc`` command run as a real subprocess on a private database."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PRODUCT_DEMO_PACK

CLI_TIMEOUT_S = 60


@dataclass(frozen=True, slots=True)
class Cli:
    """Runs ``python -m bot ...`` in ``cwd`` (so no .env is read) against ``database``."""

    cwd: Path
    database: Path

    def __call__(
        self, *args: str | Path, stdin: str | None = None, database: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        db = database or self.database
        env = {**os.environ, "UCC_DATABASE_URL": f"sqlite+aiosqlite:///{db}"}
        return subprocess.run(
            [sys.executable, "-m", "bot", *map(str, args)],
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            cwd=self.cwd,
            timeout=CLI_TIMEOUT_S,
            check=False,
        )


def describe(result: subprocess.CompletedProcess[str]) -> str:
    """Everything a failed assertion should show about a run."""
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """The command line on an empty (freshly migrated on first use) database."""
    return Cli(cwd=tmp_path, database=tmp_path / "ucc.sqlite3")


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the product demo pack imported, made once through the CLI itself."""
    folder = tmp_path_factory.mktemp("seeded")
    runner = Cli(cwd=folder, database=folder / "template.sqlite3")
    result = runner("kb", "import", PRODUCT_DEMO_PACK)
    assert result.returncode == 0, describe(result)
    return runner.database


@pytest.fixture
def seeded_cli(cli: Cli, seeded_template: Path) -> Cli:
    """The command line on a private copy of the seeded database."""
    source, target = sqlite3.connect(seeded_template), sqlite3.connect(cli.database)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return cli


@pytest.fixture(scope="session")
def product_pack() -> dict[str, Any]:
    return json.loads(PRODUCT_DEMO_PACK.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def product_answers(product_pack: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Entry id -> its answer by language."""
    return {e["id"]: e["answer"] for s in product_pack["services"] for e in s["faq"]}


@pytest.fixture(scope="session")
def entry_by_title(product_pack: dict[str, Any]) -> Callable[[str, str], str | None]:
    """The entry whose first question in ``lang`` (or the other language) is ``title``."""

    def find(title: str, lang: str) -> str | None:
        other = "ru" if lang == "kk" else "kk"
        for service in product_pack["services"]:
            for entry in service["faq"]:
                questions = entry["questions"]
                first = (questions.get(lang) or questions.get(other) or [None])[0]
                if first == title:
                    return str(entry["id"])
        return None

    return find
