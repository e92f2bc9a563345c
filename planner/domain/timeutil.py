"""Exact date arithmetic as RULES.md reads the sources (法律用语).

- Age is whole years (周岁) on a date; one born on 29 February turns a year older on 1 March in common years.
- "N年以上" is ≥ N and "不满N年" is < N, where years = days / 365.25 — kept as an exact Fraction so a
  boundary such as "exactly 3 years" is never decided by floating-point noise.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction


def age_on(birth: dt.date, on: dt.date) -> int:
    """Whole years (周岁) on `on`."""
    before_birthday = (on.month, on.day) < (birth.month, birth.day)
    return on.year - birth.year - (1 if before_birthday else 0)


def years_between(start: dt.date, end: dt.date) -> Fraction:
    """(end − start) in days / 365.25, exactly. Negative when end precedes start."""
    return Fraction(4 * (end - start).days, 1461)


def exact(value: float | int | str | Fraction) -> Fraction:
    """A threshold or a recorded number as an exact Fraction ("2/3" and 0.15 alike)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


def add_quarters(start: dt.date, quarters: int) -> dt.date:
    """The date `quarters` × 3 months after `start` (day clipped to the month's end)."""
    month0 = start.month - 1 + 3 * quarters
    year = start.year + month0 // 12
    month = month0 % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(start.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover
