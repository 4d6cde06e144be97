"""The ``ucc`` command line. Exit status: 0 done, 2 invalid input (problems on stderr)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bot.app import App, create_app
from bot.cli.complaints import add_parsers as add_complaint_parsers
from bot.cli.escalations import add_parsers as add_escalation_parsers
from bot.cli.onboarding import add_parsers as add_onboarding_parsers
from bot.cli.privacy import add_privacy_parsers
from bot.cli.status import add_parsers as add_status_parsers
from bot.config import Settings
from bot.logs import configure_logging
from bot.memory import on_c_allocator, tune_allocator
from bot.runners.loops import install_stop
from bot.runners.sms import gateway_from, run_sms
from bot.runners.telegram import create_bot, run_telegram
from bot.runners.terminal import TerminalChat, render_answer
from bot.runners.workers import Partition, run_worker
from knowledge.asking import ask, unanswered
from knowledge.catalog import kb_stats
from knowledge.errors import InvalidInput, InvalidPack, KnowledgeError
from knowledge.model import Answer
from knowledge.pack.io import dump_pack, export_pack, import_pack
from knowledge.pack.validate import parse_pack
from knowledge.problems import Problem

EXIT_OK = 0
EXIT_INVALID = 2


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


def _read_pack(path: str) -> dict[str, Any]:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InvalidPack([Problem.at("$", "cannot read {path}: {reason}", path=path,
                                      reason=exc.strerror or "")]) from None
    return parse_pack(raw)


async def cmd_kb_validate(app: App, args: argparse.Namespace) -> int:
    doc = _read_pack(args.file)
    entries = sum(len(s["faq"]) for s in doc["services"])
    print(f"{args.file}: valid ({len(doc['services'])} services, {entries} entries)")
    return EXIT_OK


async def cmd_kb_import(app: App, args: argparse.Namespace) -> int:
    doc = _read_pack(args.file)
    async with app.uow() as uow:
        report = await import_pack(uow, doc, draft=args.draft)
    print(
        f"imported {args.file}: agencies +{report.agencies_added} ~{report.agencies_updated}, "
        f"services +{report.services_added} ~{report.services_updated}, "
        f"entries +{report.entries_added} ~{report.entries_updated}"
        + (" (new services as drafts)" if args.draft else "")
    )
    return EXIT_OK


async def cmd_kb_export(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        text = dump_pack(await export_pack(uow))
    if args.file == "-":
        sys.stdout.write(text)
    else:
        Path(args.file).write_text(text, encoding="utf-8")
    return EXIT_OK


async def cmd_kb_stats(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        stats = await kb_stats(uow)
    print(f"{'agency':<12} {'services':>8} {'live':>5} {'entries':>7} "
          f"{'q kk':>6} {'q ru':>6} {'a kk':>5} {'a ru':>5}")
    for a in stats.agencies:
        print(f"{a.code:<12} {a.services:>8} {a.live_services:>5} {a.entries:>7} "
              f"{a.questions['kk']:>6} {a.questions['ru']:>6} "
              f"{a.answers['kk']:>5} {a.answers['ru']:>5}")
    print(f"entries lacking a language: {len(stats.incomplete)}")
    for key, langs in stats.incomplete:
        print(f"  {key}: no {' / '.join(langs)}")
    return EXIT_OK


async def cmd_kb_seed_demo(app: App, args: argparse.Namespace) -> int:
    """Load the product's own demo knowledge base, only into an empty base."""
    async with app.uow() as uow:
        empty = await uow.knowledge.is_empty()
    if not empty:
        print("knowledge base is not empty: demo not loaded")
        return EXIT_OK
    args.file, args.draft = str(DEMO_PACK), False
    return await cmd_kb_import(app, args)


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
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            problems.append(f"{path}:{n}: expected an object with a string \"text\"")
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
                answer = matcher.ask(row["text"], lang)
                out.write(json.dumps(answer_json(answer, row.get("id")), ensure_ascii=False))
                out.write("\n")
        return EXIT_OK
    if args.text is None:
        raise InvalidInput("give a question, or --batch IN.jsonl --out OUT.jsonl")
    async with app.uow() as uow:
        answer = await ask(uow, app.matchers, args.text, channel="cli",
                           fallback_lang=lang, clock=app.clock)
        matcher = await app.matchers.get(uow)
    if args.json:
        print(json.dumps(answer_json(answer), ensure_ascii=False))
        return EXIT_OK
    entries = {e.key: e for e in matcher.index.entries}
    print(f"[{answer.decision.value} {answer.entry or ''} {answer.score:.2f} {answer.lang}]")
    for line in render_answer(answer, entries, answer.lang):
        print(line)
    return EXIT_OK


async def cmd_chat(app: App, args: argparse.Namespace) -> int:
    chat = TerminalChat(app.uow, app.matchers, app.clock,
                        args.lang or app.settings.default_lang, sys.stdout)
    chat.greet()
    loop = asyncio.get_running_loop()
    while True:
        print("> ", end="", flush=True)
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            return EXIT_OK
        if not await chat.handle(line):
            return EXIT_OK


