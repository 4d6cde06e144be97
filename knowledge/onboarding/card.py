"""A case as its viewer sees it: its steps so far, and what the viewer may do now."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.db.uow import UnitOfWork
from knowledge.onboarding.acceptance import pending_questions, protocol_confirmations
from knowledge.onboarding.cases import Case, HistoryEntry, case_of, history
from knowledge.staff import Actor


@dataclass(frozen=True, slots=True)
class CaseCard:
    case: Case
    history: tuple[HistoryEntry, ...]  # oldest first
    # what the viewer may do now, of: request_sent, training_held (the center records the
    # step awaited), send_questions, sign, accept
    actions: tuple[str, ...]
    questions: int  # the operators' questions waiting to be sent (at training_held)


async def case_card(uow: UnitOfWork, register_no: str, actor: Actor) -> CaseCard:
    """The case of a service, if the actor may see it, with the actions open to them."""
    case = await case_of(uow, register_no, actor)
    steps = await history(uow, register_no, actor)
    signed = (await protocol_confirmations(uow, register_no, actor)
              if case.step == "protocol_signed" else set())
    questions = (len(await pending_questions(uow, register_no, actor))
                 if case.step == "training_held" else 0)
    return CaseCard(case, tuple(steps), actions(case, actor, signed, questions), questions)


def actions(case: Case, actor: Actor, signed: set[str], questions: int) -> tuple[str, ...]:
    """What the actor may do on the case now; ``signed``: the sides that signed the
    protocol."""
    center = actor.of_center
    found: list[str] = []
    if center and case.step in ("request_sent", "training_held"):
        found.append(case.step)
    if center and questions:
        found.append("send_questions")
    side = "center" if actor.of_center else "agency"
    if case.step == "protocol_signed" and side not in signed:
        found.append("sign")
    if center and case.step == "update_accepted":
        found.append("accept")
    return tuple(found)
