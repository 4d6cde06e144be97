"""Check a knowledge pack whole and name every problem by its JSON path.

Nothing in a file may crash the reader: its size, its nesting, its numbers and its text are
checked before Python's own limits would raise, and the fields' lengths and counts are the
schema's (``schema.json``: an answer is what Telegram delivers in four messages, an id what
the base stores).
"""

from __future__ import annotations

import json
import re
import sys
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


MAX_PACK_BYTES: Final = 20 * 1024 * 1024  # what an agency may send for onboarding, too
MAX_DEPTH: Final = 20  # a pack is 7 levels deep; json.loads recurses once a level
MAX_ENTRIES: Final = 20_000  # questions and answers in one pack, all services together
SHOWN_CHARS: Final = 80  # of a wrong value in a problem: it may be megabytes long

_JSON_TOKEN: Final = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[][{}]', re.DOTALL)
_LONG_NUMBER: Final = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|(\d{'
                                 + str(sys.get_int_max_str_digits() + 1) + ",})", re.DOTALL)
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE: Final = re.compile(r"\\u[dD][89a-fA-F]")

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
NOT_UTF8: Final = _("not UTF-8 at line {line} column {column} (byte {byte})")
NOT_JSON: Final = _("not valid JSON at line {line} column {column}: {detail}")
TOO_LARGE: Final = _("larger than {mb} MB")
TOO_DEEP: Final = _("nested deeper than {depth} levels at line {line} column {column}")
NUMBER_TOO_LONG: Final = _("a number longer than {digits} digits at line {line} column "
                           "{column}")
LONE_SURROGATE: Final = _("not Unicode text: a lone surrogate {code}")
KEY_LONE_SURROGATE: Final = _("a key is not Unicode text: a lone surrogate {code}")
TOO_LONG: Final = _("{length} characters, more than the limit of {limit}")
TOO_MANY: Final = _("{count} items, more than the limit of {limit}")
TOO_MANY_ENTRIES: Final = _("{count} entries in the pack, more than the limit of {limit}")


def _cut(text: str) -> str:
    """A text as a problem shows it: a wrong field may be megabytes long."""
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def _schema_problem(error: ValidationError) -> tuple[str, dict[str, str | int]]:
    """The message id and fields of one schema error; jsonschema's own text as a last
    resort."""
    kind, wanted = error.validator, error.validator_value
    message: tuple[str, dict[str, str | int]] = (INVALID, {"detail": _cut(error.message)})
    if kind == "anyOf" and list(error.relative_path)[-1:] == ["questions"]:
        message = (NO_QUESTION, {})
    elif kind == "minProperties":
        message = (NO_TEXT, {})
    elif kind == "pattern":
        message = ((BLANK, {}) if wanted == "\\S"
                   else (NO_MATCH, {"value": _cut(repr(error.instance)),
                                    "pattern": repr(wanted)}))
    elif kind == "type":
        message = (WRONG_TYPE, {"value": _cut(repr(error.instance)), "expected": repr(wanted)})
    elif kind == "required" and (found := re.match(r"(.+) is a required property$",
                                                   error.message)):
        message = (MISSING_FIELD, {"name": found.group(1)})
    elif kind == "additionalProperties" and (found := re.search(
            r"\((.+) (?:was|were) unexpected\)$", error.message)):
        message = (UNKNOWN_FIELDS, {"names": _cut(found.group(1))})
    elif kind == "const":
        message = (NOT_CONST, {"expected": repr(wanted)})
    elif kind in ("minItems", "minLength", "maxItems", "maxLength"):
        message = _size_problem(kind, int(wanted), len(error.instance))
    return message


def _size_problem(kind: str, bound: int, size: int) -> tuple[str, dict[str, str | int]]:
    """A length or a count out of the schema's bounds; over a limit, the size found too."""
    if kind == "minItems":
        return (TOO_FEW, {"n": bound})
    if kind == "minLength":
        return (TOO_SHORT, {"n": bound})
    if kind == "maxItems":
        return (TOO_MANY, {"count": size, "limit": bound})
    return (TOO_LONG, {"length": size, "limit": bound})


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
                                           code=_cut(json.dumps(code, ensure_ascii=False))))
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
                                       register_no=_cut(json.dumps(reg, ensure_ascii=False))))
        registers.add(reg)
    if isinstance(agency, str) and agency not in codes:
        problems.append(Problem.at(f"services[{i}].agency", UNKNOWN_AGENCY,
                                   agency=_cut(json.dumps(agency, ensure_ascii=False))))
    faq = service.get("faq")
    for j, entry in enumerate(faq if isinstance(faq, list) else []):
        key = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(key, str):
            if key in ids:
                problems.append(Problem.at(f"services[{i}].faq[{j}].id", DUPLICATE_ID,
                                           id=_cut(json.dumps(key, ensure_ascii=False))))
            ids.add(key)
    return problems


