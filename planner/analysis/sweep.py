"""Policy sweeps: a grid of scenarios × variants, each cell solved, audited by the checker and tabled.

A *scenario* is a scenario file, or a synthetic county ``synth:TOWNSHIPS:SEED`` (planner.io.synth). A *variant*
is a named change to every scenario: policy overrides merged per rule (as a what-if delta's ``policy``), a
number of waves, a time limit. A *cell* is one (scenario, variant) pair, keyed by a hash of the scenario's
content and the variant's settings, so a rerun of the same grid skips the cells already in the table
(resume) and a changed scenario file is solved again.

Each cell's row: status, objective and bound, the checker's verdict and objective (the oracle: a solver
objective that the checker does not reproduce is reported, not hidden), the cost of every rule, moves, the
quotas the plan reaches (young principals' share, …), and for an infeasible cell the rules that block it
(planner.analysis.explain with a small budget). Rows are appended to a CSV as they arrive (whole lines,
flushed), and copied to Parquet at the end when pyarrow is installed.

Engines: Ray (the ``distributed`` extra) — in-process ``ray.init()`` when no address is given, a cluster with
an address (``PLANNER_RAY_ADDRESS``); every scenario is put in the object store once; each cell is a task
with ``max_retries`` (a worker that dies is retried) and CP-SAT workers from the CPUs Ray assigns it. Without
Ray, a local process pool (concurrent.futures) runs the same cell function, so results are the same. The
engines, and how a sweep stops (Ctrl-C, a caller's cancel), are in planner.analysis.sweep_engines.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from planner.analysis.sweep_engines import WORKERS_PER_CPU
from planner.domain.errors import InputError, Problem
from planner.domain.policy import CATALOGUE
from planner.i18n import message

#: the quota rules whose reached value is tabled (the most demanding threshold the final teams meet)
QUOTAS = ("young-principals", "young-members", "young-members-team", "under-30", "team-experience", "women")
COST_COLUMNS = [f"cost.{rid}" for rid in CATALOGUE] + ["cost.wave-delay"]
COLUMNS = (
    [
        "key",
        "scenario",
        "variant",
        "status",
        "objective",
        "bound",
        "gap",
        "checker_ok",
        "checker_objective",
        "hard_violations",
        "moves",
        "townships",
        "posts",
        "cadres",
        "time_limit_s",
        "workers",
        "wall_s",
        "blocking_rules",
        "error",
    ]
    + COST_COLUMNS
    + [f"quota.{rid}" for rid in QUOTAS]
)


@dataclass(frozen=True)
class Variant:
    name: str
    policy: dict[str, dict[str, Any]] = field(default_factory=dict)
    waves: int | list[str] | None = None
    time_limit: float = 20.0

    def spec(self) -> dict[str, Any]:
        return {"policy": self.policy, "waves": self.waves, "time_limit": self.time_limit}


@dataclass
class Grid:
    scenarios: list[str]  # paths or synth:TOWNSHIPS:SEED
    variants: list[Variant]
    explain_time: float = 5.0


@dataclass
class Cell:
    key: str
    scenario: str
    variant: Variant
    #: the scenario's name in the table (scenario_name); the reference itself when empty
    name: str = ""


# ------------------------------------------------------------------------------------------ the grid


def _problem(location: str, key: str, **fields: Any) -> Problem:
    zh, en = message(key, **fields)
    return Problem(location=location, message_en=en, message_zh=zh)


def read_grid(source: str | Path | dict) -> Grid:
    """A grid from a JSON or YAML file (or a dict): ``{"scenarios": [...], "variants": [{"name", "policy",
    "waves", "time_limit"}], "explain_time": s}``. Folders in ``scenarios`` stand for their ``*.json`` files,
    relative paths are relative to the grid file. Every problem is reported at once, located."""
    base = Path(".")
    if isinstance(source, dict):
        data: Any = source
    else:
        path = Path(source)
        base = path.parent
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError("grid", [_problem(str(path), "sweep.grid.unreadable", why=exc.strerror)]) from None
        try:
            if path.suffix.lower() in (".yaml", ".yml"):
                import yaml

                data = yaml.safe_load(text)
            else:
                data = json.loads(text)
        except Exception as exc:  # json.JSONDecodeError, yaml.YAMLError
            raise InputError("grid", [_problem(str(path), "sweep.grid.not_json", why=exc)]) from None
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InputError("grid", [_problem("(document)", "sweep.grid.not_object")])
    scen = data.get("scenarios")
    if not isinstance(scen, list) or not scen or not all(isinstance(s, str) for s in scen):
        problems.append(_problem("scenarios", "sweep.grid.scenarios"))
        scen = []
    variants: list[Variant] = []
    raw_variants = data.get("variants", [{"name": "default"}])
    if not isinstance(raw_variants, list) or not raw_variants:
        problems.append(_problem("variants", "sweep.grid.variants"))
        raw_variants = []
    for k, v in enumerate(raw_variants):
        where = f"variants[{k}]"
        if not isinstance(v, dict):
            problems.append(_problem(where, "sweep.grid.not_object"))
            continue
        try:
            variants.append(
                variant(
                    v.get("name", f"v{k + 1}"), v.get("policy"), v.get("waves"), v.get("time_limit", 20.0), where=where
                )
            )
        except InputError as exc:
            problems.extend(exc.problems)
    names = [v.name for v in variants]
    for n in {n for n in names if names.count(n) > 1}:
        problems.append(_problem("variants", "sweep.grid.variant_twice", name=n))
    scenarios: list[str] = []
    for k, s in enumerate(scen):
        try:
            scenarios.extend(expand_scenarios([s], base))
        except InputError as exc:
            problems.extend(Problem(f"scenarios[{k}]", p.message_en, p.message_zh) for p in exc.problems)
    if problems:
        raise InputError("grid", problems)
    return Grid(scenarios, variants, float(data.get("explain_time", 5.0)))


def variant(
    name: str, policy: Any = None, waves: Any = None, time_limit: Any = 20.0, *, where: str = "variant"
) -> Variant:
    """A checked variant; its policy overrides are validated against the catalogue when a cell loads."""
    problems = []
    if policy is not None and not (isinstance(policy, dict) and all(isinstance(v, dict) for v in policy.values())):
        problems.append(_problem(f"{where} › policy", "sweep.grid.policy"))
    if waves is not None and not (isinstance(waves, int) and 1 <= waves <= 8 or isinstance(waves, list)):
        problems.append(_problem(f"{where} › waves", "sweep.grid.waves"))
    if isinstance(time_limit, bool) or not isinstance(time_limit, (int, float)) or not 0.1 <= time_limit <= 3600:
        problems.append(_problem(f"{where} › time_limit", "sweep.grid.time_limit"))
    if problems:
        raise InputError("grid", problems)
    return Variant(str(name), dict(policy or {}), waves, float(time_limit))


def expand_scenarios(items: Iterable[str], base: Path = Path(".")) -> list[str]:
    """Files, folders (their ``*.json``) and ``synth:TOWNSHIPS:SEED`` (TOWNSHIPS may be a range ``3..4``)."""
    out: list[str] = []
    problems: list[Problem] = []
    for s in items:
        if s.startswith("synth:"):
            parts = s.split(":")
            try:
                lo, _, hi = parts[1].partition("..")
                seeds = [int(parts[2])] if len(parts) == 3 else None
                if seeds is None:
                    raise ValueError
                for n in range(int(lo), int(hi or lo) + 1):
                    if not 1 <= n <= 400:
                        raise ValueError
                    out.append(f"synth:{n}:{seeds[0]}")
            except (ValueError, IndexError):
                problems.append(_problem(s, "sweep.grid.synth"))
            continue
        path = Path(s) if Path(s).is_absolute() else base / s
        if path.is_dir():
            found = sorted(str(p) for p in path.glob("*.json"))
            if not found:
                problems.append(_problem(s, "sweep.grid.empty_folder"))
            out.extend(found)
        elif path.is_file():
            out.append(str(path))
        else:
            problems.append(_problem(s, "sweep.grid.missing"))
    if problems:
        raise InputError("grid", problems)
    return out


def scenario_doc(ref: str) -> dict[str, Any]:
    """The scenario document a reference stands for (a synthetic county is generated, deterministic per seed)."""
    if ref.startswith("synth:"):
        from planner.io.synth import SynthOptions, generate

        _, n, seed = ref.split(":")
        doc, _ = generate(SynthOptions(townships=int(n), seed=int(seed)))
        return doc
    from planner.domain.load import read_json

    return read_json(ref, "scenario")


def scenario_name(ref: str, doc: dict[str, Any]) -> str:
    return ref if ref.startswith("synth:") else Path(ref).stem


def cell_key(doc: dict[str, Any], v: Variant) -> str:
    blob = json.dumps({"scenario": doc, "variant": v.spec()}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def with_variant(doc: dict[str, Any], v: Variant) -> dict[str, Any]:
    """The scenario changed by the variant: policy merged per rule, waves replaced."""
    out = dict(doc)
    policy = {rid: dict(cfg) for rid, cfg in (doc.get("policy") or {}).items()}
    for rid, cfg in v.policy.items():
        policy[rid] = {**policy.get(rid, {}), **cfg}
    out["policy"] = policy
    if v.waves is not None:
        out["waves"] = v.waves
    return out


# ------------------------------------------------------------------------------------------ one cell


def quotas(inst, plan) -> dict[str, float | None]:
    """The most demanding threshold of each quota rule the plan's final teams meet (share or count)."""
    from fractions import Fraction

    from planner.analysis.explain.relax import achieved

    holder = {a.post: a.cadre for a in plan.assignments}
    out: dict[str, float | None] = {}
    for rid in QUOTAS:
        value = achieved(inst, rid, holder)
        out[rid] = None if value is None else (round(float(value), 4) if isinstance(value, Fraction) else value)
    return out


