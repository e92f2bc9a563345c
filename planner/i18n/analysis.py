"""Words of what-if, explanations and recommendations, Chinese and English."""

from __future__ import annotations
from planner.i18n.core import MESSAGES


# ------------------------------------------------------ what-if, explanations, recommendations (planner.whatif …)

MESSAGES.update(
    {
        # located problems of a delta
        "whatif.twice": ("{id}在本次变动中重复出现", "{id} is listed twice in the delta"),
        "whatif.removed_ref": ("引用的干部{id}已在本次变动中移除", "refers to cadre {id}, which this delta removes"),
        "whatif.unpin_missing": (
            "情景中没有锁定{cadre}→{post}，无法解除",
            "{cadre}→{post} is not a pin of the scenario, so it cannot be unpinned",
        ),
        "whatif.no_base": (
            "未提供基准方案，且基准情景求解未得到方案(状态：{status})",
            "no base plan was given and solving the base scenario found none (status: {status})",
        ),
        # what the delta overrode implicitly
        "whatif.note.pin_replaced": (
            "原锁定{cadre}→{post}被本次变动的锁定取代",
            "the scenario's pin {cadre}→{post} is replaced by a pin of the delta",
        ),
        "whatif.note.pin_leaving": (
            "{cadre}离任，原锁定{cadre}→{post}作废",
            "{cadre} is leaving, so the pin {cadre}→{post} is dropped",
        ),
        "whatif.note.pin_forbidden": (
            "本次变动排除了{cadre}→{post}，原锁定作废",
            "the delta forbids {cadre}→{post}, so that pin is dropped",
        ),
        "whatif.note.forbid_lifted": (
            "本次变动锁定{cadre}→{post}，原排除解除",
            "the delta pins {cadre}→{post}, so that forbid is lifted",
        ),
        # planner whatif
        "whatif.cli.summary": (
            "与基准方案相比调整{n}个岗位({proven}；求解范围：{level})",
            "{n} post(s) changed against the base plan ({proven_en}; scope: {level})",
        ),
        "whatif.cli.proven": ("已证明为最少调整", "proven least disruption"),
        "whatif.cli.not_proven": ("未证明为最少调整", "least disruption not proven"),
        "whatif.cli.objective": (
            "目标值：基准{before} → 新方案{after}(变化{delta:+d})",
            "objective: base {before} → new {after} ({delta:+d})",
        ),
        "whatif.cli.changed_title": ("调整的岗位", "changed posts"),
        "whatif.cli.col_post": ("岗位", "post"),
        "whatif.cli.col_before": ("基准方案", "base plan"),
        "whatif.cli.col_after": ("新方案", "new plan"),
        "whatif.cli.added": ("新增问题{n}项", "{n} new finding(s)"),
        "whatif.cli.removed": ("消除问题{n}项", "{n} finding(s) resolved"),
        # planner.explain: why no plan
        "explain.summary": ("不存在满足全部刚性规则的方案：{items}", "No plan satisfies all hard rules: {items_en}"),
        "explain.none": (
            "未发现冲突：该情景存在满足全部刚性规则的方案",
            "No conflict found: the scenario has a plan that keeps every hard rule",
        ),
        "explain.unknown": ("时限内未能查明无方案的原因", "The cause could not be found within the time limit"),
        "explain.structural": (
            "一人一岗与离任人员等基本约束无法同时满足",
            "the basic constraints (one post each, leaving cadres) cannot all hold",
        ),
        "explain.more": ("等{n}人", " and others, {n} in all"),
        "explain.pseudo.pin": ("锁定的人选", "Pinned placement"),
        "explain.pseudo.forbid": ("排除的人选", "Forbidden placement"),
        "explain.group": (
            "{posts}：{k}个岗位必须有人任职，但符合条件的人选只有{n}名{names}",
            "{posts}: {k} post(s) must be filled but only {n} cadre(s) qualify{names_en}",
        ),
        "explain.reason": ("“{rule}”{n}人", "“{rule_en}” ({n})"),
        "explain.reasons": ("；其余人选被排除的原因：{reasons}", "; the others are ruled out by {reasons_en}"),
        "explain.excluded": (
            "{posts}：{n}名人选因“{rule}”被排除({names})",
            "{posts}: {n} cadre(s) ruled out by “{rule_en}” ({names_en})",
        ),
        "explain.fact.both_leaving": ("两名党政正职同时离任", "both principals are leaving"),
        "explain.fact.vacant": ("{role}空缺", "the {role_en} post is vacant"),
        "explain.fact.leaving": ("{role}{name}离任", "{role_en} {name} is leaving"),
        "explain.fact.pinned": ("{role}已锁定由{name}接任", "{name} is pinned to the {role_en} post"),
        "explain.fact.pinned_away": ("{role}{name}已锁定调任{post}", "{role_en} {name} is pinned to {post}"),
        "explain.fact.none": ("两个正职岗位都须调整", "both principal posts have to change"),
        "explain.item.principal-change": (
            "{township}：{facts}，而同乡镇党政正职不得在同一批次同时调整",
            "{township}: {facts_en}, but a township's two principals may not change in the same wave",
        ),
        "explain.item.filled": ("{post}必须有人任职", "{post} must be filled"),
        "explain.item.seamless-handover": (
            "{post}现任{holder}离任后须在同一批次确定继任人选",
            "{post}: when {holder} leaves, a successor must take over in the same wave",
        ),
        "explain.item.min-tenure": (
            "{cadre}任{post}不满{need}年，未经市委组织部审批不得调整",
            "{cadre} has held {post} for less than {need} years and may not be moved without the city department's approval",
        ),
        "explain.item.full-term": (
            "{cadre}任{post}未满{need}年，不得调整",
            "{cadre} has held {post} for less than {need} years and may not be moved",
        ),
        "explain.item.pin": ("已锁定{cadre}任{post}", "{cadre} is pinned to {post}"),
        "explain.item.forbid": ("已排除{cadre}任{post}", "{cadre} is excluded from {post}"),
        "explain.item.kinship": (
            "{township}：{a}与{b}有亲属关系，不得在同一班子任职",
            "{township}: relatives {a} and {b} may not serve in the same team",
        ),
        "explain.item.pair": (
            "{post}：{n}名人选因“{rule}”不能任职({names})",
            "{post}: {n} cadre(s) ruled out by “{rule_en}” ({names_en})",
        ),
        "explain.item.county": ("全县须满足“{rule}”({params})", "county-wide, “{rule_en}” must hold ({params})"),
        "explain.item.team": ("{township}须满足“{rule}”({params})", "{township}: “{rule_en}” must hold ({params})"),
        "explain.item.generic": ("“{rule}”：{tag}", "“{rule_en}”: {tag}"),
        # relaxation advice
        "relax.soft": ("将“{rule}”改为柔性规则", "make “{rule_en}” soft"),
        "relax.threshold": ("将“{rule}”的{param}由{old}调整为{new}", "move “{rule_en}” {param} from {old} to {new}"),
        "relax.unpin": ("取消锁定{cadre}任{post}", "unpin {cadre} from {post}"),
        "relax.unforbid": ("取消排除{pairs}", "lift the forbid {pairs}"),
        "relax.approve": ("报市委组织部审批{cadres}的调整", "get the city department's approval to move {cadres_en}"),
        "relax.waves": ("分{n}批调整", "carry the reshuffle out in {n} waves"),
        "relax.ok": (
            "{status}：目标值{objective}，调整{moves}人{extra}",
            "{status_en}: objective {objective}, {moves} move(s){extra_en}",
        ),
        "relax.breaks": ("，该规则被违反{amount}处", ", breaking the rule {amount} time(s)"),
        "relax.no": ("仍无方案({status})", "still no plan ({status_en})"),
        "relax.skipped": ("时限已到，未尝试", "not tried: out of time"),
        "relax.combined": ("同时做{n}项调整：{changes}", "{n} changes together: {changes_en}"),
        "explain.cli.relaxations": ("单项放宽建议", "single relaxations"),
        "explain.cli.feasible": (
            "该情景存在满足全部刚性规则的方案，无需解释",
            "the scenario has a plan; nothing to explain",
        ),
        # planner recommend
        "recommend.cli.header": (
            "{post}：评估{n}名人选，{feasible}名可行；参照方案目标值{objective}",
            "{post}: {n} candidate(s) evaluated, {feasible} feasible; reference objective {objective}",
        ),
        "recommend.cli.col_rank": ("排序", "rank"),
        "recommend.cli.col_cadre": ("人选", "cadre"),
        "recommend.cli.col_status": ("结论", "verdict"),
        "recommend.cli.col_objective": ("目标值变化", "objective change"),
        "recommend.cli.col_moves": ("因此需要的其他调整", "other moves it forces"),
        "recommend.status.optimal": ("可行(已证明最优)", "feasible (optimal)"),
        "recommend.status.optimal.local": ("可行(必要调整内最优)", "feasible (best with only the forced changes)"),
        "recommend.status.feasible.local": (
            "可行(必要调整内，未证明最优)",
            "feasible (forced changes only, not proven)",
        ),
        "recommend.status.feasible": ("可行(未证明最优)", "feasible (not proven)"),
        "recommend.status.infeasible": ("不可行", "infeasible"),
        "recommend.status.unknown": ("时限内未得出结论", "undecided within the time limit"),
        "recommend.status.wider": (
            "需在所涉乡镇以外调整，未评估",
            "needs changes beyond the teams involved; not evaluated",
        ),
        "recommend.cli.local": (
            "每名人选按“只调整必要岗位”评估(目标值为该人选全县最优值的上界)",
            "each choice is evaluated with only the changes it forces (an upper bound of its county-wide optimum)",
        ),
    }
)


