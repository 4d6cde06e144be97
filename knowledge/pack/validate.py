"""Check a knowledge pack whole and name every problem by its JSON path."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

from knowledge.errors import InvalidPack


def json_path(parts: Iterable[str | int]) -> str:
    """``['services', 3, 'faq', 1, 'id']`` → ``services[3].faq[1].id``; the root is ``$``."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "$"


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(resources.files("knowledge.pack").joinpath("schema.json").read_text())
    return Draft202012Validator(schema)


def _schema_problems(doc: Any) -> list[str]:
    problems = []
    for error in _validator().iter_errors(doc):
        if error.validator == "anyOf" and list(error.relative_path)[-1:] == ["questions"]:
            message = "needs at least one question in kk or ru"
        elif error.validator == "minProperties":
            message = "needs a text in kk or ru"
        elif error.validator == "pattern" and error.schema.get("pattern") == "\\S":
            message = "must not be blank"
        else:
            message = error.message
        problems.append((list(error.absolute_path), message))
    problems.sort(key=lambda p: [(0, x) if isinstance(x, int) else (1, x) for x in p[0]])
    return [f"{json_path(path)}: {message}" for path, message in problems]


def _reference_problems(doc: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    codes: dict[str, int] = {}
    for i, agency in enumerate(doc.get("agencies", [])):
        code = agency.get("code") if isinstance(agency, dict) else None
        if isinstance(code, str):
            if code in codes:
                problems.append(f"agencies[{i}].code: duplicate code {json.dumps(code)}")
            codes.setdefault(code, i)
    registers: set[str] = set()
    ids: set[str] = set()
    for i, service in enumerate(doc.get("services", [])):
        if not isinstance(service, dict):
            continue
        reg, agency = service.get("register_no"), service.get("agency")
        if isinstance(reg, str):
            if reg in registers:
                problems.append(
                    f"services[{i}].register_no: duplicate register number {json.dumps(reg)}"
                )
            registers.add(reg)
        if isinstance(agency, str) and agency not in codes:
            problems.append(
                f"services[{i}].agency: unknown agency {json.dumps(agency)} (not in agencies)"
            )
        faq = service.get("faq")
        for j, entry in enumerate(faq if isinstance(faq, list) else []):
            key = entry.get("id") if isinstance(entry, dict) else None
            if isinstance(key, str):
                if key in ids:
                    problems.append(f"services[{i}].faq[{j}].id: duplicate id {json.dumps(key)}")
                ids.add(key)
    return problems


def parse_pack(raw: bytes | str) -> dict[str, Any]:
    """Parse and check a pack; raise ``InvalidPack`` with every problem, or return it."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise InvalidPack([f"$: not UTF-8 (byte {exc.start})"]) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidPack(
            [f"$: not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"]
        ) from None
    problems = _schema_problems(doc)
    if isinstance(doc, dict):
        problems += _reference_problems(doc)
    if problems:
        raise InvalidPack(problems)
    return doc  # type: ignore[no-any-return]
