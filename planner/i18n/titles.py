"""Titles of posts as each kind of township says them — the one table every output uses.

A 镇's head is 镇长, a 乡's (and a 民族乡's) 乡长; a 街道 has a 党工委 (党工委书记, 党工委副书记, 纪工委书记), an
办事处 (办事处主任, 办事处副主任) and a 人大工委 (人大工委主任). Roles not named for a kind keep the general label
(党委书记, 组织委员 …).
"""

from __future__ import annotations

from planner.i18n.core import LABELS_ZH

TITLES_BY_KIND: dict[str, dict[str, str]] = {
    "town": {"township_head": "镇长", "deputy_head": "副镇长"},
    "township": {"township_head": "乡长", "deputy_head": "副乡长"},
    "ethnic_township": {"township_head": "乡长", "deputy_head": "副乡长"},
    "subdistrict": {
        "party_secretary": "党工委书记", "deputy_secretary": "党工委副书记", "discipline_secretary": "纪工委书记",
        "township_head": "办事处主任", "deputy_head": "办事处副主任", "congress_chair": "人大工委主任",
    },
}

TITLES_EN_BY_KIND: dict[str, dict[str, str]] = {
    "town": {"township_head": "town head", "deputy_head": "deputy town head"},
    "township": {"township_head": "township head", "deputy_head": "deputy township head"},
    "ethnic_township": {"township_head": "township head", "deputy_head": "deputy township head"},
    "subdistrict": {"party_secretary": "Party working-committee secretary", "township_head": "office director",
                    "deputy_head": "deputy office director", "congress_chair": "congress working-committee chair"},
}


def post_title(kind: str | None, role: str) -> str:
    """The Chinese title of `role` in a township of `kind` (镇长, 乡长, 党工委书记 …)."""
    return TITLES_BY_KIND.get(kind or "", {}).get(role) or LABELS_ZH.get(role, role)


def post_title_en(kind: str | None, role: str) -> str:
    return TITLES_EN_BY_KIND.get(kind or "", {}).get(role) or role.replace("_", " ")
