"""The complaints of a month as rows of the register of Annex 2 (002 p.14).

Every complaint registered in the month is a row, with all nine columns: the time it was
received (Kazakhstan's time), the operator who handled it, the region, the applicant
(or a dash once erased), the nature (a standard violated, or staff's conduct), the content
(the service and the nature named before the citizen's words) and the number of the
request the center sent to the agency. The triage's complaints, not forwarded yet, stand
with the request number they will be sent under.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlalchemy import select

from knowledge.calendar import KAZAKHSTAN
from knowledge.clock import as_utc
from knowledge.complaints.categories import NATURE_BY_CODE, REGION_BY_CODE, STAFF
from knowledge.complaints.model import ERASED
from knowledge.db.tables import ComplaintRow
from knowledge.db.uow import UnitOfWork
from knowledge.escalations.access import agency_codes
from knowledge.reports.register import RegisterRow

UNASSIGNED: Final = "1414"  # column 3 when no operator was picked or acted on it


async def complaint_register(
    uow: UnitOfWork, start: datetime, end: datetime,
) -> list[RegisterRow]:
    """A ``ComplaintSource`` for the monthly report: the complaints received in
    ``[start, end)``, in the order they came."""
    codes = await agency_codes(uow)
    rows = await uow.session.scalars(select(ComplaintRow).where(
        ComplaintRow.created_at >= start, ComplaintRow.created_at < end,
    ).order_by(ComplaintRow.created_at, ComplaintRow.id))
    register = []
    for row in rows:
        region = REGION_BY_CODE.get(row.region)
        nature = NATURE_BY_CODE.get(row.nature)
        service = row.service_name or row.register_no or "—"
        what = nature.both if nature is not None else row.nature
        register.append(RegisterRow(
            received_at=as_utc(row.created_at).astimezone(KAZAKHSTAN),
            responsible=row.handled_by or UNASSIGNED,
            region=region.both if region is not None else row.region,
            applicant=row.applicant or ERASED,
            standard_violation=row.category != STAFF,
            staff_conduct=row.category == STAFF,
            content=f"{service}. {what}. {row.content or ERASED}",
            request_no=row.request_no or "",
            agency=codes.get(row.agency_id or 0),
        ))
    return register
