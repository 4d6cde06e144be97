"""Normalisation: every typing style of a word reaches the terms of its proper spelling."""

from __future__ import annotations

import pytest

from knowledge.text.analyse import (
    known_reading,
    known_terms,
    query_readings,
    query_tokens,
)
from knowledge.text.endings import only_endings
from knowledge.text.fold import fold_word


def terms(text: str) -> list[tuple[str, ...]]:
    return [t.readings for t in query_tokens(text)]


def meets(typed: str, proper: str, lang: str) -> bool:
    """A citizen's word meets the knowledge base's word when one of its readings is it."""
    return known_reading(proper, lang) in query_readings(typed)


KAZAKH_STYLES = [
    # (style, typed, proper)
    ("clean", "жәрдемақысын", "жәрдемақы"),
    ("nokk", "жардемакысын", "жәрдемақысы"),
    ("nokk", "кужаттар", "құжаттарды"),
    ("nokk", "балабакшага", "балабақша"),
    ("latin 2021", "järdemaqy", "жәрдемақы"),
    ("chat latin", "balabaksha", "балабақшаға"),
    ("chat latin", "kezegi", "кезек"),
    ("look-alike letters", "кутiмi", "күтімі"),
    ("typo: doubled letter", "құжатттар", "құжаттар"),
]

RUSSIAN_STYLES = [
    ("clean", "удостоверения", "удостоверение"),
    ("translit", "pasport", "паспорт"),
    ("translit", "vypiska", "выписка"),
    ("translit", "skolko", "сколько"),
    ("soft sign dropped", "сколко", "сколько"),
    ("ё as е", "ребенок", "ребёнок"),
    ("inflection", "справку", "справка"),
]


@pytest.mark.parametrize(("style", "typed", "proper"), KAZAKH_STYLES)
def test_kazakh_typing_styles_meet_the_proper_spelling(
    style: str, typed: str, proper: str
) -> None:
    assert meets(typed, proper, "kk"), style


@pytest.mark.parametrize(("style", "typed", "proper"), RUSSIAN_STYLES)
def test_russian_typing_styles_meet_the_proper_spelling(
    style: str, typed: str, proper: str
) -> None:
    assert meets(typed, proper, "ru"), style


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("стоимость", "бағасы"),  # fee, in either language
        ("цена", "бағасы"),
        ("сроки", "мерзімі"),
        ("документы", "құжаттар"),
        ("где", "қайда"),
        ("выписка", "үзінді"),
        ("садик", "балабақша"),
        ("ЭЦП", "ЭЦҚ"),
        ("пенсия", "зейнетақы"),
    ],
)
def test_words_of_one_meaning_in_both_languages_meet_as_a_concept(a: str, b: str) -> None:
    assert query_readings(a.lower()) == query_readings(b.lower())
    assert query_readings(a.lower())[0].startswith("#")


def test_cost_and_day_are_told_apart_when_typed_with_kazakh_letters() -> None:
    assert query_readings("құны") == ("#fee",)
    assert query_readings("күні") == ("#term",)


def test_a_short_concept_word_does_not_catch_longer_words_through_a_russian_stem() -> None:
    assert query_readings("как") == ("#how",)
    assert "#how" not in query_readings("какие")


def test_greetings_politeness_and_function_words_are_dropped() -> None:
    assert terms("Здравствуйте! Добрый день, подскажите пожалуйста: паспорт") == terms("паспорт")
    assert terms("Сәлеметсіз бе, айтыңызшы, төлқұжат") == terms("төлқұжат")


def test_a_day_word_survives_when_it_is_not_part_of_a_greeting() -> None:
    assert terms("сколько дней") == [query_readings("сколько"), ("#term",)]


def test_a_kazakh_case_ending_after_a_hyphen_is_dropped() -> None:
    assert terms("ХҚО-дан") == terms("ХҚО")


def test_two_word_concepts_are_joined() -> None:
    assert terms("детский сад") == [("#kindergarten",)]
    assert terms("жеке куәлік") == [("#id-card",)]


