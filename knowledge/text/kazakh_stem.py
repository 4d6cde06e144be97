"""A light Kazakh suffix-stripping stemmer on the folded skeleton, not on proper spelling.

Citizens type жәрдемақысына as жардемакысына, jardemaqysyna or with a typo, while the
knowledge base spells it properly. Both sides are folded first (``knowledge.text.fold``), so
stripping skeleton suffixes lets every typing style of every inflected form meet on one
stem. No offline Kazakh stemmer exists on PyPI; stems here aim at agreement, not at roots.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

# How a suffix may attach to what is left before it (the remainder).
_ANY: Final = 0  # anything
_AFTER_VOWEL: Final = 1  # a vowel (incl. folded й/у): -ны, -сы, -м, -ң, -на ...
_AFTER_CONSONANT: Final = 2  # a consonant (й/у after a vowel count): -ы, -ым, -ың, -ып ...
_NOT_VOICELESS: Final = 3  # a vowel or a voiced consonant: -ға, -да, -дан, -дар, -ды ...
_VOICELESS: Final = 4  # a voiceless consonant: -қа, -та, -тан, -тар, -ты, -пен ...
_LAR: Final = 5  # a vowel or р: -лар/-лер, -лық/-лік
_NIN: Final = 6  # a vowel, м or н: -ның, -нан
_VERB_STEM: Final = 7  # a known verb stem: -атын, -ады, -асыз (nouns end in -ат/-ет too)
_Y: Final = 8  # a consonant, or a long stem whose final й folded into и (мекенжай -> мекенжа)

# What a suffix belongs to; a two-letter stem is only reached through its own kind.
_NOUN: Final = 1
_VERB: Final = 2
_BOTH: Final = 3

_VOWELS: Final = frozenset("аеиоуэюяё")
_VOICELESS_LETTERS: Final = frozenset("кпстфхцчш")

# (skeleton suffix, where it attaches, kind). One entry per skeleton spelling.
# Deliberately left on: -шы/-ші (өтініш + і would read as өтіні + ші), -лы/-лі (ауыл + ы
# would read as ауы + лы), the privative -сыз/-сіз (ақысыз "free" is not ақы "fee"),
# -ма/-ме (анықтама is not анықтау), bare -а/-е, and voice: тіркелу stays apart from
# тіркеу (a derivation; the passive forms still meet each other on тиркел).
_TABLE: Final[tuple[tuple[str, int, int], ...]] = (
    # genitive -ның/-нің, -дың/-дің, -тың/-тің (also the 2nd person past -дың)
    ("нин", _NIN, _NOUN), ("дин", _NOT_VOICELESS, _BOTH), ("тин", _VOICELESS, _BOTH),
    # dative -ға/-ге, -қа/-ке, -на/-не (after a possessive)
    ("га", _NOT_VOICELESS, _NOUN), ("ге", _NOT_VOICELESS, _NOUN),
    ("ка", _VOICELESS, _NOUN), ("ке", _VOICELESS, _NOUN),
    ("на", _AFTER_VOWEL, _NOUN), ("не", _AFTER_VOWEL, _NOUN),
    # accusative -ны/-ні, -ды/-ді, -ты/-ті (-ды/-ты also the past tense), -н
    ("ни", _AFTER_VOWEL, _NOUN), ("ди", _NOT_VOICELESS, _BOTH), ("ти", _VOICELESS, _BOTH),
    # locative -да/-де, -та/-те, -нда/-нде and -дағы/-дегі ("which is in")
    ("да", _NOT_VOICELESS, _NOUN), ("де", _NOT_VOICELESS, _NOUN),
    ("та", _VOICELESS, _NOUN), ("те", _VOICELESS, _NOUN),
    ("нда", _AFTER_VOWEL, _NOUN), ("нде", _AFTER_VOWEL, _NOUN),
    ("даги", _NOT_VOICELESS, _NOUN), ("деги", _NOT_VOICELESS, _NOUN),
    ("таги", _VOICELESS, _NOUN), ("теги", _VOICELESS, _NOUN),
    ("ндаги", _AFTER_VOWEL, _NOUN), ("ндеги", _AFTER_VOWEL, _NOUN),
    # ablative -дан/-ден, -тан/-тен, -нан/-нен
    ("дан", _NOT_VOICELESS, _NOUN), ("ден", _NOT_VOICELESS, _NOUN),
    ("тан", _VOICELESS, _NOUN), ("тен", _VOICELESS, _NOUN),
    ("нан", _NIN, _NOUN), ("нен", _NIN, _NOUN),
    # instrumental -мен/-бен/-пен/-менен
    ("мен", _NOT_VOICELESS, _NOUN), ("бен", _NOT_VOICELESS, _NOUN),
    ("пен", _VOICELESS, _NOUN), ("менен", _NOT_VOICELESS, _NOUN),
    # plural
    ("лар", _LAR, _NOUN), ("лер", _LAR, _NOUN), ("дар", _NOT_VOICELESS, _NOUN),
    ("дер", _NOT_VOICELESS, _NOUN), ("тар", _VOICELESS, _NOUN), ("тер", _VOICELESS, _NOUN),
    # possessive: -ым/-м, -ың/-ң, -ыңыз/-ңыз (also the polite imperative), -ы/-сы,
    # -ымыз/-мыз
    ("им", _AFTER_CONSONANT, _NOUN), ("м", _AFTER_VOWEL, _NOUN),
    ("ин", _AFTER_CONSONANT, _NOUN), ("н", _AFTER_VOWEL, _NOUN),
    ("иниз", _AFTER_CONSONANT, _BOTH), ("низ", _AFTER_VOWEL, _BOTH),
    ("и", _Y, _NOUN), ("си", _AFTER_VOWEL, _NOUN),
    ("имиз", _ANY, _BOTH), ("миз", _AFTER_VOWEL, _BOTH),
    # derivation -лық/-лік/-дық/-дік/-тық/-тік (-дық/-тық also the 1st plural past)
    ("лик", _LAR, _NOUN), ("дик", _NOT_VOICELESS, _BOTH), ("тик", _VOICELESS, _BOTH),
    # verbal noun -у (-ю folds to -иу), converb -ып/-іп/-п, participles -ған/-қан, -атын/-йтын
    ("у", _ANY, _VERB),
    ("ип", _AFTER_CONSONANT, _VERB), ("п", _AFTER_VOWEL, _VERB),
    ("ган", _NOT_VOICELESS, _VERB), ("ген", _NOT_VOICELESS, _VERB),
    ("кан", _VOICELESS, _VERB), ("кен", _VOICELESS, _VERB),
    ("атин", _VERB_STEM, _VERB), ("етин", _VERB_STEM, _VERB), ("итин", _AFTER_VOWEL, _VERB),
    # present tense: -амын/-ймын, -асыз/-йсыз, -ады/-йды, -амыз
    ("амин", _AFTER_CONSONANT, _VERB), ("емин", _AFTER_CONSONANT, _VERB),
    ("имин", _AFTER_VOWEL, _VERB),
    ("асиз", _VERB_STEM, _VERB), ("есиз", _VERB_STEM, _VERB), ("исиз", _AFTER_VOWEL, _VERB),
    ("ади", _VERB_STEM, _VERB), ("еди", _VERB_STEM, _VERB), ("иди", _AFTER_VOWEL, _VERB),
    ("амиз", _AFTER_CONSONANT, _VERB), ("емиз", _AFTER_CONSONANT, _VERB),
    # intention -мақ/-мек, with a person (-мақпын, -мекпіз) or as -мақшы (-мақшымын,
    # -мекшіміз), conditional -са/-се, past -дым/-тым, -дыңыз/-тыңыз
    ("мак", _NOT_VOICELESS, _VERB), ("мек", _NOT_VOICELESS, _VERB),
    ("макпин", _NOT_VOICELESS, _VERB), ("мекпин", _NOT_VOICELESS, _VERB),
    ("макпиз", _NOT_VOICELESS, _VERB), ("мекпиз", _NOT_VOICELESS, _VERB),
    ("макши", _NOT_VOICELESS, _VERB), ("мекши", _NOT_VOICELESS, _VERB),
    ("макшимин", _NOT_VOICELESS, _VERB), ("мекшимин", _NOT_VOICELESS, _VERB),
    ("макшимиз", _NOT_VOICELESS, _VERB), ("мекшимиз", _NOT_VOICELESS, _VERB),
    ("са", _ANY, _VERB), ("се", _ANY, _VERB),
    ("дим", _NOT_VOICELESS, _VERB), ("тим", _VOICELESS, _VERB),
    # the wish of the first person: тіркелейін, барайын, тіркелейік
    ("еин", _VERB_STEM, _VERB), ("аин", _VERB_STEM, _VERB),
    ("еик", _VERB_STEM, _VERB), ("аик", _VERB_STEM, _VERB),
    # a wish with келеді: алғым, бергім, үйленгіміз, тапсырғымыз
    ("гим", _VERB_STEM, _VERB), ("ким", _VERB_STEM, _VERB),
    ("гимиз", _VERB_STEM, _VERB), ("кимиз", _VERB_STEM, _VERB),
    ("диниз", _NOT_VOICELESS, _VERB), ("тиниз", _VOICELESS, _VERB),
)

KAZAKH_SUFFIXES: Final[tuple[str, ...]] = tuple(
    sorted({suffix for suffix, _, _ in _TABLE}, key=lambda s: (-len(s), s))
)

# Not a suffix: a stem-final с after a vowel. After a vowel the 3rd person possessive is
# -сы, after с it is -ы, so жұмысы (жұмыс + ы) and ақысы (ақы + сы) look alike once
# folded; dropping that с too makes жұмыс, жұмысы, жұмысын and жұмысқа meet.
_PSEUDO_S: Final = ("с", _AFTER_VOWEL, _NOUN)

_SPECS: Final[dict[str, tuple[int, int]]] = {
    suffix: (gate, kind) for suffix, gate, kind in (*_TABLE, _PSEUDO_S)
}
_LENGTHS: Final[tuple[int, ...]] = tuple(sorted({len(s) for s in _SPECS}, reverse=True))

_MIN_STEM: Final = 3
# The derivation -лық/-лік/-дық/-тық comes off only a root of at least this many letters:
# on a one-syllable root it makes a word of its own (куәлік is a certificate, куә a
# witness; бірлік, бастық), on a longer one it is an adjective of the root (мемлекеттік).
_MIN_DERIVED_ROOT: Final = 4
_DERIVATIONS: Final = frozenset({"лик", "дик", "тик"})
# A й-final noun (folded to и) loses it when at least this much is left, so that
# мекенжай and мекенжайды (which -йды would cut to мекенжа) meet; қалай keeps it.
_LONG_Y_STEM: Final = 5

# Frequent words whose ending looks like a suffix and whose bare form must survive, in
# skeleton spelling. A form reaching one stops there (балаға -> бала, адамдар -> адам).
_PROTECTED: Final = frozenset({
    "бала", "кала", "ана", "ата", "жаса", "адам", "аудан", "жумис", "усинис", "табис",
    "кирис", "шигис", "шигин", "адрес", "бизнес", "процес", "статус", "толем", "билим", "келисим",
    "тегин", "мумкин", "билет", "кабинет", "касип", "орин", "жардемак", "толемак",
    "тармак", "мектеп", "жардем", "жагдаи", "расим", "денсау", "жеке", "тулга", "баспана",
    "емхана", "аурухана", "китапхана", "астана", "жакин", "калаи", "кандаи", "кашан",
})

# Two-letter stems that may be reached; verbs stand for their verbal noun, which
# stays unchanged as a word of three letters (алуға -> алу, аламын -> алу).
_SHORT_NOUNS: Final = frozenset({"уи", "ел", "ис", "ат", "аи", "су"})
_SHORT_VERBS: Final[dict[str, str]] = {"ал": "алу", "ет": "ету", "ту": "ту"}

# Consonant-final verb stems that take -атын/-ады/-асыз (a noun like құжат + ын would
# otherwise lose its -ат).
_VERB_STEMS: Final = frozenset({
    "ал", "бер", "кел", "бол", "бар", "кет", "тур", "жур", "отир", "жат", "жаз", "аит",
    "сал", "тап", "ет", "кир", "шик", "жет", "бил", "кор", "аш", "бекит", "толтир",
    "тусин", "ауистир", "жибер", "откиз", "отин", "тапсир", "алмастир", "токтат",
    "кайтар", "ауис", "сат", "кут", "тол", "кос", "сен", "шеш", "жаб", "уирен", "кайт",
    "кабил", "ток", "жинал", "тирел", "тирке", "толе", "расимде", "сура", "тус",
})
_CAUSATIVE_ENDINGS: Final = ("тир", "дир", "гиз", "киз")

# Stems that drop their last vowel before a vowel-initial suffix (орын -> орны).
_ELIDED: Final[dict[str, str]] = {
    "орн": "орин", "халк": "халик", "ауз": "ауиз", "мурн": "мурин",
    "туил": "ту",  # туылған (born) -> туу
}

# A stem-final к/п voices before a vowel (куәлік -> куәлігі, кітап -> кітабы).
_DEVOICE: Final[dict[str, str]] = {"г": "к", "б": "п"}


def _is_verb_stem(stem: str) -> bool:
    if stem in _VERB_STEMS:
        return True
    if len(stem) >= 4 and stem[-1] in "лн" and stem[-2] in _VOWELS:
        return True  # passive or reflexive: тіркел-, беріл-, алын-
    return len(stem) >= 5 and stem.endswith(_CAUSATIVE_ENDINGS)


def _consonant_final(stem: str) -> bool:
    last = stem[-1]
    if last not in _VOWELS:
        return True
    return last in "уи" and len(stem) >= 2 and stem[-2] in _VOWELS


def _attach(stem: str, suffix: str, gate: int) -> str | None:
    """The stem the suffix was attached to, or None if it could not attach there."""
    if gate == _VOICELESS:
        return _attach_voiceless(stem, suffix)
    return stem if _fits(stem, gate) else None


def _fits(stem: str, gate: int) -> bool:
    """Whether a suffix of this gate (any but ``_VOICELESS``) can follow the stem."""
    last = stem[-1]
    if gate == _ANY:
        return True
    if gate == _AFTER_VOWEL:
        return last in _VOWELS
    if gate == _AFTER_CONSONANT:
        return _consonant_final(stem)
    if gate == _NOT_VOICELESS:
        return last not in _VOICELESS_LETTERS
    if gate == _LAR:
        return last in _VOWELS or last == "р"
    if gate == _NIN:
        return last in _VOWELS or last in "мн"
    if gate == _Y:
        return _consonant_final(stem) or len(stem) >= _LONG_Y_STEM
    return _is_verb_stem(stem)


def _attach_voiceless(stem: str, suffix: str) -> str | None:
    if stem[-1] in _VOICELESS_LETTERS:
        return stem
    if not _consonant_final(stem):
        # -та/-қа/-пен never follow a vowel: the stem ended in the same consonant and
        # folding wrote the double letter once (құжаттар -> кужатар -> кужат).
        return stem + suffix[0]
    return None


def _long_enough(stem: str, kind: int) -> bool:
    if len(stem) >= _MIN_STEM:
        return any(ch in _VOWELS for ch in stem)
    if len(stem) == 2:
        return (kind != _VERB and stem in _SHORT_NOUNS) or (
            kind != _NOUN and stem in _SHORT_VERBS
        )
    return False


def _normalize(stem: str) -> str:
    stem = _ELIDED.get(stem, stem)
    if len(stem) >= _MIN_STEM and stem[-1] in _DEVOICE:
        stem = stem[:-1] + _DEVOICE[stem[-1]]
    return stem


def _derived_root_too_short(stem: str, suffix: str) -> bool:
    """Whether -лық/-дық/-тық would be cut from a root too short to be derived from
    (-дық/-тық after a verb stem is the past tense: алдық, бердік)."""
    if suffix not in _DERIVATIONS or len(stem) >= _MIN_DERIVED_ROOT:
        return False
    return suffix == "лик" or not _is_verb_stem(stem)


def _strip_once(word: str) -> tuple[str, str] | None:
    """Strip the longest suffix that fits, preferring one that leaves a protected word;
    (what is left, the suffix)."""
    first: tuple[str, str] | None = None
    for length in _LENGTHS:
        if length >= len(word):
            continue
        suffix = word[-length:]
        spec = _SPECS.get(suffix)
        if spec is None:
            continue
        gate, kind = spec
        rest = word[:-length]
        if length > 1 and suffix[0] not in _VOWELS and rest + suffix[0] in _PROTECTED:
            return rest + suffix[0], suffix  # a double letter folded once: адаммен -> адам
        stem = _attach(rest, suffix, gate)
        if stem is None or not _long_enough(stem, kind) or _derived_root_too_short(stem, suffix):
            continue
        if _normalize(stem) in _PROTECTED:
            return stem, suffix
        if first is None:
            first = stem, suffix
    return first


@lru_cache(maxsize=200_000)
def stem_kazakh(word: str) -> str:
    """The stem of one folded Kazakh word; words of up to three letters are kept.

    Suffixes come off one at a time from the end, longest first, each only where Kazakh
    phonotactics let it attach and only while a stem of three letters with a vowel is
    left (or a listed two-letter stem). The rules look only at the current string, so a
    form that strips down to another form ends on that form's stem.
    """
    return stripped_forms(word)[-1]


@lru_cache(maxsize=200_000)
def stripped_forms(word: str) -> tuple[str, ...]:
    """The word and each shorter form its suffixes leave, one suffix at a time; the last is
    the stem. A Russian loanword in a Kazakh case (пропискаға) passes through the word
    (прописка) before the rules, which do not know it, strip it further."""
    return _stripping(word)[0]


def case_forms(word: str) -> tuple[str, ...]:
    """``stripped_forms`` up to the first verb ending: a bare form reached past one is not
    the word in a case (баланса, a Russian genitive, is not бала + н + са, if-verb)."""
    forms, before_verb = _stripping(word)
    return forms[:before_verb]


@lru_cache(maxsize=200_000)
def _stripping(word: str) -> tuple[tuple[str, ...], int]:
    """(``stripped_forms``, how many of them come before the first verb ending)."""
    if len(word) <= _MIN_STEM:
        return (word,), 1
    forms = [word]
    before_verb = 0
    stem = word
    while True:
        stem = _normalize(stem)
        if len(stem) <= _MIN_STEM or stem in _PROTECTED:
            break
        stripped = _strip_once(stem)
        if stripped is None:
            break
        stem, suffix = stripped
        if not before_verb and _SPECS[suffix][1] == _VERB:
            before_verb = len(forms)
        forms.append(stem)
        if suffix in _DERIVATIONS:  # inflections follow a derivation: what it leaves is the root
            stem = _normalize(stem)
            break
    stem = _SHORT_VERBS.get(stem, stem)
    if forms[-1] != stem:
        forms.append(stem)
    return tuple(forms), before_verb or len(forms)