def run_cell(
    doc: dict[str, Any],
    name: str,
    v: Variant,
    key: str,
    *,
    workers: int = 8,
    explain_time: float = 5.0,
    seed: int = 0,
    control: Any = None,
) -> dict[str, Any]:
    """Solve one cell, audit the plan with the checker, explain an infeasible cell: the table's row.
    `control` (a SolveControl) lets another thread stop the solve (the service's cancel)."""
    from planner.audit.check import check_plan
    from planner.domain.load import load_scenario
    from planner.solver.options import SolveOptions
    from planner.solver.solve import solve

    t0 = time.perf_counter()
    row: dict[str, Any] = {
        "key": key,
        "scenario": name,
        "variant": v.name,
        "time_limit_s": v.time_limit,
        "workers": workers,
    }
    try:
        inst = load_scenario(with_variant(doc, v))
    except InputError as exc:
        row.update(status="input-error", error="; ".join(f"{p.location}: {p.message_en}" for p in exc.problems))
        row["wall_s"] = round(time.perf_counter() - t0, 3)
        return row
    row.update(townships=len(inst.townships), posts=len(inst.posts), cadres=len(inst.cadres))
    res = solve(inst, SolveOptions(time_limit=v.time_limit, workers=workers, seed=seed), control=control)
    row.update(
        status=res.status, objective=res.objective, bound=res.bound, gap=None if res.gap is None else round(res.gap, 6)
    )
    if res.found and res.plan is not None:
        report = check_plan(inst, res.plan)
        row.update(
            checker_ok=report.ok,
            checker_objective=report.objective,
            hard_violations=len(report.hard_violations),
            moves=len(res.plan.moves),
        )
        row.update({f"cost.{rid}": cost for rid, cost in report.breakdown.items()})
        row.update({f"quota.{rid}": q for rid, q in quotas(inst, res.plan).items()})
    elif res.status == "infeasible" and not (control is not None and control.cancelled):
        from planner.analysis.explain import explain

        why = explain(inst, time_limit=explain_time, relax=False, workers=workers)
        row["blocking_rules"] = ";".join(dict.fromkeys(e["rule"] for e in why.get("rules", [])))
    row["wall_s"] = round(time.perf_counter() - t0, 3)
    return row


