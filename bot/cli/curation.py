"""``ucc curation``: agencies' answers and unanswered questions turned into knowledge, with
the second person's approval."""

from __future__ import annotations

import argparse
import json

from bot.app import App
from bot.cli.common import EXIT_OK, actor_of, person, say, short
from knowledge import curation
from knowledge.errors import InvalidInput


async def cmd_curation_list(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        actor = await actor_of(uow, args)
        items = await curation.curation_list(uow, actor, status=None if args.all else "open")
        pending = await curation.proposals(uow, actor)
    for item in items:
        answer = item.answer_ru or item.answer_kk or ""
        say(f"#{item.id} {item.status} {item.reference or '-'} {item.register_no or '-'} "
            f"{item.lang} {short(item.question, 80)} -> {short(answer, 80)}")
    if not items:
        say("nothing to curate")
    for p in pending:
        say(f"proposal #{p.id} {p.kind} {p.entry_key} by {p.proposed_by}: "
            f"{json.dumps(p.questions, ensure_ascii=False)}")
    return EXIT_OK


async def cmd_curation_unanswered(app: App, args: argparse.Namespace) -> int:
    async with app.uow() as uow:
        groups = await curation.unanswered_groups(uow, await actor_of(uow, args),
                                                  limit=args.limit)
    for group in groups:
        say(f"{group.count}x ids {','.join(map(str, group.ids))} {group.lang} "
            f"{short(group.text, 80)} [{group.best_entry or '-'}]")
    if not groups:
        say("no unanswered questions")
    return EXIT_OK


def _ids(text: str | None) -> list[int]:
    if not text:
        return []
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InvalidInput(f"--unanswered {text!r}: ids separated by commas") from None


async def cmd_curation_propose(app: App, args: argparse.Namespace) -> int:
    if args.item is None and not args.unanswered:
        raise InvalidInput("propose from a curation item (ITEM) or --unanswered IDS")
    async with app.uow() as uow:
        actor = await actor_of(uow, args)
        if args.variant_of:
            proposal = await curation.propose_variant(
                uow, args.variant_of, actor=actor, clock=app.clock, item_id=args.item,
                unanswered_ids=_ids(args.unanswered), question_kk=args.question_kk,
                question_ru=args.question_ru)
        else:
            proposal = await curation.propose_entry(
                uow, actor=actor, clock=app.clock, item_id=args.item,
                unanswered_ids=_ids(args.unanswered), register_no=args.service,
                entry_key=args.entry, question_kk=args.question_kk,
                question_ru=args.question_ru, answer_kk=args.answer_kk,
                answer_ru=args.answer_ru)
        await uow.commit()
    say(f"proposal #{proposal.id} ({proposal.kind} {proposal.entry_key}) waits for review "
        f"(ucc curation approve {proposal.id})")
    return EXIT_OK


async def cmd_curation_review(app: App, args: argparse.Namespace) -> int:
    review = curation.approve if args.curation_command == "approve" else curation.reject
    async with app.uow() as uow:
        proposal = await review(uow, args.proposal, actor=await actor_of(uow, args),
                                clock=app.clock)
        await uow.commit()
    say(f"proposal #{proposal.id} {proposal.status}: {proposal.entry_key}")
    return EXIT_OK


REVIEW_HELP = {"approve": "approve a proposal: citizens get the answer from now on",
               "reject": "reject a proposal: nothing changes"}


def add_parsers(parser: argparse.ArgumentParser) -> None:
    cu_sub = parser.add_subparsers(dest="curation_command", required=True)
    p = person(cu_sub.add_parser("list", help="agencies' answers that could become answers "
                                              "of the bot, and the proposals waiting"))
    p.add_argument("--all", action="store_true", help="those already handled too")
    p.set_defaults(func=cmd_curation_list)
    p = person(cu_sub.add_parser("unanswered", help="questions the bot could not answer, "
                                                    "similar ones together"))
    p.add_argument("--limit", type=int, default=50, help="how many groups (default 50)")
    p.set_defaults(func=cmd_curation_unanswered)
    p = person(cu_sub.add_parser("propose", help="propose a new answer, or another wording "
                                                 "of a question; another person approves it"))
    p.add_argument("item", nargs="?", type=int,
                   help="the agency's answer it comes from (its number in ucc curation list)")
    p.add_argument("--unanswered", metavar="IDS",
                   help="the unanswered questions it answers, by number: 3,7,9")
    p.add_argument("--variant-of", metavar="ENTRY",
                   help="add the question's wording to this existing answer")
    p.add_argument("--service", metavar="REGISTER_NO",
                   help="the service of a new answer (its number in the Register)")
    p.add_argument("--entry", metavar="ID", help="the new answer's id (default: made up)")
    p.add_argument("--question-kk", help="the question in Kazakh")
    p.add_argument("--question-ru", help="the question in Russian")
    p.add_argument("--answer-kk", help="the answer in Kazakh")
    p.add_argument("--answer-ru", help="the answer in Russian")
    p.set_defaults(func=cmd_curation_propose)
    for name in ("approve", "reject"):
        p = person(cu_sub.add_parser(name, help=REVIEW_HELP[name]))
        p.add_argument("proposal", type=int, help="its number in ucc curation list")
        p.set_defaults(func=cmd_curation_review)
