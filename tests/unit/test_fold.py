"""Every way of typing a word folds into the same skeleton."""

from __future__ import annotations

import pytest

from knowledge.text.fold import clean_text, fold_word


@pytest.mark.parametrize(
    ("typed", "proper"),
    [
        # Kazakh without its special letters
        ("балабакша", "балабақша"),
        ("кутими", "күтімі"),
        ("жардемакы", "жәрдемақы"),
        ("тиркеу", "тіркеу"),
        ("онир", "өңір"),
        ("узинди", "үзінді"),
        # Latin look-alike letters inside a Cyrillic word
        ("кутiмi", "күтімі"),
        # Kazakh chat Latin and the 2021 Latin alphabet
        ("balabaksha", "балабақша"),
        ("jardemaqy", "жәрдемақы"),
        ("balağa", "балаға"),
        ("järdemaqy", "жәрдемақы"),
        ("tölqūjat", "төлқұжат"),
        ("şağym", "шағым"),
        # Russian translit
        ("skolko", "сколько"),
        ("pasport", "паспорт"),
        ("vypiska", "выписка"),
        ("spravka", "справка"),
        ("zhaloba", "жалоба"),
        ("shkola", "школа"),
        ("chto", "что"),
        # я and ю: ya/ia and yu/iu, after a consonant or a vowel
        ("zayavlenie", "заявление"),
        ("zaiavlenie", "заявление"),
        ("semya", "семья"),
        ("kopia", "копия"),
        ("kopiya", "копия"),
        ("yurist", "юрист"),
        ("iurist", "юрист"),
        ("ayaq", "аяқ"),
        # typos: doubled letters, ё, soft sign
        ("несудиимости", "несудимости"),
        ("пасспорт", "паспорт"),
        ("ещё", "еще"),
        ("сколко", "сколько"),
    ],
)
def test_typing_styles_fold_to_the_same_skeleton(typed: str, proper: str) -> None:
    assert fold_word(typed) == fold_word(proper)


@pytest.mark.parametrize(
    ("a", "b"), [("паспорт", "справка"), ("бала", "бақша"), ("куәлік", "кезек")]
)
def test_different_words_stay_different(a: str, b: str) -> None:
    assert fold_word(a) != fold_word(b)


def test_skeleton_uses_only_the_reduced_alphabet() -> None:
    folded = fold_word("әғқңөұүһіыйёэщъьяю")
    assert set(folded) <= set("абвгдежзиклмнопрстуфхцчш")


def test_clean_text_drops_zero_width_and_control_characters() -> None:
    assert clean_text("Паспорт\u200b\x00 цена\u00a0\tқанша") == "паспорт  цена  қанша"
