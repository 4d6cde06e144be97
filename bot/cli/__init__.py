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
    "kb": ("bot.cli.kb:add_parsers",
           "the bot's answers (the knowledge base): check, load, save, count"),
    "ask": ("bot.cli.ask:add_ask_parsers",
            "ask the bot a question as a citizen would, or many from a file"),
    "chat": ("bot.cli.ask:add_chat_parsers", "talk to the bot in the terminal as a citizen"),
    "unanswered": ("bot.cli.ask:add_unanswered_parsers",
                   "questions the bot could not answer"),
    "run": ("bot.cli.run:add_run_parsers",
            "start the bot: Telegram and SMS (a chat in the terminal while neither is set up)"),
    "console": ("bot.cli.console:add_parsers",
                "the web console for operators and agency staff, without the bot"),
    "work": ("bot.cli.run:add_work_parsers",
             "a helper process that answers messages (started by 'ucc run --workers N', "
             "not by hand)"),
    "escalations": ("bot.cli.escalations:add_parsers",
                    "citizens' questions the bot passed to a person: see, answer, forward"),
    "curation": ("bot.cli.curation:add_parsers",
                 "turn agencies' answers and unanswered questions into new answers of the bot"),
    "refusals": ("bot.cli.refusals:add_parsers",
                 "agencies that refused to give information, and the notices about them "
                 "(para 12 of the Rules)"),
    "report": ("bot.cli.reports:add_parsers",
               "the monthly report for the quality-control body and the agencies"),
    "complaints": ("bot.cli.complaints:add_parsers",
                   "citizens' complaints about public services (the Annex 2 register)"),
    "agency": ("bot.cli.agencies:add_parsers",
               "the list of agencies: their names and e-mail addresses"),
    "users": ("bot.cli.users:add_parsers",
              "the people who work with the bot: operators, administrators, agencies' staff"),
    "onboarding": ("bot.cli.onboarding:add_parsers",
                   "bring a new public service to the bot, step by step with its agency"),
    "citizen": ("bot.cli.privacy:add_citizen_parsers",
                "erase one citizen's personal data on their request"),
    "privacy": ("bot.cli.privacy:add_privacy_parsers",
                "delete conversations older than the time they are kept"),
    "outbox": ("bot.cli.outbox:add_parsers",
               "messages that could not be sent, and messages received but not answered: "
               "see them, try again"),
    "status": ("bot.cli.status:add_parsers",
               "the status of citizens' applications: who sends it, loading it, its names"),
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
    _describe(parser)
    return parser


def _describe(parser: argparse.ArgumentParser) -> None:
    """Each command's ``--help`` opens with what it does: the line its group lists it by."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            said = {choice.dest: choice.help for choice in action._choices_actions}
            for name, command in action.choices.items():
                if command.description is None:
                    command.description = said.get(name)
                _describe(command)


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
