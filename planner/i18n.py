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
}

#: rule id -> (message_zh, message_en) for one violation (or one bonus).
RULE_MESSAGES: dict[str, tuple[str, str]] = {
    "one-post.cadre": ("{cadre}在方案中同时担任{n}个职务", "{cadre} holds {n} posts in the plan"),
    "one-post.post": ("{post}在方案中有{n}名任职人选", "{post} has {n} holders in the plan"),
    "principal-filled": ("{township}：{post}空缺", "{township}: {post} is left vacant"),
    "post-filled": ("{township}：{post}空缺", "{township}: {post} is left vacant"),
    "leaving": ("{cadre}已确定离任，方案中仍任{post}", "{cadre} is leaving but holds {post} in the plan"),
    "rank-ladder.down": ("{cadre}({rank})降级任{post}({post_rank})", "{cadre} ({rank}) is placed down in {post} ({post_rank})"),
    "rank-ladder.skip": ("{cadre}({rank})越级任{post}({post_rank})", "{cadre} ({rank}) skips a rank into {post} ({post_rank})"),
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
        "{township}：党委书记与乡镇长在同一批次同时调整",
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
    "stability": ("{cadre}调整职务(原任{post})", "{cadre} changes post (was {post})"),
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
    "input.plan_county": ("方案属于{plan}，情景为{scenario}", "the plan is for county {plan}, the scenario for {scenario}"),
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


# ------------------------------------------------------------------------ Excel in and out (planner.excel)

MESSAGES.update(
    {
        "excel.file": ("无法打开工作簿：{detail}", "cannot open the workbook: {detail}"),
        "excel.xls": (
            "不支持旧版.xls格式，请在Excel中另存为.xlsx",
            "the old .xls format is not supported; save the file as .xlsx in Excel",
        ),
        "excel.sheet_missing": (
            "缺少工作表“{sheet}”(也可命名为：{aliases})",
            "missing sheet {sheet} (also accepted: {aliases})",
        ),
        "excel.no_header": (
            "前10行中找不到表头(如{example})",
            "no header row found in the first 10 rows (e.g. {example})",
        ),
        "excel.no_rows": ("工作表没有数据行", "the sheet has no data rows"),
        "excel.column_missing": ("缺少必填列“{column}”", "missing required column {column} ({field})"),
        "excel.column_twice": ("列“{column}”出现了两次", "column {column} appears twice"),
        "excel.required": ("必填项为空", "required cell is empty"),
        "excel.date": (
            "无法识别的日期“{value}”，请填写如1986.03、1986-03-02或1986年3月",
            "not a date: {value!r}; write e.g. 1986.03, 1986-03-02 or 1986年3月",
        ),
        "excel.bad_calendar": ("不存在的日期“{value}”", "no such calendar date: {value!r}"),
        "excel.number": ("“{value}”不是有效的数字", "{value!r} is not a number"),
        "excel.years_range": ("年限应在0到60之间，得到{value}", "years must lie between 0 and 60, got {value}"),
        "excel.integer": ("“{value}”不是整数", "{value!r} is not a whole number"),
        "excel.choice": ("“{value}”不是有效选项，可选：{choices}", "{value!r} is not one of: {choices_en}"),
        "excel.bool": ("“{value}”应填“是”或“否”", "{value!r} should be 是 (yes) or 否 (no)"),
        "excel.unknown_ref": ("找不到{what}“{value}”", "no {what_en} {value!r} in the workbook"),
        "excel.ambiguous_ref": (
            "“{value}”对应多个{what}，请改填编号",
            "{value!r} matches several {what_en}s; write the id instead",
        ),
        "excel.assessment": (
            "无法识别考核结果“{value}”，格式如“2023优秀,2024称职,2025优秀”",
            "cannot read assessments {value!r}; write e.g. 2023优秀,2024称职,2025优秀",
        ),
        "excel.assessment_twice": ("{year}年度考核填写了两次且不一致", "the {year} assessment is given twice, differently"),
        "excel.params": (
            "参数“{value}”格式应为“名称=值; 名称=值”",
            "parameters {value!r} should read name=value; name=value",
        ),
        "excel.waves": (
            "批次应为1到8的整数，或用逗号分隔的各批日期",
            "waves must be a whole number from 1 to 8, or the wave dates separated by commas",
        ),
        "excel.setting_missing": ("缺少设置项“{setting}”", "setting {setting} is missing"),
    }
)

LABELS_ZH.update(
    {
        "large": "大",
        "medium": "中",
        "small": "小",
        "pin": "锁定",
        "forbid": "排除",
        "agriculture": "农业",
        "tourism": "旅游",
        "industry": "工业",
        "ecology": "生态",
        "governance": "基层治理",
        "ethnic_culture": "民族文化",
        "logistics": "物流",
        "mining": "矿业",
    }
)

#: Workbook sheets: key -> (Chinese title, English name).
EXCEL_SHEETS: dict[str, tuple[str, str]] = {
    "guide": ("填表说明", "Guide"),
    "settings": ("设置", "Settings"),
    "townships": ("乡镇", "Townships"),
    "posts": ("职数", "Posts"),
    "cadres": ("干部名册", "Cadres"),
    "policy": ("规则设置", "Policy"),
    "decisions": ("锁定排除", "Pins and forbids"),
    "summary": ("全县汇总", "County summary"),
    "moves": ("调整名单", "Moves"),
    "chains": ("调整链条", "Vacancy chains"),
    "structure": ("一乡一表", "Structure table"),
    "violations": ("问题清单", "Violations"),
}

#: Other sheet names import accepts (besides the Chinese title and the English name).
EXCEL_SHEET_ALIASES: dict[str, tuple[str, ...]] = {
    "settings": ("基本信息", "基本设置", "参数设置"),
    "townships": ("乡镇街道", "乡镇(街道)", "乡镇表", "乡镇名单"),
    "posts": ("岗位", "职数岗位", "职数表", "岗位设置", "职位"),
    "cadres": ("干部", "名册", "干部信息", "干部信息表", "花名册"),
    "policy": ("规则", "规则参数"),
    "decisions": ("锁定", "锁定与排除", "调整意向"),
}

#: Settings (设置 sheet) keys: key -> (Chinese label, English description).
EXCEL_SETTINGS: dict[str, tuple[str, str]] = {
    "county_id": ("县编号", "county id; blank: the county name"),
    "county_name": ("县名", "county name"),
    "as_of": ("基准日", "the plan's reference date (as_of), e.g. 2026-12-01"),
    "waves": ("批次", "number of waves (1–8), or the wave dates separated by commas"),
}
#: Settings notes shown next to the values: key -> (zh, en).
EXCEL_SETTING_NOTES: dict[str, tuple[str, str]] = {
    "county_id": ("县的编号，留空则使用县名", "county id; blank: the county name"),
    "county_name": ("县(市、区)名称", "county name"),
    "as_of": ("调整基准日，年龄、任职年限按此日计算，如2026-12-01", "reference date for ages and tenures, e.g. 2026-12-01"),
    "waves": ("分批调整的批次数(1–8，留空为1)，或各批日期，用逗号分隔", "waves: 1–8 (blank: 1), or their dates, comma-separated"),
}
EXCEL_SETTING_ALIASES: dict[str, tuple[str, ...]] = {
    "county_id": ("县(市、区)编号", "县区编号"),
    "county_name": ("县名称", "县(市、区)", "县(市、区)名称", "县区"),
    "as_of": ("基准日期", "调整基准日", "统计截止日期"),
    "waves": ("调整批次", "批次数"),
}

#: Columns: "sheet.field" -> (Chinese header, English description shown in the header's note).
EXCEL_COLUMNS: dict[str, tuple[str, str]] = {
    "settings.key": ("项目", "setting"),
    "settings.value": ("值", "value"),
    "settings.note": ("说明", "note"),
    "settings.note_en": ("Note", "note in English"),
    "townships.id": ("编号", "township id, e.g. T01 (blank: generated from the row)"),
    "townships.name": ("名称", "township name"),
    "townships.kind": ("类型", "kind: 镇 town, 乡 township, 街道 subdistrict, 民族乡 ethnic township"),
    "townships.size": ("规模", "size: 大 large, 中 medium, 小 small"),
    "townships.lagging": ("后进党组织", "lagging party organisation: 是/否"),
    "townships.ethnic_groups": ("建乡民族", "ethnic groups of an ethnic township, e.g. 苗族、布依族"),
    "townships.needs": ("发展需求", "needs, e.g. 农业、旅游"),
    "posts.id": ("编号", "post id, e.g. T01-SEC (blank: generated from the row)"),
    "posts.township": ("乡镇", "township id or name"),
    "posts.role": ("职务", "role, e.g. 党委书记"),
    "posts.rank": ("职级", "rank of the post: 正科/副科 (blank: by role)"),
    "cadres.id": ("编号", "cadre id, e.g. C0001 (blank: generated from the row)"),
    "cadres.name": ("姓名", "name"),
    "cadres.gender": ("性别", "gender: 男/女"),
    "cadres.birth_date": ("出生年月", "date of birth, e.g. 1986.03 or 1986-03-02"),
    "cadres.ethnicity": ("民族", "ethnicity (blank: 汉族)"),
    "cadres.cpc_member": ("政治面貌", "political status: 中共党员, 群众, 民主党派…"),
    "cadres.education": ("学历", "education: 研究生, 大学本科, 大专, 中专及以下"),
    "cadres.fulltime_master": ("全日制硕士", "full-time master's degree: 是/否"),
    "cadres.double_first_class": ("双一流", "graduate of a 双一流 university: 是/否"),
    "cadres.current_post": ("现任职务", "post id held today (blank: not in a township team)"),
    "cadres.post_since": ("任现职时间", "in the current post since"),
    "cadres.current_unit": ("现工作单位", "unit of a cadre outside the teams"),
    "cadres.rank": ("职级", "rank: 正科/副科/科员"),
    "cadres.rank_since": ("任现职级时间", "in the current rank since"),
    "cadres.township_work_years": ("乡镇工作年限", "years of township work"),
    "cadres.township_leadership_years": ("乡镇领导工作年限", "years in township leadership"),
    "cadres.origin_township": ("籍贯/成长地", "home township (id or name), for regional avoidance"),
    "cadres.reserve_tier": ("后备类别", "reserve tier: 成熟近期可提拔, 上台阶提拔, 关键岗位历练"),
    "cadres.assessments": ("近三年考核", "annual assessments, e.g. 2023优秀,2024称职,2025优秀"),
    "cadres.specialties": ("专长", "specialties, e.g. 农业、旅游"),
    "cadres.sanction_until": ("处分影响期至", "sanction lock-out ends on"),
    "cadres.leaving": ("是否离任", "leaving (retirement, transfer out): 是/否"),
    "cadres.relatives": ("亲属", "relatives among the cadres: 姓名(编号), separated by 、"),
    "cadres.approved": ("调整已报批", "a move before 3 years in post is approved: 是/否"),
    "policy.rule": ("规则编号", "rule id (or its Chinese name)"),
    "policy.name": ("规则名称", "rule name (for reading; not imported)"),
    "policy.default": ("默认设置", "default mode, weight and parameters (for reading; not imported)"),
    "policy.mode": ("模式", "mode: 刚性 hard, 柔性 soft, 关闭 off (blank: default)"),
    "policy.weight": ("权重", "weight of a soft rule (blank: default)"),
    "policy.params": ("参数", "thresholds, e.g. min_share=0.2; max_age=35"),
    "decisions.kind": ("类型", "锁定 pin (must hold) or 排除 forbid (must not hold)"),
    "decisions.cadre": ("干部", "cadre: 姓名(编号), id or name"),
    "decisions.post": ("岗位", "post id"),
}

#: Other headers import accepts for a column (besides the Chinese header and the English field name).
EXCEL_COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "townships.id": ("乡镇编号", "代码"),
    "townships.name": ("乡镇", "乡镇名称", "乡镇(街道)"),
    "townships.kind": ("乡镇类型",),
    "townships.size": ("乡镇规模",),
    "townships.lagging": ("是否后进", "后进"),
    "townships.ethnic_groups": ("民族",),
    "townships.needs": ("产业需求", "需求"),
    "posts.id": ("岗位编号", "职位编号"),
    "posts.township": ("乡镇编号", "所在乡镇", "乡镇(街道)"),
    "posts.role": ("岗位", "职位", "职务名称"),
    "posts.rank": ("岗位职级", "职务层次"),
    "cadres.id": ("干部编号", "人员编号"),
    "cadres.birth_date": ("出生日期", "出生年月日"),
    "cadres.cpc_member": ("中共党员", "是否党员", "党员"),
    "cadres.education": ("最高学历", "文化程度"),
    "cadres.double_first_class": ("双一流高校", "双一流高校毕业"),
    "cadres.current_post": ("现任职务编号", "现职务", "现任岗位"),
    "cadres.post_since": ("任现职务时间", "任职时间"),
    "cadres.current_unit": ("工作单位", "现单位", "所在单位"),
    "cadres.rank": ("职级层次", "现职级"),
    "cadres.rank_since": ("任现职级层次时间", "任职级时间"),
    "cadres.township_work_years": ("乡镇工作经历(年)", "乡镇工作经历"),
    "cadres.township_leadership_years": ("乡镇领导工作经历(年)", "乡镇领导工作经历"),
    "cadres.origin_township": ("成长地", "籍贯", "成长地乡镇"),
    "cadres.reserve_tier": ("后备干部类别", "三个一批"),
    "cadres.assessments": ("年度考核", "近三年年度考核", "考核情况"),
    "cadres.specialties": ("专业特长", "特长"),
    "cadres.sanction_until": ("处分影响期", "影响期至"),
    "cadres.leaving": ("离任", "拟离任"),
    "cadres.relatives": ("亲属关系", "亲属(回避)"),
    "cadres.approved": ("已报批", "调整已审批", "市委组织部审批"),
    "policy.rule": ("规则",),
    "decisions.kind": ("锁定/排除",),
    "decisions.cadre": ("姓名", "人选"),
    "decisions.post": ("职务", "拟任岗位"),
}

