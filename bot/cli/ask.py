"""``ucc ask``, ``ucc chat`` and ``ucc unanswered``: the engine from the terminal — one
question, a batch (``knowledge-pack.md``, "Asking in batch"), a conversation, and what it
could not answer."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bot.app import App
from bot.cli.common import EXIT_OK, actor_of, person
from bot.runners.terminal import TerminalChat, render_answer
from knowledge.asking import match, unanswered
from knowledge.citizens import citizen_for
from knowledge.dialogue import ask_once
from knowledge.errors import InvalidInput
from knowledge.length import over_limit
from knowledge.model import Answer


def answer_json(answer: Answer, query_id: Any = None) -> dict[str, Any]:
    """One line of the batch output (knowledge-pack.md, "Asking in batch")."""
    out: dict[str, Any] = {} if query_id is None else {"id": query_id}
    out.update(
        lang=answer.lang,
        decision=answer.decision.value,
        entry=answer.entry,
        score=answer.score,
        candidates=[asdict(c) for c in answer.candidates],
    )
    return out


def _row_problem(row: Any) -> str | None:
    """Why a line cannot be asked and its id written back, or None."""
    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
        return 'expected an object with a string "text"'
    if not isinstance(row.get("id"), str | int | float | None):
        return '"id" must be a string or a number'
    if not all(_is_unicode(value) for value in (row["text"], row.get("id"))):
        return "not Unicode text (a lone surrogate such as \\ud800)"
    return None


def _is_unicode(value: Any) -> bool:
    """Not a string with a lone surrogate, which no file or database can encode."""
    try:
        str(value).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _read_batch(path: str) -> list[dict[str, Any]]:
    problems, rows = [], []
    try:
        lines = Path(path).read_text(encoding="utf-8").split("\n")
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 (byte {exc.start})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{n}: not valid JSON ({exc.msg})")
            continue
        except (ValueError, RecursionError) as exc:  # a number too long, nesting too deep
            problems.append(f"{path}:{n}: not valid JSON ({exc})")
            continue
        if (problem := _row_problem(row)) is not None:
            problems.append(f"{path}:{n}: {problem}")
            continue
        rows.append(row)
    if problems:
        raise InvalidInput("\n".join(problems))
    return rows


async def cmd_ask(app: App, args: argparse.Namespace) -> int:
    lang = args.lang or app.settings.default_lang
    if args.batch:
        if not args.out:
            raise InvalidInput("--batch needs --out FILE")
        rows = _read_batch(args.batch)
        async with app.uow() as uow:
            matcher = await app.matchers.get(uow)
        with open(args.out, "w", encoding="utf-8") as out:
            for row in rows:
                answer = match(matcher, row["text"], lang)
                out.write(json.dumps(answer_json(answer, row.get("id")), ensure_ascii=False))
                out.write("\n")
        return EXIT_OK
    if args.text is None:
        raise InvalidInput("give a question, or --batch IN.jsonl --out OUT.jsonl")
    async with app.uow() as uow:
        citizen = await citizen_for(uow, "cli", getpass.getuser(), app.clock)
        answer, reference = await ask_once(uow, app.matchers, citizen, args.text,
                                           fallback_lang=lang, clock=app.clock)
        await uow.commit()
        matcher = await app.matchers.get(uow)
    if args.json:
        verdict = answer_json(answer)
        if answer.reason is not None:  # nothing matched at all: why ("too_long", …)
            verdict["reason"] = answer.reason
        if reference is not None:  # passed to a person: the escalation's number
            verdict["reference"] = reference
        print(json.dumps(verdict, ensure_ascii=False))
        return EXIT_OK
    entries = matcher.entries_by_key
    print(f"[{answer.decision.value} {answer.entry or ''} {answer.score:.2f} {answer.lang}]")
    too_long = over_limit(args.text, app.matchers.max_chars)
    for line in render_answer(answer, entries, answer.lang, too_long=too_long,
                              reference=reference):
        print(line)
    return EXIT_OK


async def cmd_chat(app: App, args: argparse.Namespace) -> int:
    chat = TerminalChat(app.uow, app.matchers, app.clock,
                        args.lang or app.settings.default_lang, sys.stdout,
                        address=getpass.getuser())
    async with app.uow() as uow:
        await app.matchers.get(uow)  # the index is built before the first question
    print("ready — ask a question (/quit or Ctrl-D to leave)", file=sys.stderr, flush=True)
    chat.greet()
    loop = asyncio.get_running_loop()
    while True:
        print("> ", end="", flush=True)
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            return EXIT_OK
        if not await chat.handle(line):
            return EXIT_OK


async def cmd_unanswered_list(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        rows = await unanswered(uow, await actor_of(uow, args), args.limit)
    for row in rows:
        best = ", ".join(f"{c.entry} {c.score:.2f}" for c in row.candidates[:3])
        text = row.text.replace("\n", " ")
        if len(text) > 120:
            text = text[:117] + "..."
        cut = "" if row.original_length is None else f" (cut from {row.original_length} chars)"
        gap = " gap: out of scope" if row.gap else ""
        print(f"#{row.id} {row.created_at:%Y-%m-%d %H:%M} {row.channel} {row.lang} "
              f"{json.dumps(text, ensure_ascii=False)}{cut}  [{best}]{gap}")
    if not rows:
        print("no unanswered questions")
    return EXIT_OK


def add_ask_parsers(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", nargs="?", help="the question, in quotes")
    parser.add_argument("--json", action="store_true",
                        help="print the answer as JSON (for programs)")
    parser.add_argument("--lang", choices=["kk", "ru"],
                        help="the language to answer in when the question does not show it")
    parser.add_argument("--batch", metavar="IN.jsonl",
                        help="ask every question of this file, one JSON a line")
    parser.add_argument("--out", metavar="OUT.jsonl",
                        help="where to write the answers to --batch")
    parser.set_defaults(func=cmd_ask)


def add_chat_parsers(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=["kk", "ru"],
                        help="the language to start in (/lang kk or /lang ru changes it)")
    parser.set_defaults(func=cmd_chat)


def add_unanswered_parsers(parser: argparse.ArgumentParser) -> None:
    un_sub = parser.add_subparsers(dest="unanswered_command", required=True)
    p = person(un_sub.add_parser("list", help="the latest questions the bot could not "
                                              "answer"))
    p.add_argument("--limit", type=int, default=50, help="how many to show (default 50)")
    p.set_defaults(func=cmd_unanswered_list)
