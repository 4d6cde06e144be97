"""Concepts: words of either language that mean the same thing for matching collapse into one.

Two kinds. *Aspects* are what a citizen asks about any service (fee, term, documents,
where and how to apply…): many entries share them, and both the service and the aspect
must match. *Domain nouns* (passport, pension, certificate…) are written in Russian inside
Kazakh sentences and back, so "выписка ЕНПФ алу тегін бе" meets the Kazakh entry.
Words are in proper spelling; ``knowledge.text.analyse`` folds and stems them at load.
A word marked ``!`` counts only when typed with Kazakh letters: folded, құн (cost) and
күн (day) are one spelling, and a bare "кун" is read as the day. A word marked ``=``
counts only as written, not through its stem nor its inflections: "времени" (time) and
"временная" (temporary) share the stem "времен"; тегінің is тегі (surname) in the genitive,
not тегін (free); егов has no Russian stem (Snowball's ег is his, его).
"""

from __future__ import annotations

from typing import Final

# What a question can ask about any service: the aspect that must match as well as the service.
ASPECTS: Final = frozenset({
    "#fee", "#term", "#documents", "#apply", "#how", "#lost", "#abroad", "#foreigner", "#proxy",
    "#amount", "#validity", "#status",
})

# Aspects that are the citizen's situation rather than a question about it: "I lost my ID,
# where do I go?" is answered by the entry on a lost ID, not the one on where to apply.
SITUATIONS: Final = frozenset({"#lost", "#abroad", "#foreigner", "#proxy"})

# Words that ask, in either language: an aspect word beside one is what the citizen asks.
QUESTION_WORDS: Final = frozenset(
    "қалай қайда қайдан қандай қанша қашан неше кім неге "
    "что как где куда какие какой какая какое каком каких каков какова каково каковы сколько "
    "когда почему зачем".split()
)

# Countries citizens live, give birth, work and marry in: abroad, or with a citizen word
# beside them (Ресей азаматы, гражданин Узбекистана), a foreigner.
_COUNTRIES_KK: Final = (
    "ресей түркия өзбекстан қырғызстан тәжікстан түрікменстан әзірбайжан грузия украина "
    "беларусь қытай корея жапония моңғолия германия польша чехия франция италия испания "
    "англия америка ақш канада израиль дубай бұаә еуропа"
)
_COUNTRIES_RU: Final = (
    "россия турция узбекистан киргизия кыргызстан таджикистан туркменистан азербайджан "
    "грузия украина беларусь китай корея япония монголия германия польша чехия франция "
    "италия испания англия америка сша канада израиль дубай оаэ европа"
)
CITIZEN_WORDS: Final = ("азамат азаматы азаматшасы", "гражданин гражданка гражданство")

# Two words that, in a citizen's question, ask a concept neither says alone: "what"
# before a verb of applying (не тапсырамын, что подаётся) or of bringing (что принести,
# что подготовить) asks what to hand in, the documents, where the verb alone asks where
# and how to apply; "how" before "to arrange"
# (как оформить, қалай рәсімдеймін) asks where and how to apply; "через сколько" (in how
# long) asks the term; "how much do they give" (сколько дают, қанша береді) asks the
# amount received, not a fee; "who issues" (кто выдаёт, кім береді) asks where to apply.
# Knowledge-base texts keep each word's own reading.
ASKING_PAIRS: Final[dict[tuple[str, str], str]] = {
    ("не", "#apply"): "#documents",
    ("что", "#apply"): "#documents",
    ("что", "принест"): "#documents",
    ("что", "принос"): "#documents",
    ("что", "подготов"): "#documents",
    ("что", "готов"): "#documents",
    ("что", "собира"): "#documents",
    ("что", "взиат"): "#documents",
    ("через", "сколк"): "#term",
    ("кто", "вида"): "#apply",
    ("ким", "бер"): "#apply",
    ("сколк", "даиут"): "#amount",
    ("канша", "бер"): "#amount",
    ("канша", "берил"): "#amount",
    ("#how", "оформ"): "#apply",
    ("#how", "оформлиа"): "#apply",
    ("#how", "расим"): "#apply",
}

