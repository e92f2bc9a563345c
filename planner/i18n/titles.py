"""Titles of posts as each kind of township says them — the one table every output uses.

A 镇's head is 镇长, a 乡's (and a 民族乡's) 乡长; a 街道 has a 党工委 (党工委书记, 党工委副书记, 纪工委书记), an
办事处 (办事处主任, 办事处副主任) and a 人大工委 (人大工委主任). Roles not named for a kind keep the general label
(党委书记, 组织委员 …).
"""

from __future__ import annotations

from planner.i18n.core import LABELS_ZH, MESSAGES

TITLES_BY_KIND: dict[str, dict[str, str]] = {
    "town": {"township_head": "镇长", "deputy_head": "副镇长"},
    "township": {"township_head": "乡长", "deputy_head": "副乡长"},
    "ethnic_township": {"township_head": "乡长", "deputy_head": "副乡长"},
    "subdistrict": {
        "party_secretary": "党工委书记",
        "deputy_secretary": "党工委副书记",
        "discipline_secretary": "纪工委书记",
        "township_head": "办事处主任",
        "deputy_head": "办事处副主任",
        "congress_chair": "人大工委主任",
    },
}

TITLES_EN_BY_KIND: dict[str, dict[str, str]] = {
    "town": {"township_head": "town head", "deputy_head": "deputy town head"},
    "township": {"township_head": "township head", "deputy_head": "deputy township head"},
    "ethnic_township": {"township_head": "township head", "deputy_head": "deputy township head"},
    "subdistrict": {
        "party_secretary": "Party working-committee secretary",
        "township_head": "office director",
        "deputy_head": "deputy office director",
        "congress_chair": "congress working-committee chair",
    },
}


def post_title(kind: str | None, role: str) -> str:
    """The Chinese title of `role` in a township of `kind` (镇长, 乡长, 党工委书记 …)."""
    return TITLES_BY_KIND.get(kind or "", {}).get(role) or LABELS_ZH.get(role, role)


def post_title_en(kind: str | None, role: str) -> str:
    return TITLES_EN_BY_KIND.get(kind or "", {}).get(role) or role.replace("_", " ")


#: Other ways officers write a title, by kind ("*" for every kind). Used only when reading input.
_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "*": {
        "party_secretary": ("书记", "党委书记", "党工委书记"),
        "congress_chair": ("人大主席团主席", "人大主席", "人大工委主任"),
        "deputy_secretary": ("副书记",),
        "discipline_secretary": ("纪委书记(监察办主任)", "纪委书记", "纪工委书记"),
        "armed_forces_head": ("武装部部长", "人武部部长", "人武部长"),
        "township_head": (),
        "deputy_head": (),
    },
    "town": {"township_head": ("乡镇长",), "deputy_head": ("副乡镇长",)},
    "township": {"township_head": ("乡镇长",), "deputy_head": ("副乡镇长",)},
    "ethnic_township": {"township_head": ("乡镇长",), "deputy_head": ("副乡镇长",)},
    "subdistrict": {
        "township_head": ("主任", "街道办事处主任", "街道主任"),
        "deputy_head": ("副主任", "街道办事处副主任", "街道副主任"),
    },
}


def title_aliases(kind: str | None, role: str) -> list[str]:
    """Every title an officer may type for `role` in a township of `kind`, the printed one first."""
    out = [post_title(kind, role), LABELS_ZH.get(role, role)]
    out += _ALIASES["*"].get(role, ())
    out += _ALIASES.get(kind or "town", {}).get(role, ())
    return list(dict.fromkeys(t for t in out if t))


# ------------------------------------------------------------------ names and titles typed by a person
MESSAGES.update(
    {
        "names.unknown": ("找不到{what}“{value}”", "no {what_en} named {value!r}"),
        "names.unknown_hint": (
            "找不到{what}“{value}”，是否指：{hint}",
            "no {what_en} named {value!r}; did you mean: {hint}",
        ),
        "names.ambiguous": (
            "“{value}”对应{n}个{what}：{matches}，请写明编号，如“{value}(编号)”",
            "{value!r} matches {n} {what_en}s: {matches}; add the id, e.g. {value}(id)",
        ),
        "input.choice": (
            "取值“{got}”无效，应为以下之一：{choices_zh}",
            "invalid value {got!r}: expected one of {choices}",
        ),
        "names.mismatch": (
            "“{value}”中的姓名与编号不符：该编号是{actual}",
            "{value!r}: the name does not match the id, which is {actual}",
        ),
    }
)
