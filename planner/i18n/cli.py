"""The terminal's words: `--help` of the commands and options (Chinese, then English), progress lines, the
plan summary. The rest of the table (rules, statuses, labels) is in :mod:`planner.i18n.core`."""

from __future__ import annotations

from planner.i18n.core import MESSAGES


def bi(zh: str, en: str) -> str:
    """A help text in both languages: the Chinese first (officers read it), the English after."""
    return f"{zh}\n\n{en}"


#: `--help` texts: commands (two paragraphs) and options (one line, "中文 / English").
HELP: dict[str, str] = {
    "app": bi(
        "乡镇领导班子调整方案优化：求解、核查、解释、推荐人选，导入导出 Excel，生成上会方案。",
        "Township leadership-team reshuffle planner: solve, audit, explain, recommend, Excel in and out, "
        "the meeting document.",
    ),
    "solve": bi(
        "求解满足全部刚性规则的最优方案。退出码：0 找到方案，1 无方案或时限内未找到，2 输入有误。"
        "--time-limit 是整条命令的时限：无方案时的原因分析也在时限之内，未做完的部分记在方案的 cut_short 中。",
        "Find the best plan that keeps every hard rule. Exit 0 with a plan, 1 if infeasible or none found in "
        "time, 2 on bad input. --time-limit bounds the whole command: when there is no plan the explanation "
        "shares the limit, and what it could not finish is listed in the plan's cut_short.",
    ),
    "explain": bi(
        "说明为什么不存在方案（哪些规则、乡镇、人员冲突），以及放宽哪一条规则就能有方案。",
        "Say why a scenario has no plan (rules, townships, people) and which single relaxation would give one.",
    ),
    "whatif": bi(
        "对情景施加一项变化（锁定、排除、离任、增减人员、政策、批次），以对基准方案改动最少的方式重新求解，并列出差异。",
        "Apply a delta to a scenario and re-plan with the fewest changes to the base plan; print the diff.",
    ),
    "recommend": bi(
        "为一个岗位推荐最合适的人选，并给出每个人选带来的确切后果（目标值变化、连带调整、违反的规则）。",
        "The best cadres for one post, each with the exact consequence of choosing them.",
    ),
    "report": bi(
        "生成上会讨论用的调整方案（Word 文档）：总体情况与结构指标、调整名单及理由、调整链条、需要说明的问题、一乡一表。",
        "Write the meeting document (Word): summary and quotas, the moves with their reasons, the vacancy "
        "chains, the findings, a page per township.",
    ),
    "opt.scenario": "情景文件 JSON（reshuffle-scenario/1） / scenario JSON (reshuffle-scenario/1)",
    "opt.plan": "方案文件 JSON（reshuffle-plan/1） / plan JSON (reshuffle-plan/1)",
    "opt.out_plan": "方案写到哪里（JSON） / where to write the plan JSON",
    "opt.out_docx": "文档写到哪里（.docx） / where to write the document (.docx)",
    "opt.time_limit": "整条命令的时限（秒） / time limit of the whole command, seconds",
    "opt.time_limit_each": "每个人选的时限（秒） / seconds per candidate",
    "opt.workers": "求解线程数 / solver workers",
    "opt.seed": "随机种子 / random seed",
    "opt.quiet": "不显示进度 / no progress lines",
    "opt.json": "以 JSON 输出 / print JSON",
    "opt.no_relax": "不尝试放宽规则 / skip the rule-relaxation advice",
    "opt.delta": "变化文件 JSON（reshuffle-delta/1） / the change, JSON (reshuffle-delta/1)",
    "opt.base": "基准方案 JSON，缺省时先求解 / base plan JSON; solved first when omitted",
    "opt.out_whatif": "新方案（含差异）写到哪里 / where to write the new plan (with its diff)",
    "opt.reoptimise": "自由重新优化，不求最少改动 / re-optimise freely instead of least disruption",
    "opt.post": "要配备的岗位，编号或名称，例如 T04-HEAD / the post to fill, id or title, e.g. T04-HEAD",
    "opt.base_recommend": "基准方案 JSON，缺省时用最优方案 / base plan JSON; the optimum when omitted",
    "opt.top": "列出前几名 / how many candidates to list",
    "opt.method": "exact 精确 | local 局部 | auto 自动（120 个岗位以内精确） / exact | local | auto (exact up to 120 posts)",
    "opt.reasons": "写明每人拟任理由（moves[].reasons） / say why each cadre (moves[].reasons)",
    "opt.runner_up": "为每个党政正职岗位给出次选人选及其代价（每岗重算一次） / the runner-up and its price for every principal post (one re-solve per post)",
    "opt.alternatives": "给出 K 个备选方案，各自至少在 --differ 个正职岗位上不同（写为 PLAN.alt2.json …） / K plans differing in ≥ --differ principal posts (written as PLAN.alt2.json …)",
    "opt.differ": "备选方案之间至少不同的正职岗位数 / principal posts each alternative must differ in",
    "opt.lang": "文档语言：zh 中文 | en 英文 / language of the document: zh | en",
}

