"""The fixed vocabulary of the domain (RULES.md "Words"): roles, ranks, tiers, grades.

Plain Python, no solver imports.
"""

from __future__ import annotations

from typing import Literal

Role = Literal[
    "party_secretary",
    "township_head",
    "congress_chair",
    "deputy_secretary",
    "discipline_secretary",
    "organization_member",
    "publicity_member",
    "political_legal_member",
    "united_front_member",
    "armed_forces_head",
    "deputy_head",
]
ROLES: tuple[str, ...] = Role.__args__  # type: ignore[attr-defined]

#: 党政正职: the two principal posts of a team.
PRINCIPAL_ROLES: frozenset[str] = frozenset({"party_secretary", "township_head"})
#: Posts that `principal-filled` requires filled: principals and the congress chair.
KEY_ROLES: frozenset[str] = PRINCIPAL_ROLES | {"congress_chair"}
#: Party posts (党委职务) that need a CPC member.
PARTY_ROLES: frozenset[str] = frozenset(
    {
        "party_secretary",
        "deputy_secretary",
        "discipline_secretary",
        "organization_member",
        "publicity_member",
        "political_legal_member",
        "united_front_member",
    }
)

PostRank = Literal["section_chief", "deputy_section"]
CadreRank = Literal["section_chief", "deputy_section", "staff"]
#: Rank ladder: staff < deputy_section < section_chief.
RANK_LEVEL: dict[str, int] = {"staff": 0, "deputy_section": 1, "section_chief": 2}

DEFAULT_POST_RANK: dict[str, PostRank] = {
    role: ("section_chief" if role in KEY_ROLES else "deputy_section") for role in ROLES
}

TownshipKind = Literal["town", "township", "subdistrict", "ethnic_township"]
TownshipSize = Literal["large", "medium", "small"]
Gender = Literal["M", "F"]
Education = Literal["postgraduate", "bachelor", "college", "secondary"]
BACHELOR_OR_ABOVE: frozenset[str] = frozenset({"postgraduate", "bachelor"})
ReserveTier = Literal["ready_now", "step_up", "key_post_training"]
Grade = Literal["excellent", "competent", "basically_competent", "incompetent", "undetermined"]
Mode = Literal["hard", "soft", "off"]
MoveKind = Literal["promotion", "transfer", "appointment", "release", "leaving"]
PlanStatus = Literal["optimal", "feasible", "infeasible", "unknown"]

#: The majority ethnicity; anyone else counts as a minority (少数民族) in the structure table.
MAJORITY_ETHNICITY = "汉族"
