"""``ucc agency``: the registry of agencies (their codes, names, kinds and addresses)."""

from __future__ import annotations

import argparse

from bot.app import App
from bot.cli.common import EXIT_OK, actor_of, person
from knowledge.agencies import AgencyKind, add_agency, edit_agency, list_agencies


async def cmd_agency_save(app: App, args: argparse.Namespace) -> int:
    """``agency add`` and ``agency edit``: the same fields, a new or a known code."""
    save, done = (add_agency, "added") if args.agency_command == "add" else (edit_agency,
                                                                             "updated")
    async with app.uow() as uow:
        agency = await save(uow, args.code, name_kk=args.name_kk, name_ru=args.name_ru,
                            kind=args.kind, email=args.email, region=args.region)
        await uow.commit()
    print(f"agency {agency.code} {done}")
    return EXIT_OK


async def cmd_agency_list(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        agencies = await list_agencies(uow, await actor_of(uow, args))
    for a in agencies:
        print(f"{a.code:<24} {a.kind or '-':<8} {a.email or '-':<32} {a.region or '-':<16} "
              f"{a.name_ru or a.name_kk or ''}")
    if not agencies:
        print("no agencies")
    return EXIT_OK


AGENCY_HELP = {"add": "add an agency to the list", "edit": "change an agency's details"}


def add_parsers(parser: argparse.ArgumentParser) -> None:
    ag_sub = parser.add_subparsers(dest="agency_command", required=True)
    for name, required in (("add", True), ("edit", False)):
        p = ag_sub.add_parser(name, help=AGENCY_HELP[name])
        p.add_argument("code", help="a short code for the agency, e.g. mvd (people never "
                                    "see it)")
        p.add_argument("--name-kk", required=required, help="its name in Kazakh")
        p.add_argument("--name-ru", required=required, help="its name in Russian")
        p.add_argument("--kind", choices=[k.value for k in AgencyKind], required=required,
                       help="central, local, or another service provider")
        p.add_argument("--email", help="the official contact address")
        p.add_argument("--region", help="its region, for a local body")
        p.set_defaults(func=cmd_agency_save)
    p = person(ag_sub.add_parser("list", help="the agencies, with their codes and names"))
    p.set_defaults(func=cmd_agency_list)