def test_a_concept_phrase_that_begins_with_a_stop_word_is_joined() -> None:
    """"за" is a stop-word, and the first word of "за границей" and "за другого"."""
    assert terms("живу за границей") == [("жив",), ("#abroad",)]
    assert ("#proxy",) in terms("получить за другого человека")
    # Where it begins no phrase, it is dropped as before.
    assert terms("за справку") == terms("справку")


def test_a_two_word_concept_is_joined_with_one_typo_in_its_first_word() -> None:
    assert terms("детсикй сад") == [("#kindergarten",)]  # a transposed pair
    assert terms("деский сад") == [("#kindergarten",)]  # a letter dropped
    # Two edits off, or the second word not the phrase's: no concept.
    assert ("#kindergarten",) not in terms("дескикй сад")
    assert ("#kindergarten",) not in terms("детсикй дом")


def test_a_two_word_concept_is_joined_with_one_typo_in_its_second_word() -> None:
    assert terms("как бсытро") == [("#term",)]  # a transposed pair: not "how", but when
    assert terms("как быстр") == [("#term",)]  # a letter dropped
    # A second word that is a word of another concept stays one: как долга is no term.
    assert terms("как долга") == [("#how",), ("#debt",)]
    # Two edits off: no phrase.
    assert terms("как бсытор")[0] == ("#how",)
    # A knowledge-base text is spelt right: it is not read with typos.
    assert [t for _, t in known_terms("как бсытро", "ru")][0] != "#term"


def test_known_terms_keep_the_folded_word_beside_the_term() -> None:
    assert known_terms("Сколько стоит паспорт?", "ru") == [
        ("сколкостоит", "#fee"),  # a two-word concept, joined
        ("паспорт", "#passport"),
    ]
    assert known_terms("Сколько ждать паспорт?", "ru") == [
        ("сколко", known_reading("сколько", "ru")),
        ("ждат", "#term"),
        ("паспорт", "#passport"),
    ]


def test_a_question_of_nothing_but_punctuation_and_emoji_has_no_words() -> None:
    assert query_tokens("?!… 😀👍") == []


def test_a_huge_question_is_cut_to_a_bounded_number_of_words() -> None:
    assert len(query_tokens("паспорт " * 50_000)) <= 64


def test_waiting_and_time_in_their_cases_ask_about_the_term() -> None:
    for word in ("времени", "ожидания", "жду"):
        assert query_readings(word) == ("#term",), word


def test_a_foreigner_in_kazakh_cases_is_a_foreigner_not_abroad() -> None:
    assert query_readings("шетелдікпен") == ("#foreigner",)
    assert query_readings("шетелде") == ("#abroad",)


def test_time_adverbs_and_addresses_are_fillers() -> None:
    assert terms("вчера теперь паспорт") == [("#passport",)]
    assert terms("кеше енді төлқұжат") == [("#passport",)]


def test_colloquial_theft_and_a_referral_voucher_are_understood() -> None:
    assert query_readings("вытащили") == ("#lost",)
    assert query_readings("путёвку") == query_readings("направление") == ("#referral",)


def test_colloquial_marriage_and_at_once_are_understood_and_or_is_a_filler() -> None:
    assert query_readings("распишут") == query_readings("брак") == ("#marriage",)
    assert query_readings("сразу") == ("#term",)
    assert terms("паспорт или удостоверение") == terms("паспорт либо удостоверение")
    assert terms("төлқұжат әлде жеке куәлік") == terms("төлқұжат жеке куәлік")


def test_temporary_is_not_time_though_the_russian_stemmer_makes_them_one() -> None:
    # "времени" and "временная" share the stem "времен": only the word as written is time.
    assert query_readings("времени") == ("#term",)
    for word in ("временная", "временную", "временной"):
        assert "#term" not in query_readings(word), word
    assert known_reading("временная", "ru") != "#term"


def test_at_once_in_kazakh_is_the_term_but_one_is_not() -> None:
    assert query_readings("бірден") == query_readings("бирден") == ("#term",)
    assert "#term" not in query_readings("бір")


def test_the_egov_portal_and_a_sum_name_their_aspects() -> None:
    assert query_readings("егов") == query_readings("egov") == ("#apply",)
    assert query_readings("сумма") == query_readings("сомасы") == ("#amount",)


