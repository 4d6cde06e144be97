"""Every command that reads data, run as an agency's staff member (``--as``), shows that
agency's data only, or is refused. The commands are walked from the parser itself: a new
command must be classified here, or the walk fails."""

from __future__ import annotations

import argparse
import asyncio
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

import pytest

from bot.app import App, create_app
from bot.cli import build_parser
from bot.config import Settings
from knowledge import escalations, onboarding
from knowledge.asking import record_unanswered
from knowledge.citizens import citizen_for
from knowledge.complaints import complaint_register
from knowledge.complaints.intake import Draft
from knowledge.complaints.lodging import register
from knowledge.model import Answer, Decision
from knowledge.reports import generate_monthly_report
from knowledge.staff import Actor
from tests.conftest import copy_sqlite
from tests.e2e.conftest import Cli, describe
from tests.escalation_helpers import MARRIAGE, OPERATOR, PASSPORT, clock_at, deadlines, seed

OWN: Final = "Дана"  # staff of mvd (agency A); Ержан is mju's (agency B)
SCOPED, REFUSED = "scoped", "refused"
A_SERVICE, B_SERVICE = "701001", "701002"  # onboarding cases

# Every command that reads data: its arguments (``{b_ref}``… filled from the base; ``{out}``
# a fresh folder) and what the agency's staff get — their own data, or a refusal.
READING: Final = {
    "escalations list": (["--limit", "1000"], SCOPED),
    "escalations queue": ([], SCOPED),
    "escalations show": (["{b_ref}"], REFUSED),
    "escalations export": ([], SCOPED),
    "complaints list": ([], SCOPED),
    "complaints show": (["{b_complaint}"], REFUSED),
    "complaints export": ([], SCOPED),
    "refusals list": ([], SCOPED),
    "refusals notices": ([], REFUSED),
    "refusals notice": (["1", "--out", "{out}"], REFUSED),
    "curation list": (["--all"], REFUSED),
    "curation unanswered": ([], REFUSED),
    "report monthly": (["2026-12", "--out", "{out}"], SCOPED),
    "onboarding status": (["--all"], SCOPED),
    "onboarding documents": ([B_SERVICE, "--out", "{out}"], REFUSED),
    "onboarding protocol-document": ([B_SERVICE, "--out", "{out}"], REFUSED),
    "onboarding history": ([B_SERVICE], REFUSED),
    "agency list": ([], SCOPED),
    "users list": ([], REFUSED),
    "kb export": (["-"], REFUSED),
    "kb stats": ([], REFUSED),
    "unanswered list": ([], REFUSED),
    "status provider list": ([], REFUSED),
    "outbox list": ([], REFUSED),
}
# Every other command, and why it is not a reading of the base by someone.
NOT_READING: Final = {
    "kb validate": "checks a file, reads no base",
    "kb import": "writes", "kb seed-demo": "writes",
    "ask": "a citizen's question, answered from live (public) services",
    "chat": "a citizen's conversation, answered from live (public) services",
    "run": "the runtime", "work": "the runtime",
    "status import": "writes", "status provider add": "writes",
    "status provider rotate": "writes (a new token)",
    "status provider revoke": "writes (takes the token away)",
    "status stages": "the stage vocabulary file, nobody's data",
    **{f"escalations {name}": "acts on one case; the use case checks the actor"
       for name in ("take", "answer", "refuse", "assign", "close", "from-base", "oral")},
    **{f"complaints {name}": "acts on one case; the use case checks the actor"
       for name in ("respond", "extend", "assign", "take", "erase")},
    **{f"refusals {name}": "the center's review" for name in ("confirm", "reject")},
    **{f"curation {name}": "the center's review" for name in ("propose", "approve", "reject")},
    **{f"onboarding {name}": "a step of the protocol, the center's"
       for name in ("start", "name", "request-sent", "training", "protocol", "appoint",
                    "question", "send-questions", "update", "accept", "return", "submit",
                    "responsible-left")},
    **{f"{group} tick": "the scheduler's run (takes no --as)"
       for group in ("escalations", "complaints", "onboarding")},
    "agency add": "writes", "agency edit": "writes", "users add": "writes",
    "users remove": "writes (an administrator's alone)",
    "users edit": "writes (an administrator's alone)",
    "users passwd": "writes (an administrator's, or the person's own)",
    "users signin-link": "writes (the center's: a one-time link)",
    "console": "the runtime",
    "citizen erase": "writes", "privacy purge": "writes",
    "outbox retry": "the center's: re-sends (refused to agencies, test_cli_outbox.py)",
}


def commands(parser: argparse.ArgumentParser, path: str = "") -> list[str]:
    """Every runnable command of the parser, as 'group sub …'."""
    found = [action for action in parser._actions
             if isinstance(action, argparse._SubParsersAction)]
    if not found:
        return [path]
    return [name for sub in found for word, child in sub.choices.items()
            for name in commands(child, f"{path} {word}".strip())]


def test_every_command_is_classified_as_reading_or_not() -> None:
    known = set(READING) | set(NOT_READING)
    assert sorted(set(commands(build_parser())) - known) == []
    assert sorted(known - set(commands(build_parser()))) == []


# ---- the base: agencies A (mvd) and B (mju), each with every kind of data, and triage

