"""The contract to the letter (issue 12): pins and forbids are rules like any other, every input problem is
listed at once, empty inputs are errors, a hand-drafted plan needs only `format` and `assignments`, and the
readings RULES.md settles ("How the words in the sources are read", "Scope") hold in the checker and in the
solver's encodings alike — each test here would fail on the other reading.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from planner.audit.check import check_plan
from planner.cli.common import app
from planner.domain import load_plan, load_scenario
from planner.domain.errors import InputError
from planner.i18n import EXCEL_SHEETS
from planner.solver.options import SolveOptions
from planner.solver.solve import solve
from tests.helpers import born, days_before, findings, make_cadre, make_plan, make_post, make_scenario, only
from tests.solve_audit import TINY, assert_agree, audit, fixed_verdict, hard_rules

# --------------------------------------------------------------------------------- 1. pins and forbids


def _decided(**extra):
    """T1: secretary A, deputy B; pool K (section chief), P (deputy section)."""
    posts = [make_post("T1-SEC", "T1", "party_secretary"), make_post("T1-DEP", "T1")]
    cadres = [
        make_cadre("A", rank="section_chief", current_post="T1-SEC"),
        make_cadre("B", current_post="T1-DEP"),
        make_cadre("K", rank="section_chief"),
        make_cadre("P"),
    ]
    return make_scenario(posts=posts, cadres=cadres, policy=only(), **extra)


def _report(sc, plan):
    inst = load_scenario(sc)
    return check_plan(inst, load_plan(plan, inst))


def test_a_plan_breaking_a_pin_is_a_hard_finding_naming_it():
    sc = _decided(pins=[{"cadre": "K", "post": "T1-SEC"}])
    report = _report(sc, make_plan(sc))  # A stays in the post K is pinned to
    [v] = findings(report, "pin")
    assert (v.hard, v.amount, v.posts, v.cadres) == (True, 1, ["T1-SEC"], ["K", "A"])
    assert "干部K(K)" in v.message_zh and "pinned" in v.message_en and not report.ok
    assert findings(_report(sc, make_plan(sc, {"T1-SEC": "K"})), "pin") == []


def test_a_forbidden_newcomer_and_a_forbidden_incumbent_kept_are_findings():
    sc = _decided(forbids=[{"cadre": "P", "post": "T1-DEP"}, {"cadre": "A", "post": "T1-SEC"}])
    report = _report(sc, make_plan(sc, {"T1-DEP": "P"}))  # P placed; A kept where A is forbidden
    assert sorted((v.cadres[0], v.posts[0], v.hard) for v in findings(report, "forbid")) == [
        ("A", "T1-SEC", True),
        ("P", "T1-DEP", True),
    ]
    assert findings(_report(sc, make_plan(sc, {"T1-SEC": "K"})), "forbid") == []


@pytest.mark.parametrize("mode", ["soft", "off"])
def test_pin_and_forbid_are_locked(mode):
    for rid in ("pin", "forbid"):
        sc = _decided()
        sc["policy"][rid] = {"mode": mode}
        with pytest.raises(InputError) as err:
            load_scenario(sc)
        assert [p.location for p in err.value.problems] == [f"policy › {rid} › mode"]


def test_a_fixed_plan_honours_forbids_as_it_honours_pins():
    """The one rule for SolveOptions(fixed=…): a fixed plan is feasible exactly when the checker finds no
    breach, pins and forbids included (a forced forbidden pair is forbidden in the model, not waved through)."""
    sc = _decided(forbids=[{"cadre": "A", "post": "T1-SEC"}])
    inst = load_scenario(sc)
    v = fixed_verdict(inst, dict(inst.holder))  # A kept in the post A is forbidden
    assert hard_rules(v.report) == {"forbid"} and v.status == "infeasible"
    assert assert_agree(inst, {**inst.holder, "T1-SEC": "K"}).feasible


def test_the_solver_keeps_pins_and_forbids_and_the_checker_agrees():
    sc = _decided(pins=[{"cadre": "K", "post": "T1-SEC"}], forbids=[{"cadre": "B", "post": "T1-DEP"}])
    inst = load_scenario(sc)
    report = audit(inst, solve(inst, SolveOptions(**TINY)))
    assert report.view.final["T1-SEC"] == "K" and report.view.final["T1-DEP"] != "B"


def _write(path, doc):
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_planner_check_of_a_plan_breaking_a_pin_exits_1_naming_the_pin(tmp_path):
    sc = _decided(pins=[{"cadre": "K", "post": "T1-SEC"}])
    sp, pp = _write(tmp_path / "sc.json", sc), _write(tmp_path / "plan.json", make_plan(sc))
    res = CliRunner().invoke(app, ["check", sp, pp], env={"COLUMNS": "200"})
    assert res.exit_code == 1, res.output
    assert "pin ×1" in res.output and "干部K(K)已锁定任T1乡党委书记(T1-SEC)" in res.output
    res = CliRunner().invoke(app, ["check", sp, pp, "--json"])
    assert res.exit_code == 1
    report = json.loads(res.stdout)
    assert report["ok"] is False and [v["rule"] for v in report["violations"] if v["hard"]] == ["pin"]
    assert {r["rule"]: r["findings"] for r in report["rules"]}["pin"] == 1


def test_the_excel_findings_sheet_lists_a_forbid_breach():
    from planner.io.excel.workbook import export_plan

    sc = _decided(forbids=[{"cadre": "P", "post": "T1-DEP"}])
    inst = load_scenario(sc)
    wb = export_plan(inst, load_plan(make_plan(sc, {"T1-DEP": "P"}), inst)).workbook
    rows = [r for r in wb[EXCEL_SHEETS["violations"][0]].iter_rows(min_row=3, values_only=True) if r[0] is not None]
    # the sheet is Chinese-only by default (export --lang zh): rule name, mode, amount, cost, township, text
    assert [(r[1], r[2], r[6]) for r in rows if r[1] == "排除人选"] == [
        ("排除人选", "刚性", "干部P(P)已被排除任T1乡副乡长(T1-DEP)，方案中仍任该职")
    ]


# ----------------------------------------------------------------------------- 2. every problem at once


def _problems(doc) -> dict[str, str]:
    with pytest.raises(InputError) as err:
        load_scenario(doc)
    locations = [p.location for p in err.value.problems]
    assert len(locations) == len(set(locations)) or len(err.value.problems) == len(set(err.value.problems))
    return {p.location: p.message_en for p in err.value.problems}


def _county():
    posts = [make_post("T1-SEC", "T1", "party_secretary"), make_post("T1-DEP", "T1")]
    cadres = [
        make_cadre("A", rank="section_chief", current_post="T1-SEC"),
        make_cadre("B", current_post="T1-DEP"),
        make_cadre("C"),
    ]
    return make_scenario(posts=posts, cadres=cadres)


def test_a_bad_date_and_a_dangling_reference_are_reported_together():
    doc = _county()
    doc["cadres"][0]["birth_date"] = "1986-13-02"
    doc["cadres"][2].update(current_post="T1-NOPE", post_since="2020-01-01")
    problems = _problems(doc)
    assert set(problems) == {"cadres[0] A › birth_date", "cadres[2] C › current_post"}
    assert "T1-NOPE" in problems["cadres[2] C › current_post"]


def test_a_reference_to_an_invalid_record_is_not_also_called_dangling():
    doc = _county()
    doc["posts"][1]["role"] = "vice_mayor"  # the post's own problem
    doc["cadres"][0]["gender"] = "X"  # a relative's own problem
    doc["cadres"][2]["relatives"] = ["A"]
    doc["pins"] = [{"cadre": "C", "post": "T1-DEP"}]
    problems = _problems(doc)
    assert set(problems) == {"posts[1] T1-DEP › role", "cadres[0] A › gender"}


def test_structural_referential_and_policy_problems_come_out_together():
    doc = _county()
    doc["cadres"][1]["cpc_member"] = "yes"
    doc["cadres"][2]["origin_township"] = "T7"
    doc["cadres"].append(make_cadre("C"))  # duplicate id
    doc["policy"] = {"women": {"min_cnt": 1}}
    problems = _problems(doc)
    assert set(problems) == {
        "cadres[1] B › cpc_member",
        "cadres[2] C › origin_township",
        "cadres[2] C › id",
        "cadres[3] C › id",
        "policy › women › min_cnt",
    }


def test_dates_after_as_of_are_found_in_an_otherwise_invalid_document():
    doc = _county()
    doc["townships"][0]["kind"] = "village"
    doc["cadres"][2]["rank_since"] = "2027-05-01"
    assert set(_problems(doc)) == {"townships[0] T1 › kind", "cadres[2] C › rank_since"}


# ------------------------------------------------------------------------------------- 3. empty inputs


@pytest.mark.parametrize("kind", ["townships", "posts", "cadres"])
def test_a_county_without_townships_posts_or_cadres_is_an_error(kind):
    doc = _county()
    doc[kind] = []
    with pytest.raises(InputError) as err:
        load_scenario(doc)
    problem = next(p for p in err.value.problems if p.location == kind)
    assert problem.message_en == f"the scenario has no {kind}" and "没有任何" in problem.message_zh


def test_a_township_without_posts_is_an_error_located_by_its_id():
    doc = _county()
    doc["townships"].append({"id": "T2", "name": "二乡"})
    with pytest.raises(InputError) as err:
        load_scenario(doc)
    [p] = err.value.problems
    assert p.location == "townships[1] T2" and p.message_en == "township T2 has no posts"
    assert p.message_zh == "乡镇T2没有任何岗位(职数)"


def test_planner_solve_refuses_an_empty_county(tmp_path):
    doc = _county()
    doc["cadres"] = []
    res = CliRunner().invoke(app, ["solve", _write(tmp_path / "sc.json", doc), "--time-limit", "5", "--quiet"])
    assert res.exit_code == 2 and "the scenario has no cadres" in res.output and "Traceback" not in res.output


# ------------------------------------------------------------------------------------ 4. plan drafts


def test_a_hand_drafted_plan_needs_only_format_and_assignments():
    sc = _county()
    inst = load_scenario(sc)
    plan = load_plan({"format": "reshuffle-plan/1", "assignments": [{"post": "T1-DEP", "cadre": "C"}]}, inst)
    report = check_plan(inst, plan)
    assert report.view.final == {"T1-SEC": "A", "T1-DEP": "C"}  # the unlisted secretary post keeps A
    assert (plan.county, plan.as_of, plan.status) == ("test-county", inst.as_of, None)
    assert [m.cadre for m in report.view.departures] == ["B"]


def test_a_drafted_plan_for_another_county_is_still_refused():
    sc = _county()
    inst = load_scenario(sc)
    with pytest.raises(InputError) as err:
        load_plan({"format": "reshuffle-plan/1", "county": "elsewhere", "assignments": []}, inst)
    assert [p.location for p in err.value.problems] == ["county"]


def test_checking_the_planners_own_infeasible_document_says_it_records_no_plan(tmp_path):
    """Chosen: a document whose status is `infeasible` or `unknown` records no plan; `planner check` says so
    and exits 1 (nothing is audited: its empty assignments would otherwise read as "everyone stays")."""
    sc = _county()
    sc["cadres"][0]["leaving"] = True
    sc["policy"] = {"principal-filled": {"mode": "hard"}}
    sc["cadres"] = sc["cadres"][:2]  # nobody can succeed the leaving secretary
    inst = load_scenario(sc)
    res = solve(inst, SolveOptions(**TINY))
    assert res.status == "infeasible"
    doc = res.plan.model_dump(mode="json", by_alias=True)
    assert doc["assignments"] == []
    sp, pp = _write(tmp_path / "sc.json", sc), _write(tmp_path / "plan.json", doc)
    out = CliRunner().invoke(app, ["check", sp, pp], env={"COLUMNS": "200"})
    assert out.exit_code == 1, out.output
    assert "records no plan" in out.output and "未记载方案" in out.output
    assert "no assignment for post" not in out.output
    out = CliRunner().invoke(app, ["check", sp, pp, "--json"])
    report = json.loads(out.stdout)
    assert out.exit_code == 1 and report["ok"] is False and report["violations"] == []


# ------------------------------------------------------------------------------ 5. the settled readings


def _promotion(waves, **g):
    """T1's head H (section chief) makes way for G, a deputy-section cadre of the pool (ready now)."""
    posts = [make_post("T1-HEAD", "T1", "township_head")]
    cadres = [
        make_cadre("H", rank="section_chief", current_post="T1-HEAD"),
        make_cadre("G", reserve_tier="ready_now", **g),
    ]
    return posts, cadres, waves


