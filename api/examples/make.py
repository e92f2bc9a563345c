"""Regenerate the OpenAPI examples: ``python -m api.examples.make`` (deterministic)."""

from __future__ import annotations

import json
from pathlib import Path

from planner.domain import load_scenario
from planner.solver.options import SolveOptions
from planner.solver.solve import solve
from planner.io.synth import SynthOptions, generate

HERE = Path(__file__).parent


def main() -> None:
    scenario, _witness = generate(SynthOptions(townships=2, seed=1, county_id="example", county_name="示例县"))
    inst = load_scenario(scenario)
    result = solve(inst, SolveOptions(time_limit=10, workers=1, seed=0))
    if result.plan is None:
        raise SystemExit(f"no plan for the example scenario ({result.status})")
    plan = result.plan.model_dump(mode="json", by_alias=True)
    plan["wall_time_s"] = 0.1  # keep the example stable across machines
    plan["solver"] = {k: v for k, v in plan["solver"].items() if k in ("num_workers", "variables")}
    for name, doc in (("scenario", scenario), ("plan", plan)):
        (HERE / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"scenario: {len(scenario['posts'])} posts, {len(scenario['cadres'])} cadres; plan: {result.status}")


if __name__ == "__main__":
    main()
