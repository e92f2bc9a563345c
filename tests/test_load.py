"""Loading: malformed scenarios are rejected with located problems (FORMAT.md), all at once; and the
`planner check` command's exit codes (0 valid, 1 a hard rule broken, 2 bad input, never a traceback)."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction

import pytest

from planner.domain import load_plan, load_scenario
from planner.domain.errors import InputError
from tests.helpers import make_cadre, make_plan, make_post, make_scenario, make_township, only


def _valid():
    posts = [
        make_post("T1-SEC", "T1", "party_secretary"),
        make_post("T1-DEP", "T1", "deputy_head"),
        make_post("T2-DEP", "T2", "deputy_head"),
    ]
    cadres = [
        make_cadre("A", rank="section_chief", current_post="T1-SEC"),
        make_cadre("B", current_post="T1-DEP"),
        make_cadre("C"),
    ]
    return make_scenario(posts=posts, cadres=cadres)


def _problems(doc) -> dict[str, str]:
    """location → English message of every problem; fails if the document loads."""
    with pytest.raises(InputError) as err:
        load_scenario(doc)
    assert err.value.document == "scenario"
    return {p.location: p.message_en for p in err.value.problems}


def test_the_valid_base_loads():
    inst = load_scenario(_valid())
    assert inst.holder == {"T1-SEC": "A", "T1-DEP": "B", "T2-DEP": None}


# --------------------------------------------------------------------------------------- shape and type


def test_unknown_field_names_record_and_field():
    doc = _valid()
    doc["cadres"][1]["nickname"] = "小B"
    assert _problems(doc) == {"cadres[1] B › nickname": "unknown field"}


def test_unknown_top_level_field():
    doc = _valid()
    doc["colour"] = "red"
    assert _problems(doc) == {"colour": "unknown field"}


@pytest.mark.parametrize(
    "field, value",
    [
        ("cpc_member", "yes"),  # no silent coercion of "yes" to True
        ("cpc_member", 1),
        ("township_work_years", "6.5"),
        ("township_work_years", -1),
        ("rank", "director"),
        ("gender", "male"),
        ("relatives", "A"),
    ],
)
def test_ill_typed_field(field, value):
    doc = _valid()
    doc["cadres"][2][field] = value
    problems = _problems(doc)
    assert list(problems) == [f"cadres[2] C › {field}"]
    text = problems[f"cadres[2] C › {field}"]
    if field in ("rank", "gender"):  # an enumeration: the value given and the values allowed
        assert text.startswith(f"invalid value '{value}': expected one of "), text
    else:
        assert text.startswith("invalid type or value"), text


def test_int_as_date_is_rejected():
    doc = _valid()
    doc["cadres"][0]["birth_date"] = 19860302
    problems = _problems(doc)
    assert list(problems) == ["cadres[0] A › birth_date"]
    assert "date" in problems["cadres[0] A › birth_date"]


@pytest.mark.parametrize("value", ["2023-02-29", "2024-13-01", "2024-04-31"])
def test_bad_calendar_date(value):
    doc = _valid()
    doc["cadres"][1]["rank_since"] = value
    problems = _problems(doc)
    assert "not a calendar date" in problems["cadres[1] B › rank_since"]


@pytest.mark.parametrize("value", ["2024/01/01", "1 Jan 2024", "2024-01-01T00:00:00"])
def test_date_format_is_iso(value):
    doc = _valid()
    doc["cadres"][1]["rank_since"] = value
    assert list(_problems(doc)) == ["cadres[1] B › rank_since"]


def test_29_february_of_a_leap_year_is_a_date():
    doc = _valid()
    doc["cadres"][1]["birth_date"] = "1992-02-29"
    assert load_scenario(doc).cadres["B"].birth_date.isoformat() == "1992-02-29"


def test_missing_required_field():
    doc = _valid()
    del doc["cadres"][2]["birth_date"]
    assert _problems(doc) == {"cadres[2] C › birth_date": "required field is missing"}


def test_unknown_enum_in_post_and_township():
    doc = _valid()
    doc["posts"][1]["role"] = "mayor"
    doc["townships"][0]["kind"] = "city"
    problems = _problems(doc)
    assert set(problems) == {"posts[1] T1-DEP › role", "townships[0] T1 › kind"}


# ------------------------------------------------------------------------------------------ references


def test_dangling_township_of_a_post():
    doc = _valid()
    doc["posts"][2]["township"] = "T9"
    doc["townships"] = doc["townships"][:1] + [make_township("T2")]
    problems = _problems(doc)
    assert list(problems) == ["posts[2] T2-DEP › township"]
    assert "T9" in problems["posts[2] T2-DEP › township"]


def test_dangling_current_post():
    doc = _valid()
    doc["cadres"][2].update(current_post="T1-NOPE", post_since="2020-01-01")
    problems = _problems(doc)
    assert "T1-NOPE" in problems["cadres[2] C › current_post"] and len(problems) == 1


def test_dangling_origin_township():
    doc = _valid()
    doc["cadres"][2]["origin_township"] = "T7"
    problems = _problems(doc)
    assert list(problems) == ["cadres[2] C › origin_township"] and "T7" in problems["cadres[2] C › origin_township"]


def test_dangling_relative():
    doc = _valid()
    doc["cadres"][0]["relatives"] = ["B", "GHOST"]
    problems = _problems(doc)
    assert list(problems) == ["cadres[0] A › relatives"] and "GHOST" in problems["cadres[0] A › relatives"]


def test_dangling_pin_cadre_and_post():
    doc = _valid()
    doc["pins"] = [{"cadre": "GHOST", "post": "T1-DEP"}, {"cadre": "C", "post": "T1-NOPE"}]
    problems = _problems(doc)
    assert set(problems) == {"pins[0] GHOST→T1-DEP › cadre", "pins[1] C→T1-NOPE › post"}
    assert "GHOST" in problems["pins[0] GHOST→T1-DEP › cadre"]


def test_dangling_forbid_and_approval():
    doc = _valid()
    doc["forbids"] = [{"cadre": "C", "post": "T3-X"}]
    doc["approvals"] = ["A", "NOBODY"]
    problems = _problems(doc)
    assert set(problems) == {"forbids[0] C→T3-X › post", "approvals[1]"}


@pytest.mark.parametrize("kind, index, rid", [("townships", 1, "T2"), ("posts", 2, "T2-DEP"), ("cadres", 2, "C")])
def test_duplicate_id(kind, index, rid):
    doc = _valid()
    doc[kind].append(dict(doc[kind][index]) | ({"current_post": None} if kind == "cadres" else {}))
    problems = _problems(doc)
    last = len(doc[kind]) - 1
    # both occurrences are named
    assert {f"{kind}[{index}] {rid} › id", f"{kind}[{last}] {rid} › id"} <= set(problems)
    assert f"duplicate id {rid}" == problems[f"{kind}[{last}] {rid} › id"]


def test_two_cadres_in_one_post():
    doc = _valid()
    doc["cadres"][2].update(current_post="T1-DEP", post_since="2020-01-01")
    problems = _problems(doc)
    assert list(problems) == ["cadres[2] C › current_post"]
    assert "B" in problems["cadres[2] C › current_post"] and "C" in problems["cadres[2] C › current_post"]


def test_pin_on_a_leaving_cadre():
    doc = _valid()
    doc["cadres"][1]["leaving"] = True
    doc["pins"] = [{"cadre": "B", "post": "T2-DEP"}]
    problems = _problems(doc)
    assert list(problems) == ["pins[0] B→T2-DEP"] and "leaving" in problems["pins[0] B→T2-DEP"]


def test_post_since_missing():
    doc = _valid()
    doc["cadres"][1]["post_since"] = None
    problems = _problems(doc)
    assert list(problems) == ["cadres[1] B › post_since"]
    assert "post_since is required" in problems["cadres[1] B › post_since"]


def test_future_dates_are_rejected():
    doc = _valid()
    doc["cadres"][2]["rank_since"] = "2027-01-01"  # after as_of 2026-12-01
    assert list(_problems(doc)) == ["cadres[2] C › rank_since"]


# ---------------------------------------------------------------------------------------------- policy


def test_unknown_policy_rule():
    doc = _valid()
    doc["policy"] = {"womens": {"mode": "off"}}
    assert _problems(doc) == {"policy › womens": "unknown rule womens"}


def test_unknown_policy_param():
    doc = _valid()
    doc["policy"] = {"women": {"min_cnt": 2}}
    assert _problems(doc) == {"policy › women › min_cnt": "rule women has no parameter min_cnt"}


@pytest.mark.parametrize("rule", ["one-post", "leaving"])
@pytest.mark.parametrize("mode", ["off", "soft"])
def test_locked_rule_cannot_be_turned_off_or_softened(rule, mode):
    doc = _valid()
    doc["policy"] = {rule: {"mode": mode}}
    problems = _problems(doc)
    assert list(problems) == [f"policy › {rule} › mode"]
    assert "always hard" in problems[f"policy › {rule} › mode"]


def test_locked_rule_may_be_restated_hard():
    doc = _valid()
    doc["policy"] = {"one-post": {"mode": "hard"}}
    assert load_scenario(doc).policy["one-post"].mode == "hard"


@pytest.mark.parametrize("rule", ["minority-share", "non-cpc-share"])
def test_share_rule_turned_on_without_min_share(rule):
    doc = _valid()
    doc["policy"] = {rule: {"mode": "soft"}}
    problems = _problems(doc)
    assert list(problems) == [f"policy › {rule} › min_share"]
    assert "needs min_share" in problems[f"policy › {rule} › min_share"]
    doc["policy"] = {rule: {"mode": "soft", "min_share": "1/4"}}
    assert load_scenario(doc).policy[rule].mode == "soft"


@pytest.mark.parametrize(
    "rule, param, value",
    [
        ("young-principals", "min_share", 1.5),
        ("young-principals", "min_share", "abc"),
        ("young-principals", "min_share", True),
        ("under-30", "max_age", True),
        ("under-30", "max_age", "30"),
        ("women", "min_count", "2"),
        ("women", "min_count", 1.5),
        ("min-tenure", "min_years", -1),
        ("rank-ladder", "promotable_tiers", ["ready_now", "bogus"]),
        ("promotion-gates", "blocking_grades", ["awful"]),
        ("seamless-handover", "roles", ["mayor"]),
    ],
)
def test_ill_typed_policy_param(rule, param, value):
    doc = _valid()
    doc["policy"] = {rule: {param: value}}
    problems = _problems(doc)
    assert [loc for loc in problems if loc.startswith(f"policy › {rule} › {param}")], problems


@pytest.mark.parametrize("override", [{"mode": "strict"}, {"weight": 1.5}, {"weight": -1}, {"weight": True}])
def test_bad_mode_or_weight(override):
    doc = _valid()
    doc["policy"] = {"women": override}
    [(loc, _)] = _problems(doc).items()
    assert loc == f"policy › women › {next(iter(override))}"


def test_two_thirds_as_a_string_is_exact():
    doc = _valid()
    doc["policy"] = {"team-experience": {"min_share": "2/3"}, "young-principals": {"min_share": 0.15}}
    inst = load_scenario(doc)
    assert inst.policy["team-experience"].params.min_share == Fraction(2, 3)
    assert inst.policy["young-principals"].params.min_share == Fraction(15, 100)


# --------------------------------------------------------------------------------------- all at once


def test_several_cross_record_problems_are_reported_at_once():
    doc = _valid()
    doc["posts"][2]["township"] = "T9"
    doc["cadres"][0]["origin_township"] = "T7"
    doc["cadres"][1]["post_since"] = None
    doc["cadres"][2].update(relatives=["GHOST"])
    doc["pins"] = [{"cadre": "C", "post": "T1-NOPE"}]
    doc["policy"] = {"bogus": {}, "leaving": {"mode": "off"}, "women": {"min_cnt": 1}}
    problems = _problems(doc)
    assert set(problems) == {
        "posts[2] T2-DEP › township",
        "cadres[0] A › origin_township",
        "cadres[1] B › post_since",
        "cadres[2] C › relatives",
        "pins[0] C→T1-NOPE › post",
        "policy › bogus",
        "policy › leaving › mode",
        "policy › women › min_cnt",
    }


def test_several_shape_problems_are_reported_at_once():
    doc = _valid()
    doc["cadres"][0]["birth_date"] = 19860302
    doc["cadres"][1]["cpc_member"] = "yes"
    doc["cadres"][2]["nickname"] = "x"
    doc["posts"][0]["rank"] = "general"
    assert set(_problems(doc)) == {
        "cadres[0] A › birth_date",
        "cadres[1] B › cpc_member",
        "cadres[2] C › nickname",
        "posts[0] T1-SEC › rank",
    }


def test_problems_carry_both_languages():
    doc = _valid()
    doc["cadres"][2]["origin_township"] = "T7"
    with pytest.raises(InputError) as err:
        load_scenario(doc)
    [p] = err.value.problems
    assert p.message_zh and p.message_en and p.message_zh != p.message_en
    assert "T7" in err.value.render()


# ------------------------------------------------------------------------------------------------ plan


def test_plan_naming_strangers_is_refused_but_an_unlisted_post_is_not_a_problem():
    doc = _valid()
    inst = load_scenario(doc)
    plan = make_plan(doc, {"T2-DEP": "GHOST"})
    plan["assignments"] = [a for a in plan["assignments"] if a["post"] != "T1-DEP"]
    with pytest.raises(InputError) as err:
        load_plan(plan, inst)
    assert err.value.document == "plan"
    assert [p.location for p in err.value.problems] == ["assignments[1] T2-DEP › cadre"]
    assert "GHOST" in err.value.render() and "T1-DEP" not in err.value.render()


def test_plan_wave_beyond_the_scenario():
    doc = _valid()
    inst = load_scenario(doc)
    with pytest.raises(InputError) as err:
        load_plan(make_plan(doc, {"T2-DEP": "C"}, {"T2-DEP": 2}), inst)
    assert [p.location for p in err.value.problems] == ["assignments[2] T2-DEP › wave"]


# ------------------------------------------------------------------------------------------------- CLI


def _cli(tmp_path, scenario, plan):
    sp, pp = tmp_path / "scenario.json", tmp_path / "plan.json"
    sp.write_text(json.dumps(scenario, ensure_ascii=False), encoding="utf-8")
    pp.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-c", "from planner.cli import main; main()", "check", str(sp), str(pp)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _cli_scenario():
    doc = _valid()
    doc["policy"] = only("principal-filled")
    return doc


def test_cli_check_valid_plan_exits_0(tmp_path):
    doc = _cli_scenario()
    run = _cli(tmp_path, doc, make_plan(doc, {"T2-DEP": "C"}))
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr


def test_cli_check_hard_rule_broken_exits_1(tmp_path):
    doc = _cli_scenario()
    run = _cli(tmp_path, doc, make_plan(doc, {"T1-SEC": None}))  # principal-filled broken
    assert run.returncode == 1, run.stderr
    assert "principal-filled" in run.stdout
    assert "Traceback" not in run.stderr


def test_cli_check_malformed_scenario_exits_2(tmp_path):
    doc = _cli_scenario()
    plan = make_plan(doc)
    doc["cadres"][0]["birth_date"] = 19860302
    doc["cadres"][1]["origin_township"] = "T7"
    run = _cli(tmp_path, doc, plan)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout
    assert "birth_date" in run.stderr


def test_cli_check_malformed_plan_and_missing_file_exit_2(tmp_path):
    doc = _cli_scenario()
    plan = make_plan(doc)
    plan["assignments"][0]["cadre"] = "GHOST"
    run = _cli(tmp_path, doc, plan)
    assert run.returncode == 2 and "Traceback" not in run.stderr and "GHOST" in run.stderr
    sp = tmp_path / "scenario.json"
    run = subprocess.run(
        [sys.executable, "-c", "from planner.cli import main; main()", "check", str(sp), str(tmp_path / "nope.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr


def test_cli_check_bad_json_exits_2(tmp_path):
    sp = tmp_path / "scenario.json"
    sp.write_text("{not json", encoding="utf-8")
    pp = tmp_path / "plan.json"
    pp.write_text("{}", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-c", "from planner.cli import main; main()", "check", str(sp), str(pp)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr
