"""The ``ucc`` command line. Exit status: 0 done, 2 invalid input (problems on stderr).

A command group's module is imported only when that group is run (``ucc --help`` imports
none), and only ``ucc run`` and ``ucc work`` import aiogram.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from bot.app import App
    from bot.config import Settings

EXIT_OK: Final = 0
EXIT_INVALID: Final = 2
EXIT_BROKEN_PIPE: Final = 1

# name: (the function that adds the group's arguments, its help)
GROUPS: Final = {
    "kb": ("bot.cli.kb:add_parsers", "knowledge base: validate, import, export, stats"),
    "ask": ("bot.cli.ask:add_ask_parsers", "ask one question, or a batch"),
    "chat": ("bot.cli.ask:add_chat_parsers", "a conversation in the terminal"),
    "unanswered": ("bot.cli.ask:add_unanswered_parsers",
                   "questions the engine could not answer"),
    "run": ("bot.cli.run:add_run_parsers",
            "run the bot: Telegram and/or SMS (terminal chat while neither is configured)"),
    "console": ("bot.cli.console:add_parsers",
                "the web console for operators and agency staff, served alone"),
    "work": ("bot.cli.run:add_work_parsers",
             "a processing worker (started by 'ucc run --workers N')"),
    "escalations": ("bot.cli.escalations:add_parsers", "questions passed to a person"),
    "curation": ("bot.cli.curation:add_parsers",
                 "turn agency answers and unanswered questions into knowledge"),
    "refusals": ("bot.cli.refusals:add_parsers", "agencies refusing information (para 12)"),
    "report": ("bot.cli.reports:add_parsers", "the monthly analytical report"),
    "complaints": ("bot.cli.complaints:add_parsers", "citizens' complaints (Annex 2 register)"),
    "agency": ("bot.cli.agencies:add_parsers", "the agency registry"),
    "users": ("bot.cli.users:add_parsers", "operators, administrators, agency staff"),
    "onboarding": ("bot.cli.onboarding:add_parsers", "the agency onboarding protocol"),
    "citizen": ("bot.cli.privacy:add_citizen_parsers", "one citizen's personal data"),
    "privacy": ("bot.cli.privacy:add_privacy_parsers", "retention of personal data"),
    "outbox": ("bot.cli.outbox:add_parsers",
               "messages failed or uncertain, updates parked: list, send again"),
    "status": ("bot.cli.status:add_parsers", "the status of citizens' applications"),
}


def build_parser(loaded: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; only the groups in ``loaded`` (all when None) get their arguments."""
    parser = argparse.ArgumentParser(prog="ucc",
                                     description="ucc-bot: the 1414 contact center bot")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (where, text) in GROUPS.items():
        group = sub.add_parser(name, help=text, description=text)
        if loaded is None or name in loaded:
            module, function = where.split(":")
            getattr(importlib.import_module(module), function)(group)
    return parser


def _group_of(argv: Sequence[str]) -> list[str]:
    """The command group named first in ``argv`` (none for ``ucc --help``)."""
    return [arg for arg in argv if arg in GROUPS][:1]


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import create_app  # noqa: PLC0415 - after parsing: ``--help`` stays quick

    app: App = await create_app(settings)
    try:
        return int(await args.func(app, args))
    finally:
        await app.close()


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(_group_of(arguments)).parse_args(arguments)
    # noqa below: the settings, the allocator and the domain load after parsing
    from bot.config import Settings  # noqa: PLC0415
    from bot.memory import on_c_allocator, tune_allocator  # noqa: PLC0415
    from knowledge.errors import InvalidPack, KnowledgeError  # noqa: PLC0415

    if getattr(args, "long_running", False):  # keep the heap from fragmenting
        restart = on_c_allocator(sys.argv[1:], os.environ) if argv is None else None
        if restart:
            os.execve(*restart)  # the same process (pid), now on the C allocator
        tune_allocator()
    try:
        code = asyncio.run(_run(args, Settings()))
        sys.stdout.flush()  # a reader gone shows here, not as a traceback at exit
        return code
    except BrokenPipeError:
        return _reader_gone()
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


def _reader_gone() -> int:
    """The reader of our output left (``ucc report monthly … | head``): as Python's
    documentation advises for SIGPIPE, point stdout at /dev/null so that the interpreter's
    last flush raises nothing, and exit 1 as Python does on EPIPE."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