def _entries_problems(doc: dict[str, Any]) -> list[Problem]:
    """The pack's entries together within ``MAX_ENTRIES`` (the schema counts per service)."""
    services = doc.get("services")
    count = sum(len(service["faq"]) for service in services if isinstance(service, dict)
                and isinstance(service.get("faq"), list)) if isinstance(services, list) else 0
    if count <= MAX_ENTRIES:
        return []
    return [Problem.at("services", TOO_MANY_ENTRIES, count=count, limit=MAX_ENTRIES)]


def _line_column(text: str, index: int) -> tuple[int, int]:
    """Where ``index`` is, both counted from 1 as ``json`` reports them."""
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def _decoded(raw: bytes | str) -> str:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8")
        line, column = _line_column(before, len(before))
        raise InvalidPack([Problem.at("$", NOT_UTF8, line=line, column=column,
                                      byte=exc.start)]) from None


def _check_depth(text: str) -> None:
    """Refuse nesting beyond ``MAX_DEPTH`` before ``json.loads`` recurses into it (and
    raises ``RecursionError``); strings are skipped whole, so their brackets do not count."""
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        mark = text[token.start()]
        if mark in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line, column = _line_column(text, token.start())
                raise InvalidPack([Problem.at("$", TOO_DEEP, depth=MAX_DEPTH, line=line,
                                              column=column)])
        elif mark in "]}":
            depth -= 1


def _loaded(text: str) -> Any:
    """The JSON value of ``text``; a number Python refuses to convert is placed like a
    syntax error."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidPack([Problem.at("$", NOT_JSON, line=exc.lineno, column=exc.colno,
                                      detail=exc.msg)]) from None
    except (ValueError, RecursionError) as exc:  # an integer beyond int_max_str_digits, or
        # nesting the token scan missed in text that is not JSON anyway
        numbers = (m for m in _LONG_NUMBER.finditer(text) if m.group(1))
        if (number := next(numbers, None)) is None:
            raise InvalidPack([Problem.at("$", INVALID, detail=_cut(str(exc)))]) from None
        line, column = _line_column(text, number.start(1))
        raise InvalidPack([Problem.at("$", NUMBER_TOO_LONG, digits=sys.get_int_max_str_digits(),
                                      line=line, column=column)]) from None


def _without_surrogates(value: Any, path: tuple[str | int, ...],
                        problems: list[Problem]) -> Any:
    """``value`` with each lone surrogate (``"\\ud800"`` in the file: no character, and
    no database or channel can encode it) made U+FFFD and named by its path, so the other
    checks go on and never print one."""
    if isinstance(value, str):
        if (found := _SURROGATE.search(value)) is None:
            return value
        problems.append(Problem.at(json_path(path), LONE_SURROGATE,
                                   code=f"U+{ord(found.group()):04X}"))
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_surrogates(item, (*path, i), problems) for i, item in enumerate(value)]
    if isinstance(value, dict):
        clean: dict[str, Any] = {}
        for key, item in value.items():
            if found := _SURROGATE.search(key):
                problems.append(Problem.at(json_path(path), KEY_LONE_SURROGATE,
                                           code=f"U+{ord(found.group()):04X}"))
                key = _SURROGATE.sub("\ufffd", key)  # noqa: PLW2901 - the key as checked
            clean[key] = _without_surrogates(item, (*path, key), problems)
        return clean
    return value


def parse_pack(raw: bytes | str) -> dict[str, Any]:
    """Parse and check a pack; raise ``InvalidPack`` with every problem, or return it.

    What makes the file unreadable (too large, not UTF-8, too deep, not JSON) is its one
    problem; in a readable file every problem is named at once.
    """
    if len(raw) > MAX_PACK_BYTES:
        raise InvalidPack([Problem.at("$", TOO_LARGE, mb=MAX_PACK_BYTES // (1024 * 1024))])
    text = _decoded(raw)
    _check_depth(text)
    doc = _loaded(text)
    problems: list[Problem] = []
    if _SURROGATE_ESCAPE.search(text) or _SURROGATE.search(text):
        doc = _without_surrogates(doc, (), problems)
    problems += _schema_problems(doc)
    if isinstance(doc, dict):
        problems += _reference_problems(doc) + _entries_problems(doc)
    if problems:
        raise InvalidPack(problems)
    return doc  # type: ignore[no-any-return]
