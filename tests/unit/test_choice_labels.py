"""Clarify choices name their service when they span services (issue 17)."""

from __future__ import annotations

from knowledge.choices import SHORT_NAME_MAX, service_labels
from knowledge.model import EntryInfo, ServiceInfo


def choice(key: str, ru: str, kk: str = "") -> EntryInfo:
    name = {"ru": ru, **({"kk": kk} if kk else {})}
    service = ServiceInfo(register_no=key, agency="a", name=name, id=len(key))
    return EntryInfo(key=f"{key}.fee", service=service, questions={"ru": ["Сколько?"]},
                     answer={"ru": "…"})


DISABILITY = choice("1", "Назначение государственного социального пособия по инвалидности",
                    "Мүгедектігі бойынша мемлекеттік әлеуметтік жәрдемақы тағайындау")
SURVIVOR = choice("22", "Назначение государственного социального пособия по случаю потери "
                        "кормильца",
                  "Асыраушысынан айырылу жағдайы бойынша мемлекеттік әлеуметтік жәрдемақы "
                  "тағайындау")


def test_choices_of_several_services_are_labelled_by_what_tells_the_services_apart() -> None:
    labels = service_labels([DISABILITY, SURVIVOR, DISABILITY], "ru")

    assert labels == ("по инвалидности", "по случаю потери кормильца", "по инвалидности")


def test_kazakh_labels_drop_the_words_the_names_end_with_alike() -> None:
    labels = service_labels([DISABILITY, SURVIVOR], "kk")

    assert labels == ("Мүгедектігі бойынша", "Асыраушысынан айырылу жағдайы бойынша")


def test_a_long_label_is_cut_after_a_whole_word() -> None:
    long = choice("333", "Выдача архитектурно-планировочного задания для строительства "
                         "индивидуального жилого дома на земельном участке")
    labels = service_labels([long, DISABILITY], "ru")

    assert all(label is not None and len(label) <= SHORT_NAME_MAX for label in labels)
    assert labels[0] is not None and labels[0].endswith("…")
    assert labels[0].startswith("Выдача архитектурно-планировочного")


def test_choices_of_one_service_need_no_label() -> None:
    assert service_labels([DISABILITY, DISABILITY], "ru") == (None, None)
