"""Words of the Excel workbooks (sheets, columns, settings, value aliases, guide), Chinese and English."""

from __future__ import annotations

from typing import Any
from planner.i18n.titles import TITLES_BY_KIND
from planner.i18n.core import LABELS_ZH, MESSAGES

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
        "excel.assessment_twice": (
            "{year}年度考核填写了两次且不一致",
            "the {year} assessment is given twice, differently",
        ),
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
    "as_of": (
        "调整基准日，年龄、任职年限按此日计算，如2026-12-01",
        "reference date for ages and tenures, e.g. 2026-12-01",
    ),
    "waves": (
        "分批调整的批次数(1–8，留空为1)，或各批日期，用逗号分隔",
        "waves: 1–8 (blank: 1), or their dates, comma-separated",
    ),
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
        "中共党员": True,
        "中共预备党员": True,
        "党员": True,
        "预备党员": True,
        "中国共产党党员": True,
        "群众": False,
        "共青团员": False,
        "团员": False,
        "无党派人士": False,
        "无党派": False,
        "民主党派": False,
        "民革": False,
        "民革党员": False,
        "民盟": False,
        "民盟盟员": False,
        "民建": False,
        "民建会员": False,
        "民进": False,
        "民进会员": False,
        "农工党": False,
        "农工党党员": False,
        "致公党": False,
        "致公党党员": False,
        "九三学社": False,
        "九三学社社员": False,
        "台盟": False,
        "台盟盟员": False,
    },
    "education": {
        "博士研究生": "postgraduate",
        "硕士研究生": "postgraduate",
        "博士": "postgraduate",
        "硕士": "postgraduate",
        "本科": "bachelor",
        "大学": "bachelor",
        "大专": "college",
        "大学专科": "college",
        "专科": "college",
        "中专": "secondary",
        "高中": "secondary",
        "中技": "secondary",
        "技校": "secondary",
        "初中": "secondary",
        "初中及以下": "secondary",
    },
    "rank": {"正科级": "section_chief", "副科级": "deputy_section", "科员级": "staff"},
    "post_rank": {"正科级": "section_chief", "副科级": "deputy_section"},
    "tier": {"无": None, "成熟可提拔": "ready_now", "近期可提拔": "ready_now", "上台阶": "step_up"},
    "grade": {"不确定等次": "undetermined", "未定等次": "undetermined", "合格": "competent"},
    "role": {
        "党工委书记": "party_secretary",
        "镇党委书记": "party_secretary",
        "乡党委书记": "party_secretary",
        "镇长": "township_head",
        "乡长": "township_head",
        "主任": "township_head",
        "办事处主任": "township_head",
        "街道办事处主任": "township_head",
        "人大主席团主席": "congress_chair",
        "人大工委主任": "congress_chair",
        "党工委副书记": "deputy_secretary",
        "纪工委书记": "discipline_secretary",
        "纪委书记(监察办主任)": "discipline_secretary",
        "武装部部长": "armed_forces_head",
        "人武部部长": "armed_forces_head",
        "人武部长": "armed_forces_head",
        "副镇长": "deputy_head",
        "副乡长": "deputy_head",
        "副主任": "deputy_head",
        "办事处副主任": "deputy_head",
    },
    "kind": {"民族乡(镇)": "ethnic_township", "街道办事处": "subdistrict"},
    "size": {"大型": "large", "中型": "medium", "小型": "small"},
    "bool": {
        "是": True,
        "否": False,
        "√": True,
        "×": False,
        "有": True,
        "无": False,
        "y": True,
        "n": False,
        "yes": True,
        "no": False,
        "true": True,
        "false": False,
        "1": True,
        "0": False,
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
    "validation.body": (
        "可选值见下拉列表；也可填写其他常见写法",
        "see the drop-down; common variants are accepted too",
    ),
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

from planner.i18n.excel_guide import EXCEL_GUIDE  # noqa: E402,F401  (re-exported)

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
        "cli.exported": (
            "已写入{path}：调整{moves}人，问题{violations}项",
            "wrote {path}: {moves} moves, {violations} findings",
        ),
        "cli.warnings": (
            "以下{n}条记录不合常理，已照录导入，请核实：",
            "{n} records cannot be true as written (imported as they are; please check):",
        ),
    }
)

MESSAGES.update(
    {
        "excel.warn_leadership": (
            "{cadre}：乡镇领导工作年限{lead}年超过乡镇工作年限{work}年",
            "{cadre}: {lead} years of township leadership exceed {work} years of township work",
        ),
        "excel.warn_work": (
            "{cadre}：乡镇工作年限{work}年，按{age}岁推算不可能",
            "{cadre}: {work} years of township work is impossible at age {age}",
        ),
        "excel.warn_post_before_rank": (
            "{cadre}：任现职时间{post_since}早于任现职级时间{rank_since}",
            "{cadre}: in the current post since {post_since}, before reaching the rank on {rank_since}",
        ),
        "excel.warn_young_rank": (
            "{cadre}：按出生年月，{age}岁即任{rank}(一般不早于{need}岁)",
            "{cadre}: the birth date makes them {rank} at {age} (hardly ever before {need})",
        ),
    }
)

