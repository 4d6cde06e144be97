"""Every ``ucc`` command and every one of its arguments says in plain words what it does for
an operator: ``ucc … --help`` lists it with its line, and opens with it."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import pytest

from bot.cli import build_parser

# Words of the code, not of an operator's work.
JARGON = re.compile(r"\b(triage|transaction|stdout|stdin|pack|slice|token|parked|inbox|"
                    r"escalations?|vocabulary|engine|curat\w*|partition|payload|tick|"
                    r"worker|DLR|MO|MT|stage updates)\b", re.IGNORECASE)
# A command or an option named in a text ("ucc curation list", "--workers N") is no jargon.
NAMED = re.compile(r"\bucc(?: [a-z-]+)+|--[a-z-]+")


def jargon(text: str) -> list[str]:
    return JARGON.findall(NAMED.sub("", text))


def commands(parser: argparse.ArgumentParser, path: str = "ucc"
             ) -> Iterator[tuple[str, argparse.ArgumentParser, str | None]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            said = {choice.dest: choice.help for choice in action._choices_actions}
            for name, command in action.choices.items():
                yield f"{path} {name}", command, said.get(name)
                yield from commands(command, f"{path} {name}")


COMMANDS = list(commands(build_parser()))


def test_every_group_and_command_is_there() -> None:
    names = {name for name, _parser, _help in COMMANDS}
    assert len(COMMANDS) > 70
    assert {"ucc kb validate", "ucc onboarding status", "ucc status provider rotate",
            "ucc complaints extend", "ucc report monthly"} <= names


@pytest.mark.parametrize(("name", "command", "said"), COMMANDS,
                         ids=[name for name, _c, _s in COMMANDS])
def test_each_command_says_what_it_does_in_plain_words(
    name: str, command: argparse.ArgumentParser, said: str | None,
) -> None:
    assert said and len(said.split()) >= 3, f"{name}: no help, or too short"
    assert command.description == said  # its own --help opens with it
    assert not jargon(said), f"{name}: {said}"
    for argument in command._actions:
        if isinstance(argument, argparse._HelpAction | argparse._SubParsersAction):
            continue
        what = argument.option_strings or [argument.dest]
        assert argument.help, f"{name} {'/'.join(what)}: no help"
        assert not jargon(argument.help), f"{name} {what}: {argument.help}"


def test_help_prints_for_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    for name, _command, said in COMMANDS:
        with pytest.raises(SystemExit) as done:
            parser.parse_args([*name.split()[1:], "--help"])
        assert done.value.code == 0
        printed = "".join(capsys.readouterr().out.split())  # as wrapped to the terminal
        assert said is not None and "".join(said.split()) in printed, name