def test_pronouns_are_dropped_but_a_kazakh_what_survives_folding() -> None:
    assert terms("что для этого нужно, выписка") == terms("что нужно, выписка")
    assert terms("оны қалай аламын, анықтама") == terms("қалай аламын, анықтама")
    # "неё" folds to "не", Kazakh "what": it must not become a stop-word.
    assert terms("не керек")[0] == ("#documents",)


def test_a_russian_loanword_in_a_kazakh_case_keeps_its_concept() -> None:
    # The Kazakh rules alone strip "пропискаға" down to "про".
    assert query_readings("пропискаға") == query_readings("прописка") == ("#residence",)
    assert query_readings("справкаға") == query_readings("справка") == ("#certificate",)
    assert known_reading("пропискаға", "kk") == "#residence"


def test_a_country_is_abroad_and_its_citizen_a_foreigner() -> None:
    assert terms("рожаем в Турции") == [query_readings("рожаем"), ("#abroad",)]
    assert terms("балам Кореяда туылды")[1] == ("#abroad",)
    assert terms("я гражданин Узбекистана") == [("#foreigner",)]
    assert terms("жігітім Түркия азаматы")[-1] == ("#foreigner",)
    assert terms("Қазақстан азаматы") != [("#foreigner",)]


def test_giving_birth_is_birth_in_both_languages() -> None:
    for word in ("рожаем", "родилась", "босандым", "туған"):
        assert query_readings(word) == ("#birth",), word
    assert "#birth" not in query_readings("родители")


def test_a_place_is_not_a_proxy_though_instead_of_is_a_place_in_a_case() -> None:
    # орнына (instead of) is орын (a place) in the dative: only the word as written is proxy.
    assert query_readings("орнына") == ("#proxy",)
    for word in ("орын", "орнында", "орнын"):
        assert "#proxy" not in query_readings(word), word
        assert known_reading(word, "kk") != "#proxy", word


def test_a_stem_that_is_another_concept_s_word_belongs_to_that_concept() -> None:
    # долго (long) is cut to долг, which is debt as written.
    assert query_readings("долга") == query_readings("долг") == ("#debt",)
    assert query_readings("долго") == ("#term",)


def test_leaving_for_retirement_is_not_an_expense() -> None:
    # шығын (expense) is a word of its own, like шығыс: -ын is not its possessive.
    for word in ("шығу", "шығып", "шыққан", "шығуды"):
        assert "#fee" not in query_readings(word), word
        assert known_reading(word, "kk") != "#fee", word
    for word in ("шығын", "шығыны", "шығындар", "shygyn"):
        assert query_readings(word) == ("#fee",), word


def test_the_egov_portal_has_no_russian_stem_that_catches_other_words() -> None:
    # Snowball cuts егов to ег, which is also его (his) and егу (to sow).
    assert query_readings("егов") == query_readings("egov") == ("#apply",)
    for word in ("егу", "его"):
        assert "#apply" not in query_readings(word), word


def test_a_surname_in_the_genitive_is_not_free_of_charge() -> None:
    # тегінің is тегі (surname) + нің; folded it looks like тегін (free) + нің.
    assert query_readings("тегін") == query_readings("tegin") == ("#fee",)
    assert "#fee" not in query_readings("тегінің")
    assert known_reading("тегінің", "kk") != "#fee"


def test_a_kazakh_word_does_not_meet_a_russian_concept_stem() -> None:
    # деңгейінде (at the level) strips to ден, Snowball's stem of день (day).
    assert "#term" not in query_readings("деңгейінде")
    assert known_reading("деңгейінде", "kk") != "#term"
    assert query_readings("дней") == query_readings("күні") == ("#term",)


def test_a_bare_form_reached_past_a_verb_ending_is_not_the_word_in_a_case() -> None:
    # автомектеп (driving school) strips through -п and -те down to авто (car).
    for word in ("автомектеп", "автомектептен"):
        assert "#car" not in query_readings(word), word
        assert known_reading(word, "kk") != "#car", word
    assert query_readings("машинаны") == ("#car",)


