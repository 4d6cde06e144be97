"""What an agency sends as its information: the filled template, or a knowledge pack."""

from __future__ import annotations

from typing import Any, Final

from knowledge.agencies import agency_by_code
from knowledge.db.uow import UnitOfWork
from knowledge.onboarding.cases import Case
from knowledge.onboarding.documents import read_information
from knowledge.pack.validate import parse_pack

ZIP_MAGIC: Final = b"PK"  # an .xlsx workbook is a zip archive
MAX_SUBMISSION_BYTES: Final = 20 * 1024 * 1024


async def read_submission(uow: UnitOfWork, case: Case, data: bytes) -> dict[str, Any]:
    """The submission as a pack of the case's service; ``InvalidPack`` names every problem
    (``sheet!CELL`` in a template, the JSON path in a pack)."""
    if data.startswith(ZIP_MAGIC):
        agency = await agency_by_code(uow, case.agency_code)
        names = {"kk": agency.name_kk or "", "ru": agency.name_ru or ""} if agency else {}
        return read_information(data, register_no=case.register_no,
                                agency_code=case.agency_code, agency_name=names)
    return parse_pack(data)