# ------------------------------------------ reasons, runner-ups, alternatives, comparison (planner.analysis.reasons …)

MESSAGES.update(
    {
        # the vacancy a move fills
        "reason.fills.vacant": ("填补{post}空缺(该岗位现空缺)", "fills {post}, vacant today"),
        "reason.fills.leaving": ("接替离任的{name}任{post}", "succeeds {name}, who leaves, as {post}"),
        "reason.fills.moved": ("接替调任{to}的{name}任{post}", "succeeds {name} (moving to {to_en}) as {post}"),
        "reason.fills.released": ("接替免去现职的{name}任{post}", "succeeds {name}, released, as {post}"),
        "reason.chain": ("属调整链条第{k}环(共{n}环)：{chain}", "link {k} of a vacancy chain of {n}: {chain}"),
        "reason.swap": ("属岗位互换/轮换(共{n}人)：{chain}", "part of a swap or rotation of {n}: {chain}"),
        # readiness
        "reason.promotion": (
            "由{rank_from}提拔为{rank_to}：任现职级{years}年(需满{need}年)",
            "promoted from {rank_from_en} to {rank_to_en}: {years} years in rank (at least {need} required)",
        ),
        "reason.promotion.any": (
            "由{rank_from}提拔为{rank_to}：任现职级{years}年",
            "promoted from {rank_from_en} to {rank_to_en}: {years} years in rank",
        ),
        "reason.tier": ("后备干部：{tier}", "reserve pool: {tier_en}"),
        "reason.transfer": (
            "同职级交流({rank})，任现职{years}年",
            "lateral transfer at the same rank ({rank_en}), {years} years in the present post",
        ),
        "reason.transfer.principal": (
            "党政正职之间交流：{from_post} → {to_post}",
            "a principal moving between posts: {from_post} → {to_post}",
        ),
        "reason.appointment": ("从{unit}选任(不在乡镇班子内)", "appointed from {unit_en} (outside the township teams)"),
        "reason.unit.pool": ("干部储备库", "the reserve pool"),
        "reason.from_team": ("从乡镇班子内产生(现任{post})", "comes from within the teams (today {post})"),
        # preferences earned
        "reason.excellence": (
            "近三年({years})考核连续优秀",
            "rated excellent in each of the last three years ({years})",
        ),
        "reason.talent": (
            "{degree}，近三年有优秀等次，优先提拔",
            "{degree_en} with an excellent rating in the last three years: promoted with priority",
        ),
        "reason.degree.master": ("全日制硕士研究生", "a full-time master's graduate"),
        "reason.degree.dfc": ("“双一流”高校毕业", "a 双一流 university graduate"),
        "reason.fit": ("专长{match}契合{township}发展需要", "specialty {match_en} matches the needs of {township}"),
        "reason.lagging": (
            "{township}为后进乡镇，本人乡镇工作{years}年",
            "{township} is a lagging township; {years} years of township work",
        ),
        "reason.bonus": ("{rule}：{detail}", "{rule_en}: {detail_en}"),
        # quotas served
        "reason.quota.team": (
            "计入{township}“{rule}”：{count}名，要求至少{need}名{binding}",
            "counts towards {township}'s '{rule_en}': {count}, at least {need} required{binding_en}",
        ),
        "reason.quota.county": (
            "本人{age}岁，计入全县“{rule}”：{count}/{total}名，要求至少{need}名{binding}",
            "aged {age}, counts towards the county's '{rule_en}': {count} of {total}, at least {need} required"
            "{binding_en}",
        ),
        "reason.quota.binding": ("，缺此人即不达标", "; without this cadre it would fail"),
        "reason.experience": (
            "乡镇工作{years}年，计入{township}班子两年以上乡镇工作经历人数({count}/{members}，"
            "要求至少{need}名){binding}",
            "{years} years of township work: counts towards {township}'s members with two years "
            "({count} of {members}, at least {need} required){binding_en}",
        ),
        # moves out of a post
        "reason.leaving": ("本人离任(退休、调出等)", "leaves (retirement, transfer out of the county …)"),
        "reason.released": ("{post}由{name}接任，本人免去现职", "{post} goes to {name}; released from the post"),
        "reason.released.vacant": ("{post}调整后空缺，本人免去现职", "released; {post} stays vacant"),
        # runner-ups
        "runner_up.title": ("党政正职次选人选及代价", "runner-up for every principal post, and its price"),
        "runner_up.line": (
            "{post}：拟任{chosen}；次选{runner}，目标值{price:+d}{proven}{rules}",
            "{post}: {chosen} chosen; runner-up {runner}, objective {price:+d}{proven_en}{rules_en}",
        ),
        "runner_up.none": (
            "{post}：拟任{chosen}；无其他可行人选(换人将违反：{rules})",
            "{post}: {chosen} chosen; no other cadre admits a plan (another would break: {rules_en})",
        ),
        "runner_up.unknown": (
            "{post}：拟任{chosen}；时限内未找到次选人选",
            "{post}: {chosen} chosen; no runner-up found within the time limit",
        ),
        "runner_up.infeasible": (
            "{post}：拟任{chosen}；次选{runner}将违反刚性规则：{rules}",
            "{post}: {chosen} chosen; runner-up {runner} would break hard rules: {rules_en}",
        ),
        "runner_up.not_proven": ("(未证明最优)", " (not proven optimal)"),
        "runner_up.local": ("(局部评估：代价为上界)", " (local evaluation: the price is an upper bound)"),
        "runner_up.rules": ("；变化：{items}", "; changes: {items_en}"),
        # alternatives
        "alt.title": (
            "备选方案{rank}/{k}：目标值{objective}(比最优{gap:+d})，与最优方案在{n}个党政正职岗位不同",
            "alternative {rank} of {k}: objective {objective} ({gap:+d} against the best), differs from "
            "the best in {n} principal post(s)",
        ),
        "alt.best": ("方案1/{k}(最优)：目标值{objective}", "plan 1 of {k} (the best): objective {objective}"),
        "alt.none": (
            "没有与已有方案至少{d}个党政正职岗位不同的其他方案(状态：{status})",
            "no further plan differs from the others in at least {d} principal posts (status: {status})",
        ),
        # comparison
        "compare.same": ("两个方案完全相同", "the two plans are the same"),
        "compare.posts": ("岗位差异{n}处", "{n} post(s) differ"),
        "compare.objective": (
            "目标值：方案A {a} → 方案B {b}({delta:+d})",
            "objective: plan A {a} → plan B {b} ({delta:+d})",
        ),
        "compare.hard": ("违反刚性规则：方案A {a}项，方案B {b}项", "hard rules broken: plan A {a}, plan B {b}"),
        "compare.col_post": ("岗位", "post"),
        "compare.col_a": ("方案A", "plan A"),
        "compare.col_b": ("方案B", "plan B"),
        "compare.col_rule": ("规则", "rule"),
        "compare.col_township": ("乡镇", "township"),
        "compare.col_delta": ("变化", "change"),
        "compare.table_posts": ("岗位差异", "posts that differ"),
        "compare.table_rules": ("分规则目标值", "objective by rule"),
        "compare.table_townships": ("一乡一表差异", "structure-table differences"),
    }
)
