"""Who may hold a post at all: party posts need a CPC member (党章); an ethnic township's head belongs to one
of its ethnic groups (《地方组织法》民族乡乡长)."""

from __future__ import annotations

from planner.domain.vocab import PARTY_ROLES
from planner.rules.base import PairHit, PairRule


class PartyPosts(PairRule):
    id = "party-posts"
    scope = "appointment"

    def hits(self, inst, cfg, cadre, post, on):
        if inst.posts[post].role in PARTY_ROLES and not inst.cadres[cadre].cpc_member:
            return [PairHit(1, None, {})]
        return []


class EthnicHead(PairRule):
    id = "ethnic-head"
    scope = "appointment"

    def hits(self, inst, cfg, cadre, post, on):
        p = inst.posts[post]
        t = inst.townships[p.township]
        c = inst.cadres[cadre]
        if p.role == "township_head" and t.kind == "ethnic_township" and c.ethnicity not in t.ethnic_groups:
            return [PairHit(1, None, {"ethnicity": c.ethnicity, "groups": "、".join(t.ethnic_groups)})]
        return []


RULES = [PartyPosts(), EthnicHead()]