def _agree(posts, cadres, waves, policy, plan):
    inst = load_scenario(make_scenario(posts=posts, cadres=cadres, policy=policy, waves=waves))
    return assert_agree(inst, {**inst.holder, **plan})


GRADES = {"2024": "competent", "2025": "competent", "2026": "basically_competent"}


def test_last_years_assessment_is_the_year_before_the_judged_dates_year():
    # judged on as_of (2026-12-01): the 2026 entry is not yet last year's → 2025 competent → no gate
    v = _agree(*_promotion(1, assessments=GRADES), only("promotion-gates"), {"T1-HEAD": "G"})
    assert v.feasible and findings(v.report, "promotion-gates") == []
    # judged at a wave in 2027: last year's is 2026, basically competent → the gate holds in both views
    v = _agree(*_promotion(["2027-02-01"], assessments=GRADES), only("promotion-gates"), {"T1-HEAD": "G"})
    assert not v.feasible
    assert [x.message_en for x in findings(v.report, "promotion-gates")] == [
        "干部G(G) was rated 基本称职 last year and cannot be promoted to T1乡乡长(T1-HEAD)"
    ]


def test_a_sanction_running_out_between_as_of_and_the_wave_no_longer_blocks():
    v = _agree(*_promotion(1, sanction_until="2027-01-15"), only("promotion-gates"), {"T1-HEAD": "G"})
    assert not v.feasible and hard_rules(v.report) == {"promotion-gates"}
    v = _agree(*_promotion(["2027-03-01"], sanction_until="2027-01-15"), only("promotion-gates"), {"T1-HEAD": "G"})
    assert v.feasible and v.report.ok