def test_an_ending_or_a_chain_of_one_languages_endings_is_no_word() -> None:
    for piece in ("дан", "тардан", "лары", "ения", "ами"):
        assert only_endings(fold_word(piece)), piece
    for word in ("мекен", "алу", "ата", "көлік", "қайда", "можно"):
        assert not only_endings(fold_word(word)), word


def test_a_payment_received_is_no_fee() -> None:
    # төлем (a payment) names the benefits people receive ("жұмыссыздық бойынша төлем");
    # what a service costs is said with ақы, тегін, баж, құны.
    for word in ("төлем", "төлемі", "толем"):
        assert "#fee" not in query_readings(word), word
    assert known_reading("төлемін", "kk") != "#fee"
    for word in ("ақылы", "тегін", "бажы"):
        assert query_readings(word) == ("#fee",), word


def test_to_prepare_documents_is_not_the_time_it_takes() -> None:
    # дайын (ready) asks when; дайындау (to prepare) asks what to bring: one stem, дай.
    assert query_readings("дайын") == query_readings("daiyn") == ("#term",)
    assert query_readings("дайындалады") == ("#term",)
    for word in ("дайындау", "дайындаймын", "даиындау"):
        assert "#term" not in query_readings(word), word
    assert known_reading("дайындаймын", "kk") != "#term"


def test_again_is_not_death() -> None:
    # қайта (again, re-registration) typed without its letters strips to қайт, the stem
    # of қайтыс (died).
    for word in ("кайта", "қайта", "qaita"):
        assert "#death" not in query_readings(word), word
    assert query_readings("қайтыс") == query_readings("кайтыс") == ("#death",)


def test_every_word_and_phrase_of_the_concept_lexicon_reads_as_its_concept() -> None:
    """No dead entry: "за границей" was one while its stop-word was dropped before joining."""
    from knowledge.text.concepts import CONCEPTS

    dead = [
        (tag, item) for tag, (kk, ru) in CONCEPTS.items() for item in f"{kk} {ru}".split()
        if not any(tag in t.readings
                   for t in query_tokens(" ".join(item.lstrip("=!").split("_"))))
    ]
    assert dead == []


def test_maternity_pay_is_a_benefit_of_its_own_not_any_benefit() -> None:
    # "декретные" names one benefit (maternity pay); read as "пособие" it would make every
    # benefit's service a match for it.
    assert query_readings("пособие") == ("#allowance",)
    assert "#allowance" not in query_readings("декретные")
    assert "#allowance" not in query_readings("dekretnye")


def test_to_prepare_in_russian_is_not_the_time_it_takes() -> None:
    # готов (ready) asks when; готовить (to prepare) asks what to bring: Snowball cuts both
    # to готов.
    for word in ("готов", "готово", "готовы", "gotovo"):
        assert query_readings(word) == ("#term",), word
    for word in ("готовить", "подготовить"):
        assert "#term" not in query_readings(word), word
        assert known_reading(word, "ru") != "#term", word


def test_standing_in_a_queue_is_no_fee() -> None:
    # Snowball cuts стоит (costs) and стою (I stand) alike to сто.
    for word in ("стоит", "стоить", "стоят", "stoit", "стоимость"):
        assert query_readings(word) == ("#fee",), word
    for word in ("стою", "стоим"):
        assert "#fee" not in query_readings(word), word
        assert known_reading(word, "ru") != "#fee", word


@pytest.mark.parametrize("verb", ["принести", "приносить", "подготовить", "готовить",
                                  "собирать", "взять"])
def test_what_to_bring_asks_the_documents_in_a_question_only(verb: str) -> None:
    assert terms(f"что {verb} на пособие")[0] == ("#documents",)
    assert ("#documents",) not in terms(f"можно {verb} позже")
    assert [t for _, t in known_terms(f"Что {verb}?", "ru")][0] != "#documents"


def test_what_before_a_verb_of_applying_asks_the_documents_in_a_question_only() -> None:
    # не тапсырамын / что подаётся: what to hand in; қайда тапсырамын / куда подать: where.
    assert terms("не тапсырамын") == terms("что подаётся") == [("#documents",)]
    assert terms("жәрдемақыға не тапсырамын") == [("#allowance",), ("#documents",)]
    assert terms("куда подать") == [("#apply",), ("#apply",)]
    assert terms("қайда тапсырамын") == [("#apply",), ("#apply",)]
    # A knowledge-base text keeps the verb's own concept: entries' profiles do not move.
    assert [t for _, t in known_terms("Не тапсырамын?", "kk")] == ["не", "#apply"]