#: Cell values import accepts besides the codes and their LABELS_ZH labels: vocabulary -> {text: value}.
VALUE_ALIASES: dict[str, dict[str, Any]] = {
    "gender": {"男性": "M", "女性": "F", "male": "M", "female": "F"},
    "political": {
        "中共党员": True, "中共预备党员": True, "党员": True, "预备党员": True, "中国共产党党员": True,
        "群众": False, "共青团员": False, "团员": False, "无党派人士": False, "无党派": False, "民主党派": False,
        "民革": False, "民革党员": False, "民盟": False, "民盟盟员": False, "民建": False, "民建会员": False,
        "民进": False, "民进会员": False, "农工党": False, "农工党党员": False, "致公党": False,
        "致公党党员": False, "九三学社": False, "九三学社社员": False, "台盟": False, "台盟盟员": False,
    },
    "education": {
        "博士研究生": "postgraduate", "硕士研究生": "postgraduate", "博士": "postgraduate", "硕士": "postgraduate",
        "本科": "bachelor", "大学": "bachelor", "大专": "college", "大学专科": "college", "专科": "college",
        "中专": "secondary", "高中": "secondary", "中技": "secondary", "技校": "secondary", "初中": "secondary",
        "初中及以下": "secondary",
    },
    "rank": {"正科级": "section_chief", "副科级": "deputy_section", "科员级": "staff"},
    "post_rank": {"正科级": "section_chief", "副科级": "deputy_section"},
    "tier": {"无": None, "成熟可提拔": "ready_now", "近期可提拔": "ready_now", "上台阶": "step_up"},
    "grade": {"不确定等次": "undetermined", "未定等次": "undetermined", "合格": "competent"},
    "role": {
        "党工委书记": "party_secretary", "镇党委书记": "party_secretary", "乡党委书记": "party_secretary",
        "镇长": "township_head", "乡长": "township_head", "主任": "township_head",
        "办事处主任": "township_head", "街道办事处主任": "township_head",
        "人大主席团主席": "congress_chair", "人大工委主任": "congress_chair",
        "党工委副书记": "deputy_secretary", "纪工委书记": "discipline_secretary", "纪委书记(监察办主任)": "discipline_secretary",
        "武装部部长": "armed_forces_head", "人武部部长": "armed_forces_head", "人武部长": "armed_forces_head",
        "副镇长": "deputy_head", "副乡长": "deputy_head", "副主任": "deputy_head", "办事处副主任": "deputy_head",
    },
    "kind": {"民族乡(镇)": "ethnic_township", "街道办事处": "subdistrict"},
    "size": {"大型": "large", "中型": "medium", "小型": "small"},
    "bool": {
        "是": True, "否": False, "√": True, "×": False, "有": True, "无": False,
        "y": True, "n": False, "yes": True, "no": False, "true": True, "false": False, "1": True, "0": False,
    },
    "mode": {"不启用": "off", "停用": "off"},
    "decision": {"锁定岗位": "pin", "排除岗位": "forbid", "不得任": "forbid"},
}

