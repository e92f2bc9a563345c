"""How a post is titled in a township of a given kind — the ONE table every output reads.

A town (镇) has a 镇长 and 副镇长, a township (乡, 民族乡) a 乡长 and 副乡长, a subdistrict (街道) a 党工委书记,
an 办事处主任 and an 人大工委主任. :func:`post_title` gives the title for print and messages;
:func:`title_aliases` gives every way an officer may type it (for reading names and titles back).
"""

from __future__ import annotations

from planner.i18n.core import LABELS_ZH, MESSAGES

#: Title of a role by township kind (zh, en). A role missing for a kind takes the "town" title.
TITLES: dict[str, dict[str, tuple[str, str]]] = {
    "town": {
        "party_secretary": ("党委书记", "party secretary"),
        "township_head": ("镇长", "town head"),
        "congress_chair": ("人大主席", "congress chair"),
        "deputy_secretary": ("党委副书记", "deputy party secretary"),
        "discipline_secretary": ("纪委书记", "discipline secretary"),
        "organization_member": ("组织委员", "organisation member"),
        "publicity_member": ("宣传委员", "publicity member"),
        "political_legal_member": ("政法委员", "political-legal member"),
        "united_front_member": ("统战委员", "united-front member"),
        "armed_forces_head": ("武装部长", "armed forces head"),
        "deputy_head": ("副镇长", "deputy town head"),
    },
    "township": {
        "township_head": ("乡长", "township head"),
        "deputy_head": ("副乡长", "deputy township head"),
    },
    "ethnic_township": {
        "township_head": ("乡长", "township head"),
        "deputy_head": ("副乡长", "deputy township head"),
    },
    "subdistrict": {
        "party_secretary": ("党工委书记", "party working committee secretary"),
        "township_head": ("办事处主任", "subdistrict office director"),
        "congress_chair": ("人大工委主任", "congress working committee director"),
        "deputy_secretary": ("党工委副书记", "deputy party working committee secretary"),
        "discipline_secretary": ("纪工委书记", "discipline working committee secretary"),
        "deputy_head": ("办事处副主任", "deputy subdistrict office director"),
    },
}

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


def post_title(kind: str | None, role: str, lang: str = "zh") -> str:
    """The title of `role` in a township of `kind`: post_title("subdistrict", "party_secretary") == "党工委书记"."""
    entry = TITLES.get(kind or "town", {}).get(role) or TITLES["town"].get(role)
    if entry is None:
        return LABELS_ZH.get(role, role) if lang == "zh" else role
    return entry[0] if lang == "zh" else entry[1]


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
        "names.unknown_hint": ("找不到{what}“{value}”，是否指：{hint}", "no {what_en} named {value!r}; did you mean: {hint}"),
        "names.ambiguous": (
            "“{value}”对应{n}个{what}：{matches}，请写明编号，如“{value}(编号)”",
            "{value!r} matches {n} {what_en}s: {matches}; add the id, e.g. {value}(id)",
        ),
        "input.choice": ("取值“{got}”无效，应为以下之一：{choices_zh}", "invalid value {got!r}: expected one of {choices}"),
        "names.mismatch": ("“{value}”中的姓名与编号不符：该编号是{actual}", "{value!r}: the name does not match the id, "
                           "which is {actual}"),
    }
)
