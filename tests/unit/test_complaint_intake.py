"""The complaint intake as a state machine: buttons, numbered replies (SMS), typed labels,
problems, cancellation at every step; and the appeal route dated on the calendar."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest

from bot.texts.complaints import numbered_prompt
from knowledge.calendar import WorkCalendar
from knowledge.complaints import appeal_route, is_complaint_request
from knowledge.complaints.categories import NATURES, REGIONS
from knowledge.complaints.intake import (
    AGREE,
    CANCEL,
    DONT_KNOW,
    Draft,
    Outcome,
    Problem,
    Reply,
    ServiceOption,
    Step,
    advance,
    begin,
)
from knowledge.model import Lang
from knowledge.policy import Policy

PASSPORT = ServiceOption("00301002", "Выдача паспорта")


def find(text: str, lang: Lang) -> Sequence[ServiceOption]:
    return [PASSPORT] if "паспорт" in text.lower() else []


def walk(draft: Draft, *replies: Reply) -> Outcome:
    outcome = Outcome(draft)
    for reply in replies:
        assert outcome.draft is not None
        outcome = advance(outcome.draft, reply, find)
    return outcome


def test_numbered_replies_take_a_russian_complaint_to_the_end() -> None:
    outcome = walk(Draft("ru"), Reply("паспорт"), Reply("1"), Reply("18"), Reply("1"),
                   Reply("В ЦОНе потребовали справку с места жительства"),
                   Reply("Иванов Иван Иванович"), Reply("1"))

    assert outcome.done and outcome.draft is not None
    assert (outcome.draft.register_no, outcome.draft.region, outcome.draft.nature) == (
        PASSPORT.register_no, REGIONS[17].code, NATURES[0].code)
    assert outcome.draft.applicant == "Иванов Иван Иванович"


def test_each_step_offers_numbered_options_and_cancel_last() -> None:
    outcome = walk(Draft("kk"), Reply(choice=DONT_KNOW))
    assert outcome.prompt is not None and outcome.draft is not None
    assert outcome.prompt.step == Step.REGION
    numbered = outcome.prompt.numbered()
    assert len(numbered) == 21  # 17 regions, 3 cities, cancel
    assert numbered[0][1].label == "Абай облысы" and numbered[-1][1].value == CANCEL
    sms = numbered_prompt(outcome.prompt, outcome.draft)
    assert "\n18. Астана қаласы" in sms and "\n21. " in sms


@pytest.mark.parametrize("step_replies", [
    (), (Reply("паспорт"),), (Reply("паспорт"), Reply("1")),
    (Reply("паспорт"), Reply("1"), Reply("Астана")),
    (Reply("паспорт"), Reply("1"), Reply("Астана"), Reply("5")),
    (Reply("паспорт"), Reply("1"), Reply("Астана"), Reply("5"), Reply("Грубили в окне 3")),
    (Reply("паспорт"), Reply("1"), Reply("Астана"), Reply("5"), Reply("Грубили в окне 3"),
     Reply("Иванов Иван")),
])
@pytest.mark.parametrize("cancel", [Reply("0"), Reply("отмена"), Reply("бас тарту"),
                                    Reply(choice=CANCEL)])
def test_every_step_can_be_cancelled(step_replies: tuple[Reply, ...], cancel: Reply) -> None:
    outcome = walk(Draft("ru"), *step_replies, cancel)

    assert outcome.cancelled and outcome.draft is None


def test_replies_that_do_not_fit_keep_the_step_and_say_why() -> None:
    assert walk(Draft("ru"), Reply("справка о чём-то")).prompt.problem == (  # type: ignore[union-attr]
        Problem.SERVICE_NOT_FOUND)
    region = walk(Draft("ru"), Reply(choice=DONT_KNOW), Reply("99"))
    assert region.prompt is not None
    assert (region.prompt.step, region.prompt.problem) == (Step.REGION, Problem.NOT_A_CHOICE)
    stale = walk(Draft("ru"), Reply(choice=DONT_KNOW), Reply(choice="fee_charged"))
    assert stale.prompt is not None and stale.prompt.problem == Problem.NOT_A_CHOICE
    base = (Reply(choice=DONT_KNOW), Reply("2"), Reply("1"))
    assert walk(Draft("ru"), *base, Reply("плохо")).prompt.problem == (  # type: ignore[union-attr]
        Problem.TOO_SHORT)
    name = walk(Draft("ru"), *base, Reply("Потребовали лишнюю справку"), Reply("Иван"))
    assert name.prompt is not None and name.prompt.problem == Problem.FULL_NAME
    consent = walk(Draft("ru"), *base, Reply("Потребовали лишнюю справку"),
                   Reply("Иванов Иван"), Reply("нет"))
    assert consent.prompt is not None and consent.prompt.problem == Problem.CONSENT_NEEDED
    agreed = advance(consent.draft, Reply(choice=AGREE), find)  # type: ignore[arg-type]
    assert agreed.done


def test_a_text_naming_the_service_goes_straight_to_the_choice() -> None:
    outcome = begin("ru", find, "жалоба: в ЦОНе на паспорт требуют справку")
    assert outcome.prompt is not None and outcome.prompt.step == Step.SERVICE_PICK
    assert outcome.prompt.options[0].label == PASSPORT.name


def test_a_draft_survives_storage_as_data() -> None:
    outcome = walk(Draft("kk"), Reply("паспорт"))
    assert outcome.draft is not None
    assert Draft.from_data(outcome.draft.to_data()) == outcome.draft


@pytest.mark.parametrize("text", [
    "хочу пожаловаться", "хочу жаловаться", "Куда жаловаться на ЦОН?", "жалоба на ЦОН",
    "Жалуюсь на акимат", "как подать жалобу на сотрудника ЦОНа", "у меня претензия к ЦОНу",
    "хочу обжаловать отказ в выдаче справки", "Пожалуюсь в акимат!", "zhaloba na CON",
    "хочу pozhalovatsya", "жалоба на больницу", "жалоба о нарушении сроков",
    "шағым түсіргім келеді", "шағымданғым келеді", "ХҚКО қызметкері туралы шағым",
    "ХҚКО-ға шағымым бар", "shagym bergim keledi", "shagymdangym keledi", "шагым", "ШАГЫМ бар",
    "арызданғым келеді", "әкімдіктің үстінен арыз жазғым келеді", "I want to complain",
])
def test_complaint_requests_are_recognised(text: str) -> None:
    assert is_complaint_request(text)


@pytest.mark.parametrize("text", [
    "сколько стоит паспорт", "төлқұжат қанша тұрады", "сколько стоит справка о жалобе",
    "Добро пожаловать!", "подскажите пожалуйста, сколько стоит паспорт",
    "когда перечислят жалованье", "жалобы на боль в спине, как записаться к врачу",
    "ребёнок жалуется на сильную головную боль", "шағым туралы анықтама қанша тұрады",
    "басының ауыруына шағымданады, дәрігерге қалай жазылуға болады",
    "талап арыз қалай жазылады", "төлқұжатқа арыз беру", "шағын кәсіпкерлікке субсидия",
])
def test_questions_are_not_complaints(text: str) -> None:
    assert not is_complaint_request(text)


def test_the_complaint_words_are_left_out_of_the_service_search() -> None:
    seen: list[str] = []

    def finding(text: str, lang: Lang) -> Sequence[ServiceOption]:
        seen.append(text)
        return find(text, lang)

    begin("ru", finding, "Хочу жаловаться: в ЦОНе на паспорт требуют справку")
    begin("kk", finding, "shagymdangym keledi: HQKO pasport")
    assert seen == ["Хочу в ЦОНе на паспорт требуют справку", "keledi: HQKO pasport"]


def test_the_appeal_route_is_dated_across_nauryz() -> None:
    """Registered on Friday 20 March 2026: 21-25 March are days off (Nauryz and its
    transfers), so the 5 working days are 26, 27, 30, 31 March and 1 April."""
    route = appeal_route(date(2026, 3, 20), Policy(), WorkCalendar.kazakhstan())

    assert route.agency_days == 5 and route.agency_by == date(2026, 4, 1)
    assert route.agency_extended_by == date(2026, 4, 15)  # + 10 working days
    assert route.quality_body_days == 15 and route.quality_body_by == date(2026, 4, 22)
    assert route.notice_days == 3 and route.extension_days == 10
