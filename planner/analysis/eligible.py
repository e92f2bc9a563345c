"""Why one (cadre, post) placement is or is not a candidate — the single-pair question, with its reasons.

:func:`planner.candidates.candidate_pairs` enumerates the whole county (≈ 10⁵ pairs for 30 townships); what-if,
explanations and recommendations ask about a few pairs at a time and need to say *why* a pair is excluded.
The decision is the same: a pair is a candidate when it is the cadre's own post or lateral / one step up (only
while `rank-ladder` is hard), not forbidden, and no hard placement rule excludes it (rules binding only
newcomers do not bind a stay).
"""

from __future__ import annotations

import datetime as dt

from planner.domain.load import Instance
from planner.domain.vocab import RANK_LEVEL
from planner.rules import REGISTRY
from planner.rules.base import PairRule


def exclusions(inst: Instance, cadre: str, post: str, date: dt.date) -> list[str]:
    """Why `cadre` may not newly hold (or keep) `post` on `date` — the empty list when the pair is a candidate.

    Reasons: ``"rank"`` (neither lateral nor one step up, not the cadre's own post, ladder hard), ``"forbid"`` (a user
    forbid), and the ids of the hard placement rules that exclude it. Forced pairs get no special treatment.
    """
    cfgs = inst.policy
    c, p = inst.cadres[cadre], inst.posts[post]
    out: list[str] = []
    if cfgs["rank-ladder"].hard and post != c.current_post and p.level - RANK_LEVEL[c.rank] not in (0, 1):
        out.append("rank")  # the ladder's structural filter, applied only while rank-ladder is hard
    if (cadre, post) in inst.forbids:
        out.append("forbid")
    for r in REGISTRY.values():
        if not (isinstance(r, PairRule) and cfgs[r.id].hard and not r.bonus):
            continue
        if post == c.current_post and r.new_only:
            continue
        if r.pair_amount(inst, cfgs[r.id], cadre, post, date):
            out.append(r.id)
    return out


__all__ = ["exclusions"]
