"""The leave-out checks count what a held-out question gets: its entry, another, or nothing."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.factories import entry, pack, service

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import holdout  # noqa: E402


def two_phrasings(key: str, first: str, second: str) -> dict[str, object]:
    faq = entry(key, None, first)
    faq["questions"]["ru"].append(second)
    return faq


def test_a_held_out_phrasing_is_asked_of_an_index_without_it() -> None:
    doc = pack(service(faq=[
        two_phrasings("mvd.passport.fee", "Сколько стоит паспорт?", "Цена паспорта?"),
        two_phrasings("mvd.passport.term", "Сколько ждать паспорт?", "Когда готов паспорт?"),
    ]))
    asked, right, wrong = holdout.leave_one_variant_out(doc)
    assert asked == 4  # each of the two phrasings of each entry, once
    assert right == 4 and wrong == 0


def test_questions_of_a_service_left_out_are_not_answered_by_another() -> None:
    marriage = service("00201002", "mju", name={"kk": "Некені тіркеу", "ru": "Регистрация брака"},
                       keywords={"ru": ["ЗАГС"]},
                       faq=[entry("mju.marriage.fee", "Неке тіркеу ақылы ма?",
                                  "Платная ли регистрация брака?")])
    doc = pack(service(), marriage)
    asked, answered, _out_of_scope = holdout.leave_one_service_out(doc)
    assert asked == 4
    assert answered == 0


def test_questions_of_a_service_left_out_in_words_no_other_uses_are_out_of_scope() -> None:
    marriage = service("00201002", "mju", name={"kk": "Некені тіркеу", "ru": "Регистрация брака"},
                       keywords={"ru": ["ЗАГС"]},
                       faq=[entry("mju.marriage.fee", "Некені тіркеу ақылы ма?",
                                  "Платная ли регистрация брака?")])
    asked, answered, out_of_scope = holdout.leave_one_service_out(pack(service(), marriage))
    assert (asked, answered) == (4, 0)
    assert out_of_scope == 4  # each service's questions, asked of the other alone