#: How a role is titled in a township of a given kind (镇长 in a town, 办事处主任 in a subdistrict…), for print.
ROLE_LABELS_BY_KIND = TITLES_BY_KIND  # the one title table (planner.i18n.titles)

#: Drop-down lists of the template that are not enumeration labels.
EXCEL_CHOICES: dict[str, tuple[str, ...]] = {
    "political": ("中共党员", "中共预备党员", "共青团员", "群众", "民主党派", "无党派人士"),
}


# ------------------------------------------------------------------ the plan workbook read back (planner check)
MESSAGES.update(
    {
        "plan_xlsx.no_sheet": (
            "工作簿中没有“调整名单”工作表(也可命名为：{aliases})",
            "the workbook has no 调整名单 (moves) sheet (also accepted: {aliases})",
        ),
        "plan_xlsx.no_header": (
            "前10行中找不到表头，至少需要“姓名”和“拟任职务”两列",
            "no header row in the first 10 rows; at least 姓名 (name) and 拟任职务 (new post) are needed",
        ),
        "plan_xlsx.cadre_twice": ("{name}在第{row}行已列出", "{name} is already listed on row {row}"),
        "plan_xlsx.post_twice": (
            "{post}已由第{row}行的{name}拟任",
            "{post} is already given to {name} on row {row}",
        ),
        "plan_xlsx.wave": (
            "批次应为1到{waves}的整数，得到“{value}”",
            "the wave must be a whole number 1–{waves}, got {value!r}",
        ),
        "file.kind": (
            "无法识别文件类型：既不是JSON文本，也不是Excel工作簿(.xlsx)",
            "unrecognised file: neither JSON text nor an Excel workbook (.xlsx)",
        ),
        "file.xls": (
            "不支持旧版.xls格式，请在Excel中另存为.xlsx",
            "the old .xls format is not supported; save as .xlsx",
        ),
        "file.missing": ("文件不存在或无法读取：{detail}", "cannot read the file: {detail}"),
    }
)

EXCEL_TEXT.update(
    {
        "note.displaced": (
            "{holder}未列入调整名单，但其岗位{post}已由第{row}行的{name}拟任，按免职处理",
            "{holder} is not listed, but their post {post} goes to {name} (row {row}): read as released",
        ),
        "note.from_differs": (
            "第{row}行{name}的原任职务填写为“{written}”，名册中为{actual}，以名册为准",
            "row {row}: {name}'s former post reads {written!r}, the roster says {actual}; the roster is used",
        ),
        "note.changed": (
            "与导出时的方案相比：{name}由{before}改为{after}",
            "changed since export: {name} {before} → {after}",
        ),
        "note.unchanged": ("与导出时的方案相比没有改动", "unchanged since export"),
        "col.leaving": ("离任", "leaving"),
        "col.reasons": ("拟任理由", "reasons"),
        "col.leave_reason": ("离任原因", "why they leave"),
    }
)

EXCEL_TEXT.update(
    {
        "title.decisions": ("{county}调整意向(锁定与排除)", "{county}: pins and forbids"),
        "hint.decisions": (
            "锁定：该干部必须任该岗位；排除：不得任该岗位。增删后可用“planner whatif 县.json --delta 本工作簿”测算；"
            "各乡镇页“离任”列填“是”表示该干部离任。",
            "pin: the cadre must hold the post; forbid: must not. Edit, then run planner whatif SCENARIO --delta "
            "this workbook; 是 in a township page's 离任 column marks a cadre leaving.",
        ),
        "title.township_page": ("{township}领导班子调整前后对照表(一乡一表)", "{township}: the team before and after"),
        "info.township": (
            "类型：{kind}　规模：{size}　职数：{posts}　调整前实配：{before}　调整后实配：{after}　缺额：{vacant}",
            "kind: {kind}   size: {size}   posts: {posts}   held before: {before}   held after: {after}   vacant: {vacant}",
        ),
        "block.leavers": ("离开班子人员({n}人)", "leaving the team ({n})"),
        "block.structure": ("班子结构(调整后，对照要求)", "team structure after the plan, against the thresholds"),
        "col.destination": ("去向", "goes to"),
        "require.people": ("≥{n}人", "≥ {n}"),
        "require.posts": ("职数{n}", "{n} posts"),
        "vacancies": ("缺{n}人", "{n} vacant"),
        "why.leaving": ("离任(退休、调出等)", "leaves (retirement, transfer out)"),
        "why.release": ("免去现职", "released from the post"),
        "why.promotion": ("提拔", "promoted"),
        "why.transfer": ("交流", "transferred"),
        "why.appointment": ("任用", "appointed"),
    }
)
