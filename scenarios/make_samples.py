"""Re-make the sample counties and their plans (scenarios/README.md says what each one is for).

    python scenarios/make_samples.py            # the four samples, each solved and audited

Each sample is a `planner synth` county (fixed township count and seed) with its name, and for the phased
county two waves and both of T01's principals retiring. The script keeps each sample's purpose honest: every
plan must be optimal and pass the checker, and the phased county must be impossible in one wave.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from typer.testing import CliRunner

from planner.audit.check import check_plan
from planner.cli.common import app
from planner.domain import load_plan, load_scenario
from planner.io.synth import SynthOptions, generate
from planner.solver.options import SolveOptions
from planner.solver.solve import solve

HERE = Path(__file__).resolve().parent

#: name -> (townships, seed, ethnic, county id, county name)
SAMPLES = {
    "small-county": (4, 8, False, "small", "小河县"),
    "county-20": (20, 5, False, "county-20", "青山县"),
    "ethnic-county": (8, 15, True, "ethnic", "黔南某民族县"),
    "phased-county": (6, 2, False, "phased", "分批县"),
}


def scenario(name: str) -> dict:
    townships, seed, ethnic, cid, cname = SAMPLES[name]
    doc, _ = generate(SynthOptions(townships=townships, seed=seed, ethnic=ethnic, county_id=cid, county_name=cname))
    if name == "phased-county":  # both principals of T01 retire: impossible in one wave, done in two
        for c in doc["cadres"]:
            if c["current_post"] in ("T01-SEC", "T01-HEAD"):
                c["leaving"] = True
        one_wave = solve(load_scenario(doc), SolveOptions(time_limit=60))
        assert one_wave.status == "infeasible", f"phased-county must be impossible in one wave: {one_wave.status}"
        doc["waves"] = 2
    return doc


def main() -> int:
    for name in SAMPLES:
        path, plan_path = HERE / f"{name}.json", HERE / f"{name}.plan.json"
        path.write_text(json.dumps(scenario(name), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        out = CliRunner().invoke(app, ["solve", str(path), "--out", str(plan_path), "--time-limit", "120"])
        inst = load_scenario(path)
        plan = load_plan(plan_path, inst)
        report = check_plan(inst, plan)
        assert out.exit_code == 0 and plan.status == "optimal" and report.ok, (name, out.output[-2000:])
        moves = [m for m in plan.moves if m.to is not None]
        print(
            f"{name}: {len(inst.townships)} townships, {len(inst.posts)} posts, {len(inst.cadres)} cadres, "
            f"{sum(c.leaving for c in inst.cadres.values())} leaving; {len(moves)} moves into posts, "
            f"objective {plan.objective} ({plan.status})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