# tag -> (Kazakh words and phrases, Russian words and phrases)
CONCEPTS: Final[dict[str, tuple[str, str]]] = {
    # ---- aspects
    "#fee": (
        "ақы ақылы ақысыз =тегін !құны !құн төлеу төленеді төлейміз баж бағасы баға ақша "
        "қаражат шығын қанша_тұрады қанша_төлеу тариф төлем_жасау",
        "сколько_стоит стоимость =стоит =стоить =стоят =стоило =стоила цена цену платно платный "
        "платная платить оплата "
        "оплачивать оплачивается бесплатно бесплатный бесплатная пошлина госпошлина деньги "
        "обойдётся обойдется расходы сбор тариф =почём =почем",
    ),
    "#term": (
        "мерзім мерзімі уақыт қашан ұзақ тез =бірден =дайын дайындалу =дайындайды күн неше_күн "
        "қанша_күн",
        "срок сроки долго быстро время когда =готов =готова =готово =готовы готовность "
        "изготовление изготавливается ждать ожидать дней день как_быстро как_скоро как_долго "
        "скоро =времени жду ждём ждем ожидание ожидания сразу",
    ),
    "#documents": (
        "құжат құжаттар қағаз тізім тізімі әкелу жинау не_керек не_қажет",
        "документ документы бумаги бумага список предъявить предъявляют собрать что_нужно "
        "что_понадобится что_требуется собой",
    ),
    "#apply": (
        "қайда қайдан қай_жер жүгіну тапсыру онлайн интернет егов egov",
        "где куда откуда обратиться обращаться подать подача онлайн интернет =егов =egov "
        "каком_месте какое_место",
    ),
    "#how": ("қалай қалайша тәсіл", "как каким_образом способ"),
    "#status": ("мәртебе мәртебесі тексеру", "статус проверить"),
    "#lost": (
        "жоғалту жоғалтып жоғалған жоғалды ұрланды ұрлап бүлінген бүлінді қалпына ұрлатып "
        "ұрлатты жоғалтыппын жоғалттым",
        "потерял потеряла потеря утеря утерян утеряно украли кража восстановить "
        "восстановление испорчен порча вытащили стащили пропал пропала пропало посеял "
        "потерялся потерялось",
    ),
    "#abroad": (
        "шетелде шетелден шет_ел консулдық елшілік " + _COUNTRIES_KK,
        "за_границей за_рубежом консульство посольство " + _COUNTRIES_RU,
    ),
    "#foreigner": (
        "шетелдік шетелдікпен шетелдікке шетелдіктің шетелдікті шетел_азаматы",
        "иностранец иностранка иностранный иностранца"),
    "#proxy": (
        "сенімхат өкіл =орнына басқа_адам басқа_біреу",
        "доверенность доверенному представитель за_другого другому_человеку постороннего",
    ),
    "#amount": ("мөлшер мөлшері көлем көлемі сома сомасы", "размер сумма суммы"),
    "#validity": ("жарамды жарамдылық", "действителен действует действительна"),
    # ---- domain nouns
    "#passport": ("төлқұжат паспорт", "паспорт загранпаспорт"),
    "#id-card": ("жеке_куәлік", "удостоверение_личности удо удик айдишка"),
    "#pension": ("зейнетақы зейнетақылық зейнеткер", "пенсия пенсионный пенсионка пенсионные"),
    "#kindergarten": ("балабақша бақша", "садик детсад детский_сад"),
    "#certificate": ("анықтама", "справка"),
    "#allowance": ("жәрдемақы", "пособие"),
    "#child": ("бала сәби нәресте", "ребёнок ребенок дети детей новорождённый младенец"),
    "#marriage": ("неке үйлену", "брак свадьба жениться замуж расписаться распишут"),
    "#birth": (
        "туу туған босану босанған босандым",
        "рождение рождении роды родить рожать рожаем рожаю родила родился родилась",
    ),
    "#signature": ("эцқ қолтаңба", "эцп подпись"),
    "#entrepreneur": ("кәсіпкер жк", "предприниматель ип"),
    "#clinic": ("емхана", "поликлиника"),
    "#criminal-record": ("соттылық сотталмағандық", "судимость несудимость судимости"),
    "#statement": ("үзінді", "выписка"),
    "#queue": ("кезек", "очередь"),
    "#referral": ("жолдама", "направление путевка путёвка"),
    "#school": ("мектеп", "школа"),
    "#tax": ("салық", "налог налоговый"),
    "#debt": ("қарыз берешек", "долг задолженность"),
    "#death": ("=қайтыс өлім", "смерть умер умерла"),
    "#address": ("мекенжай", "адрес адресная"),
    "#car": ("көлік автокөлік", "машина автомобиль авто"),
    "#building": ("құрылыс үй_салу", "строительство стройка"),
    "#residence": ("тұрғылықты", "прописка прописаться"),
}