@pytest.mark.parametrize("asked", ["как оформить", "kak oformit", "қалай рәсімдеймін",
                                   "как оформлять", "калай расимдеуге"])
def test_how_to_arrange_asks_where_and_how_to_apply_in_a_question_only(asked: str) -> None:
    assert terms(f"{asked} пособие")[0] == ("#apply",)
    assert terms("как получить пособие")[0] == ("#how",)  # another verb: how, as before
    assert [t for _, t in known_terms("Как оформить пособие?", "ru")][0] == "#how"


@pytest.mark.parametrize("asked", ["сколько дают", "skolko dayut", "қанша береді",
                                   "канша бериледи"])
def test_how_much_they_give_asks_the_amount_in_a_question_only(asked: str) -> None:
    assert terms(f"{asked} на ребёнка")[0] == ("#amount",)
    assert ("#amount",) not in terms("сколько дней дают на ответ")  # not side by side
    assert [t for _, t in known_terms("Сколько дают на ребёнка?", "ru")][0] != "#amount"


@pytest.mark.parametrize("asked", ["кто выдаёт", "кто выдает", "кім береді", "kim beredi"])
def test_who_issues_asks_where_to_apply_in_a_question_only(asked: str) -> None:
    assert terms(f"{asked} справку")[0] == ("#apply",)
    assert [t for _, t in known_terms("Кто выдаёт справку?", "ru")][0] != "#apply"


@pytest.mark.parametrize("asked", ["через сколько", "cherez skolko", "Через сколько"])
def test_in_how_long_asks_the_term_in_a_question_only(asked: str) -> None:
    assert terms(f"{asked} придёт справка")[0] == ("#term",)
    # "через" alone is a stop-word, and a knowledge-base text keeps "сколько" as it is.
    assert ("#term",) not in terms("через ЦОН")
    assert [t for _, t in known_terms("Через сколько придёт?", "ru")][0] != "#term"


@pytest.mark.parametrize("word", ["сбор", "сбора", "тариф", "тарифу", "тарифі", "почём", "почем"])
def test_a_levy_a_tariff_or_how_much_apiece_is_a_fee(word: str) -> None:
    assert "#fee" in query_readings(word)


def test_making_a_payment_is_the_fee_though_a_payment_alone_is_no_fee() -> None:
    # төлем is also a benefit paid out (жұмыссыздық төлемі); "to make a payment" is to pay.
    assert terms("төлем жасаймыз ба") == [("#fee",)]
    assert terms("төлем жасауым керек пе") == [("#fee",), ("керек",)]
    assert ("#fee",) not in terms("жұмыссыздық төлемі")


def test_why_is_not_how_much_apiece() -> None:
    # почём is written only so: почему and почте share its Russian stem's letters.
    assert "#fee" not in query_readings("почему") + query_readings("почте")


@pytest.mark.parametrize("asked", ["что требуется для справки", "анықтамаға не қажет"])
def test_what_is_required_asks_the_documents_as_what_is_needed(asked: str) -> None:
    assert ("#documents",) in terms(asked)
    assert sorted(terms(asked)) == sorted(terms(asked.replace("требуется", "нужно")
                                                .replace("қажет", "керек")))


def test_a_word_marked_as_written_is_not_met_by_another_word_that_folds_alike() -> None:
    # "=времени" (time, genitive) is the term; временный (temporary) folds to the same
    # skeleton but is another word, in a question and in a knowledge-base text alike.
    assert query_readings("времени") == ("#term",)
    assert "#term" not in query_readings("временный")
    assert known_reading("временный", "ru") != "#term"
    # Typed without Kazakh letters, or in Latin, a marked word still reads.
    assert query_readings("тегин") == query_readings("tegin") == ("#fee",)
    assert query_readings("кайтыс") == ("#death",)
