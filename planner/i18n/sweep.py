"""Words of policy sweeps and the policy frontier (planner sweep, planner frontier, POST /v1/sweeps), Chinese and
English: the grid's located problems, progress, the summary tables, the plots' labels and the commands' --help.

The plots are drawn with matplotlib's default font, which has no Chinese glyphs: they use the English half.
"""

from __future__ import annotations

from planner.i18n.cli import HELP, bi
from planner.i18n.core import MESSAGES

MESSAGES.update(
    {
        # located problems of a grid (file, flags or the service's request)
        "sweep.grid.unreadable": ("无法读取：{why}", "cannot read: {why}"),
        "sweep.grid.not_json": ("不是有效的JSON/YAML：{why}", "not valid JSON/YAML: {why}"),
        "sweep.grid.not_object": ("应为对象", "expected an object"),
        "sweep.grid.scenarios": (
            "应为非空列表（文件路径或 synth:乡镇数:种子）",
            "expected a non-empty list of paths or synth:N:SEED",
        ),
        "sweep.grid.variants": ("应为非空列表", "expected a non-empty list"),
        "sweep.grid.variant_twice": ("方案变体名称“{name}”重复", "variant name {name!r} used twice"),
        "sweep.grid.policy": ("应为 {{规则: {{参数: 值}}}}", "expected {{rule: {{param: value}}}}"),
        "sweep.grid.waves": ("应为1至8或日期列表", "expected 1–8 or a list of dates"),
        "sweep.grid.time_limit": ("应为0.1至3600秒", "expected seconds from 0.1 to 3600"),
        "sweep.grid.synth": (
            "应为 synth:乡镇数:种子（乡镇数1至400，或范围如3..4）",
            "expected synth:TOWNSHIPS:SEED (TOWNSHIPS 1–400 or a range 3..4)",
        ),
        "sweep.grid.empty_folder": ("文件夹中没有 *.json 情景文件", "folder holds no *.json scenario"),
        "sweep.grid.missing": ("文件或文件夹不存在", "no such file or folder"),
        "sweep.grid.none": ("请给出网格文件，或至少一个 --scenario", "give a grid file or at least one --scenario"),
        "sweep.grid.name_json": ("应为 名称=JSON：{why}", "expected NAME=JSON: {why}"),
        "sweep.engine.choice": ("应为 auto、ray 或 local", "expected auto, ray or local"),
        "sweep.engine.no_ray": (
            '未安装 Ray：pip install -e ".[distributed]"',
            'Ray is not installed: pip install -e ".[distributed]"',
        ),
        # planner sweep: progress and summary
        "sweep.engine.ray": ("Ray（进程内）", "Ray (in-process)"),
        "sweep.engine.ray_at": ("Ray 集群 {address}", "Ray @ {address}"),
        "sweep.engine.local": ("本机进程池（未使用 Ray）", "local process pool (no Ray)"),
        "sweep.start": (
            "引擎：{engine}；共{total}格，{skipped}格已在 {out} 中（跳过）",
            "engine: {engine_en}; {total} cells, {skipped} already in {out} (skipped)",
        ),
        "sweep.bar.solving": ("求解", "solving"),
        "sweep.bar.failed": ("失败", "failed"),
        "sweep.interrupted": (
            "已中断：{kept}格的结果保留在 {out} 中；再次运行即从中断处继续",
            "interrupted: {kept} cells kept in {out}; rerun to resume",
        ),
        "sweep.interrupted_hard": (
            "已中断：已完成的格保留在 {out} 中；再次运行即从中断处继续",
            "interrupted: the finished cells are kept in {out}; rerun to resume",
        ),
        "sweep.done": (
            "完成{done}格，失败{failed}格，跳过{skipped}格，用时{wall}秒（{engine}）→ {out}",
            "{done} done, {failed} failed, {skipped} skipped in {wall} s on {engine} → {out}",
        ),
        "sweep.no_matplotlib": ("未安装 matplotlib，无热力图", "matplotlib not installed: no heat map"),
        "sweep.table.title": ("情景 × 方案变体", "county × variant"),
        "sweep.col.scenario": ("情景", "scenario"),
        # a cell's or a point's verdict, short, for the tables
        "sweep.status.optimal": ("最优", "optimal"),
        "sweep.status.feasible": ("可行", "feasible"),
        "sweep.status.infeasible": ("无方案", "no plan"),
        "sweep.status.unknown": ("未定", "undecided"),
        "sweep.status.error": ("出错", "error"),
        "sweep.col.variant": ("变体", "variant"),
        "sweep.col.status": ("状态", "status"),
        "sweep.col.objective": ("目标值", "objective"),
        "sweep.col.moves": ("调整", "moves"),
        "sweep.col.checker": ("核查", "checker"),
        "sweep.col.blocking": ("阻碍规则", "blocking"),
        "sweep.grid.scenario_twice": ("情景“{id}”重复", "scenario {id!r} listed twice"),
        # POST /v1/sweeps (the service)
        "api.sweep.too_many": ("{what}数量为{n}，超过上限{limit}", "{n} {what} exceed the limit of {limit}"),
        "api.sweep.not_found": ("找不到方案扫描“{id}”", "no sweep {id!r}"),
        "api.sweep.not_finished": (
            "方案扫描“{id}”尚未结束(状态：{state})，且不在本服务进程中运行；结束后再取结果",
            "sweep {id!r} has not finished (state: {state}) and runs in another service process; "
            "fetch its results once it ends",
        ),
        "api.sweep.explain_time": ("应为0至{limit}秒", "expected 0 to {limit} seconds"),
        # the heat map (English half drawn)
        "sweep.plot.title": (
            "各县 × 方案变体的目标值（灰色 x = 无方案）",
            "objective by county x variant (grey x = no plan)",
        ),
        "sweep.plot.moves": ("{objective}\n调整{moves}人", "{objective}\n{moves} moves"),
        # planner frontier
        "frontier.step": ("应满足 --from ≤ --to 且 --step 为正数", "expected --from ≤ --to and a positive --step"),
        "frontier.unknown_rule": ("未知规则“{rule}”（见 RULES.md）", "unknown rule {rule!r} (see RULES.md)"),
        "frontier.unknown_param": (
            "规则{rule}没有参数“{param}”；可用参数：{have}",
            "rule {rule} has no parameter {param!r}; it has: {have}",
        ),
        "frontier.no_base": (
            "默认规则下没有方案（状态：{status}），无法以默认方案为基准计算代价",
            "the default policy has no plan (status {status}): a frontier needs a default plan to measure against",
        ),
        "frontier.start": (
            "{scenario}：{rule} · {param} 从{start}到{stop}，步长{step}（{n}个点，每点限时{limit}秒）",
            "{scenario}: {rule} · {param} from {start} to {stop} step {step} ({n} points, limit {limit} s each)",
        ),
        "frontier.point": ("{target}：{status}（{wall}秒）", "{target}: {status} ({wall} s)"),
        "frontier.table.title": (
            "代价曲线 — {rule} {param}（默认方案：目标值{objective}，调整{moves}人，达到{reached}）",
            "policy frontier — {rule} {param} (default plan: objective {objective}, {moves} moves, reaches {reached})",
        ),
        "frontier.col.target": ("目标", "target"),
        "frontier.col.status": ("状态", "status"),
        "frontier.col.changed": ("变动岗位", "posts changed"),
        "frontier.col.moves": ("调整", "moves"),
        "frontier.col.objective": ("目标值", "objective"),
        "frontier.col.blocking": ("阻碍规则", "blocking rules"),
        "frontier.impossible": ("自 {target} 起无可行方案", "no plan from {target}"),
        "frontier.no_matplotlib": ("未安装 matplotlib，无图", "matplotlib not installed: no plot"),
        # the frontier's plot (English half drawn)
        "frontier.plot.changed": ("相对默认方案变动的岗位", "posts changed vs default plan"),
        "frontier.plot.moves": ("方案中的调整人数", "moves in the plan"),
        "frontier.plot.objective": ("目标值", "objective"),
        "frontier.plot.y": ("岗位 / 人数", "posts / moves"),
        "frontier.plot.y2": ("目标值（越低越好）", "objective (lower is better)"),
        "frontier.plot.blocked": ("自此无方案；\n阻碍规则：\n{rules}", "no plan from here;\nblocked by:\n{rules}"),
        "frontier.plot.title": ("代价曲线：{rule} {param}", "policy frontier: {rule} {param}"),
    }
)

