"""What every ``ucc`` command group shares: exit codes, printing, dates, and who acts."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import date
from pathlib import Path
from typing import Final

from bot.app import App
from bot.config import Settings
from knowledge.calendar import day_it_happened, local_today
from knowledge.db.uow import UnitOfWork
from knowledge.staff import Actor, Role, active_staff_named

EXIT_OK: Final = 0
EXIT_INVALID: Final = 2


def say(*parts: object) -> None:
    sys.stdout.write(" ".join(str(p) for p in parts) + "\n")


def working_days(n: int) -> str:
    """"1 working day", "2 working days"."""
    return f"{n} working day" if n == 1 else f"{n} working days"


def refusals_count(n: int) -> str:
    """"1 refusal", "2 refusals"."""
    return f"{n} refusal" if n == 1 else f"{n} refusals"


def letter_queued(app: App, address: str) -> str:
    """What became of a letter the command queued: the running bot's sender e-mails it,
    or, with no SMTP server configured, it waits in the outbox."""
    if app.settings.smtp_host is None:
        return f"queued for {address}: no SMTP server configured (UCC_SMTP_HOST)"
    return f"e-mailed to {address}"


def day(text: str) -> date:
    """An argparse type: a date as YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def today_of(app: App, args: argparse.Namespace) -> date:
    """``--on``, or today in Kazakhstan."""
    on: date | None = getattr(args, "on", None)
    return on or local_today(app.clock.now())


def happened_on(app: App, args: argparse.Namespace) -> date:
    """``--on``, the day a step that starts a legal clock happened, or today in Kazakhstan;
    a day in the future is refused (exit 2)."""
    return day_it_happened(getattr(args, "on", None), app.clock.now())


def past_day(app: App, given: date) -> date:
    """A date option of a step (``--approved``, ``--act-date``…): refused (exit 2) when in
    the future."""
    return day_it_happened(given, app.clock.now())


def short(text: str, limit: int = 100) -> str:
    text = text.replace("\n", " ")
    return json.dumps(text if len(text) <= limit else text[: limit - 3] + "...",
                      ensure_ascii=False)


def person(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options of a command done by someone: ``--by`` (the administrator's name) or
    ``--as`` (a registered person, in their role)."""
    p.add_argument("--by", help="who does it (default: your login name)")
    return acting_as(p)


def acting_as(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """``--as``: a registered person, in their role (an agency's staff read their own)."""
    p.add_argument("--as", dest="as_name", metavar="NAME",
                   help="do it as this registered person, with what their role "
                        "allows (an agency's staff see only their agency)")
    return p


def administrator(args: argparse.Namespace) -> Actor:
    """The center's administrator named by ``--by`` (default: the login name)."""
    return Actor(getattr(args, "by", None) or getpass.getuser(), Role.ADMIN)


async def actor_of(uow: UnitOfWork, args: argparse.Namespace) -> Actor:
    """``--as NAME``: a registered person in their role; else the administrator."""
    name = getattr(args, "as_name", None)
    return administrator(args) if name is None else await active_staff_named(uow, name)


def invite_link(settings: Settings, code: str) -> str:
    """A one-use link that binds a person's Telegram account (``/start inv-…``)."""
    return f"https://t.me/{settings.telegram_bot_username or '<bot>'}?start=inv-{code}"


def write_csv(data: bytes, out: str) -> None:
    """An export to a file, or to stdout ('-') without the BOM."""
    if out == "-":
        sys.stdout.write(data.decode("utf-8-sig"))
    else:
        Path(out).write_bytes(data)
        say(out)
