"""Inflected Kazakh forms meet on one stem; different words stay apart."""

from __future__ import annotations

import pytest

from knowledge.text.fold import SKELETON_LETTERS, fold_word
from knowledge.text.kazakh_stem import KAZAKH_SUFFIXES, case_forms, stem_kazakh, stripped_forms


def stem(word: str) -> str:
    """Stem a properly spelled (or however typed) word the way the index does."""
    return stem_kazakh(fold_word(word.lower()))


# Each group: inflected forms of one word, in proper Kazakh spelling, the word first.
NOUN_GROUPS: list[str] = [
    (
        "жәрдемақы жәрдемақысы жәрдемақысын жәрдемақыға жәрдемақысына жәрдемақыны "
        "жәрдемақылар жәрдемақының жәрдемақыдан жәрдемақылары жәрдемақысының"
    ),
    (
        "құжат құжаттар құжаттарды құжаттың құжатты құжатпен құжаттарын құжаты құжатын "
        "құжатыңыз құжатқа құжатта құжаттан"
    ),
    (
        "балабақша балабақшаға балабақшаның балабақшада балабақшадан балабақшасы "
        "балабақшасына балабақшадағы балабақшалар"
    ),
    "куәлік куәлігі куәлігін куәлікті куәлікке куәліктер куәлігіңіз",
    "анықтама анықтаманы анықтамасы анықтаманың анықтамаға анықтамалар анықтамада",
    "кезек кезегі кезекке кезегін кезекте кезектен",
    "зейнетақы зейнетақысы зейнетақыны зейнетақыға",
    "қызмет қызметтер қызметі қызметін қызметке қызметтің қызметтік",
    "азамат азаматтар азаматы азаматтың азаматтығы",
    "мемлекет мемлекеттік мемлекеттің",
    "жұмыс жұмысы жұмысын жұмысқа жұмыстар жұмыста жұмысымыз",
    "аудан ауданы ауданның ауданнан ауданда аудандағы ауданға",
    "адам адамдар адамға адамның адаммен адамы",
    "мектеп мектепке мектепте мектебі мектептің",
    "бала балаға баланың балалар баласы балаларға",
    "өтініш өтініші өтінішті өтінішін өтініштер",
    "үй үйге үйді үйлер үйден",
    "мекенжай мекенжайы мекенжайға мекенжайын мекенжайды мекенжайда",
    "орын орны орнына орынды",
    "салық салығы салықты салықтар",
    "қала қалада қаланың қалаға",
    "ақы ақысы ақыны",
    "жағдай жағдайы жағдайда жағдайға",
    "денсаулық денсаулығы денсаулықты денсаулыққа",
    "мүгедек мүгедектік мүгедектігі мүгедекке",
    "білім білімі білімін білімге",
    "уақыт уақыты уақытын уақытта",
    "ел елге еліміз елде",
    "тіл тілі тілін тілде",
    "ауыл ауылы ауылға ауылдың ауылда",
    "кітап кітабы кітапты кітапқа кітаптар кітаппен",
    "ұйым ұйымы ұйымға ұйымның",
    "төлем төлемі төлемін төлемді төлемдер",
]

VERB_GROUPS: list[str] = [
    (
        "тіркеу тіркеуге тіркеуді тіркеудің тіркеуден тіркейді тіркеймін тіркеп тіркеген "
        "тіркейтін тіркеуі тіркеңіз тіркегім"
    ),
    "тіркелу тіркелген тіркеледі тіркелетін тіркелесіз тіркелейін тіркелейік тіркелгім",
    "үйлену үйленеміз үйленгіміз",
    "төлеу төлеуге төлейді төлеймін төлегім",
    (
        "алу алуға аламын алады алып алған алатын аласыз аламыз алсам алдым алайын алайық "
        "алғым алғымыз"
    ),
    "беру беруге беремін береді беріп берген беретін бересіз беріңіз",
    "болу болады болып болған болса болатын",
    "жасау жасайды жасаймын жасап жасаған",
    "қабылдау қабылдайды қабылдаған қабылдауға",
    "рәсімдеу рәсімдейді рәсімдеуге рәсімдеген рәсімдегім",
    "туу туған туылған туылғаны",
    "ауыстыру ауыстырамыз ауыстырмақ ауыстырмақпыз ауыстырмақшымын ауыстырмақшымыз",
    "тіркелу тіркелмек тіркелмекпін тіркелмекшімін",
    "беру бермекпін бермекпіз бермекшіміз",
]


def _first_word(forms: str) -> str:
    return forms.split(maxsplit=1)[0]


@pytest.mark.parametrize("forms", NOUN_GROUPS, ids=_first_word)
def test_inflected_forms_of_a_noun_share_a_stem(forms: str) -> None:
    stems = {word: stem(word) for word in forms.split()}
    assert len(set(stems.values())) == 1, stems


