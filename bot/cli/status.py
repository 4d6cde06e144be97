"""``ucc status``: providers and their tokens, and stage updates imported from a CSV file."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.app import App
from bot.channels.status.feed import feed
from bot.cli.common import EXIT_OK, actor_of, person, say
from knowledge.errors import InvalidInput
from knowledge.status import parse_csv
from knowledge.status.feed import COLUMNS
from knowledge.status.providers import add_provider, providers, revoke_token, rotate_token


async def cmd_import(app: App, args: argparse.Namespace) -> int:
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{args.file}: cannot read ({exc.strerror})") from None
    result = await feed(app, parse_csv(data, app.status_desk.stages))
    say(f"imported {args.file}: {result.added} added, {result.changed} changed, "
        f"{result.unchanged} unchanged, {result.stale} older than stored (ignored); "
        f"{len(result.notices)} citizen(s) notified")
    return EXIT_OK


async def cmd_provider_add(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        provider, token = await add_provider(uow, args.name, app.clock)
    say(f"provider {provider.name} added. Its token for POST /status/updates "
        "(Authorization: Bearer …), shown only now:")
    say(token)
    return EXIT_OK


async def cmd_provider_rotate(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        token = await rotate_token(uow, args.name)
    say(f"provider {args.name}: its old token no longer works. The new one, shown only now:")
    say(token)
    return EXIT_OK


async def cmd_provider_revoke(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        await revoke_token(uow, args.name)
    say(f"provider {args.name}: its token no longer works; nothing it sends is accepted "
        f"until `ucc status provider rotate {args.name}`")
    return EXIT_OK


async def cmd_provider_list(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        found = await providers(uow, await actor_of(uow, args))
    for provider in found:
        say(f"{provider.name} (revoked)" if provider.revoked else provider.name)
    if not found:
        say("no providers (ucc status provider add NAME)")
    return EXIT_OK


async def cmd_stages(app: App, args: argparse.Namespace) -> int:
    for stage in app.status_desk.stages.values():
        say(f"{stage.code}\tkk: {stage.kk}\tru: {stage.ru}")
    return EXIT_OK


def add_parsers(parser: argparse.ArgumentParser) -> None:
    status_sub = parser.add_subparsers(dest="status_command", required=True)
    p = status_sub.add_parser(
        "import", help=f"load applications' stages from a table (CSV, columns "
                       f"{','.join(COLUMNS)}): all of it, or nothing when a row is wrong; "
                       "citizens who asked are told")
    p.add_argument("file", help="the CSV file")
    p.set_defaults(func=cmd_import)
    p = status_sub.add_parser("stages", help="the stages an application can be at, with "
                                             "their names in Kazakh and Russian")
    p.set_defaults(func=cmd_stages)
    provider = status_sub.add_parser("provider", help="the service providers that send "
                                                      "applications' stages to the bot")
    provider_sub = provider.add_subparsers(dest="provider_command", required=True)
    p = provider_sub.add_parser("add", help="add a provider; prints its secret key once")
    p.add_argument("name", help="the provider's name")
    p.set_defaults(func=cmd_provider_add)
    p = provider_sub.add_parser(
        "rotate", help="give a provider a new secret key, printed once; the old one stops "
                       "working")
    p.add_argument("name", help="the provider's name")
    p.set_defaults(func=cmd_provider_rotate)
    p = provider_sub.add_parser(
        "revoke", help="take a provider's secret key away: nothing it sends is accepted")
    p.add_argument("name", help="the provider's name")
    p.set_defaults(func=cmd_provider_revoke)
    p = person(provider_sub.add_parser("list", help="the providers and their keys' state"))
    p.set_defaults(func=cmd_provider_list)
