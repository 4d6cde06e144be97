"""The stage vocabulary: the codes providers send, with what a citizen reads in kk and ru.

Shipped in ``stages.json``; a deployment may point ``UCC_STATUS__STAGES_FILE`` at its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from knowledge.errors import InvalidInput

DEFAULT_STAGES_FILE: Final = Path(__file__).resolve().parent / "stages.json"
CODE: Final = re.compile(r"[a-z][a-z0-9_]{0,31}")
LANGS: Final = ("kk", "ru")


@dataclass(frozen=True, slots=True)
class Stage:
    code: str
    kk: str
    ru: str

    def text(self, lang: str) -> str:
        return self.kk if lang == "kk" else self.ru


class Stages(Mapping[str, Stage]):
    """Stage code -> stage; an unknown code is a ``KeyError`` (callers report it)."""

    def __init__(self, stages: dict[str, Stage]) -> None:
        self._stages = stages

    def __getitem__(self, code: str) -> Stage:
        return self._stages[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._stages)

    def __len__(self) -> int:
        return len(self._stages)


def parse_stages(doc: object, source: str = "stages") -> Stages:
    """Check a vocabulary (``{code: {"kk": text, "ru": text}}``); every problem named."""
    if not isinstance(doc, dict) or not doc:
        raise InvalidInput(f"{source}: expected a non-empty object of stage codes")
    problems, stages = [], {}
    for code, texts in doc.items():
        if not CODE.fullmatch(code):
            problems.append(f"{source}: {code!r} is not a stage code (a-z, 0-9, _)")
            continue
        if not isinstance(texts, dict):
            problems.append(f"{source}.{code}: expected {{\"kk\": …, \"ru\": …}}")
            continue
        missing = [lang for lang in LANGS
                   if not isinstance(texts.get(lang), str) or not texts[lang].strip()]
        if missing:
            problems.append(f"{source}.{code}: no text in {' / '.join(missing)}")
            continue
        stages[code] = Stage(code, texts["kk"].strip(), texts["ru"].strip())
    if problems:
        raise InvalidInput("\n".join(problems))
    return Stages(stages)


def load_stages(path: Path | None = None) -> Stages:
    path = path or DEFAULT_STAGES_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    return parse_stages(doc, str(path))
