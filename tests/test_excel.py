"""Excel in and out (issue 7): roster workbook → scenario, the template, plan → officers' workbook.

- round trip: a synthetic scenario written in the template's layout imports back to the same document;
- a template filled by hand the way officers write (text dates, labels, names for references) imports right;
- every malformed workbook is rejected with located problems (sheet, row, column), all at once, and the CLI
  writes nothing and exits 2 without a traceback;
- the plan workbook lists each move, and its figures match the checker's report.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from planner.audit.check import annotate_plan, check_plan
from planner.cli.common import app
from planner.domain import load_plan, load_scenario
from planner.domain.documents import Scenario
from planner.domain.errors import InputError
from planner.io.excel.workbook import export_plan
from planner.io.excel.roster import import_workbook
from planner.io.excel.cells import parse_assessments, parse_date, _Bad
from planner.io.excel.template import roster_workbook
from planner.io.excel.style import workbook_bytes
from planner.i18n import EXCEL_SHEETS
from planner.i18n import label_zh
from planner.io.synth import SynthOptions, generate

SHEETS = {key: zh for key, (zh, _en) in EXCEL_SHEETS.items()}


# ------------------------------------------------------------------------------------------ helpers


def normalised(doc: dict[str, Any]) -> dict[str, Any]:
    """The scenario as the loader reads it, with approvals in a canonical order."""
    out = Scenario.model_validate(doc).model_dump(mode="json", by_alias=True)
    out["approvals"] = sorted(out["approvals"])
    return out


def enriched(townships: int = 5, seed: int = 7, ethnic: bool = False) -> dict[str, Any]:
    """A synthetic county with every optional section in use: policy, pins, forbids, approvals, dated waves."""
    sc, _plan = generate(SynthOptions(townships=townships, seed=seed, ethnic=ethnic))
    sc = copy.deepcopy(sc)
    cadres = sc["cadres"]
    free = [c for c in cadres if not c["leaving"]]
    sc["policy"] = {
        "young-principals": {"min_share": 0.2, "max_age": 35},
        "women": {"mode": "off"},
        "rank-ladder": {"promotable_tiers": ["ready_now"]},
        "team-experience": {"min_share": "2/3"},
        "stability": {"weight": 7},
        "non-cpc-share": {"mode": "soft", "min_share": 0.05, "weight": 20},
    }
    sc["pins"] = [{"cadre": free[0]["id"], "post": sc["posts"][0]["id"]}]
    sc["forbids"] = [
        {"cadre": free[1]["id"], "post": sc["posts"][1]["id"]},
        {"cadre": free[2]["id"], "post": sc["posts"][0]["id"]},
    ]
    sc["approvals"] = [free[3]["id"], free[5]["id"]]
    sc["waves"] = ["2027-01-01", "2027-04-01"]
    free[4]["sanction_until"] = "2027-05-31"
    free[4]["current_unit"] = "县委办"
    free[6]["relatives"] = [free[7]["id"], free[8]["id"]]
    free[9]["specialties"] = ["agriculture", "茶叶"]  # a word outside the needs vocabulary is kept as written
    free[10]["township_leadership_years"] = 0.0
    free[10]["ethnicity"] = "苗族"
    load_scenario(sc)
    return sc


def roster_file(tmp_path: Path, doc: dict[str, Any] | None, name: str = "roster.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(workbook_bytes(roster_workbook(doc)))
    return path


def column(ws, header: str) -> int:
    """The 1-based column of a header (the template marks required columns with *)."""
    for cell in ws[1]:
        if cell.value is not None and str(cell.value).rstrip("*") == header:
            return cell.column
    raise KeyError(header)


def set_cell(path: Path, sheet: str, row: int, header: str, value: Any) -> None:
    wb = load_workbook(path)
    ws = wb[sheet]
    ws.cell(row=row, column=column(ws, header), value=value)
    wb.save(path)


def problems_of(path: Path, **kwargs: Any) -> list:
    with pytest.raises(InputError) as err:
        import_workbook(path, **kwargs)
    assert err.value.document == "workbook"
    return err.value.problems


def small() -> dict[str, Any]:
    sc, _ = generate(SynthOptions(townships=3, seed=11))
    return sc


# ------------------------------------------------------------------------------------------ round trip


@pytest.mark.parametrize("seed,ethnic", [(7, False), (3, True)])
def test_round_trip_synthetic_county(tmp_path, seed, ethnic):
    original = enriched(seed=seed, ethnic=ethnic)
    path = roster_file(tmp_path, original)
    result = import_workbook(path)
    assert normalised(result.scenario) == normalised(original)
    assert result.example_rows == []  # a filled roster has no example rows
    load_scenario(result.scenario)  # and it is a valid scenario on its own


def test_round_trip_through_the_cli(tmp_path):
    original = small()
    (tmp_path / "county.json").write_text(json.dumps(original, ensure_ascii=False), encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(
        app, ["export-template", "--scenario", str(tmp_path / "county.json"), "--out", str(tmp_path / "roster.xlsx")]
    )
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["import", str(tmp_path / "roster.xlsx"), "--out", str(tmp_path / "back.json")])
    assert res.exit_code == 0, res.output
    back = json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))
    assert normalised(back) == normalised(original)


# ------------------------------------------------------------------------------------------ template


def test_template_has_sheets_headers_validation_and_marked_examples(tmp_path):
    path = roster_file(tmp_path, None, "template.xlsx")
    wb = load_workbook(path)
    for key in ("guide", "settings", "townships", "posts", "cadres", "policy", "decisions"):
        assert SHEETS[key] in wb.sheetnames
    cadres = wb[SHEETS["cadres"]]
    headers = [str(c.value).rstrip("*") for c in cadres[1] if c.value]
    for h in (
        "姓名",
        "性别",
        "出生年月",
        "民族",
        "政治面貌",
        "学历",
        "全日制硕士",
        "双一流",
        "现任职务",
        "任现职时间",
        "职级",
        "任现职级时间",
        "乡镇工作年限",
        "乡镇领导工作年限",
        "籍贯/成长地",
        "后备类别",
        "近三年考核",
        "专长",
        "处分影响期至",
        "是否离任",
        "亲属",
    ):
        assert h in headers, h
    assert cadres.freeze_panes == "B2"
    assert cadres.cell(row=2, column=1).value.startswith("（示例）")
    assert cadres.cell(row=2, column=1).font.italic
    lists = {dv.formula1: str(dv.sqref) for dv in cadres.data_validations.dataValidation}
    gender_col = cadres.cell(row=1, column=column(cadres, "性别")).column_letter
    assert lists['"男,女"'].startswith(f"{gender_col}2:")
    assert '"研究生,大学本科,大专,中专及以下"' in lists
    assert '"正科,副科,科员"' in lists
    assert '"成熟近期可提拔,上台阶提拔,关键岗位历练"' in lists
    posts = wb[SHEETS["posts"]]
    role_list = [dv.formula1 for dv in posts.data_validations.dataValidation if "党委书记" in dv.formula1]
    assert role_list and all(label_zh(r) in role_list[0] for r in ("township_head", "deputy_head", "armed_forces_head"))
    towns = wb[SHEETS["townships"]]
    assert any(dv.formula1 == '"镇,乡,街道,民族乡"' for dv in towns.data_validations.dataValidation)
    assert cadres.cell(row=1, column=1).comment is not None  # the header notes name the JSON field
    # the empty template is not a county: import says which settings and sheets are missing, nothing else
    problems = problems_of(path)
    text = " | ".join(p.location + " " + p.message_en for p in problems)
    assert "基准日" in text and "县名" in text
    assert sum("no data rows" in p.message_en for p in problems) == 3


def test_template_filled_by_hand_like_an_officer(tmp_path):
    path = roster_file(tmp_path, None, "template.xlsx")
    wb = load_workbook(path)
    st = wb[SHEETS["settings"]]
    st["B3"] = "甲县"  # 县名; 县编号 left blank → the name
    st["B4"] = "2026年12月"  # 基准日, a month alone → its 1st
    towns = wb[SHEETS["townships"]]
    towns.append(["", "周王镇", "镇", "大", "否", "", "旅游、农业"])
    towns.append(["T2", "青石苗族乡", "民族乡", "小", "是", "苗族", ""])
    posts = wb[SHEETS["posts"]]
    posts.append(["T1-SEC", "周王镇", "党委书记", ""])
    posts.append(["T1-HEAD", "周王镇", "镇长", "正科"])
    posts.append(["T2-HEAD", "T2", "乡长", None])
    posts.append(["T2-DEP", "青石苗族乡", "副乡长", None])
    cad = wb[SHEETS["cadres"]]
    rows = [
        {
            "姓名": "张　伟",
            "性别": "男",
            "出生年月": "1986.03",
            "政治面貌": "中共党员",
            "学历": "大学本科",
            "现任职务": "周王镇党委书记",
            "任现职时间": dt.datetime(2021, 9, 1),
            "职级": "正科",
            "任现职级时间": "2019-06",
            "乡镇工作年限": "6.5年",
            "近三年考核": "2023年优秀；2024年称职；2025年优秀",
            "亲属": "李芳(配偶)",
            "专长": "农业、茶叶",
        },
        {
            "编号": "C2",
            "姓名": "李芳",
            "性别": "女",
            "出生年月": 1990.1,
            "民族": "苗族",
            "政治面貌": "民盟盟员",
            "学历": "硕士研究生",
            "全日制硕士": "是",
            "现任职务": "T2-HEAD",
            "任现职时间": "2023年3月5日",
            "职级": "正科级",
            "任现职级时间": 20200101,
            "乡镇工作年限": 4,
            "乡镇领导工作年限": 2.5,
            "籍贯/成长地": "周王镇",
            "后备类别": "成熟近期可提拔",
            "调整已报批": "是",
        },
        {
            "编号": "C3",
            "姓名": "王强",
            "性别": "男",
            "出生年月": dt.datetime(1995, 7, 2),
            "政治面貌": "群众",
            "学历": "大专",
            "职级": "科员",
            "任现职级时间": "2022/7/1",
            "乡镇工作年限": 1,
            "现工作单位": "县委办",
            "处分影响期至": "2027-06-30",
            "是否离任": "否",
        },
    ]
    for r in rows:
        values = [None] * cad.max_column
        for header, value in r.items():
            values[column(cad, header) - 1] = value
        cad.append(values)
    pol = wb[SHEETS["policy"]]
    for row in pol.iter_rows(min_row=3):
        if row[0].value == "women":
            row[3].value = "关闭"
        if row[0].value == "young-members-team":
            row[3].value, row[4].value, row[5].value = "刚性", 80, "min_share=25%; max_age=35"
    dec = wb[SHEETS["decisions"]]
    dec.append(["锁定", "王强", "T2-DEP"])
    dec.append(["排除", "李芳(C2)", "T1-SEC"])
    wb.save(path)

    result = import_workbook(path)
    sc = result.scenario
    assert sc["county"] == {"id": "甲县", "name": "甲县"}
    assert sc["as_of"] == "2026-12-01"
    assert len(result.example_rows) == 5  # one （示例） row on each of the five table sheets, skipped
    t1, t2 = sc["townships"]
    assert t1["id"] == "T-R3" and t1["kind"] == "town" and t1["needs"] == ["tourism", "agriculture"]
    assert t2 == {
        "id": "T2",
        "name": "青石苗族乡",
        "kind": "ethnic_township",
        "size": "small",
        "lagging": True,
        "ethnic_groups": ["苗族"],
    }
    assert [p["township"] for p in sc["posts"]] == ["T-R3", "T-R3", "T2", "T2"]
    assert [p["role"] for p in sc["posts"]] == ["party_secretary", "township_head", "township_head", "deputy_head"]
    assert sc["posts"][1]["rank"] == "section_chief" and "rank" not in sc["posts"][0]
    zhang, li, wang = sc["cadres"]
    assert zhang["id"] == "C-R3" and zhang["name"] == "张伟"
    assert zhang["birth_date"] == "1986-03-01" and zhang["rank_since"] == "2019-06-01"
    assert zhang["current_post"] == "T1-SEC" and zhang["post_since"] == "2021-09-01"
    assert zhang["township_work_years"] == 6.5 and zhang["cpc_member"] is True
    assert zhang["assessments"] == {"2023": "excellent", "2024": "competent", "2025": "excellent"}
    assert zhang["relatives"] == ["C2"] and zhang["specialties"] == ["agriculture", "茶叶"]
    assert li["birth_date"] == "1990-10-01"  # a number cell 1990.1 is October (Excel dropped the 0 of 1990.10)
    assert li["cpc_member"] is False and li["education"] == "postgraduate" and li["fulltime_master"] is True
    assert li["rank_since"] == "2020-01-01" and li["post_since"] == "2023-03-05"
    assert li["origin_township"] == "T-R3" and li["reserve_tier"] == "ready_now" and li["ethnicity"] == "苗族"
    assert wang["birth_date"] == "1995-07-02" and wang["current_unit"] == "县委办" and "current_post" not in wang
    assert wang["sanction_until"] == "2027-06-30" and wang["rank"] == "staff" and wang["education"] == "college"
    assert sc["approvals"] == ["C2"]
    assert sc["policy"] == {
        "young-members-team": {"mode": "hard", "weight": 80, "min_share": 0.25, "max_age": 35},
        "women": {"mode": "off"},
    }
    assert sc["pins"] == [{"cadre": "C3", "post": "T2-DEP"}]
    assert sc["forbids"] == [{"cadre": "C2", "post": "T1-SEC"}]
    assert sc["waves"] == 1
    load_scenario(sc)


def test_english_headers_and_sheet_names_with_overrides(tmp_path):
    wb = Workbook()
    wb.active.title = "Townships"
    wb["Townships"].append(["id", "name", "kind"])
    wb["Townships"].append(["T1", "Alpha", "town"])
    posts = wb.create_sheet("Posts")
    posts.append(["id", "township", "role", "rank"])
    posts.append(["T1-SEC", "T1", "party_secretary", "section_chief"])
    cadres = wb.create_sheet("Cadres")
    cadres.append(["XX县干部名册"])  # a title row above the header
    cadres.append(
        [
            "id",
            "name",
            "gender",
            "birth_date",
            "cpc_member",
            "education",
            "rank",
            "rank_since",
            "township_work_years",
            "current_post",
            "post_since",
            "2024年度考核",
            "2025年度考核",
            "ID card",
        ]
    )
    cadres.append(
        [
            "A1",
            "Ann Lee",
            "F",
            "1980-02-03",
            "true",
            "bachelor",
            "section_chief",
            "2015-01-01",
            9,
            "T1-SEC",
            "2022-01-01",
            "优秀",
            "称职",
            "5201…",
        ]
    )
    path = tmp_path / "english.xlsx"
    wb.save(path)
    result = import_workbook(path, as_of="2026-12-01", county_id="x", county_name="X County")
    sc = result.scenario
    assert sc["county"] == {"id": "x", "name": "X County"} and sc["as_of"] == "2026-12-01"
    [c] = sc["cadres"]
    assert c["name"] == "Ann Lee" and c["gender"] == "F" and c["cpc_member"] is True
    assert c["assessments"] == {"2024": "excellent", "2025": "competent"}
    assert result.ignored_columns == ["Cadres: ID card"]
    assert load_scenario(sc).holder == {"T1-SEC": "A1"}


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1986.03", dt.date(1986, 3, 1)),
        ("1986-03", dt.date(1986, 3, 1)),
        ("1986-03-02", dt.date(1986, 3, 2)),
        ("1986年3月", dt.date(1986, 3, 1)),
        ("1986年3月2日", dt.date(1986, 3, 2)),
        ("1986/3/2", dt.date(1986, 3, 2)),
        ("19860302", dt.date(1986, 3, 2)),
        ("1986.10", dt.date(1986, 10, 1)),
        (1986.03, dt.date(1986, 3, 1)),
        (1986.1, dt.date(1986, 10, 1)),
        (1986.12, dt.date(1986, 12, 1)),
        ("１９８６．０３", dt.date(1986, 3, 1)),
        (dt.datetime(1986, 3, 2, 0, 0), dt.date(1986, 3, 2)),
        ("1986-03-02 00:00:00", dt.date(1986, 3, 2)),
        (31473, dt.date(1986, 3, 2)),  # an Excel serial in a cell that lost its date format
    ],
)
def test_dates_as_officers_write_them(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["1986", "86.03", "1986-13", "1986-02-30", "三月", 1986.123, 1986, True, "1986.13"])
def test_not_dates(text):
    with pytest.raises(_Bad):
        parse_date(text)


def test_assessment_texts():
    assert parse_assessments("2023优秀,2024称职,2025优秀") == {
        "2023": "excellent",
        "2024": "competent",
        "2025": "excellent",
    }
    assert parse_assessments("2024年度：基本称职、2025年：不定等次") == {
        "2024": "basically_competent",
        "2025": "undetermined",
    }
    for bad in ("2023优", "优秀", "2023优秀,2023称职"):
        with pytest.raises(_Bad):
            parse_assessments(bad)


# ------------------------------------------------------------------------------------------ malformed


def _bad_date(path):
    set_cell(path, SHEETS["cadres"], 4, "出生年月", "1986-13")
    return [("干部名册", 4, "出生年月")]


def _unknown_enum(path):
    set_cell(path, SHEETS["cadres"], 5, "学历", "博士后")
    set_cell(path, SHEETS["townships"], 3, "类型", "村")
    return [("干部名册", 5, "学历"), ("乡镇", 3, "类型")]


def _missing_column(path):
    wb = load_workbook(path)
    ws = wb[SHEETS["cadres"]]
    ws.delete_cols(column(ws, "出生年月"))
    wb.save(path)
    return [("干部名册", 1, "出生年月")]


def _dangling_post(path):
    set_cell(path, SHEETS["cadres"], 3, "现任职务", "T99-SEC")
    return [("干部名册", 3, "现任职务")]


def _duplicate_id(path):
    wb = load_workbook(path)
    ws = wb[SHEETS["cadres"]]
    col = column(ws, "编号")
    ws.cell(row=6, column=col, value=ws.cell(row=7, column=col).value)
    wb.save(path)
    return [("干部名册", 6, "编号"), ("干部名册", 7, "编号")]


def _several(path):
    wb = load_workbook(path)
    cad = wb[SHEETS["cadres"]]
    cad.cell(row=2, column=column(cad, "性别"), value="未知")
    cad.cell(row=3, column=column(cad, "乡镇工作年限"), value="很多")
    cad.cell(row=4, column=column(cad, "近三年考核"), value="2024优,2025称职")
    cad.cell(row=5, column=column(cad, "姓名")).value = None
    cad.cell(row=6, column=column(cad, "是否离任"), value="也许")
    cad.cell(row=7, column=column(cad, "任现职级时间"), value="2099-01-01")  # after as_of: the loader's finding
    wb[SHEETS["posts"]].cell(row=2, column=column(wb[SHEETS["posts"]], "乡镇"), value="不存在镇")
    pol = wb[SHEETS["policy"]]
    pol.cell(row=2, column=column(pol, "模式"), value="强制")
    wb.save(path)
    return [
        ("干部名册", 2, "性别"),
        ("干部名册", 3, "乡镇工作年限"),
        ("干部名册", 4, "近三年考核"),
        ("干部名册", 5, "姓名"),
        ("干部名册", 6, "是否离任"),
        ("干部名册", 7, "任现职级时间"),
        ("职数", 2, "乡镇"),
        ("规则设置", 2, "模式"),
    ]


def _two_holders(path):
    wb = load_workbook(path)
    ws = wb[SHEETS["cadres"]]
    col = column(ws, "现任职务")
    held = [r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=col).value]
    ws.cell(row=held[1], column=col, value=ws.cell(row=held[0], column=col).value)
    wb.save(path)
    return [("干部名册", held[1], "现任职务")]


def _missing_sheet(path):
    wb = load_workbook(path)
    del wb[SHEETS["posts"]]
    wb.save(path)
    return [("职数", None, None)]


MALFORMED = {
    "bad date": _bad_date,
    "unknown enum": _unknown_enum,
    "missing column": _missing_column,
    "dangling post": _dangling_post,
    "duplicate id": _duplicate_id,
    "several bad cells": _several,
    "two holders": _two_holders,
    "missing sheet": _missing_sheet,
}


def _located(problems, sheet, row, header) -> bool:
    for p in problems:
        loc = p.location
        if not loc.startswith(sheet):
            continue
        if row is not None and f"第{row}行" not in loc and f"row {row}" not in loc:
            continue
        if header is not None and header not in loc:
            continue
        return bool(p.message_zh) and bool(p.message_en)
    return False


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_workbooks_are_rejected_with_located_problems(tmp_path, case):
    path = roster_file(tmp_path, small())
    expected = MALFORMED[case](path)
    problems = problems_of(path)
    for sheet, row, header in expected:
        assert _located(problems, sheet, row, header), (sheet, row, header, [p.render() for p in problems])
    # one line per bad cell: no follow-up noise about the same cell or the same missing column
    assert len({p.location for p in problems}) == len(problems)
    if case == "missing column":
        assert len(problems) == 1
    if case == "several bad cells":
        assert len(problems) == len(expected)
    # and the CLI writes nothing, exits 2, shows the locations, never a traceback
    out = tmp_path / "county.json"
    res = CliRunner().invoke(app, ["import", str(path), "--out", str(out)])
    assert res.exit_code == 2
    assert not out.exists()
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert "Traceback" not in res.output


def test_problem_location_names_sheet_cell_row_and_column(tmp_path):
    path = roster_file(tmp_path, small())
    _bad_date(path)
    [p] = problems_of(path)
    col = load_workbook(path)[SHEETS["cadres"]].cell(row=1, column=4).column_letter
    assert p.location == f"干部名册!{col}4 (第4行 row 4, 出生年月)"
    assert "1986-13" in p.message_zh and "1986-13" in p.message_en


def test_name_references_that_are_ambiguous_or_unknown(tmp_path):
    sc = small()
    sc["cadres"][1]["name"] = sc["cadres"][0]["name"]  # two cadres with one name
    path = roster_file(tmp_path, sc)
    wb = load_workbook(path)
    cad = wb[SHEETS["cadres"]]
    cad.cell(row=4, column=column(cad, "亲属"), value=sc["cadres"][0]["name"])
    cad.cell(row=5, column=column(cad, "籍贯/成长地"), value="无名乡")
    wb.save(path)
    problems = problems_of(path)
    assert _located(problems, "干部名册", 4, "亲属")
    assert any("several cadres" in p.message_en for p in problems)
    assert _located(problems, "干部名册", 5, "籍贯/成长地")
    assert any("no township '无名乡'" in p.message_en for p in problems)


def test_an_unreadable_file_and_an_old_xls(tmp_path):
    junk = tmp_path / "roster.xlsx"
    junk.write_text("not a workbook")
    [p] = problems_of(junk)
    assert p.location == str(junk) and "cannot open" in p.message_en
    [p] = problems_of(tmp_path / "roster.xls")
    assert ".xlsx" in p.message_en


def test_cli_bad_workbook_in_a_subprocess_exits_2_without_traceback(tmp_path):
    path = roster_file(tmp_path, small())
    _several(path)
    out = tmp_path / "county.json"
    proc = subprocess.run(
        [sys.executable, "-c", "from planner.cli import main; main()", "import", str(path), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "干部名册" in proc.stderr and "第3行" in proc.stderr
    assert not out.exists()


# ------------------------------------------------------------------------------------------ plan export


def _county_and_plan(tmp_path: Path) -> tuple[Path, Path, dict, dict]:
    sc, plan = generate(SynthOptions(townships=4, seed=5))
    # ask for more than the witness gives, so the workbook has findings to show
    sc["policy"] = {"young-principals": {"min_share": 0.9}, "young-members-team": {"min_share": 0.5}}
    (tmp_path / "county.json").write_text(json.dumps(sc, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    return tmp_path / "county.json", tmp_path / "plan.json", sc, plan


def test_export_lists_every_move_and_matches_the_checker(tmp_path):
    sc_path, plan_path, sc, plan_doc = _county_and_plan(tmp_path)
    out = tmp_path / "plan.xlsx"
    res = CliRunner().invoke(app, ["export", str(sc_path), str(plan_path), "--out", str(out), "--lang", "both"])
    assert res.exit_code == 0, res.output
    wb = load_workbook(out)

    inst = load_scenario(sc)
    plan = load_plan(plan_doc, inst)
    report = check_plan(inst, plan)
    annotate_plan(inst, plan, report)
    names = [t.name for t in inst.townships.values()]
    for key in ("moves", "summary", "structure", "violations", "chains"):
        assert SHEETS[key] in wb.sheetnames
    assert all(n in wb.sheetnames for n in names)

    # moves: one row per move of the plan, with the officers' words
    moves = wb[SHEETS["moves"]]
    rows = [r for r in moves.iter_rows(min_row=3, values_only=True) if r[0] is not None]
    col = {h: j for j, h in enumerate(next(moves.iter_rows(min_row=2, max_row=2, values_only=True)))}
    assert len(plan.moves) > 0 and len(rows) == len(plan.moves)
    assert {(r[col["干部编号"]], r[col["调整类型"]]) for r in rows} == {(m.cadre, label_zh(m.kind)) for m in plan.moves}
    by_cadre = {r[col["干部编号"]]: r for r in rows}
    for m in plan.moves:
        r = by_cadre[m.cadre]
        assert r[col["姓名"]] == inst.cadres[m.cadre].name
        if m.to is not None:
            assert r[col["拟任职务"]] == inst.post_title(m.to) and r[col["岗位编号"]] == m.to

    # 一乡一表: the checker's structure table, row for row
    st = wb[SHEETS["structure"]]
    table = [r for r in st.iter_rows(min_row=3, values_only=True)]
    assert len(table) == len(report.townships) + 1
    for r, row in zip(table, report.townships):
        assert r[1] == row.name and list(r[2:10]) == [
            row.members,
            row.aged_35_or_less,
            row.aged_30_or_less,
            row.women,
            row.experienced_2y,
            row.cpc,
            row.minority,
            row.postgraduate_or_bachelor,
        ]
    assert table[-1][2] == report.totals.members and table[-1][3] == report.totals.aged_35_or_less

    # summary: each quota's verdict agrees with the checker's findings for its rule
    sm = wb[SHEETS["summary"]]
    quota_rows = {}
    for r in sm.iter_rows(values_only=True):
        if r[7] in ("young-principals", "young-members", "young-members-team", "under-30", "women") and r[0]:
            quota_rows[r[7]] = r
    found = {rid: [v for v in report.violations if v.rule == rid] for rid in quota_rows}
    yp = quota_rows["young-principals"]
    assert yp[4] == "≥90%" and yp[5] == "未达标"
    [v] = found["young-principals"]
    need = -(-9 * yp[2] // 10)
    assert v.amount == need - yp[1]
    assert yp[1] == sum(
        1
        for p, post in inst.posts.items()
        if post.role in ("party_secretary", "township_head") and inst.age(report.view.final[p], inst.as_of) <= 35
    )
    ymt = quota_rows["young-members-team"]
    assert ymt[2] == len(inst.townships)
    assert ymt[2] - ymt[1] == len({t for v in found["young-members-team"] for t in v.townships}) > 0
    assert ymt[5] == "未达标" and ymt[6] == "柔性"
    for rid in ("young-members", "under-30"):
        assert (quota_rows[rid][5] == "达标") == (not found[rid])
    assert quota_rows["women"][1] == sum(1 for row in report.townships if row.women >= 1)

    # findings: every violation, with both messages
    vs = wb[SHEETS["violations"]]
    vcol = {h: j for j, h in enumerate(next(vs.iter_rows(min_row=2, max_row=2, values_only=True)))}
    listed = {
        (r[vcol["规则"]], r[vcol["说明"]], r[vcol["Description"]])
        for r in vs.iter_rows(min_row=3, values_only=True)
        if r[0] is not None
    }
    assert listed == {(v.rule, v.message_zh, v.message_en) for v in report.violations}

    # a township sheet: the team after the plan
    t0 = next(iter(inst.townships))
    ws = wb[inst.townships[t0].name]
    holders = {r[13]: r[3] for r in ws.iter_rows(min_row=4, values_only=True) if r[13] in inst.posts}
    assert holders == {
        p: (inst.cadres[report.view.final[p]].name if report.view.final[p] else "（空缺）") for p in inst.posts_of[t0]
    }


def test_export_is_laid_out_for_printing(tmp_path):
    sc_path, plan_path, sc, plan = _county_and_plan(tmp_path)
    inst = load_scenario(sc)
    wb = export_plan(inst, load_plan(plan, inst)).workbook
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue  # the plan data `planner check` reads back; never printed
        assert ws.page_setup.orientation == "landscape"
        assert ws.print_title_rows
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.column_dimensions["A"].customWidth and ws.column_dimensions["B"].customWidth
    moves = wb[SHEETS["moves"]]
    assert moves.freeze_panes == "C3"
    assert moves.cell(row=2, column=2).font.name == "宋体" and moves.cell(row=2, column=2).font.bold
    assert moves.cell(row=3, column=2).font.name == "宋体"
    assert moves["A1"].value.startswith(inst.doc.county.name)


def test_export_of_a_plan_that_leaves_a_post_vacant(tmp_path):
    sc, plan = generate(SynthOptions(townships=3, seed=2))
    post = next(a for a in plan["assignments"] if a["post"].endswith("-SEC"))
    post["cadre"], post["wave"] = None, 1
    inst = load_scenario(sc)
    result = export_plan(inst, load_plan(plan, inst))
    hard = [v for v in result.report.violations if v.hard]
    assert any(v.rule == "principal-filled" for v in hard)
    wb = load_workbook(__import__("io").BytesIO(workbook_bytes(result.workbook)))
    sm = wb[SHEETS["summary"]]
    verdict = [r[1] for r in sm.iter_rows(values_only=True) if r[0] == "刚性规则核查"]
    assert verdict and "违反" in verdict[0]
    township = inst.townships[inst.posts[post["post"]].township].name
    vacant = [r for r in wb[township].iter_rows(min_row=4, values_only=True) if r[13] == post["post"]]
    assert vacant[0][3] == "（空缺）"


def test_export_with_a_bad_plan_exits_2_and_writes_nothing(tmp_path):
    sc_path, plan_path, sc, plan = _county_and_plan(tmp_path)
    plan["assignments"][0]["cadre"] = "NOBODY"
    plan_path.write_text(json.dumps(plan), encoding="utf-8")
    out = tmp_path / "plan.xlsx"
    res = CliRunner().invoke(app, ["export", str(sc_path), str(plan_path), "--out", str(out)])
    assert res.exit_code == 2 and not out.exists()
    assert "NOBODY" in res.output


def test_export_template_command(tmp_path):
    out = tmp_path / "t.xlsx"
    res = CliRunner().invoke(app, ["export-template", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert SHEETS["cadres"] in load_workbook(out).sheetnames


# ------------------------------------------------------------------------------- implausible records: warnings


def test_records_that_cannot_be_true_are_imported_with_located_warnings(tmp_path):
    """Leadership years above work years, the post before the rank, a section chief at 22: imported (a warning
    is no refusal), each warning located at its cell like an error, and shown by `planner import`."""
    sc = small()
    assert import_workbook(roster_file(tmp_path, sc, "clean.xlsx")).warnings == []  # synth careers are consistent
    holders = [c for c in sc["cadres"] if c["current_post"]]
    a, b, chief = holders[0], holders[1], next(c for c in holders[2:] if c["rank"] == "section_chief")
    a["township_work_years"], a["township_leadership_years"] = 3.0, 6.5
    b["post_since"], b["rank_since"] = "2019-03-01", "2021-06-01"
    chief["birth_date"], chief["rank_since"] = "1990-05-01", "2012-07-01"  # 正科 at 22
    chief["post_since"] = "2020-01-01"
    path = roster_file(tmp_path, sc)
    result = import_workbook(path)
    assert normalised(result.scenario) == normalised(sc)  # imported as written
    ws = load_workbook(path)[SHEETS["cadres"]]
    row = {c["id"]: 2 + i for i, c in enumerate(sc["cadres"])}  # the header, then one row per cadre

    def at(cadre, header):
        letter = ws.cell(row=1, column=column(ws, header)).column_letter
        return f"干部名册!{letter}{row[cadre['id']]} (第{row[cadre['id']]}行 row {row[cadre['id']]}, {header})"

    got = {(w.location, w.message_en) for w in result.warnings}
    assert got == {
        (at(a, "乡镇领导工作年限"), f"{a['name']}: 6.5 years of township leadership exceed 3.0 years of township work"),
        (
            at(b, "任现职时间"),
            f"{b['name']}: in the current post since 2019-03-01, before reaching the rank on 2021-06-01",
        ),
        (at(chief, "出生年月"), f"{chief['name']}: the birth date makes them 正科 at 22 (hardly ever before 25)"),
    }
    assert all(w.message_zh for w in result.warnings)
    res = CliRunner().invoke(app, ["import", str(path), "--out", str(tmp_path / "county.json")], env={"COLUMNS": "200"})
    assert res.exit_code == 0 and (tmp_path / "county.json").exists(), res.output
    assert "3条记录不合常理" in res.output and "正科 at 22" in res.output and at(b, "任现职时间") in res.output