# ------------------------------------------------------------------------------------------ the table


def finished_keys(path: Path) -> set[str]:
    """Keys of the cells already in the table (rows without an error; errors are retried)."""
    if not path.exists():
        return set()
    with path.open(newline="", encoding="utf-8") as fh:
        return {r["key"] for r in csv.DictReader(fh) if r.get("key") and not r.get("error")}


def read_table(path: Path) -> list[dict[str, str]]:
    with Path(path).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


class _Table:
    """Append-only CSV: a header when new, whole flushed lines; rows of an earlier error are superseded."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists() or self.path.stat().st_size == 0
        self.fh = self.path.open("a", newline="", encoding="utf-8")
        self.writer = csv.DictWriter(self.fh, fieldnames=COLUMNS, extrasaction="ignore")
        if new:
            self.writer.writeheader()
            self.fh.flush()

    def write(self, row: dict[str, Any]) -> None:
        self.writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in COLUMNS})
        self.fh.flush()
        os.fsync(self.fh.fileno())

    def close(self) -> None:
        self.fh.close()


def to_parquet(csv_path: Path) -> Path | None:
    """The table as Parquet next to the CSV (the last row of each key wins), when pyarrow is installed."""
    try:
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq
    except ImportError:
        return None
    out = Path(csv_path).with_suffix(".parquet")
    pq.write_table(pacsv.read_csv(csv_path), out)
    return out


# ------------------------------------------------------------------------------------------ engines


@dataclass
class SweepSummary:
    engine: str
    total: int
    skipped: int
    done: int = 0
    failed: int = 0
    interrupted: bool = False
    wall_s: float = 0.0
    rows: list[dict[str, Any]] = field(default_factory=list)


def ray_available() -> bool:
    try:
        import ray  # noqa: F401
    except ImportError:
        return False
    return True


def plan_cells(grid: Grid) -> tuple[dict[str, dict[str, Any]], list[Cell]]:
    """Load every scenario once and list the cells (scenario ref → document, cells in grid order)."""
    docs = {ref: scenario_doc(ref) for ref in dict.fromkeys(grid.scenarios)}
    cells = [Cell(cell_key(docs[ref], v), ref, v, scenario_name(ref, docs[ref])) for ref in docs for v in grid.variants]
    return docs, cells


def run_sweep(
    grid: Grid,
    out: Path,
    *,
    engine: str = "auto",
    address: str | None = None,
    processes: int | None = None,
    cpus_per_cell: int = 1,
    on_start: Callable[[SweepSummary], None] | None = None,
    on_row: Callable[[dict[str, Any]], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> SweepSummary:
    """Run the cells of `grid` not yet in the table `out`, appending a row per cell as it finishes.

    `engine`: ``"ray"``, ``"local"`` or ``"auto"`` (Ray when installed or an address is given). Ctrl-C
    (SIGINT, in the main thread) or `cancel()` turning true stops the sweep: the rows of cells already finished
    are written, running cells are stopped, the table keeps every whole row, and the summary says
    ``interrupted``; rerunning resumes. A second Ctrl-C raises KeyboardInterrupt at once (the rows written so
    far stay).
    """
    from planner.analysis.sweep_engines import Stop, run_local, run_ray

    t0 = time.perf_counter()
    address = address or os.environ.get("PLANNER_RAY_ADDRESS") or None
    if engine == "auto":
        engine = "ray" if (address or ray_available()) else "local"
    docs, cells = plan_cells(grid)
    done = finished_keys(Path(out))
    todo = [c for c in cells if c.key not in done]
    summary = SweepSummary(engine=engine, total=len(cells), skipped=len(cells) - len(todo))
    if on_start:
        on_start(summary)
    table = _Table(Path(out))

    def record(row: dict[str, Any]) -> None:
        table.write(row)
        summary.rows.append(row)
        if row.get("error") or row.get("status") == "input-error":
            summary.failed += 1
        else:
            summary.done += 1
        if on_row:
            on_row(row)

    try:
        with Stop(cancel) as stop:
            if todo:
                runner = run_ray if engine == "ray" else run_local
                runner(
                    docs,
                    todo,
                    grid.explain_time,
                    record,
                    stop,
                    cell_fn=run_cell,
                    address=address,
                    processes=processes,
                    cpus=cpus_per_cell,
                )
            summary.interrupted = stop.requested
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        table.close()
    summary.wall_s = round(time.perf_counter() - t0, 3)
    return summary


__all__ = [
    "Grid",
    "Variant",
    "Cell",
    "SweepSummary",
    "read_grid",
    "variant",
    "expand_scenarios",
    "scenario_doc",
    "cell_key",
    "with_variant",
    "run_cell",
    "run_sweep",
    "finished_keys",
    "read_table",
    "to_parquet",
    "ray_available",
    "plan_cells",
    "COLUMNS",
    "WORKERS_PER_CPU",
]
