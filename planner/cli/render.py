"""How the terminal shows things: progress with elapsed time, plans (moves grouped by township), explanations.

Every word comes from planner.i18n (core: statuses and labels; cli: the terminal's own lines). Lines are
built so that rich wraps them between words at any width: a post is "乡镇 职务" (two words), never cut
inside a title.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from typing import Any, Callable

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from planner.i18n import label_zh, message


def both(console: Console, zh: str, en: str, style: str = "", indent: str = "") -> None:
    """「中文 / English」 on one line when it fits the terminal, else the English on a line of its own (so a
    narrow terminal never wraps the Chinese into the English)."""
    from rich.cells import cell_len

    one = f"{indent}{zh} / {en}"
    lines = [one] if cell_len(one) <= console.width else [f"{indent}{zh}", f"{indent}  {en}"]
    for k, text in enumerate(lines):
        tone = style if k == 0 else (style + " dim").strip()
        console.print(f"[{tone}]{escape(text)}[/]" if tone else escape(text), highlight=False)


def say(console: Console, key: str, style: str = "", **fields: Any) -> None:
    zh, en = message(key, **fields)
    both(console, zh, en, style)


# ------------------------------------------------------------------------------------------------ titles


def post_words(inst: Any, post: str | None, *, here: str | None = None) -> str:
    """「上石街道 党工委书记」: the township and the title as two words; the title alone inside `here`."""
    if post is None:
        return "—"
    t = inst.posts[post].township
    title = inst.role_title(post)
    return title if t == here else f"{inst.townships[t].name} {title}"


def origin_words(inst: Any, cadre: str, *, here: str | None = None) -> str:
    c = inst.cadres[cadre]
    if c.current_post:
        return post_words(inst, c.current_post, here=here)
    return c.current_unit or "—"


# ------------------------------------------------------------------------------------------------ progress


class Phases:
    """Progress of one command on stderr: each phase as a line with the elapsed time, and on a terminal a
    spinner whose clock keeps ticking while a phase runs (the solver reports only when it finds a plan)."""

    def __init__(self, console: Console, *, quiet: bool = False, clock: Callable[[], float] = time.monotonic):
        self.console, self.quiet, self.clock = console, quiet, clock
        self.t0 = clock()
        self._live: Any = None
        self._task: Any = None

    def elapsed(self) -> float:
        return self.clock() - self.t0

    def line(self, zh: str, en: str = "", style: str = "dim") -> None:
        if self.quiet:
            return
        stamp = f"{self.elapsed():6.1f}s  "
        target = self._live.console if self._live is not None else self.console
        if en:
            both(target, zh, en, style, indent=stamp)
        else:
            target.print(f"[{style}]{stamp}{zh}[/]", highlight=False)

    def phase(self, key: str, path: Any = None, **fields: Any) -> None:
        """A new phase: its line now (with the file it reads or writes), and the spinner's text on a terminal."""
        zh, en = message(key, **fields)
        self.line(zh, en + (f" {path}" if path is not None else ""))
        if self.quiet or not self.console.is_terminal:
            return
        if self._live is None:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._live = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self._live.start()
            self._task = self._live.add_task(zh, total=None)
        else:
            self._live.update(self._task, description=zh)

    def solution(self, info: dict[str, Any]) -> None:
        """The solver's progress callback: one improving plan (bound shown only when it says something)."""
        zh, en = message("cli.progress.plan", n=info.get("solutions"), objective=info.get("objective"))
        bound, objective = info.get("bound"), info.get("objective")
        gap_value = None if bound is None or objective is None else (objective - bound) / max(1, abs(objective))
        # the bound helps only when it says how far the plan can be from the best: not when it is reached
        # (the summary says "proven optimal"), nor when it is further off than the plan's own size
        if gap_value is not None and 0 < gap_value < 1:
            gap = _pct(gap_value)
            bz, be = message("cli.progress.bound", bound=bound, gap=gap)
            zh, en = zh + bz, en + be
        phase = info.get("phase")  # when the solver names its phase (LP, search …), say it
        self.line(zh + (f"（{phase}）" if phase else ""), en)

    def stop(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


# ------------------------------------------------------------------------------------------------ plans


def _township_of_move(inst: Any, mv: Any) -> str:
    post = mv.to or mv.from_
    return inst.posts[post].township if post else ""


def kind_counts(moves: list[Any]) -> tuple[str, str]:
    order = ("promotion", "transfer", "appointment", "release", "leaving")
    n = Counter(m.kind for m in moves)
    zh = "、".join(f"{label_zh(k)}{n[k]}" for k in order if n[k])
    en = ", ".join(f"{n[k]} {k}" for k in order if n[k])
    return zh, en


def moves_table(inst: Any, plan: Any, console: Console) -> None:
    """The moves grouped by township (the township a cadre goes to; the one left for releases), counted by
    kind; at any width the columns wrap between words."""
    if not plan.moves:
        return
    zh, en = kind_counts(plan.moves)
    say(console, "cli.moves.title", "bold", n=len(plan.moves), counts=zh, counts_en=en)
    waves = inst.waves > 1
    groups: dict[str, list[Any]] = defaultdict(list)
    for mv in plan.moves:
        groups[_township_of_move(inst, mv)].append(mv)
    table = Table(show_lines=False, pad_edge=False, expand=False)
    for key in ("cli.col.name", "cli.col.from", "cli.col.to", "cli.col.kind") + (("cli.col.wave",) if waves else ()):
        z, e = message(key)
        table.add_column(f"{z} {e}", overflow="fold", no_wrap=key in ("cli.col.name", "cli.col.kind", "cli.col.wave"))
    for t in inst.townships:  # the scenario's order of townships
        items = groups.get(t)
        if not items:
            continue
        z, _ = message("cli.moves.township", township=inst.townships[t].name, n=len(items))
        table.add_row(f"[bold]{z}[/]", end_section=False)
        for mv in sorted(items, key=lambda m: (m.wave, m.kind, m.cadre)):
            table.add_row(
                "  " + inst.cadres[mv.cadre].name,
                origin_words(inst, mv.cadre, here=t),
                post_words(inst, mv.to, here=t),
                label_zh(mv.kind),
                *((str(mv.wave),) if waves else ()),
            )
        table.add_section()
    console.print(table)


def render_plan_summary(inst: Any, plan: Any, console: Console) -> None:
    zh, en = message(f"status.{plan.status}")
    style = "green" if plan.status in ("optimal", "feasible") else "red"
    console.print(f"[bold {style}]{zh} / {en}[/]", highlight=False)
    if plan.objective is not None:
        # the whole solve (greedy plan, model, LP phase, search), not the search alone: a plan proven by the
        # LP phase or at the objective's floor had no search, and "0.0 s" would misstate what the officer waited
        wall = f"{(plan.wall_time_s or 0) + float((plan.solver or {}).get('build_time_s') or 0):.1f}"
        if plan.status == "optimal":
            say(console, "cli.summary.optimal", objective=plan.objective, wall=wall)
        elif plan.bound is not None:
            say(
                console,
                "cli.summary.feasible",
                objective=plan.objective,
                bound=plan.bound,
                gap=_pct(plan.gap or 0.0),
                wall=wall,
            )
        else:
            say(console, "cli.summary.feasible_nobound", objective=plan.objective, wall=wall)
    moves_table(inst, plan, console)
    for step in plan.timeline:
        say(console, "cli.wave", wave=step["wave"], date=step["date"], n=len(step["moves"]))
    if plan.chains:
        longest = " → ".join(inst.cadres[c].name for c in max(plan.chains, key=len))
        say(console, "cli.chains", n=len(plan.chains), longest=longest)
    render_findings([v for v in plan.violations if not v.hard], console)
    if plan.explanation:
        render_explanation(plan.explanation, console)
    render_cut_short(plan.cut_short, console)


def render_findings(findings: list[Any], console: Console, *, per_rule: int = 3) -> None:
    """Soft findings grouped by rule: the rule's name and count, then its first few messages."""
    from planner.i18n import rule_name

    if not findings:
        return
    say(console, "cli.findings", "bold", n=len(findings))
    by_rule: dict[str, list[Any]] = defaultdict(list)
    for v in findings:
        by_rule[v.rule].append(v)
    hidden = 0
    for rid, items in sorted(by_rule.items(), key=lambda kv: -sum(v.cost for v in kv[1])):
        zh, en = rule_name(rid)
        both(console, f"{zh}（{len(items)}项）", f"{en} ({len(items)})", "yellow", indent="  ")
        for v in items[:per_rule]:
            bullet(console, escape(v.message_zh), escape(v.message_en), indent=4, mark="· ")
        hidden += max(0, len(items) - per_rule)
    if hidden:
        say(console, "cli.findings.more", n=hidden)


def render_cut_short(parts: list[str] | None, console: Console) -> None:
    if not parts:
        return
    names = [message(f"cli.cut_short.{p}") for p in parts]
    say(
        console,
        "cli.cut_short",
        "yellow",
        parts="、".join(z for z, _ in names),
        parts_en=", ".join(e for _, e in names),
    )


def render_explanation(explanation: dict | None, console: Console) -> None:
    if not explanation:
        return
    console.print(f"[bold red]{explanation['message_zh']}[/]", highlight=False)
    console.print(f"[red]{explanation['message_en']}[/]", highlight=False)
    for r in explanation.get("rules", []):
        bullet(
            console,
            f"[cyan]{escape(r['name_zh'])}[/]：{escape(r['message_zh'])}",
            f"{escape(r['name_en'])}: {escape(r['message_en'])}",
        )
    relaxations = explanation.get("relaxations") or []
    if relaxations:
        say(console, "explain.cli.relaxations", "bold")
        for x in relaxations:
            mark = "green" if x.get("feasible") else "dim"
            bullet(
                console,
                f"[{mark}]{escape(x['description_zh'])}：{escape(x['summary_zh'])}[/]",
                f"{escape(x['description_en'])}: {escape(x['summary_en'])}",
            )


def bullet(console: Console, zh: str, en: str, *, indent: int = 2, mark: str = "• ") -> None:
    """A list item whose text wraps under itself (a Chinese run is never pushed below its bullet)."""
    grid = Table.grid(padding=0)
    grid.add_column(width=indent + len(mark), no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    grid.add_row(" " * indent + mark, f"{zh}\n[dim]{en}[/]")
    console.print(grid, highlight=False)


__all__ = [
    "Phases",
    "render_plan_summary",
    "render_explanation",
    "render_cut_short",
    "moves_table",
    "post_words",
    "say",
]
