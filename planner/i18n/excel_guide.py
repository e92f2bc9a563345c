"""The guide sheet of the roster template (说明), line by line."""

from __future__ import annotations

#: The guide sheet of the template, line by line: (zh, en).
EXCEL_GUIDE: list[tuple[str, str]] = [
    ("乡镇领导班子调整方案优化 — 干部信息导入模板", "Township reshuffle planner — roster template"),
    (
        "1. 必填工作表：乡镇、职数、干部名册；可选：设置、规则设置、锁定排除。本说明页不会导入。",
        "1. Required sheets: 乡镇, 职数, 干部名册; optional: 设置, 规则设置, 锁定排除. This guide is not imported.",
    ),
    (
        "2. 每张表第1行为表头，表头带*的列为必填。表头也可用英文字段名。其他列(如身份证号)导入时忽略。",
        "2. Row 1 of each sheet is the header; columns marked * are required. English field names work as headers "
        "too. Other columns (e.g. ID-card numbers) are ignored.",
    ),
    (
        "3. 灰色斜体的示例行以“（示例）”开头，导入时自动跳过，可保留也可删除。",
        "3. The grey italic example row starts with （示例） and is skipped on import; keep it or delete it.",
    ),
    (
        "4. 日期可填Excel日期，或1986.03、1986-03、1986-03-02、1986年3月等(只填年月视为当月1日)。",
        "4. Dates: Excel dates, or text like 1986.03, 1986-03, 1986-03-02, 1986年3月 (a month alone means its 1st).",
    ),
    (
        "5. 编号可留空，导入时按行号自动生成；需要与以往方案对照时请填写固定编号。",
        "5. Ids may be left blank and are then generated from the row; fill fixed ids to compare with earlier plans.",
    ),
    (
        "6. 现任职务填“职数”表中的岗位编号；亲属填“姓名(编号)”，多人用顿号分隔。",
        "6. 现任职务 is a post id from 职数; 亲属 lists 姓名(编号), separated by 、.",
    ),
    (
        "7. 近三年考核写作“2023优秀,2024称职,2025优秀”，也可分列为“2023年度考核”等。",
        "7. Assessments read 2023优秀,2024称职,2025优秀, or one column per year such as 2023年度考核.",
    ),
    (
        "8. 规则设置：只填需要改变的规则的模式、权重或参数，空白行保持默认。",
        "8. Policy: fill mode, weight or parameters only for the rules you change; blank rows keep the defaults.",
    ),
    (
        "9. 有任何单元格填写有误时，导入会列出全部问题(工作表、行、列、原因)，且不生成文件。",
        "9. If any cell is wrong, import lists every problem (sheet, row, column, reason) and writes nothing.",
    ),
]
