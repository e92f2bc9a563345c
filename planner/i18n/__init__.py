"""Every word a user reads, in Chinese and English, from one table (split by subject).

- :mod:`planner.i18n.core` — rule names and findings, input problems, labels of enumerations.
- :mod:`planner.i18n.excel` — the workbooks' sheets, columns and guide.
- :mod:`planner.i18n.analysis` — what-if, explanations, recommendations.
- :mod:`planner.i18n.sweep` — policy sweeps and the policy frontier.
"""

from planner.i18n import analysis as _analysis  # noqa: F401  (adds its messages to MESSAGES)
from planner.i18n import cli as _cli  # noqa: F401  (the terminal's messages and --help texts)
from planner.i18n import sweep as _sweep  # noqa: F401  (sweeps and the frontier: messages and --help texts)
from planner.i18n.core import LABELS_ZH, MESSAGES, RULE_MESSAGES, RULE_NAMES, label_zh, message, rule_message, rule_name
from planner.i18n.titles import TITLES_BY_KIND, post_title, post_title_en
from planner.i18n.excel import (
    EXCEL_CHOICES,
    EXCEL_COLUMN_ALIASES,
    EXCEL_COLUMNS,
    EXCEL_GUIDE,
    EXCEL_SETTING_ALIASES,
    EXCEL_SETTING_NOTES,
    EXCEL_SETTINGS,
    EXCEL_SHEET_ALIASES,
    EXCEL_SHEETS,
    EXCEL_TEXT,
    ROLE_LABELS_BY_KIND,
    VALUE_ALIASES,
)

__all__ = [
    "LABELS_ZH",
    "MESSAGES",
    "RULE_MESSAGES",
    "RULE_NAMES",
    "label_zh",
    "message",
    "rule_message",
    "rule_name",
    "EXCEL_CHOICES",
    "EXCEL_COLUMN_ALIASES",
    "EXCEL_COLUMNS",
    "EXCEL_GUIDE",
    "EXCEL_SETTING_ALIASES",
    "EXCEL_SETTING_NOTES",
    "EXCEL_SETTINGS",
    "EXCEL_SHEET_ALIASES",
    "EXCEL_SHEETS",
    "EXCEL_TEXT",
    "ROLE_LABELS_BY_KIND",
    "VALUE_ALIASES",
    "TITLES_BY_KIND",
    "post_title",
    "post_title_en",
]

from planner.i18n.titles import title_aliases  # noqa: E402  (how officers type titles, for reading input)

__all__ += ["title_aliases"]