def test_years_in_rank_are_counted_to_the_waves_date():
    g = {"rank_since": days_before(694)}  # 1.9 years on as_of, 2.15 on 2027-03-01
    v = _agree(*_promotion(1, **g), only("rank-ladder"), {"T1-HEAD": "G"})
    assert not v.feasible and [x.rule for x in v.report.hard_violations] == ["rank-ladder"]
    v = _agree(*_promotion(["2027-03-01"], **g), only("rank-ladder"), {"T1-HEAD": "G"})
    assert v.feasible and v.report.ok


def test_ages_are_taken_at_the_waves_date():
    posts = [make_post("T1-SEC", "T1", "party_secretary")]
    cadres = [
        make_cadre("S", rank="section_chief", birth_date="1991-03-01", current_post="T1-SEC"),  # 35, then 36
        make_cadre("Y", rank="section_chief", birth_date="1992-01-01"),
    ]  # 34, then 35
    v = _agree(posts, cadres, 1, only("young-principals"), {})
    assert v.feasible and v.report.ok  # S is 35 on as_of
    v = _agree(posts, cadres, ["2027-06-01"], only("young-principals"), {})
    assert not v.feasible and [x.rule for x in v.report.hard_violations] == ["young-principals"]
    assert _agree(posts, cadres, ["2027-06-01"], only("young-principals"), {"T1-SEC": "Y"}).feasible