HELP.update(
    {
        "sweep": bi(
            "对每个“情景 × 方案变体”求解，用核查器复核每个方案，结果逐行写入表格（CSV）。"
            "Ctrl-C 停止时保留已完成的格，再次运行跳过已完成的格。",
            "Solve every scenario × variant cell, audit each plan with the checker, stream the rows to a table "
            "(CSV). Ctrl-C stops cleanly and keeps the finished cells; a rerun skips them.",
        ),
        "frontier": bi(
            "代价曲线：对每个目标值，给出达到它所需的最少改动（相对默认方案），以及从哪里开始无方案、被哪些规则阻碍。",
            "For each target value: the least disruption from the default plan that reaches it, and where it stops "
            "(the blocking rules named).",
        ),
        "opt.grid": "网格文件（JSON 或 YAML）：情景与方案变体 / grid file (JSON or YAML): scenarios and variants",
        "opt.sweep_scenario": "文件、文件夹或 synth:乡镇数:种子（可为范围 3..4）；可重复 / file, folder or "
        "synth:TOWNSHIPS:SEED (TOWNSHIPS may be 3..4); repeatable",
        "opt.sweep_policy": "一个方案变体：名称=JSON 规则参数；可重复 / a variant NAME=JSON policy overrides; repeatable",
        "opt.sweep_waves": "一个分批变体：批次数；可重复 / a variant with this many waves; repeatable",
        "opt.time_limit_cell": "每格的时限（秒） / seconds per cell",
        "opt.time_limit_point": "每点的时限（秒） / seconds per point",
        "opt.sweep_out": "结果表（CSV；逐行追加，再次运行即续算） / results table (CSV; rows appended, rerun resumes)",
        "opt.engine": "auto 自动 | ray | local 本机进程池 / auto | ray | local",
        "opt.address": "Ray 集群地址（缺省：进程内 Ray） / Ray cluster address (default: in-process Ray)",
        "opt.processes": "并行的格数（本机进程池 / 进程内 Ray 的 CPU 数）；缺省为核数 / parallel cells (local pool "
        "/ in-process Ray CPUs); default: the cores",
        "opt.sweep_plot": "在表格旁画热力图 PNG / heat map PNG next to the table",
        "opt.frontier_rule": "规则编号，例如 young-principals / rule id, e.g. young-principals",
        "opt.frontier_param": "其参数，例如 min_share / its parameter, e.g. min_share",
        "opt.frontier_from": "起始目标值 / first target",
        "opt.frontier_to": "最后目标值 / last target",
        "opt.frontier_step": "步长 / step",
        "opt.frontier_out": "各点写成 CSV / CSV of the points",
        "opt.frontier_plot": "折线图 PNG / line plot PNG",
    }
)

__all__: list[str] = []
