"""Every word a user reads, in Chinese and English, from this one table.

Rule names and violation messages are keyed by rule id; other messages by a short key. Templates use
``str.format`` fields. Code never carries user-facing literals of its own.
"""

from __future__ import annotations

from typing import Any


#: rule id -> (name_zh, name_en)
RULE_NAMES: dict[str, tuple[str, str]] = {
    "one-post": ("一人一岗", "One post per cadre, one cadre per post"),
    "principal-filled": ("正职及人大主席配齐", "Principal posts and congress chair filled"),
    "post-filled": ("班子职数配齐", "Other posts filled"),
    "leaving": ("离任人员不再任职", "Leaving cadres hold no post"),
    "rank-ladder": ("职级台阶", "Rank ladder"),
    "promotion-gates": ("提拔门槛", "Promotion gates"),
    "principal-qualification": ("党政正职任职经历", "Principal qualification"),
    "team-experience": ("班子乡镇工作经历", "Team township experience"),
    "young-principals": ("35岁以下党政正职占比", "Young principals share"),
    "young-members": ("35岁以下班子成员占比(全县)", "Young members share (county)"),
    "young-members-team": ("35岁以下班子成员占比(各乡镇)", "Young members share (each team)"),
    "under-30": ("30岁以下年轻干部", "A member aged 30 or less"),
    "principal-change": ("党政正职不同时调整", "Principals not changed together"),
    "min-tenure": ("任现职不满3年调整需审批", "Minimum tenure before a move"),
    "full-term": ("党政正职任满一届", "Principals serve a full term"),
    "seamless-handover": ("党委书记无缝衔接", "Seamless handover of the party secretary"),
    "principal-source": ("正职优先从人大主席和副职中产生", "Principals come from chairs and deputies"),
    "talent-priority": ("优先提拔高学历优秀干部", "Priority for top graduates"),
    "excellence": ("连续三年优秀", "Three excellent years"),
    "stability": ("保持队伍相对稳定", "Team stability"),
    "hidden-steps": ("打破隐形台阶", "No hidden steps"),
    "fit": ("人岗相适", "Person–post fit"),
    "lagging-township": ("后进党组织班子整顿", "Lagging township leadership"),
    "origin-avoidance": ("地域回避", "Regional avoidance"),
    "kinship-avoidance": ("任职回避(亲属)", "Kinship avoidance"),
    "party-posts": ("党委职务需中共党员", "Party posts need a CPC member"),
    "ethnic-head": ("民族乡乡长", "Head of an ethnic township"),
    "women": ("女干部配备", "Women in the team"),
    "minority-share": ("少数民族干部占比", "Minority share"),
    "non-cpc-share": ("党外干部占比", "Non-CPC share"),
    "frequent-moves": ("避免频繁调动(工作断档)", "No needless moves (gaps in the work)"),
}