async def _complaint(app: App, chat: int, register_no: str, content: str, name: str) -> str:
    clock = clock_at(2026, 12, 2)
    async with app.uow() as uow:
        who = await citizen_for(uow, "telegram", str(chat), clock)
        made = await register(uow, who, Draft(
            lang="ru", register_no=register_no, service_name=None, region="astana",
            nature="extra_documents", content=content, applicant=name),
            clock=clock, deadlines=deadlines())
        await uow.commit()
    return made.number


async def _refused(app: App, actor: Actor, text: str, register_no: str, reason: str) -> str:
    reference = await _escalate(app, text, register_no)
    async with app.uow() as uow:
        await escalations.refuse(uow, reference, ground="plain", reason=reason, actor=actor,
                                 clock=clock_at(2026, 12, 3), deadlines=deadlines())
        await uow.commit()
    return reference


async def _escalate(app: App, text: str, register_no: str | None) -> str:
    clock = clock_at(2026, 12, 1)
    async with app.uow() as uow:
        citizen = await citizen_for(uow, "telegram", "3003", clock)
        reference = await escalations.open_escalation(
            uow, citizen, text, lang="ru", candidates=(), register_no=register_no, clock=clock,
            deadlines=deadlines())
        await uow.commit()
    return reference


@dataclass(frozen=True, slots=True)
class Base:
    """What of agency A a reading must show, what of B (or the triage) it must never, and
    B's cases to ask for by number."""

    own: list[str]
    foreign: list[str]
    b_ref: str
    b_complaint: str


async def _build(database: Path) -> Base:
    app = await create_app(Settings(database_url=f"sqlite+aiosqlite:///{database}",
                                    _env_file=None))  # type: ignore[call-arg]
    try:
        mvd, mju = await seed(app)
        a_ref = await _escalate(app, "Паспорт без прописки можно?", PASSPORT)
        b_ref = await _escalate(app, "Брак в консульстве Зеландии?", MARRIAGE)
        triage = await _escalate(app, "Вопрос про Антарктиду", None)
        a_refused = await _refused(app, mvd, "Паспорт секретный?", PASSPORT, "нельзя Аю")
        b_refused = await _refused(app, mju, "Брак секретный Зеландии?", MARRIAGE, "нельзя Бю")
        a_complaint = await _complaint(app, 4001, PASSPORT, "ЦОН потребовал справку",
                                       "Иванов Иван Иванович")
        b_complaint = await _complaint(app, 4002, MARRIAGE, "ЗАГС Зеландии грубил",
                                       "Петров Пётр Петрович")
        clock = clock_at(2027, 1, 11)
        async with app.uow() as uow:
            for number, code in ((A_SERVICE, "mvd"), (B_SERVICE, "mju")):
                await onboarding.start_case(uow, number, code, date(2026, 12, 1),
                                            actor=OPERATOR, clock=clock,
                                            deadlines=deadlines(), name_ru=f"Услуга {number}")
            record_unanswered(uow, "Вопрос Антарктиды без ответа",
                              Answer(Decision.ESCALATE, "ru", None, 0.0, ()), "telegram", clock)
            await generate_monthly_report(uow, date(2026, 12, 1), deadlines=deadlines(),
                                          clock=clock, complaints=complaint_register)
            await uow.commit()
    finally:
        await app.close()
    return Base(own=["mvd", a_ref, a_refused, a_complaint, A_SERVICE],
                foreign=["mju", "Зеландии", "Ержан", MARRIAGE, B_SERVICE, b_ref, b_refused,
                         b_complaint, "Петров", triage, "Антаркт"],
                b_ref=b_ref, b_complaint=b_complaint)


@pytest.fixture(scope="module")
def two_agencies(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Base]:
    database = tmp_path_factory.mktemp("scoping") / "template.sqlite3"
    return database, asyncio.run(_build(database))


def _written(folder: Path) -> str:
    """The text of every file a command wrote (an .xlsx or .docx unpacked)."""
    parts = []
    for path in sorted(folder.rglob("*")):
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as packed:
                parts += [path.name, *(packed.read(n).decode("utf-8", "replace")
                                       for n in packed.namelist())]
        elif path.is_file():
            parts += [path.name, path.read_bytes().decode("utf-8-sig", "replace")]
    return "\n".join(parts)


@pytest.mark.parametrize("command", sorted(READING))
def test_an_agency_reads_its_own_data_only_or_is_refused(
    command: str, cli: Cli, tmp_path: Path, two_agencies: tuple[Path, Base],
) -> None:
    template, base = two_agencies
    copy_sqlite(template, cli.database)
    arguments, expected = READING[command]
    out = tmp_path / "out"
    names = {"b_ref": base.b_ref, "b_complaint": base.b_complaint, "out": str(out)}
    argv = [*command.split(), *(a.format(**names) for a in arguments), "--as", OWN]

    result = cli(*argv)

    seen = result.stdout + result.stderr + (_written(out) if out.exists() else "")
    assert [m for m in base.foreign if m in seen] == [], describe(result)
    if expected == SCOPED:
        assert result.returncode == 0, describe(result)
        assert any(m in seen for m in base.own), describe(result)
    else:
        assert result.returncode == 2, describe(result)
        assert result.stderr.startswith(f"{OWN}: "), describe(result)
