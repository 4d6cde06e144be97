"""Concepts: words of either language that mean the same thing for matching collapse into one.

Two kinds. *Aspects* are what a citizen asks about any service (fee, term, documents,
where and how to apply…): many entries share them, and both the service and the aspect
must match. *Domain nouns* (passport, pension, certificate…) are written in Russian inside
Kazakh sentences and back, so "выписка ЕНПФ алу тегін бе" meets the Kazakh entry.
Words are in proper spelling; ``knowledge.text.analyse`` folds and stems them at load.
A word marked ``!`` counts only when typed with Kazakh letters: folded, құн (cost) and
күн (day) are one spelling, and a bare "кун" is read as the day.
"""

from __future__ import annotations

from typing import Final

# What a question can ask about any service: the aspect that must match as well as the service.
ASPECTS: Final = frozenset({
    "#fee", "#term", "#documents", "#apply", "#how", "#lost", "#abroad", "#foreigner", "#proxy",
    "#amount", "#validity",
})

# tag -> (Kazakh words and phrases, Russian words and phrases)
CONCEPTS: Final[dict[str, tuple[str, str]]] = {
    # ---- aspects
    "#fee": (
        "ақы ақылы ақысыз тегін !құны !құн төлеу төлем төленеді төлейміз баж бағасы баға ақша "
        "қаражат шығын",
        "стоимость стоит стоить цена цену платно платный платная платить оплата оплачивать "
        "оплачивается бесплатно бесплатный бесплатная пошлина госпошлина деньги обойдётся "
        "обойдется расходы",
    ),
    "#term": (
        "мерзім мерзімі уақыт қашан ұзақ тез жылдам дайын дайындалу дайындайды күту күн неше",
        "срок сроки долго быстро время когда готов готова готово готовность изготовление "
        "изготавливается ждать ожидать дней день",
    ),
    "#documents": (
        "құжат құжаттар қағаз тізім тізімі әкелу жинау",
        "документ документы бумаги бумага список предъявить предъявляют собрать",
    ),
    "#apply": (
        "қайда қайдан қай_жер жүгіну өтініш тапсыру онлайн интернет",
        "где куда откуда обратиться обращаться подать подача онлайн интернет каком_месте какое_место",
    ),
    "#how": ("қалай қалайша тәсіл", "как каким_образом способ"),
    "#lost": (
        "жоғалту жоғалтып жоғалған жоғалды ұрланды ұрлап бүлінген бүлінді қалпына",
        "потерял потеряла потеря утеря утерян утеряно украли кража восстановить "
        "восстановление испорчен порча",
    ),
    "#abroad": ("шетелде шетелден шет_ел консулдық", "за_границей за_рубежом консульство"),
    "#foreigner": ("шетелдік шетел_азаматы", "иностранец иностранка иностранный иностранца"),
    "#proxy": ("сенімхат өкіл", "доверенность доверенному представитель"),
    "#amount": ("мөлшер мөлшері", "размер"),
    "#validity": ("жарамды жарамдылық", "действителен действует действительна годен"),
    # ---- domain nouns
    "#passport": ("төлқұжат паспорт", "паспорт загранпаспорт"),
    "#id-card": ("жеке_куәлік", "удостоверение_личности удо удик айдишка"),
    "#pension": ("зейнетақы зейнетақылық зейнеткер", "пенсия пенсионный пенсионка пенсионные"),
    "#kindergarten": ("балабақша бақша", "садик детсад детский_сад"),
    "#certificate": ("анықтама", "справка"),
    "#allowance": ("жәрдемақы", "пособие декретные"),
    "#child": ("бала сәби нәресте", "ребёнок ребенок дети детей новорождённый младенец"),
    "#marriage": ("неке үйлену", "брак свадьба жениться замуж"),
    "#birth": ("туу туған", "рождение рождении"),
    "#signature": ("эцқ қолтаңба", "эцп подпись"),
    "#entrepreneur": ("кәсіпкер жк", "предприниматель ип"),
    "#clinic": ("емхана", "поликлиника"),
    "#criminal-record": ("соттылық сотталмағандық", "судимость несудимость судимости"),
    "#statement": ("үзінді", "выписка"),
    "#queue": ("кезек", "очередь"),
    "#school": ("мектеп", "школа"),
    "#tax": ("салық", "налог налоговый"),
    "#debt": ("қарыз берешек", "долг задолженность"),
    "#death": ("қайтыс өлім", "смерть умер умерла"),
    "#address": ("мекенжай", "адрес адресная"),
    "#car": ("көлік автокөлік", "машина автомобиль авто"),
    "#building": ("құрылыс үй_салу", "строительство стройка"),
    "#residence": ("тұрғылықты", "прописка прописаться"),
}
