"""Synthetic counties draw consistent careers (issue 14): a rank reached at a plausible age and held before the
post, leadership years within township work years, section chiefs in their twenties rare, tiers that fit."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import load_scenario
from planner.io.synth import SynthOptions, generate


def _years(a: str, b: dt.date) -> float:
    return (b - dt.date.fromisoformat(a)).days / 365.25


@pytest.mark.parametrize("townships,seed,ethnic", [(4, 1, False), (10, 2, False), (8, 3, True), (20, 5, False)])
def test_careers_are_consistent(townships, seed, ethnic):
    sc, _ = generate(SynthOptions(townships=townships, seed=seed, ethnic=ethnic))
    inst = load_scenario(sc)
    as_of = inst.as_of
    chiefs = young_chiefs = 0
    for c in sc["cadres"]:
        age = inst.age(c["id"])
        assert c["township_leadership_years"] <= c["township_work_years"] <= age - 21, c["id"]
        at_rank = _years(c["birth_date"], dt.date.fromisoformat(c["rank_since"]))
        assert at_rank >= {"staff": 21.9, "deputy_section": 24.9, "section_chief": 28.9}[c["rank"]], c["id"]
        if c["current_post"]:
            assert c["post_since"] >= c["rank_since"], c["id"]
            assert c["township_leadership_years"] >= round(_years(c["post_since"], as_of), 1) - 0.2, c["id"]
        if c["rank"] == "section_chief":
            chiefs += 1
            young_chiefs += age < 30
        last = c["assessments"].get(str(as_of.year - 1))
        if c["reserve_tier"] is not None and not c["leaving"]:
            assert last not in ("basically_competent", "incompetent"), c["id"]  # a blocking grade is off the lists
        if c["reserve_tier"] == "key_post_training":
            assert age <= 32, c["id"]
    assert young_chiefs * 20 <= chiefs  # at most 5% of section chiefs in their twenties


def test_deputies_in_the_teams_are_on_the_reserve_lists():
    """三个一批 names deputies in the teams too: they are the source of principals the sources prefer."""
    sc, _ = generate(SynthOptions(townships=10, seed=1))
    roles = {p["id"]: p["role"] for p in sc["posts"]}
    deputies = [
        c
        for c in sc["cadres"]
        if c["current_post"]
        and roles[c["current_post"]] not in ("party_secretary", "township_head", "congress_chair")
        and not c["leaving"]
    ]
    listed = [c for c in deputies if c["reserve_tier"] in ("ready_now", "step_up")]
    assert 0.15 * len(deputies) <= len(listed) <= 0.5 * len(deputies)