@pytest.mark.parametrize("forms", VERB_GROUPS, ids=_first_word)
def test_forms_of_a_verb_share_a_stem(forms: str) -> None:
    stems = {word: stem(word) for word in forms.split()}
    assert len(set(stems.values())) == 1, stems


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("құжаттарды", "кужат"),  # тт folded to т: the plural's т is given back
        ("кезекке", "кезек"),  # кк folded to к
        ("куәлігін", "куалик"),  # г back to к; -лік stays on a short root
        ("жәрдемақысына", "жардемак"),
        ("балабақшаның", "балабакша"),
        ("тіркейтін", "тирке"),
        ("аламын", "алу"),  # a two-letter verb stem stands for its verbal noun
        ("беретін", "бер"),
        ("жұмысқа", "жумис"),
    ],
)
def test_a_form_reaches_its_expected_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize(
    ("typed", "proper"),
    [
        ("jardemaqysyna", "жәрдемақы"),
        ("qujattardy", "құжат"),
        ("kuzhattardy", "құжат"),
        ("balabaqshaga", "балабақша"),
        ("tirkeuge", "тіркеу"),
        ("kualigin", "куәлік"),
        ("зейнетакысын", "зейнетақы"),
        ("жардемакысы", "жәрдемақы"),
    ],
)
def test_a_form_typed_in_latin_or_without_kazakh_letters_meets_the_proper_word(
    typed: str, proper: str
) -> None:
    assert stem(typed) == stem(proper)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("бала", "балабақша"),
        ("ақы", "ақылы"),  # a fee / paid
        ("ақы", "ақысыз"),  # a fee / free of charge
        ("ақылы", "ақысыз"),
        ("куәлік", "кезек"),
        ("жұмыс", "жұмыссыз"),  # work / unemployed
        ("қауіп", "қауіпсіздік"),  # danger / safety
        ("тіркеу", "тіркелу"),  # the passive is kept apart (derivation)
        ("жәрдем", "жәрдемақы"),  # help / allowance
        ("зейнетақы", "зейнеткер"),  # pension / pensioner
        ("қала", "қалай"),  # city / how
        ("анықтама", "анықтау"),  # certificate / to determine
        ("төлем", "төлеу"),  # payment / to pay
        ("құжат", "қызмет"),
        ("алу", "беру"),
        ("жағдай", "жақ"),
        ("рәсімдеу", "рас"),
        ("қандай", "қан"),
        ("баспана", "баспа"),  # housing / print
    ],
)
def test_different_words_keep_different_stems(first: str, second: str) -> None:
    assert stem(first) != stem(second)


@pytest.mark.parametrize(
    "word",
    [
        "справка", "паспорт", "пособие", "документы", "заявление", "получить",
        "регистрация", "выдача", "налоги", "пенсии", "детей", "стоимость", "программа",
        "справки", "папка", "вода", "телефон",
    ],
)
def test_a_russian_word_is_never_cut_below_three_letters(word: str) -> None:
    assert len(stem(word)) >= 3


@pytest.mark.parametrize("word", ["ана", "ата", "ақы", "үй", "ел", "алу", "сот", "не", "а"])
def test_a_word_of_three_letters_or_fewer_is_returned_unchanged(word: str) -> None:
    folded = fold_word(word)
    assert stem_kazakh(folded) == folded


def test_the_empty_string_stays_empty() -> None:
    assert stem_kazakh("") == ""


@pytest.mark.parametrize("word", ["бала", "қала", "адам", "жәрдем", "тегін", "мүмкін"])
def test_a_frequent_word_that_looks_inflected_is_kept_whole(word: str) -> None:
    assert stem(word) == fold_word(word)


@pytest.mark.parametrize(
    "word",
    [word for group in (*NOUN_GROUPS, *VERB_GROUPS) for word in group.split()],
)
def test_stemming_a_stem_changes_nothing(word: str) -> None:
    once = stem(word)
    assert stem_kazakh(once) == once


@pytest.mark.parametrize(
    ("derived", "root"),
    [
        ("куәлік", "куә"),  # certificate / witness
        ("бірлік", "бір"),  # unit / one
        ("бастық", "бас"),  # boss / head
        ("теңдік", "тең"),  # equality / equal
    ],
)
def test_a_derivation_on_a_short_root_is_a_word_of_its_own(derived: str, root: str) -> None:
    assert stem(derived) != stem(root)


@pytest.mark.parametrize(
    ("derived", "root"),
    [("мемлекеттік", "мемлекет"), ("мүгедектігі", "мүгедек"), ("азаматтығы", "азамат")],
)
def test_a_derivation_on_a_longer_root_still_meets_the_root(derived: str, root: str) -> None:
    assert stem(derived) == stem(root)


def test_nothing_is_stripped_from_what_a_derivation_leaves() -> None:
    # Inflections follow a derivation, never precede it: әкімдік is әкім + дік, not әкі + м.
    assert stem("әкімдік") == fold_word("әкім")
    assert stem("әкімдігі") == stem("әкімдік")


def test_suffixes_are_folded_deduplicated_and_longest_first() -> None:
    assert len(set(KAZAKH_SUFFIXES)) == len(KAZAKH_SUFFIXES)
    lengths = [len(suffix) for suffix in KAZAKH_SUFFIXES]
    assert lengths == sorted(lengths, reverse=True)
    assert all(fold_word(suffix) == suffix for suffix in KAZAKH_SUFFIXES)  # already folded
    assert all(set(suffix) <= SKELETON_LETTERS for suffix in KAZAKH_SUFFIXES)
    assert {"нин", "га", "лар", "дан", "мен", "лик", "ган", "амин"} <= set(KAZAKH_SUFFIXES)


def test_the_forms_on_the_way_to_the_stem_are_kept_in_order() -> None:
    forms = stripped_forms("пропискага")
    assert forms[0] == "пропискага" and forms[1] == "прописка"
    assert forms[-1] == stem_kazakh("пропискага")
    assert stripped_forms("ата") == ("ата",)


def test_a_verb_that_ends_like_a_conditional_keeps_its_stem() -> None:
    # түседі is түс + еді (arrives), not ту + се + ді (if born).
    assert stem("түседі") == stem("түсу") == stem("түсті")
    assert stem("түседі") != stem("туу")
    assert stem("туса") == stem("туу")


def test_case_forms_stop_at_a_verb_ending() -> None:
    assert "прописка" in case_forms("пропискага")
    assert "бала" not in case_forms("баланса")
    assert "авто" not in case_forms("автомектеп")

