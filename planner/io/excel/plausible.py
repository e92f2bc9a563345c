"""Records that cannot be true as written: the roster import's warnings (never refusals), each at its cell."""

from __future__ import annotations

import datetime as dt
from typing import Any

from planner.domain.errors import Problem
from planner.i18n import label_zh
from planner.io.excel.cells import _problem


def implausible(cadres: list[dict[str, Any]], as_of: dt.date, origins: dict[Any, Any]) -> list[Problem]:
    """Warnings, not errors: a career that cannot be true as written — leadership years above township work
    years, township work longer than the working life, the post taken before the rank, a rank reached at an
    age no career allows (正科 before 25, 副科 before 22). Each located at its cell."""
    out: list[Problem] = []

    def warn(i: int, fld: str, key: str, **fields: Any) -> None:
        origin = origins.get(("cadres", i))
        out.append(_problem(origin.at(fld) if origin else f"cadres[{i}] › {fld}", key, **fields))

    def years(a: dt.date, b: dt.date) -> float:
        return (b - a).days / 365.25

    for i, c in enumerate(cadres):
        name = c.get("name", c["id"])
        born = dt.date.fromisoformat(c["birth_date"])
        work, lead = c.get("township_work_years", 0.0), c.get("township_leadership_years", 0.0)
        if lead > work:
            warn(i, "township_leadership_years", "excel.warn_leadership", cadre=name, lead=lead, work=work)
        working_life = years(born, as_of) - 18
        if work > working_life:
            warn(i, "township_work_years", "excel.warn_work", cadre=name, work=work, age=int(years(born, as_of)))
        rank_since = dt.date.fromisoformat(c["rank_since"])
        if c.get("post_since") and dt.date.fromisoformat(c["post_since"]) < rank_since:
            warn(
                i,
                "post_since",
                "excel.warn_post_before_rank",
                cadre=name,
                post_since=c["post_since"],
                rank_since=c["rank_since"],
            )
        youngest = {"section_chief": 25, "deputy_section": 22}.get(c["rank"])
        at = int(years(born, rank_since))
        if youngest is not None and at < youngest:
            warn(
                i,
                "birth_date",
                "excel.warn_young_rank",
                cadre=name,
                age=at,
                need=youngest,
                rank=label_zh(c["rank"]),
            )
    return out