def test_township_work_grows_to_the_waves_date_only_for_todays_team_members():
    posts = [make_post(f"T1-P{i}", "T1") for i in (1, 2, 3)]
    cadres = [
        make_cadre("A", current_post="T1-P1"),
        make_cadre("B", current_post="T1-P2", township_work_years=1.8),  # in a team today: grows
        make_cadre("X", township_work_years=1.8),
        make_cadre("Y", township_work_years=1.8),
    ]  # the pool: not
    wave = ["2027-06-01"]  # half a year after as_of
    v = _agree(posts, cadres, wave, only("team-experience"), {"T1-P3": "X"})
    assert v.feasible and v.report.ok  # A and B (2.3 years) of 3: 2/3 — fails if nobody's experience grows
    v = _agree(posts, cadres, wave, only("team-experience"), {"T1-P2": "X", "T1-P3": "Y"})
    assert not v.feasible  # A only of 3 — would pass if the pool's experience grew too
    [f] = findings(v.report, "team-experience")
    assert (f.amount, f.hard) == (1, True)


def test_young_principals_counts_the_filled_principal_posts():
    posts = [make_post(f"T1-SEC{i}", "T1", "party_secretary") for i in range(1, 8)]  # 7 principal posts
    cadres = [make_cadre(f"S{i}", rank="section_chief", current_post=f"T1-SEC{i}") for i in range(1, 6)]
    cadres.append(make_cadre("Y", rank="section_chief", birth_date=born(30), current_post="T1-SEC6"))
    # 6 of 7 filled, one young: 100 × 1 ≥ 15 × 6 holds; over all 7 posts it would not (15 × 7 = 105)
    v = _agree(posts, cadres, 1, only("young-principals"), {})
    assert v.feasible and v.report.ok and v.objective == 0
    inst = load_scenario(make_scenario(posts=posts, cadres=cadres, policy=only("young-principals")))
    audit(inst, solve(inst, SolveOptions(**TINY)))