#: rule id -> (message_zh, message_en) for one violation (or one bonus).
RULE_MESSAGES: dict[str, tuple[str, str]] = {
    "one-post.cadre": ("{cadre}在方案中同时担任{n}个职务", "{cadre} holds {n} posts in the plan"),
    "one-post.post": ("{post}在方案中有{n}名任职人选", "{post} has {n} holders in the plan"),
    "principal-filled": ("{township}：{post}空缺", "{township}: {post} is left vacant"),
    "post-filled": ("{township}：{post}空缺", "{township}: {post} is left vacant"),
    "leaving": ("{cadre}已确定离任，方案中仍任{post}", "{cadre} is leaving but holds {post} in the plan"),
    "rank-ladder.down": (
        "{cadre}({rank})降级任{post}({post_rank})",
        "{cadre} ({rank}) is placed down in {post} ({post_rank})",
    ),
    "rank-ladder.skip": (
        "{cadre}({rank})越级任{post}({post_rank})",
        "{cadre} ({rank}) skips a rank into {post} ({post_rank})",
    ),
    "rank-ladder.tier": (
        "{cadre}提任{post}，但后备类别({tier})不属于可提拔类别",
        "{cadre} is promoted to {post} but reserve tier {tier} is not promotable",
    ),
    "rank-ladder.years": (
        "{cadre}提任{post}，任现职级{years}年，不满{need}年",
        "{cadre} is promoted to {post} with {years} years in rank, fewer than {need}",
    ),
    "promotion-gates.sanction": (
        "{cadre}处分影响期至{until}，不得提拔任{post}",
        "{cadre} is under sanction until {until} and cannot be promoted to {post}",
    ),
    "promotion-gates.grade": (
        "{cadre}上年度考核为{grade}，不得提拔任{post}",
        "{cadre} was rated {grade} last year and cannot be promoted to {post}",
    ),
    "principal-qualification": (
        "{cadre}任{post}：乡镇领导工作{lead}年、乡镇工作{work}年，不满{need_lead}年/{need_work}年",
        "{cadre} in {post}: {lead} years township leadership and {work} years township work, short of {need_lead}/{need_work}",
    ),
    "team-experience": (
        "{township}：{members}名成员中{count}名有{years}年以上乡镇工作经历，需至少{need}名",
        "{township}: {count} of {members} members have {years}+ years township work, {need} needed",
    ),
    "young-principals": (
        "全县{total}名党政正职中{count}名{age}岁以下，需至少{need}名",
        "{count} of {total} principals county-wide are aged {age} or less, {need} needed",
    ),
    "young-members": (
        "全县{total}名班子成员中{count}名{age}岁以下，需至少{need}名",
        "{count} of {total} members county-wide are aged {age} or less, {need} needed",
    ),
    "young-members-team": (
        "{township}：{members}名成员中{count}名{age}岁以下，需至少{need}名",
        "{township}: {count} of {members} members are aged {age} or less, {need} needed",
    ),
    "under-30": (
        "{township}：{age}岁以下成员{count}名，需至少{need}名",
        "{township}: {count} members aged {age} or less, {need} needed",
    ),
    "principal-change": (
        "{township}：两名党政正职在同一批次同时调整",
        "{township}: both principal posts change in the same wave",
    ),
    "min-tenure": (
        "{cadre}任{post}{years}年，不满{need}年即调整，未报市委组织部审批",
        "{cadre} leaves {post} after {years} years (< {need}) without the city department's approval",
    ),
    "full-term": (
        "{cadre}任{post}{years}年，未任满{need}年即调整",
        "{cadre} leaves {post} after {years} years, before a full term of {need}",
    ),
    "seamless-handover": (
        "{township}：{post}离任后未在同一批次确定继任人选",
        "{township}: {post} is left without a successor in the same wave",
    ),
    "principal-source": (
        "{cadre}任{post}，不是从乡镇人大主席或乡镇副职中产生",
        "{cadre} becomes {post} from outside the township chairs and deputies",
    ),
    "talent-priority": (
        "提拔高学历实绩突出干部{cadre}任{post}",
        "Promotes top graduate {cadre} to {post}",
    ),
    "excellence": (
        "提拔连续三年优秀的{cadre}任{post}",
        "Promotes {cadre}, rated excellent three years running, to {post}",
    ),
    "stability": (
        "{cadre}非提拔离开{post}(平级调整或免职)",
        "{cadre} leaves {post} other than by promotion (a lateral move or a release)",
    ),
    "frequent-moves": (
        "{cadre}离开{post}(含提拔)，工作需要交接",
        "{cadre} leaves {post} (promotions included): a handover",
    ),
    "hidden-steps": (
        "{cadre}由{post}平级调任{to_post}(同职同级跨乡镇)",
        "{cadre} moves laterally from {post} to {to_post} (same role and rank, another township)",
    ),
    "fit": ("{cadre}专长{match}契合{township}需求", "{cadre}'s {match} fits the needs of {township}"),
    "lagging-township": (
        "{township}为后进党组织，{cadre}任{post}但乡镇工作经历{work}年，不满{need}年",
        "{township} is lagging; {cadre} in {post} has {work} years township work, fewer than {need}",
    ),
    "origin-avoidance": (
        "{cadre}成长地为{township}，不得任该乡镇{post}",
        "{cadre} grew up in {township} and may not be its {post}",
    ),
    "kinship-avoidance": (
        "{township}：{cadre}与{other}有亲属关系，不得在同一班子任职",
        "{township}: relatives {cadre} and {other} serve in the same team",
    ),
    "party-posts": ("{cadre}非中共党员，不得任{post}", "{cadre} is not a CPC member and may not hold {post}"),
    "ethnic-head": (
        "{cadre}({ethnicity})不属于{township}的建乡民族({groups})，不得任乡长",
        "{cadre} ({ethnicity}) is not of {township}'s ethnic groups ({groups}) and may not be its head",
    ),
    "women": ("{township}：女干部{count}名，需至少{need}名", "{township}: {count} women, {need} needed"),
    "minority-share": (
        "{township}：{members}名成员中少数民族{count}名，需至少{need}名",
        "{township}: {count} of {members} members are of a minority ethnicity, {need} needed",
    ),
    "non-cpc-share": (
        "全县{total}名班子成员中党外干部{count}名，需至少{need}名",
        "{count} of {total} members county-wide are non-CPC, {need} needed",
    ),
}

