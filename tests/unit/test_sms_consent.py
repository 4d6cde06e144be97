"""The complaint's consent by SMS is whole at any UCC_SMS_MAX_PARTS: what is done with whose
data and to whom it goes, the question, and how to answer ("1", "0"), never cut with "…"."""

from __future__ import annotations

import pytest

from bot.channels.sms.texts import complaint_prompt
from knowledge.complaints import intake
from knowledge.complaints.categories import NATURES, REGIONS
from knowledge.complaints.intake import Draft, Problem, Prompt, Step
from knowledge.sms.segments import ELLIPSIS, fits

CONTENT = {"ru": "В ЦОНе не приняли документы на паспорт и не объяснили, чего не хватает, "
                 "хотя весь список был собран по сайту egov.kz.",
           "kk": "ХҚО-да төлқұжатқа құжаттарды қабылдамады, не жетіспейтінін түсіндірмеді, "
                 "ал тізімнің бәрі egov.kz сайты бойынша жиналған еді."}
NAMES = {"ru": "Выдача паспорта", "kk": "Төлқұжат беру"}
AGENCY = {"ru": "госорган", "kk": "мемлекеттік орган"}
REPLY = {"ru": "1 — да, 0 — отмена", "kk": "1 — иә, 0 — бас тарту"}
WHOSE = {"ru": ("ФИО", "телефон", "жалоб"), "kk": ("Т.А.Ә.", "телефон", "шағым")}


def consent(lang: str, max_parts: int, problem: Problem | None = None) -> str:
    draft = Draft(lang=lang, step=Step.CONSENT, service_name=NAMES[lang],  # type: ignore[arg-type]
                  region=REGIONS[0].code, nature=NATURES[0].code, content=CONTENT[lang],
                  applicant="Иванов Иван Иванович")
    prompt = intake.prompt_for(draft)
    return complaint_prompt(Prompt(prompt.step, prompt.options, problem), draft, max_parts)


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("max_parts", [1, 2])
@pytest.mark.parametrize("problem", [None, Problem.CONSENT_NEEDED])
def test_the_consent_is_whole_with_its_replies(lang: str, max_parts: int,
                                               problem: Problem | None) -> None:
    text = consent(lang, max_parts, problem)
    assert fits(text, max_parts), text
    assert ELLIPSIS not in text, text
    assert text.endswith("\n" + REPLY[lang])
    question = text.splitlines()[-2]
    assert question.endswith("?") or problem is not None, text


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_at_two_parts_it_says_whose_data_and_to_whom_at_one_the_question(lang: str) -> None:
    two = consent(lang, 2)
    assert all(word in two for word in WHOSE[lang]) and AGENCY[lang] in two, two
    one = consent(lang, 1)
    assert AGENCY[lang] in one and one.splitlines()[0].endswith("?"), one
