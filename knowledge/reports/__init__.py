"""Reports: the monthly analytical report of 002 p.14 (Annex 2 and the center's figures)."""

from knowledge.reports.figures import AgencyFigures, compute_figures
from knowledge.reports.monthly import (
    MonthlyReport,
    ReportError,
    ReportFile,
    generate_monthly_report,
    month_of,
    produce_due_report,
    report_files,
)
from knowledge.reports.register import (
    ANNEX2_COLUMNS,
    ComplaintSource,
    RegisterRow,
    no_complaints,
)

__all__ = [
    "ANNEX2_COLUMNS",
    "AgencyFigures",
    "ComplaintSource",
    "MonthlyReport",
    "RegisterRow",
    "ReportError",
    "ReportFile",
    "compute_figures",
    "generate_monthly_report",
    "month_of",
    "no_complaints",
    "produce_due_report",
    "report_files",
]