#: Other user-facing messages.
MESSAGES: dict[str, tuple[str, str]] = {
    "verdict.ok": ("方案符合全部刚性规则", "The plan breaks no hard rule"),
    "verdict.broken": ("方案违反{n}项刚性规则", "The plan breaks {n} hard rule(s)"),
    "status.optimal": ("已找到最优方案", "Optimal plan found"),
    "status.feasible": ("已找到可行方案(未证明最优)", "Valid plan found (optimality not proven)"),
    "status.infeasible": ("不存在满足全部刚性规则的方案", "No plan satisfies all hard rules"),
    "status.unknown": ("时限内未找到方案", "No plan found within the time limit"),
    "waves.unsupported": (
        "分批调整(waves>1)尚未支持，请设为1",
        "Phased reshuffles (waves > 1) are not supported yet; set waves to 1",
    ),
    # located input problems
    "input.missing": ("缺少必填字段", "required field is missing"),
    "input.extra": ("未知字段", "unknown field"),
    "input.type": ("类型或取值无效：{detail}", "invalid type or value: {detail}"),
    "input.json": ("不是有效的JSON：{detail}", "not valid JSON: {detail}"),
    "input.not_object": ("文档必须是JSON对象", "the document must be a JSON object"),
    "input.file": ("无法读取文件：{detail}", "cannot read the file: {detail}"),
    "input.duplicate": ("编号{id}重复", "duplicate id {id}"),
    "input.dangling": ("引用的{what}{id}不存在", "refers to unknown {what_en} {id}"),
    "input.two_holders": ("岗位{post}同时由{a}和{b}担任", "post {post} is held by both {a} and {b}"),
    "input.post_since_missing": ("有现任职务时必须填写任现职时间", "post_since is required when current_post is set"),
    "input.future_date": ("日期{date}晚于基准日{as_of}", "date {date} is after as_of {as_of}"),
    "input.self_relative": ("不能将本人列为亲属", "a cadre cannot be their own relative"),
    "input.pin_leaving": ("{cadre}已确定离任，不能锁定到岗位", "{cadre} is leaving and cannot be pinned to a post"),
    "input.pin_conflict": ("锁定互相冲突：{detail}", "conflicting pins: {detail}"),
    "input.pin_forbid": ("同一人选与岗位既被锁定又被排除", "the same placement is both pinned and forbidden"),
    "input.assessment_year": ("考核年度必须是四位年份，得到{year}", "assessment year must be four digits, got {year}"),
    "input.ethnic_groups": ("民族乡必须填写建乡民族", "an ethnic_township needs its ethnic_groups"),
    "input.waves_order": ("批次日期必须不早于基准日且逐批递增", "wave dates must be on or after as_of and increasing"),
    "input.policy_rule": ("未知规则{rule}", "unknown rule {rule}"),
    "input.policy_param": ("规则{rule}没有参数{param}", "rule {rule} has no parameter {param}"),
    "input.policy_value": ("规则{rule}的参数{param}无效：{detail}", "rule {rule}: invalid {param}: {detail}"),
    "input.policy_locked": ("规则{rule}始终为刚性规则，不能修改", "rule {rule} is always hard and cannot be changed"),
    "input.policy_needs": ("启用规则{rule}时必须设置{param}", "turning rule {rule} on needs {param}"),
    "input.plan_post_missing": ("方案缺少岗位{post}的任职安排", "the plan has no assignment for post {post}"),
    "input.plan_county": (
        "方案属于{plan}，情景为{scenario}",
        "the plan is for county {plan}, the scenario for {scenario}",
    ),
    "input.wave_range": ("批次{wave}超出情景的批次数{waves}", "wave {wave} is beyond the scenario's {waves} wave(s)"),
}

