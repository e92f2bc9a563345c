"""What-if: applying a delta, least-disruption re-planning, the diff, the CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from planner.analysis.eligible import exclusions
from planner.audit.check import check_plan
from planner.cli.common import app
from planner.domain import load_delta, load_plan, load_scenario
from planner.domain.errors import InputError
from planner.solver.options import SolveOptions
from planner.solver.solve import solve
from planner.io.synth import SynthOptions, generate
from planner.analysis.delta import apply_delta
from planner.analysis.whatif import forced_posts, whatif
from tests.helpers import make_cadre, make_plan, make_post, make_scenario, only

FAST = SolveOptions(time_limit=10, workers=2)


def delta(**fields) -> dict:
    return {"format": "reshuffle-delta/1", **fields}


def holders(plan) -> dict[str, str | None]:
    return {a.post: a.cadre for a in plan.assignments}


@pytest.fixture(scope="module")
def county():
    """A synthetic 4-township county and its optimal plan (the base of the what-ifs)."""
    sc, _ = generate(SynthOptions(townships=4, seed=2))
    inst = load_scenario(sc)
    base = solve(inst, FAST)
    assert base.status == "optimal"
    return sc, inst, base.plan


def assert_valid(inst_after, result) -> None:
    assert result.found, result.status
    assert check_plan(inst_after, result.plan).ok


def after(inst, d):
    return load_scenario(apply_delta(inst.doc, load_delta(d)))


# ------------------------------------------------------------------------------------------ apply_delta


def two_team_scenario() -> dict:
    posts = [
        make_post("T1-SEC", "T1", "party_secretary"),
        make_post("T1-HEAD", "T1", "township_head"),
        make_post("T1-D1", "T1"),
        make_post("T2-D1", "T2"),
    ]
    cadres = [
        make_cadre("A", rank="section_chief", current_post="T1-SEC"),
        make_cadre("B", rank="section_chief", current_post="T1-HEAD", relatives=["E"]),
        make_cadre("E", current_post="T1-D1"),
        make_cadre("F", current_post="T2-D1"),
        make_cadre("C", rank="section_chief"),
        make_cadre("D", rank="section_chief"),
    ]
    return make_scenario(
        posts=posts,
        cadres=cadres,
        policy=only("principal-filled", "principal-change"),
        pins=[{"cadre": "E", "post": "T2-D1"}],
        forbids=[{"cadre": "E", "post": "T1-HEAD"}],
        approvals=["E"],
    )


def test_apply_delta_every_field():
    inst = load_scenario(two_team_scenario())
    new_cadre = make_cadre("N1", gender="F")
    sc = apply_delta(
        inst.doc,
        load_delta(
            delta(
                pins=[{"cadre": "C", "post": "T1-HEAD"}],
                unpins=[{"cadre": "E", "post": "T2-D1"}],
                forbids=[{"cadre": "D", "post": "T1-SEC"}],
                leaving=["A"],
                add_cadres=[new_cadre],
                approvals=["B"],
                policy={"principal-change": {"mode": "soft"}, "women": {"mode": "hard"}},
                waves=2,
            )
        ),
    )
    by_id = {c.id: c for c in sc.cadres}
    assert by_id["A"].leaving and not inst.cadres["A"].leaving  # the base scenario is untouched
    assert "N1" in by_id
    assert [(p.cadre, p.post) for p in sc.pins] == [("C", "T1-HEAD")]
    assert {(f.cadre, f.post) for f in sc.forbids} == {("E", "T1-HEAD"), ("D", "T1-SEC")}
    assert sc.approvals == ["E", "B"]
    assert sc.policy["principal-change"] == {"mode": "soft"} and sc.policy["women"] == {"mode": "hard"}
    assert sc.policy["young-principals"] == {"mode": "off"}  # other overrides kept
    assert sc.waves == 2
    load_scenario(sc)  # valid


def test_remove_cadre_drops_references_and_vacates_the_post():
    inst = load_scenario(two_team_scenario())
    sc = apply_delta(inst.doc, load_delta(delta(remove_cadres=["E"])))
    new = load_scenario(sc)
    assert "E" not in new.cadres
    assert new.holder["T1-D1"] is None  # E held it today
    assert new.relatives["B"] == set()
    assert new.pins == [] and new.forbids == set() and new.approvals == set()


def test_policy_overrides_merge_per_rule():
    sc = two_team_scenario()
    sc["policy"]["young-principals"] = {"mode": "hard", "max_age": 36}
    inst = load_scenario(sc)
    new = apply_delta(inst.doc, load_delta(delta(policy={"young-principals": {"min_share": 0.2}})))
    assert new.policy["young-principals"] == {"mode": "hard", "max_age": 36, "min_share": 0.2}


def test_delta_pin_replaces_a_conflicting_scenario_pin_with_a_note():
    inst = load_scenario(two_team_scenario())
    result = whatif(
        inst,
        make_plan(two_team_scenario(), {"T2-D1": "E", "T1-D1": None}),
        delta(pins=[{"cadre": "F", "post": "T2-D1"}]),
        FAST,
    )
    assert [n["key"] for n in result.plan.diff["notes"]] == ["whatif.note.pin_replaced"]


def test_bad_delta_is_a_located_error():
    inst = load_scenario(two_team_scenario())
    bad = delta(
        pins=[{"cadre": "ZZ", "post": "T1-SEC"}, {"cadre": "C", "post": "NOPE"}],
        unpins=[{"cadre": "A", "post": "T1-SEC"}],
        leaving=["ZZ"],
        remove_cadres=["Q"],
        add_cadres=[make_cadre("A")],
        approvals=["YY"],
    )
    with pytest.raises(InputError) as err:
        apply_delta(inst.doc, load_delta(bad))
    assert err.value.document == "delta"
    where = {p.location for p in err.value.problems}
    assert {
        "pins[0] ZZ→T1-SEC › cadre",
        "pins[1] C→NOPE › post",
        "unpins[0] A→T1-SEC",
        "leaving[0]",
        "remove_cadres[0]",
        "add_cadres[0] A › id",
        "approvals[0]",
    } <= where
    assert all(p.message_zh and p.message_en for p in err.value.problems)


def test_reference_to_a_removed_cadre_and_a_bad_added_record():
    inst = load_scenario(two_team_scenario())
    with pytest.raises(InputError) as err:
        apply_delta(inst.doc, load_delta(delta(remove_cadres=["C"], pins=[{"cadre": "C", "post": "T1-HEAD"}])))
    [p] = err.value.problems
    assert p.location == "pins[0] C→T1-HEAD › cadre" and "removes" in p.message_en
    with pytest.raises(InputError) as err:  # the added cadre claims a post someone holds
        apply_delta(inst.doc, load_delta(delta(add_cadres=[make_cadre("N", current_post="T1-D1")])))
    assert err.value.problems[0].location.startswith("add_cadres[0] N")


def test_readding_a_removed_id_replaces_the_record():
    inst = load_scenario(two_team_scenario())
    sc = apply_delta(inst.doc, load_delta(delta(remove_cadres=["D"], add_cadres=[make_cadre("D", gender="F")])))
    assert {c.id: c for c in sc.cadres}["D"].gender == "F"


# ------------------------------------------------------------------------------------------- re-planning


def test_pinned_whatif_keeps_the_pin_and_changes_only_what_it_must(county):
    sc, inst, base = county
    base_h = holders(base)
    placed = {c for c in base_h.values() if c}
    date = inst.as_of
    # a pool cadre (no post in the base plan) who may hold a post someone else holds in the base plan
    cadre, post = next(
        (c, p)
        for c in inst.cadres
        for p in inst.posts
        if c not in placed
        and not inst.cadres[c].leaving
        and base_h[p] is not None
        and inst.posts[p].role not in ("party_secretary", "township_head")
        and not exclusions(inst, c, p, date)
    )
    d = delta(pins=[{"cadre": cadre, "post": post}])
    result = whatif(inst, base, d, FAST)
    new_inst = after(inst, d)
    assert_valid(new_inst, result)
    new_h = holders(result.plan)
    assert new_h[post] == cadre
    diff = result.plan.diff
    changed = {p for p in inst.posts if base_h[p] != new_h[p]}
    assert {c["post"] for c in diff["changed_posts"]} == changed
    assert diff["disruption"] == len(changed) >= 1
    assert post in changed
    assert diff["disruption_proven"]
    # nothing changes that the pin does not force: only the pinned post (here: a deputy post, so the
    # principal-change and seamless rules are not involved) and nothing else
    assert changed == set(diff["forced_posts"]) == {post}
    assert diff["objective_after"] == result.plan.objective == check_plan(new_inst, result.plan).objective
    assert diff["objective_before"] == check_plan(inst, base).objective
    # a plain re-optimisation may move more people; never fewer
    plain = whatif(inst, base, d, FAST, keep_base=False)
    assert plain.plan.diff["disruption"] >= diff["disruption"]
    assert plain.plan.objective <= result.plan.objective  # it optimises the objective alone


def test_removing_a_cadre_who_holds_a_post_repairs_with_few_moves(county):
    sc, inst, base = county
    base_h = holders(base)
    post = next(p for p in inst.posts if inst.posts[p].role == "deputy_head" and base_h[p])
    gone = base_h[post]
    d = delta(remove_cadres=[gone])
    result = whatif(inst, base, d, FAST)
    new_inst = after(inst, d)
    assert_valid(new_inst, result)
    diff = result.plan.diff
    assert gone not in holders(result.plan).values()
    assert {"post": post, "before": gone, "after": holders(result.plan)[post]} in diff["changed_posts"]
    assert diff["disruption"] <= 2
    assert {m["cadre"] for m in diff["moved_cadres"]} >= {gone}


def test_leaving_principal_is_replaced_without_breaking_hard_rules(county):
    sc, inst, base = county
    base_h = holders(base)
    post = next(p for p in inst.posts if inst.posts[p].role == "township_head" and base_h[p] == inst.holder[p])
    d = delta(leaving=[base_h[post]])
    result = whatif(inst, base, d, FAST)
    assert_valid(after(inst, d), result)
    assert holders(result.plan)[post] not in (None, base_h[post])
    assert result.plan.diff["disruption"] >= len(forced_posts(after(inst, d), base_h))


def undo_scenario():
    posts = [make_post("T1-SEC", "T1", "party_secretary"), make_post("T1-HEAD", "T1", "township_head")]
    cadres = [make_cadre(i, rank="section_chief", current_post=p) for i, p in (("A", "T1-SEC"), ("B", "T1-HEAD"))]
    cadres += [make_cadre(i, rank="section_chief") for i in ("C", "D")]
    return make_scenario(posts=posts, cadres=cadres, policy=only("principal-filled", "principal-change"))


def test_whatif_that_must_undo_part_of_the_base_plan():
    # base: C replaces secretary A, head B stays. Delta: B leaves. Changing only the head would change both
    # principals at once (principal-change), so the secretary change is undone: 2 posts, proven minimal.
    sc = undo_scenario()
    inst = load_scenario(sc)
    base = load_plan(make_plan(sc, {"T1-SEC": "C"}), inst)
    result = whatif(inst, base, delta(leaving=["B"]), FAST)
    assert_valid(after(inst, delta(leaving=["B"])), result)
    new_h = holders(result.plan)
    assert new_h["T1-SEC"] == "A" and new_h["T1-HEAD"] in ("C", "D")
    diff = result.plan.diff
    assert diff["forced_posts"] == ["T1-HEAD"]
    assert diff["disruption"] == 2 and diff["disruption_proven"]
    assert diff["level"] == "teams"
    assert [s["level"] for s in result.stats["whatif"]["steps"]] == ["frozen", "teams"]
    assert result.stats["whatif"]["steps"][0]["status"] == "infeasible"


def test_full_scope_gives_the_same_answer():
    sc = undo_scenario()
    inst = load_scenario(sc)
    base = make_plan(sc, {"T1-SEC": "C"})
    auto = whatif(inst, base, delta(leaving=["B"]), FAST)
    full = whatif(inst, base, delta(leaving=["B"]), FAST, scope="full")
    assert full.status == "optimal" and full.plan.diff["disruption_proven"]
    assert full.plan.diff["disruption"] == auto.plan.diff["disruption"]
    assert full.plan.objective == auto.plan.objective


def test_impossible_whatif_is_a_status_not_an_exception():
    sc = undo_scenario()
    inst = load_scenario(sc)
    result = whatif(inst, make_plan(sc), delta(leaving=["A", "B"]), FAST)
    assert result.status == "infeasible"
    assert result.plan.diff["disruption"] is None


def test_violations_added_and_removed():
    posts = [make_post("T1-P1", "T1"), make_post("T1-P2", "T1")]
    cadres = [make_cadre("W", gender="F", current_post="T1-P1"), make_cadre("M", current_post="T1-P2"), make_cadre("X")]
    sc = make_scenario(posts=posts, cadres=cadres, policy=only("women", "post-filled"))
    inst = load_scenario(sc)
    result = whatif(inst, make_plan(sc), delta(remove_cadres=["W"]), FAST)
    diff = result.plan.diff
    assert holders(result.plan)["T1-P1"] == "X"  # a vacancy (1000) costs more than no woman (300)
    assert [v["rule"] for v in diff["violations_added"]] == ["women"]
    assert diff["violations_removed"] == []
    assert diff["objective_before"] == 0 and diff["objective_after"] == 300
    back = whatif(
        load_scenario(apply_delta(inst.doc, load_delta(delta(remove_cadres=["W"])))),
        result.plan,
        delta(add_cadres=[make_cadre("W2", gender="F")], forbids=[{"cadre": "X", "post": "T1-P1"}]),
        FAST,
    )
    assert [v["rule"] for v in back.plan.diff["violations_removed"]] == ["women"]


def test_no_base_plan_solves_the_base_first():
    sc = undo_scenario()
    result = whatif(sc, None, delta(approvals=["A"]), FAST)
    assert result.status == "optimal" and result.plan.diff["disruption"] == 0


# ---------------------------------------------------------------------------------------------------- CLI


def test_cli_whatif(tmp_path, county):
    sc, inst, base = county
    base_h = holders(base)
    post = next(p for p in inst.posts if inst.posts[p].role == "deputy_head" and base_h[p])
    (tmp_path / "s.json").write_text(json.dumps(sc, ensure_ascii=False))
    (tmp_path / "b.json").write_text(base.model_dump_json(by_alias=True))
    (tmp_path / "d.json").write_text(json.dumps(delta(remove_cadres=[base_h[post]])))
    runner = CliRunner()
    args = [
        "whatif",
        str(tmp_path / "s.json"),
        "--base",
        str(tmp_path / "b.json"),
        "--delta",
        str(tmp_path / "d.json"),
        "--time-limit",
        "10",
        "--out",
        str(tmp_path / "p2.json"),
    ]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "changed" in res.output and "调整" in res.output
    plan2 = json.loads((tmp_path / "p2.json").read_text())
    assert plan2["diff"]["changed_posts"][0]["before"] == base_h[post]

    (tmp_path / "bad.json").write_text(json.dumps(delta(leaving=["NOBODY"])))
    res = runner.invoke(app, args[:5] + [str(tmp_path / "bad.json")])
    assert res.exit_code == 2
    assert "leaving[0]" in res.output

    (tmp_path / "s2.json").write_text(json.dumps(undo_scenario()))
    (tmp_path / "b2.json").write_text(json.dumps(make_plan(undo_scenario())))
    (tmp_path / "d2.json").write_text(json.dumps(delta(leaving=["A", "B"])))
    res = runner.invoke(
        app,
        [
            "whatif",
            str(tmp_path / "s2.json"),
            "--base",
            str(tmp_path / "b2.json"),
            "--delta",
            str(tmp_path / "d2.json"),
        ],
    )
    assert res.exit_code == 1, res.output


def test_whatif_into_two_waves():
    # both principals leaving cannot happen in one wave; with two the changes are spread, nothing else moves
    sc = undo_scenario()
    inst = load_scenario(sc)
    d = delta(leaving=["A", "B"], waves=2)
    result = whatif(inst, make_plan(sc), d, FAST)
    assert_valid(after(inst, d), result)
    waves = {a.post: a.wave for a in result.plan.assignments}
    assert sorted(waves.values()) == [1, 2]
    assert result.plan.diff["disruption"] == 2 and result.plan.diff["disruption_proven"]


def test_thirty_township_county_answers_from_the_forced_posts():
    """The five typical deltas of README's what-if measurement (benchmarks/whatif.py) on a 30-township county:
    each answered from its forced posts, proven least-disruptive and optimal (the timing is the benchmark's)."""
    from benchmarks.whatif import deltas

    sc, witness = generate(SynthOptions(townships=30, seed=1))
    inst = load_scenario(sc)
    base = load_plan(witness, inst)
    for name, d in deltas(inst, holders(base)):
        result = whatif(inst, base, d, SolveOptions(time_limit=10))
        assert_valid(after(inst, d), result)
        diff = result.plan.diff
        assert diff["level"] == "frozen" and diff["disruption_proven"], name
        assert result.status == "optimal", name
