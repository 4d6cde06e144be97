"""Check a knowledge pack whole and name every problem by its JSON path."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any, Final

from jsonschema import Draft202012Validator, ValidationError

from knowledge.errors import InvalidPack
from knowledge.problems import Problem, marked


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


_ = marked  # translated when shown

BLANK: Final = _("must not be blank")
NO_QUESTION: Final = _("needs at least one question in kk or ru")
NO_TEXT: Final = _("needs a text in kk or ru")
WRONG_TYPE: Final = _("{value} is not of type {expected}")
MISSING_FIELD: Final = _("{name} is a required property")
UNKNOWN_FIELDS: Final = _("Additional properties are not allowed: {names}")
NO_MATCH: Final = _("{value} does not match the required form {pattern}")
NOT_CONST: Final = _("{expected} was expected")
TOO_FEW: Final = _("the smallest number of items is {n}")
TOO_SHORT: Final = _("the shortest length is {n}")
INVALID: Final = _("invalid: {detail}")
DUPLICATE_CODE: Final = _("duplicate code {code}")
DUPLICATE_REGISTER_NO: Final = _("duplicate register number {register_no}")
UNKNOWN_AGENCY: Final = _("unknown agency {agency} (not in agencies)")
DUPLICATE_ID: Final = _("duplicate id {id}")
NOT_UTF8: Final = _("not UTF-8 (byte {byte})")
NOT_JSON: Final = _("not valid JSON at line {line} column {column}: {detail}")


def _schema_problem(error: ValidationError) -> tuple[str, dict[str, str | int]]:
    """The message id and fields of one schema error; jsonschema's own text as a last
    resort."""
    kind, wanted = error.validator, error.validator_value
    message: tuple[str, dict[str, str | int]] = (INVALID, {"detail": error.message})
    if kind == "anyOf" and list(error.relative_path)[-1:] == ["questions"]:
        message = (NO_QUESTION, {})
    elif kind == "minProperties":
        message = (NO_TEXT, {})
    elif kind == "pattern":
        message = ((BLANK, {}) if wanted == "\\S"
                   else (NO_MATCH, {"value": repr(error.instance), "pattern": repr(wanted)}))
    elif kind == "type":
        message = (WRONG_TYPE, {"value": repr(error.instance), "expected": repr(wanted)})
    elif kind == "required" and (found := re.match(r"(.+) is a required property$",
                                                   error.message)):
        message = (MISSING_FIELD, {"name": found.group(1)})
    elif kind == "additionalProperties" and (found := re.search(
            r"\((.+) (?:was|were) unexpected\)$", error.message)):
        message = (UNKNOWN_FIELDS, {"names": found.group(1)})
    elif kind == "const":
        message = (NOT_CONST, {"expected": repr(wanted)})
    elif kind == "minItems":
        message = (TOO_FEW, {"n": int(wanted)})
    elif kind == "minLength":
        message = (TOO_SHORT, {"n": int(wanted)})
    return message


def _schema_problems(doc: Any) -> list[Problem]:
    problems = []
    for error in _validator().iter_errors(doc):
        message, fields = _schema_problem(error)
        problems.append((list(error.absolute_path), message, fields))
    problems.sort(key=lambda p: [(0, x) if isinstance(x, int) else (1, x) for x in p[0]])
    return [Problem.at(json_path(path), message, **fields) for path, message, fields in problems]


def _reference_problems(doc: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    codes: dict[str, int] = {}
    for i, agency in enumerate(doc.get("agencies", [])):
        code = agency.get("code") if isinstance(agency, dict) else None
        if isinstance(code, str):
            if code in codes:
                problems.append(Problem.at(f"agencies[{i}].code", DUPLICATE_CODE,
                                           code=json.dumps(code, ensure_ascii=False)))
            codes.setdefault(code, i)
    registers: set[str] = set()
    ids: set[str] = set()
    for i, service in enumerate(doc.get("services", [])):
        if isinstance(service, dict):
            problems += _service_references(i, service, codes, registers, ids)
    return problems


def _service_references(
    i: int, service: dict[str, Any], codes: Mapping[str, int], registers: set[str],
    ids: set[str],
) -> list[Problem]:
    """A service's register number and entry ids not seen before (both sets grow), and its
    agency among the pack's."""
    problems = []
    reg, agency = service.get("register_no"), service.get("agency")
    if isinstance(reg, str):
        if reg in registers:
            problems.append(Problem.at(f"services[{i}].register_no", DUPLICATE_REGISTER_NO,
                                       register_no=json.dumps(reg, ensure_ascii=False)))
        registers.add(reg)
    if isinstance(agency, str) and agency not in codes:
        problems.append(Problem.at(f"services[{i}].agency", UNKNOWN_AGENCY,
                                   agency=json.dumps(agency, ensure_ascii=False)))
    faq = service.get("faq")
    for j, entry in enumerate(faq if isinstance(faq, list) else []):
        key = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(key, str):
            if key in ids:
                problems.append(Problem.at(f"services[{i}].faq[{j}].id", DUPLICATE_ID,
                                           id=json.dumps(key, ensure_ascii=False)))
            ids.add(key)
    return problems


def parse_pack(raw: bytes | str) -> dict[str, Any]:
    """Parse and check a pack; raise ``InvalidPack`` with every problem, or return it."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise InvalidPack([Problem.at("$", NOT_UTF8, byte=exc.start)]) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidPack([Problem.at("$", NOT_JSON, line=exc.lineno, column=exc.colno,
                                      detail=exc.msg)]) from None
    problems = _schema_problems(doc)
    if isinstance(doc, dict):
        problems += _reference_problems(doc)
    if problems:
        raise InvalidPack(problems)
    return doc  # type: ignore[no-any-return]