def test_team_rules_bind_after_every_wave_in_the_checker_and_the_solver():
    """T1's head post is vacant today; the only candidate P has 2 years in rank only by wave 2. Filled in wave 2,
    the post is vacant after wave 1 — a breach (a team operates between waves), so no plan exists."""
    posts = [make_post("T1-SEC", "T1", "party_secretary"), make_post("T1-HEAD", "T1", "township_head")]
    cadres = [
        make_cadre("S", rank="section_chief", current_post="T1-SEC"),
        make_cadre("P", reserve_tier="ready_now", rank_since=days_before(694)),
    ]
    sc = make_scenario(posts=posts, cadres=cadres, policy=only("principal-filled", "rank-ladder"), waves=2)
    inst = load_scenario(sc)
    report = check_plan(inst, load_plan(make_plan(sc, {"T1-HEAD": "P"}, {"T1-HEAD": 2}), inst))
    assert [(v.rule, v.wave) for v in report.hard_violations] == [("principal-filled", 1)]
    report = check_plan(inst, load_plan(make_plan(sc, {"T1-HEAD": "P"}, {"T1-HEAD": 1}), inst))
    assert [v.rule for v in report.hard_violations] == ["rank-ladder"]
    assert solve(inst, SolveOptions(**TINY)).status == "infeasible"
    # the final state alone would be fine: with the principal-filled rule judged on it only, a plan exists
    sc["policy"]["principal-filled"] = {"mode": "off"}
    inst = load_scenario(sc)
    assert solve(inst, SolveOptions(**TINY)).found