#: Short texts of the workbooks: key -> (zh, en).
EXCEL_TEXT: dict[str, tuple[str, str]] = {
    "loc.row": ("第{row}行", "row {row}"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "cpc": ("中共党员", "CPC member"),
    "non_cpc": ("群众", "not a CPC member"),
    "example": ("（示例）", "(example)"),
    "vacant": ("（空缺）", "(vacant)"),
    "stays": ("留任", "stays"),
    "outside": ("班子外", "outside the teams"),
    "none": ("—", "—"),
    "off": ("未启用", "not applied"),
    "met": ("达标", "met"),
    "not_met": ("未达标", "not met"),
    "default_params": ("默认：{mode}，权重{weight}{params}", "default: {mode}, weight {weight}{params}"),
    "validation.title": ("请从列表中选择", "choose from the list"),
    "validation.body": ("可选值见下拉列表；也可填写其他常见写法", "see the drop-down; common variants are accepted too"),
    # plan workbook
    "title.moves": ("{county}乡镇领导班子调整人员名单", "{county}: township leadership moves"),
    "title.chains": ("{county}乡镇领导班子调整链条", "{county}: vacancy chains"),
    "title.team": ("{township}领导班子调整后配备情况", "{township}: the team after the plan"),
    "title.structure": ("{county}乡镇领导班子结构情况(一乡一表)", "{county}: team structure"),
    "title.summary": ("{county}乡镇领导班子调整方案结构指标汇总", "{county}: structure quotas"),
    "title.violations": ("{county}乡镇领导班子调整方案问题清单", "{county}: rule findings"),
    "col.no": ("序号", "no."),
    "col.name": ("姓名", "name"),
    "col.cadre_id": ("干部编号", "cadre id"),
    "col.gender": ("性别", "gender"),
    "col.age": ("年龄", "age"),
    "col.birth": ("出生年月", "born"),
    "col.ethnicity": ("民族", "ethnicity"),
    "col.education": ("学历", "education"),
    "col.political": ("政治面貌", "political status"),
    "col.work_years": ("乡镇工作年限", "township work years"),
    "col.lead_years": ("乡镇领导工作年限", "township leadership years"),
    "col.rank": ("职级", "rank"),
    "col.rank_now": ("现职级", "rank today"),
    "col.role": ("职务", "role"),
    "col.post_id": ("岗位编号", "post id"),
    "col.from": ("原任职务", "from"),
    "col.to": ("拟任职务", "to"),
    "col.kind": ("调整类型", "kind"),
    "col.wave": ("批次", "wave"),
    "col.change": ("变动情况", "change"),
    "col.chain": ("调整链条", "chain"),
    "col.people": ("人数", "people"),
    "col.steps": ("具体调整", "steps"),
    "col.township": ("乡镇", "township"),
    "col.item": ("项目", "item"),
    "col.before": ("调整前", "before"),
    "col.after": ("调整后", "after"),
    "col.share_after": ("调整后占比", "share after"),
    "col.indicator": ("指标", "indicator"),
    "col.value": ("实际", "value"),
    "col.base": ("基数", "base"),
    "col.share": ("占比", "share"),
    "col.required": ("要求", "required"),
    "col.result": ("结论", "result"),
    "col.rule": ("规则", "rule"),
    "col.rule_name": ("规则名称", "rule name"),
    "col.mode": ("模式", "mode"),
    "col.amount": ("数量", "amount"),
    "col.cost": ("计分", "cost"),
    "col.message_zh": ("说明", "message (zh)"),
    "col.message_en": ("Description", "message (en)"),
    "row.members": ("班子成员", "members"),
    "row.aged_35_or_less": ("35岁以下", "aged 35 or less"),
    "row.aged_30_or_less": ("30岁以下", "aged 30 or less"),
    "row.women": ("女干部", "women"),
    "row.experienced_2y": ("2年以上乡镇工作经历", "2+ years township work"),
    "row.cpc": ("中共党员", "CPC members"),
    "row.minority": ("少数民族", "minority"),
    "row.postgraduate_or_bachelor": ("大学本科及以上", "bachelor or above"),
    "row.county_total": ("全县合计", "county total"),
    "info.county": ("县名", "county"),
    "info.as_of": ("基准日", "as of"),
    "info.status": ("方案状态", "status"),
    "info.verdict": ("刚性规则核查", "hard rules"),
    "info.objective": ("目标值(柔性扣分−加分)", "objective (penalties − bonuses)"),
    "info.moves": ("调整人数", "cadres moved"),
    "info.date": ("测算日期", "figures as of"),
    "quota.young-principals": ("{age}岁以下党政正职占比", "principals aged {age} or less"),
    "quota.young-members": ("{age}岁以下班子成员占比(全县)", "members aged {age} or less (county)"),
    "quota.young-members-team": (
        "{age}岁以下成员占比达{share}的乡镇",
        "townships with {share} of members aged {age} or less",
    ),
    "quota.under-30": ("配备{count}名以上{age}岁以下干部的乡镇", "townships with {count}+ members aged {age} or less"),
    "quota.team-experience": (
        "{years}年以上乡镇工作经历成员不少于{share}的乡镇",
        "townships where {share} of members have {years}+ years township work",
    ),
    "quota.team-experience-county": (
        "{years}年以上乡镇工作经历成员占比(全县)",
        "members with {years}+ years township work (county)",
    ),
    "quota.women": ("配备{count}名以上女干部的乡镇", "townships with {count}+ women"),
    "quota.minority-share": ("少数民族成员占比达{share}的民族乡镇", "ethnic townships with {share} minority members"),
    "quota.non-cpc-share": ("党外干部占比(全县)", "non-CPC members (county)"),
    "require.share": ("≥{share}", "≥ {share}"),
    "require.all": ("全部乡镇", "every township"),
    "require.info": ("参考", "for reference"),
    "footer": ("第 &P 页，共 &N 页", "page &P of &N"),
}

#: The guide sheet of the template, line by line: (zh, en).
EXCEL_GUIDE: list[tuple[str, str]] = [
    ("乡镇领导班子调整方案优化 — 干部信息导入模板", "Township reshuffle planner — roster template"),
    ("1. 必填工作表：乡镇、职数、干部名册；可选：设置、规则设置、锁定排除。本说明页不会导入。",
     "1. Required sheets: 乡镇, 职数, 干部名册; optional: 设置, 规则设置, 锁定排除. This guide is not imported."),
    ("2. 每张表第1行为表头，表头带*的列为必填。表头也可用英文字段名。其他列(如身份证号)导入时忽略。",
     "2. Row 1 of each sheet is the header; columns marked * are required. English field names work as headers "
     "too. Other columns (e.g. ID-card numbers) are ignored."),
    ("3. 灰色斜体的示例行以“（示例）”开头，导入时自动跳过，可保留也可删除。",
     "3. The grey italic example row starts with （示例） and is skipped on import; keep it or delete it."),
    ("4. 日期可填Excel日期，或1986.03、1986-03、1986-03-02、1986年3月等(只填年月视为当月1日)。",
     "4. Dates: Excel dates, or text like 1986.03, 1986-03, 1986-03-02, 1986年3月 (a month alone means its 1st)."),
    ("5. 编号可留空，导入时按行号自动生成；需要与以往方案对照时请填写固定编号。",
     "5. Ids may be left blank and are then generated from the row; fill fixed ids to compare with earlier plans."),
    ("6. 现任职务填“职数”表中的岗位编号；亲属填“姓名(编号)”，多人用顿号分隔。",
     "6. 现任职务 is a post id from 职数; 亲属 lists 姓名(编号), separated by 、."),
    ("7. 近三年考核写作“2023优秀,2024称职,2025优秀”，也可分列为“2023年度考核”等。",
     "7. Assessments read 2023优秀,2024称职,2025优秀, or one column per year such as 2023年度考核."),
    ("8. 规则设置：只填需要改变的规则的模式、权重或参数，空白行保持默认。",
     "8. Policy: fill mode, weight or parameters only for the rules you change; blank rows keep the defaults."),
    ("9. 有任何单元格填写有误时，导入会列出全部问题(工作表、行、列、原因)，且不生成文件。",
     "9. If any cell is wrong, import lists every problem (sheet, row, column, reason) and writes nothing."),
]

EXCEL_TEXT.update(
    {
        "change.from": ("{kind}(原任{origin})", "{kind} (was {origin})"),
        "cli.imported": (
            "已写入{path}：{townships}个乡镇、{posts}个岗位、{cadres}名干部",
            "wrote {path}: {townships} townships, {posts} posts, {cadres} cadres",
        ),
        "cli.ignored": ("未导入的列：{columns}", "columns not imported: {columns}"),
        "cli.examples": ("已跳过示例行：{rows}", "example rows skipped: {rows}"),
        "cli.template": ("已写入导入模板{path}", "wrote the roster template {path}"),
        "cli.roster": ("已写入{path}(含{cadres}名干部)", "wrote {path} ({cadres} cadres)"),
        "cli.exported": ("已写入{path}：调整{moves}人，问题{violations}项", "wrote {path}: {moves} moves, {violations} findings"),
    }
)

#: How a role is titled in a township of a given kind (镇长 in a town, 办事处主任 in a subdistrict…), for print.
ROLE_LABELS_BY_KIND: dict[str, dict[str, str]] = {
    "town": {"township_head": "镇长", "deputy_head": "副镇长"},
    "township": {"township_head": "乡长", "deputy_head": "副乡长"},
    "ethnic_township": {"township_head": "乡长", "deputy_head": "副乡长"},
    "subdistrict": {
        "party_secretary": "党工委书记", "deputy_secretary": "党工委副书记", "discipline_secretary": "纪工委书记",
        "township_head": "办事处主任", "deputy_head": "办事处副主任", "congress_chair": "人大工委主任",
    },
}

#: Drop-down lists of the template that are not enumeration labels.
EXCEL_CHOICES: dict[str, tuple[str, ...]] = {
    "political": ("中共党员", "中共预备党员", "共青团员", "群众", "民主党派", "无党派人士"),
}


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
        "whatif.cli.summary": ("与基准方案相比调整{n}个岗位({proven}；求解范围：{level})",
                               "{n} post(s) changed against the base plan ({proven_en}; scope: {level})"),
        "whatif.cli.proven": ("已证明为最少调整", "proven least disruption"),
        "whatif.cli.not_proven": ("未证明为最少调整", "least disruption not proven"),
        "whatif.cli.objective": ("目标值：基准{before} → 新方案{after}(变化{delta:+d})",
                                 "objective: base {before} → new {after} ({delta:+d})"),
        "whatif.cli.changed_title": ("调整的岗位", "changed posts"),
        "whatif.cli.col_post": ("岗位", "post"),
        "whatif.cli.col_before": ("基准方案", "base plan"),
        "whatif.cli.col_after": ("新方案", "new plan"),
        "whatif.cli.added": ("新增问题{n}项", "{n} new finding(s)"),
        "whatif.cli.removed": ("消除问题{n}项", "{n} finding(s) resolved"),
        # planner.explain: why no plan
        "explain.summary": ("不存在满足全部刚性规则的方案：{items}", "No plan satisfies all hard rules: {items_en}"),
        "explain.none": ("未发现冲突：该情景存在满足全部刚性规则的方案",
                         "No conflict found: the scenario has a plan that keeps every hard rule"),
        "explain.unknown": ("时限内未能查明无方案的原因", "The cause could not be found within the time limit"),
        "explain.structural": ("一人一岗与离任人员等基本约束无法同时满足",
                               "the basic constraints (one post each, leaving cadres) cannot all hold"),
        "explain.more": ("等{n}人", " and others, {n} in all"),
        "explain.pseudo.pin": ("锁定的人选", "Pinned placement"),
        "explain.pseudo.forbid": ("排除的人选", "Forbidden placement"),
        "explain.group": ("{posts}：{k}个岗位必须有人任职，但符合条件的人选只有{n}名{names}",
                          "{posts}: {k} post(s) must be filled but only {n} cadre(s) qualify{names_en}"),
        "explain.reason": ("“{rule}”{n}人", "“{rule_en}” ({n})"),
        "explain.reasons": ("；其余人选被排除的原因：{reasons}", "; the others are ruled out by {reasons_en}"),
        "explain.excluded": ("{posts}：{n}名人选因“{rule}”被排除({names})",
                             "{posts}: {n} cadre(s) ruled out by “{rule_en}” ({names_en})"),
        "explain.fact.both_leaving": ("党委书记与乡镇长同时离任", "both principals are leaving"),
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
        "explain.item.full-term": ("{cadre}任{post}未满{need}年，不得调整",
                                   "{cadre} has held {post} for less than {need} years and may not be moved"),
        "explain.item.pin": ("已锁定{cadre}任{post}", "{cadre} is pinned to {post}"),
        "explain.item.forbid": ("已排除{cadre}任{post}", "{cadre} is excluded from {post}"),
        "explain.item.kinship": ("{township}：{a}与{b}有亲属关系，不得在同一班子任职",
                                 "{township}: relatives {a} and {b} may not serve in the same team"),
        "explain.item.pair": ("{post}：{n}名人选因“{rule}”不能任职({names})",
                              "{post}: {n} cadre(s) ruled out by “{rule_en}” ({names_en})"),
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
        "relax.ok": ("{status}：目标值{objective}，调整{moves}人{extra}",
                     "{status_en}: objective {objective}, {moves} move(s){extra_en}"),
        "relax.breaks": ("，该规则被违反{amount}处", ", breaking the rule {amount} time(s)"),
        "relax.no": ("仍无方案({status})", "still no plan ({status_en})"),
        "relax.skipped": ("时限已到，未尝试", "not tried: out of time"),
        "relax.combined": ("同时做{n}项调整：{changes}", "{n} changes together: {changes_en}"),
        "explain.cli.relaxations": ("单项放宽建议", "single relaxations"),
        "explain.cli.feasible": ("该情景存在满足全部刚性规则的方案，无需解释", "the scenario has a plan; nothing to explain"),
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
        "recommend.status.feasible.local": ("可行(必要调整内，未证明最优)", "feasible (forced changes only, not proven)"),
        "recommend.status.feasible": ("可行(未证明最优)", "feasible (not proven)"),
        "recommend.status.infeasible": ("不可行", "infeasible"),
        "recommend.status.unknown": ("时限内未得出结论", "undecided within the time limit"),
        "recommend.status.wider": ("需在所涉乡镇以外调整，未评估", "needs changes beyond the teams involved; not evaluated"),
        "recommend.cli.local": (
            "每名人选按“只调整必要岗位”评估(目标值为该人选全县最优值的上界)",
            "each choice is evaluated with only the changes it forces (an upper bound of its county-wide optimum)",
        ),
    }
)
