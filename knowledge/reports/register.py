"""The register of Annex 2 (002 p.14): one row per complaint or appeal, nine columns.

Complaints are recorded by a later part of the product; it plugs in here as a
``ComplaintSource``. Until then the register is empty, with its columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol

from knowledge.db.uow import UnitOfWork

# (Kazakh, Russian) headings of Annex 2, in its order; "nature" is two columns.
ANNEX2_COLUMNS: Final = (
    ("Р/с №", "№ п/п"),
    ("Шағымның және өтініштің келіп түскен күні мен уақыты",
     "Дата и время поступления жалобы и обращения"),
    ("Форумға жауапты тұлғаның Т.А.Ә.", "Ф.И.О. ответственного лица за форум"),
    ("Өңір", "Регион"),
    ("Өтініш берушінің Т.А.Ә.", "Ф.И.О. заявителя"),
    ("Өтініш сипаты: мемлекеттік қызметтің стандартын бұзу",
     "Характер обращения: нарушение стандарта государственной услуги"),
    ("Өтініш сипаты: қызметкерлердің іс-әрекетіне (әрекетсіздігіне)",
     "Характер обращения: на действия (бездействие) сотрудников"),
    ("Шағымның және өтініштің мазмұны", "Содержание жалобы и обращения"),
    ("Қолданылатын шара: сұрау №", "Принятая мера: № запроса"),
)


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One complaint or appeal; ``agency`` is not a column, it slices the register."""

    received_at: datetime
    responsible: str
    region: str
    applicant: str
    standard_violation: bool
    staff_conduct: bool
    content: str
    request_no: str
    agency: str | None = None

    def cells(self, number: int) -> tuple[object, ...]:
        return (number, self.received_at.strftime("%Y-%m-%d %H:%M"), self.responsible,
                self.region, self.applicant, "+" if self.standard_violation else "",
                "+" if self.staff_conduct else "", self.content, self.request_no)


class ComplaintSource(Protocol):
    async def __call__(
        self, uow: UnitOfWork, start: datetime, end: datetime
    ) -> list[RegisterRow]: ...


async def no_complaints(uow: UnitOfWork, start: datetime, end: datetime) -> list[RegisterRow]:
    """No complaint intake yet (a later issue): the register has its columns, no rows."""
    return []
