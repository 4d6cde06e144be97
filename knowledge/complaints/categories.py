"""The lists a complaint is filed under: Kazakhstan's regions and the complaint's nature.

Data per language (like the knowledge base's texts), not interface strings: the register
of Annex 2 and every channel show the same names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from knowledge.model import Lang


@dataclass(frozen=True, slots=True)
class Named:
    code: str
    kk: str
    ru: str

    def name(self, lang: Lang | str) -> str:
        return self.kk if lang == "kk" else self.ru

    @property
    def both(self) -> str:
        return f"{self.kk} / {self.ru}"


# The 17 regions (oblys) and the 3 cities of republican significance, as since 2022.
REGIONS: Final = (
    Named("abai", "Абай облысы", "Абайская область"),
    Named("akmola", "Ақмола облысы", "Акмолинская область"),
    Named("aktobe", "Ақтөбе облысы", "Актюбинская область"),
    Named("almaty-r", "Алматы облысы", "Алматинская область"),
    Named("atyrau", "Атырау облысы", "Атырауская область"),
    Named("wko", "Батыс Қазақстан облысы", "Западно-Казахстанская область"),
    Named("zhambyl", "Жамбыл облысы", "Жамбылская область"),
    Named("zhetysu", "Жетісу облысы", "Область Жетысу"),
    Named("karaganda", "Қарағанды облысы", "Карагандинская область"),
    Named("kostanay", "Қостанай облысы", "Костанайская область"),
    Named("kyzylorda", "Қызылорда облысы", "Кызылординская область"),
    Named("mangystau", "Маңғыстау облысы", "Мангистауская область"),
    Named("pavlodar", "Павлодар облысы", "Павлодарская область"),
    Named("nko", "Солтүстік Қазақстан облысы", "Северо-Казахстанская область"),
    Named("turkistan", "Түркістан облысы", "Туркестанская область"),
    Named("ulytau", "Ұлытау облысы", "Область Улытау"),
    Named("eko", "Шығыс Қазақстан облысы", "Восточно-Казахстанская область"),
    Named("astana", "Астана қаласы", "Город Астана"),
    Named("almaty", "Алматы қаласы", "Город Алматы"),
    Named("shymkent", "Шымкент қаласы", "Город Шымкент"),
)

STANDARD: Final = "standard"  # violation of the service standard (Annex 2, column 6)
STAFF: Final = "staff"  # actions or inaction of staff (Annex 2, column 7)


@dataclass(frozen=True, slots=True)
class Nature(Named):
    category: str = STANDARD


NATURES: Final = (
    Nature("extra_documents", "Артық құжаттар талап етілді",
           "Потребовали лишние документы", STANDARD),
    Nature("term_exceeded", "Көрсету мерзімі бұзылды", "Нарушен срок оказания услуги",
           STANDARD),
    Nature("fee_charged", "Тегін қызмет үшін ақы алынды", "Взяли плату за бесплатную услугу",
           STANDARD),
    Nature("standard_other", "Стандарттың басқа бұзылуы", "Другое нарушение стандарта услуги",
           STANDARD),
    Nature("staff_conduct", "Қызметкерлердің әрекеті (әрекетсіздігі)",
           "Действия (бездействие) сотрудников", STAFF),
)

REGION_BY_CODE: Final = {region.code: region for region in REGIONS}
NATURE_BY_CODE: Final = {nature.code: nature for nature in NATURES}