MESSAGES.update(
    {
        # progress of a command, each line with the elapsed time
        "cli.phase.reading": ("读取", "reading"),
        "cli.phase.read": (
            "{county}：{townships}个乡镇、{posts}个岗位、{cadres}名干部",
            "{county}: {townships} townships, {posts} posts, {cadres} cadres",
        ),
        "cli.phase.solving": (
            "求解（建模、线性松弛、搜索；限时{limit}秒，{workers}个线程）",
            "solving (model, LP, search; limit {limit} s, {workers} workers)",
        ),
        "cli.phase.explaining": ("分析无方案的原因（剩余{left}秒）", "explaining why there is no plan ({left} s left)"),
        "cli.phase.writing": ("写出", "writing"),
        "cli.phase.auditing": ("核查方案", "auditing the plan"),
        "cli.phase.building": ("生成文档", "building the document"),
        "cli.progress.plan": ("方案{n}：目标值{objective}", "plan #{n}: objective {objective}"),
        "cli.progress.bound": ("，下界{bound}，差距不超过{gap}", ", bound {bound}, gap at most {gap}"),
        # the plan summary
        "cli.summary.optimal": (
            "目标值{objective}（已证明最优），用时{wall}秒",
            "objective {objective} (proven optimal), {wall} s",
        ),
        "cli.summary.feasible": (
            "目标值{objective}，下界{bound}：与最优相差不超过{gap}，用时{wall}秒",
            "objective {objective}, bound {bound}: within {gap} of the optimum, {wall} s",
        ),
        "cli.summary.feasible_nobound": (
            "目标值{objective}（未证明最优），用时{wall}秒",
            "objective {objective} (not proven optimal), {wall} s",
        ),
        "cli.moves.title": ("调整名单：{n}人（{counts}）", "moves: {n} ({counts_en})"),
        "cli.moves.township": ("{township}（{n}人）", "{township} ({n})"),
        "cli.col.name": ("姓名", "name"),
        "cli.col.from": ("原任", "from"),
        "cli.col.to": ("拟任", "to"),
        "cli.col.kind": ("类型", "kind"),
        "cli.col.wave": ("批次", "wave"),
        "cli.wave": ("第{wave}批（{date}）：{n}人", "wave {wave} ({date}): {n} moves"),
        "cli.chains": ("调整链条{n}条，最长：{longest}", "{n} vacancy chain(s); longest: {longest}"),
        "cli.findings": ("柔性规则问题{n}项：", "{n} soft finding(s):"),
        "cli.findings.more": ("……另有{n}项，见方案文件", "… {n} more in the plan document"),
        "cli.cut_short": ("时限已到，以下部分未做完：{parts}", "out of time, not finished: {parts_en}"),
        "cli.cut_short.explanation": ("无方案原因分析", "the explanation"),
        "cli.cut_short.relaxations": ("放宽规则的建议", "the relaxation advice"),
        "cli.written": ("已写出 {path}", "written: {path}"),
        "cli.report.written": (
            "已写出 {path}：调整{moves}人，{townships}个乡镇各一页",
            "written {path}: {moves} moves, a page for each of {townships} townships",
        ),
        "cli.report.lang": ("--lang 只能是 zh 或 en，而不是 {lang}", "--lang must be zh or en, not {lang}"),
        # planner explain, cut short by the command's deadline
        "explain.cut_short": (
            "时限已到，未能分析无方案的原因（求解已用去全部时限）；可加大 --time-limit 或单独运行 planner explain",
            "Out of time before the cause could be looked for (solving took the whole limit); "
            "raise --time-limit or run planner explain",
        ),
    }
)

__all__ = ["HELP", "bi"]
