"""``ucc kb``: the knowledge base as a pack (``../shared/knowledge-pack.md``): validate,
import, export, counts, and the shipped demo."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

from bot.app import App
from bot.cli.common import EXIT_OK, actor_of, person
from knowledge.catalog import kb_stats
from knowledge.errors import InvalidPack
from knowledge.pack.io import dump_pack, export_pack, import_pack
from knowledge.pack.validate import MAX_PACK_BYTES, parse_pack
from knowledge.problems import Problem

DEMO_PACK: Final = Path(__file__).resolve().parents[2] / "knowledge" / "demo" / "demo-pack.json"


def _read_pack(path: str) -> dict[str, Any]:
    """The checked pack in ``path``; a problem of the whole file is named by the file."""
    try:
        with Path(path).open("rb") as file:
            raw = file.read(MAX_PACK_BYTES + 1)  # enough to know it is too large
    except OSError as exc:
        raise InvalidPack([Problem.at(path, "cannot read: {reason}",
                                      reason=exc.strerror or "")]) from None
    try:
        return parse_pack(raw)
    except InvalidPack as refused:
        raise InvalidPack([replace(problem, where=path) if problem.where == "$" else problem
                           for problem in refused.problems]) from None


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
        text = dump_pack(await export_pack(uow, await actor_of(uow, args)))
    if args.file == "-":
        sys.stdout.write(text)
    else:
        Path(args.file).write_text(text, encoding="utf-8")
    return EXIT_OK


async def cmd_kb_stats(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        stats = await kb_stats(uow, await actor_of(uow, args))
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


async def seed_demo(app: App) -> None:
    """Load the product's own demo knowledge base, only into an empty base."""
    async with app.uow() as uow:
        if not await uow.knowledge.is_empty():
            print("knowledge base is not empty: demo not loaded")
            return
        print("loading the demo knowledge base…", flush=True)
        report = await import_pack(uow, parse_pack(DEMO_PACK.read_bytes()), draft=False)
    print(f"demo imported: {report.services_added} services, {report.entries_added} entries")


async def cmd_kb_seed_demo(app: App, args: argparse.Namespace) -> int:
    await seed_demo(app)
    return EXIT_OK


def add_parsers(parser: argparse.ArgumentParser) -> None:
    kb_sub = parser.add_subparsers(dest="kb_command", required=True)
    p = kb_sub.add_parser("validate", help="check a knowledge file (JSON) and list its "
                                           "mistakes; nothing is changed")
    p.add_argument("file", help="the knowledge file to check")
    p.set_defaults(func=cmd_kb_validate)
    p = kb_sub.add_parser("import", help="load a knowledge file (JSON) into the bot: all of "
                                         "it, or nothing when it has a mistake")
    p.add_argument("file", help="the knowledge file to load")
    p.add_argument("--draft", action="store_true",
                   help="keep new services hidden from citizens until they are made live")
    p.set_defaults(func=cmd_kb_import)
    p = person(kb_sub.add_parser("export",
                                 help="save all the bot's answers to a knowledge file (JSON)"))
    p.add_argument("file", help="where to save it ('-': print it)")
    p.set_defaults(func=cmd_kb_export)
    p = person(kb_sub.add_parser("stats", help="how many answers each agency has, in each "
                                               "language"))
    p.set_defaults(func=cmd_kb_stats)
    p = kb_sub.add_parser("seed-demo", help="load the demo answers that come with the bot "
                                            "(only when it has none yet)")
    p.set_defaults(func=cmd_kb_seed_demo)