async def cmd_run(app: App, args: argparse.Namespace) -> int:
    """Start the bot: Telegram and/or SMS; with neither configured, the terminal chat."""
    settings = app.settings
    sms = gateway_from(settings)
    if settings.telegram_token is None and sms is None:
        print("UCC_TELEGRAM_TOKEN is not set: starting the terminal chat instead of Telegram.")
        return await cmd_chat(app, args)
    configure_logging(logging.INFO, [
        s.get_secret_value() for s in (settings.telegram_token, settings.webhook_secret,
                                       settings.jasmin_password, settings.sms_path_token,
                                       settings.sms_webhook_secret) if s is not None])
    if settings.telegram_token is None:
        assert sms is not None
        await run_sms(app, sms)
        return EXIT_OK
    workers = settings.workers if args.workers is None else args.workers
    await run_telegram(app, args.webhook or settings.webhook_base_url, workers=workers, sms=sms)
    return EXIT_OK


async def cmd_work(app: App, args: argparse.Namespace) -> int:
    """A processing worker of ``ucc run --workers N`` (started by it, not by hand)."""
    if app.settings.telegram_token is None:
        raise InvalidInput("UCC_TELEGRAM_TOKEN is not set")
    token = app.settings.telegram_token.get_secret_value()
    configure_logging(logging.INFO, [token])
    try:
        partition = Partition.parse(args.partition)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    bot = create_bot(token, app.settings.telegram_api_url)
    stop = asyncio.Event()
    install_stop(stop)
    try:
        await run_worker(app, bot, partition, stop)
    finally:
        await bot.session.close()
    return EXIT_OK


async def cmd_unanswered_list(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        rows = await unanswered(uow, args.limit)
    for row in rows:
        best = ", ".join(f"{c.entry} {c.score:.2f}" for c in row.candidates[:3])
        text = row.text.replace("\n", " ")
        if len(text) > 120:
            text = text[:117] + "..."
        print(f"#{row.id} {row.created_at:%Y-%m-%d %H:%M} {row.channel} {row.lang} "
              f"{json.dumps(text, ensure_ascii=False)}  [{best}]")
    if not rows:
        print("no unanswered questions")
    return EXIT_OK


DEMO_PACK = Path(__file__).resolve().parents[2] / "knowledge" / "demo" / "demo-pack.json"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ucc", description="ucc-bot: the 1414 contact center bot"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    kb = sub.add_parser("kb", help="knowledge base: validate, import, export, stats")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    p = kb_sub.add_parser("validate", help="check a knowledge pack, change nothing")
    p.add_argument("file")
    p.set_defaults(func=cmd_kb_validate)
    p = kb_sub.add_parser("import", help="import a knowledge pack in one transaction")
    p.add_argument("file")
    p.add_argument("--draft", action="store_true", help="stage new services as drafts")
    p.set_defaults(func=cmd_kb_import)
    p = kb_sub.add_parser("export", help="export the knowledge base as a pack ('-' for stdout)")
    p.add_argument("file")
    p.set_defaults(func=cmd_kb_export)
    p = kb_sub.add_parser("stats", help="counts per agency and language")
    p.set_defaults(func=cmd_kb_stats)
    p = kb_sub.add_parser("seed-demo", help="load the shipped demo pack into an empty base")
    p.set_defaults(func=cmd_kb_seed_demo)

    p = sub.add_parser("ask", help="ask one question, or a batch")
    p.add_argument("text", nargs="?")
    p.add_argument("--json", action="store_true")
    p.add_argument("--lang", choices=["kk", "ru"], help="language when the text does not tell")
    p.add_argument("--batch", metavar="IN.jsonl")
    p.add_argument("--out", metavar="OUT.jsonl")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="a conversation in the terminal")
    p.add_argument("--lang", choices=["kk", "ru"])
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("run", help="run the bot: Telegram and/or SMS (terminal chat while "
                                   "neither is configured)")
    p.add_argument("--lang", choices=["kk", "ru"])
    p.add_argument("--webhook", metavar="URL",
                   help="public base URL: receive updates at URL/telegram/webhook")
    p.add_argument("--workers", type=int, metavar="N",
                   help="process updates in N other processes (0: in this one; "
                        "default UCC_WORKERS)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("work", help="a processing worker (started by 'ucc run --workers N')")
    p.add_argument("--partition", required=True, metavar="K/N")
    p.set_defaults(func=cmd_work)

    esc = sub.add_parser("escalations", help="questions passed to a person")
    esc_sub = esc.add_subparsers(dest="escalations_command", required=True)

    un = sub.add_parser("unanswered", help="questions the engine could not answer")
    un_sub = un.add_subparsers(dest="unanswered_command", required=True)
    p = un_sub.add_parser("list")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=cmd_unanswered_list)

    add_onboarding_parsers(sub)
    add_escalation_parsers(sub, esc_sub)
    add_privacy_parsers(sub)
    add_status_parsers(sub)
    add_complaint_parsers(sub)
    return parser


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    app = await create_app(settings)
    try:
        return int(await args.func(app, args))
    finally:
        await app.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.func in (cmd_run, cmd_work):  # long-running: keep the heap from fragmenting
        restart = on_c_allocator(sys.argv[1:], os.environ) if argv is None else None
        if restart:
            os.execve(*restart)  # the same process (pid), now on the C allocator
        tune_allocator()
    settings = Settings()
    try:
        return asyncio.run(_run(args, settings))
    except InvalidPack as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"refused: {len(exc.problems)} problem(s); nothing was changed", file=sys.stderr)
        return EXIT_INVALID
    except KnowledgeError as exc:  # invalid input, a step out of order, a role refused…
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
