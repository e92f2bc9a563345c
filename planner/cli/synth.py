"""`planner synth`: a synthetic county that provably admits a valid plan."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from planner.cli.common import app, console, dump_json, write_atomic


# ------------------------------------------------------------------------------------------------ synth


@app.command()
def synth(
    out: Annotated[Path, typer.Option("--out", help="where to write the scenario JSON")],
    townships: Annotated[int, typer.Option("--townships", min=1, max=400)] = 20,
    seed: Annotated[int, typer.Option("--seed")] = 1,
    pool_ratio: Annotated[float, typer.Option("--pool-ratio", min=0.0, max=10.0, help="pool cadres per post")] = 0.5,
    ethnic: Annotated[bool, typer.Option("--ethnic", help="a county with ethnic townships")] = False,
    witness: Annotated[Optional[Path], typer.Option("--witness", help="also write the witness plan here")] = None,
) -> None:
    """Write a realistic synthetic county that admits a valid plan under the default rules."""
    from planner.io.synth import SynthOptions, generate

    scenario_doc, plan_doc = generate(
        SynthOptions(townships=townships, seed=seed, pool_ratio=pool_ratio, ethnic=ethnic)
    )
    write_atomic(out, dump_json(scenario_doc))
    if witness:
        write_atomic(witness, dump_json(plan_doc))
    console.print(
        f"{out}: {townships} townships, {len(scenario_doc['posts'])} posts, "
        f"{len(scenario_doc['cadres'])} cadres (seed {seed})"
    )