_WHAT = {"township": "乡镇", "post": "岗位", "cadre": "干部", "rule": "规则"}


def rule_name(rule_id: str) -> tuple[str, str]:
    return RULE_NAMES[rule_id]


def rule_message(key: str, **fields: Any) -> tuple[str, str]:
    zh, en = RULE_MESSAGES[key]
    return zh.format(**fields), en.format(**fields)


def message(key: str, **fields: Any) -> tuple[str, str]:
    zh, en = MESSAGES[key]
    if "what" in fields:
        fields.setdefault("what_en", fields["what"])
        fields["what"] = _WHAT.get(fields["what"], fields["what"])
    return zh.format(**fields), en.format(**fields)


#: Chinese labels for enumerations, shown in reports and spreadsheets.
LABELS_ZH: dict[str, str] = {
    "party_secretary": "党委书记",
    "township_head": "乡镇长",
    "congress_chair": "人大主席",
    "deputy_secretary": "党委副书记",
    "discipline_secretary": "纪委书记",
    "organization_member": "组织委员",
    "publicity_member": "宣传委员",
    "political_legal_member": "政法委员",
    "united_front_member": "统战委员",
    "armed_forces_head": "武装部长",
    "deputy_head": "副乡镇长",
    "section_chief": "正科",
    "deputy_section": "副科",
    "staff": "科员",
    "ready_now": "成熟近期可提拔",
    "step_up": "上台阶提拔",
    "key_post_training": "关键岗位历练",
    "excellent": "优秀",
    "competent": "称职",
    "basically_competent": "基本称职",
    "incompetent": "不称职",
    "undetermined": "不定等次",
    "promotion": "提拔",
    "transfer": "交流",
    "appointment": "任用",
    "release": "免职",
    "leaving": "离任",
    "hard": "刚性",
    "soft": "柔性",
    "off": "关闭",
    "town": "镇",
    "township": "乡",
    "subdistrict": "街道",
    "ethnic_township": "民族乡",
    "postgraduate": "研究生",
    "bachelor": "大学本科",
    "college": "大专",
    "secondary": "中专及以下",
    "M": "男",
    "F": "女",
}


def label_zh(value: str | None) -> str:
    if value is None:
        return ""
    return LABELS_ZH.get(value, value)


# ---------------------------------------------------------------- appended: pins and forbids as rules (issue 12)
RULE_NAMES.update(
    {
        "pin": ("锁定人选", "Pinned placements kept"),
        "forbid": ("排除人选", "Forbidden placements"),
    }
)
RULE_MESSAGES.update(
    {
        "pin": (
            "{cadre}已锁定任{post}，方案中该岗位由{holder}担任",
            "{cadre} is pinned to {post}, but the plan gives it to {holder}",
        ),
        "forbid": (
            "{cadre}已被排除任{post}，方案中仍任该职",
            "{cadre} is excluded from {post} but holds it in the plan",
        ),
    }
)
MESSAGES.update(
    {
        "input.empty_townships": ("情景中没有任何乡镇", "the scenario has no townships"),
        "input.empty_posts": ("情景中没有任何岗位", "the scenario has no posts"),
        "input.empty_cadres": ("情景中没有任何干部", "the scenario has no cadres"),
        "input.township_no_posts": ("乡镇{id}没有任何岗位(职数)", "township {id} has no posts"),
    }
)
MESSAGES.update(
    {
        "verdict.no_plan": (
            "该文档未记载方案({status})，无可核查的任职安排",
            "The document records no plan ({status_en}), so there is nothing to audit",
        ),
        # a plan drafted by hand claims no status (FORMAT.md): shown where a status is printed
        "status.None": ("手工拟定方案(未经求解)", "Drafted by hand (not solved)"),
    }
)
