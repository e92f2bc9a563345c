"""Excel in and out: the roster workbook → scenario, the roster template, the printable plan workbook."""

from planner.io.excel.roster import ImportResult, import_workbook
from planner.io.excel.style import workbook_bytes
from planner.io.excel.template import roster_workbook
from planner.io.excel.workbook import PlanExport, export_plan, plan_workbook

__all__ = [
    "ImportResult",
    "import_workbook",
    "workbook_bytes",
    "roster_workbook",
    "PlanExport",
    "export_plan",
    "plan_workbook",
]
