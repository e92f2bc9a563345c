"""One title table: every output names a post as its township's kind says it (街道党工委书记, 镇长, 乡长 …)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.audit.check import check_plan
from planner.domain import load_plan, load_scenario
from planner.i18n import post_title

SAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "county-20.json"


@pytest.mark.parametrize(
    ("kind", "role", "title"),
    [
        ("town", "township_head", "镇长"),
        ("township", "township_head", "乡长"),
        ("ethnic_township", "deputy_head", "副乡长"),
        ("subdistrict", "party_secretary", "党工委书记"),
        ("subdistrict", "township_head", "办事处主任"),
        ("subdistrict", "congress_chair", "人大工委主任"),
        ("town", "party_secretary", "党委书记"),
        ("town", "organization_member", "组织委员"),
    ],
)
def test_the_title_follows_the_township_kind(kind, role, title):
    assert post_title(kind, role) == title


def test_labels_and_findings_of_a_subdistrict_say_its_titles():
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    inst = load_scenario(doc)
    sub = next(t for t in inst.townships.values() if t.kind == "subdistrict")
    sec = next(p for p in inst.posts_of[sub.id] if inst.posts[p].role == "party_secretary")
    head = next(p for p in inst.posts_of[sub.id] if inst.posts[p].role == "township_head")
    assert inst.post_label(sec) == f"{sub.name}党工委书记({sec})"
    assert inst.post_label(head) == f"{sub.name}办事处主任({head})"
    # a hand-drafted plan that leaves the subdistrict's secretary post empty: the finding names it by its title
    plan = load_plan({"format": "reshuffle-plan/1", "assignments": [{"post": sec, "cadre": None}]}, inst)
    report = check_plan(inst, plan)
    texts = [v.message_zh for v in report.violations if sec in v.posts]
    assert texts and all("党委书记" not in t.replace("党工委书记", "") for t in texts), texts
    assert any("党工委书记" in t for t in texts), texts
