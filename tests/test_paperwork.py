"""The officer's paperwork: titles by township kind, names instead of ids, the plan workbook edited in Excel and
re-checked, a what-if from the workbook, and pages that print (rendered through LibreOffice for real)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from planner.analysis.delta import apply_delta
from planner.audit.check import check_plan
from planner.cli import app
from planner.domain import load_plan, load_scenario
from planner.domain.errors import InputError
from planner.domain.names import Names, Unresolved
from planner.i18n import post_title
from planner.io.excel.plan_read import read_plan_workbook, read_whatif_workbook
from planner.io.excel.style import workbook_bytes
from planner.io.excel.workbook import export_plan

ROOT = Path(__file__).resolve().parent.parent
COUNTY = ROOT / "scenarios" / "county-20.json"
COUNTY_PLAN = ROOT / "scenarios" / "county-20.plan.json"


@pytest.fixture(scope="module")
def county():
    inst = load_scenario(COUNTY)
    return inst, load_plan(COUNTY_PLAN, inst)


def _post_of(inst, kind: str, role: str) -> str:
    return next(p for p, post in inst.posts.items() if post.role == role and inst.townships[post.township].kind == kind)


# ------------------------------------------------------------------------------------------ titles


def test_one_table_titles_each_post_by_its_township_kind():
    assert post_title("subdistrict", "party_secretary") == "党工委书记"
    assert post_title("subdistrict", "township_head") == "办事处主任"
    assert post_title("subdistrict", "congress_chair") == "人大工委主任"
    assert post_title("subdistrict", "deputy_head") == "办事处副主任"
    assert post_title("town", "township_head") == "镇长" and post_title("town", "deputy_head") == "副镇长"
    assert (
        post_title("township", "township_head") == "乡长" and post_title("ethnic_township", "deputy_head") == "副乡长"
    )
    assert (
        post_title("town", "party_secretary") == "党委书记" and post_title("township", "congress_chair") == "人大主席"
    )


def test_post_labels_in_messages_follow_the_kind(county):
    inst, plan = county
    sec = _post_of(inst, "subdistrict", "party_secretary")
    head = _post_of(inst, "town", "township_head")
    assert inst.post_label(sec) == f"{inst.townships[inst.posts[sec].township].name}党工委书记({sec})"
    assert inst.post_label(head) == f"{inst.townships[inst.posts[head].township].name}镇长({head})"
    report = check_plan(inst, plan)
    text = " ".join(v.message_zh for v in report.violations)
    assert "乡镇长(" not in text and not re.search(r"街道党委书记", text)


# ------------------------------------------------------------------------------------------ names


def test_names_resolve_people_and_titles(county):
    inst, _ = county
    names = Names.of(inst)
    sec = _post_of(inst, "subdistrict", "party_secretary")
    town = inst.townships[inst.posts[sec].township].name
    assert names.post(f"{town}党工委书记") == sec
    assert names.post(f"{town}书记") == sec  # unambiguous shorthand
    assert names.post(f" {town} 党工委书记 ") == sec and names.post(sec) == sec
    holder = inst.holder[sec]
    assert names.cadre(inst.cadres[holder].name) == holder
    assert names.cadre(f"{inst.cadres[holder].name}（{holder}）") == holder
    other = next(c for c in inst.cadres if c != holder and inst.cadres[c].name != inst.cadres[holder].name)
    with pytest.raises(Unresolved) as exc:
        names.cadre(f"{inst.cadres[holder].name}({other})")  # the name and the id disagree
    assert exc.value.mismatch and inst.cadres[other].name in exc.value.texts()[0]
    with pytest.raises(Unresolved) as exc:
        names.cadre("诸葛不存在")
    assert not exc.value.ambiguous and "诸葛不存在" in exc.value.texts()[0]


def _twins(tmp_path: Path) -> tuple[dict, str, str]:
    """The sample county where two cadres share a name."""
    doc = json.loads(COUNTY.read_text(encoding="utf-8"))
    a, b = doc["cadres"][0], doc["cadres"][1]
    b["name"] = a["name"]
    return doc, a["id"], b["id"]


def test_a_shared_name_is_ambiguous_and_lists_both(tmp_path):
    doc, a, b = _twins(tmp_path)
    inst = load_scenario(doc)
    with pytest.raises(Unresolved) as exc:
        Names.of(inst).cadre(inst.cadres[a].name)
    assert exc.value.ambiguous and set(exc.value.ids) == {a, b}
    zh, en = exc.value.texts()
    assert f"({a}" in zh and f"({b}" in zh and "2" in zh
    # titles two posts share: 副镇长
    twice = [
        p
        for p in inst.posts_of[inst.posts[_post_of(inst, "town", "deputy_head")].township]
        if inst.posts[p].role == "deputy_head"
    ]
    if len(twice) > 1:
        with pytest.raises(Unresolved) as exc:
            Names.of(inst).post(inst.post_title(twice[0]))
        assert set(exc.value.ids) == set(twice)


def test_a_delta_by_names_and_titles(county):
    inst, _ = county
    sec = _post_of(inst, "subdistrict", "party_secretary")
    holder = inst.holder[sec]
    mover = next(c for c in inst.cadres.values() if c.current_post is None and not c.leaving)
    delta = {
        "format": "reshuffle-delta/1",
        "leaving": [inst.cadres[holder].name],
        "forbids": [{"cadre": mover.name, "post": inst.post_title(sec)}],
    }
    sc = apply_delta(inst.doc, delta)
    assert next(c for c in sc.cadres if c.id == holder).leaving
    assert (mover.id, sec) in {(f.cadre, f.post) for f in sc.forbids}
    with pytest.raises(InputError) as exc:
        apply_delta(
            inst.doc,
            {
                "format": "reshuffle-delta/1",
                "leaving": ["张飞阳"],
                "pins": [{"cadre": mover.name, "post": "无此镇镇长"}],
            },
        )
    locations = [p.location for p in exc.value.problems]
    assert locations == ["leaving[0]", f"pins[0] {mover.name}→无此镇镇长 › post"]  # as the user wrote it
    assert "找不到干部“张飞阳”" in exc.value.problems[0].message_zh


# ------------------------------------------------------------------------------------------ the plan workbook


@pytest.fixture(scope="module")
def exported(tmp_path_factory, county):
    inst, plan = county
    path = tmp_path_factory.mktemp("wb") / "plan.xlsx"
    path.write_bytes(workbook_bytes(export_plan(inst, plan).workbook))
    return path


def _moves_cols(ws) -> dict[str, int]:
    return {h: j + 1 for j, h in enumerate(next(ws.iter_rows(min_row=2, max_row=2, values_only=True))) if h}


def test_the_exported_workbook_reads_back_as_the_same_plan(county, exported):
    inst, plan = county
    read = read_plan_workbook(exported, inst)
    assert {a.post: a.cadre for a in read.plan.assignments} == {a.post: a.cadre for a in plan.assignments}
    assert read.changes == []
    assert check_plan(inst, read.plan).objective == check_plan(inst, plan).objective


def test_two_cells_edited_in_excel_are_checked_and_the_changed_people_named(county, exported, tmp_path):
    inst, plan = county
    wb = load_workbook(exported)
    ws = wb["调整名单"]
    col = _moves_cols(ws)
    rows = [r for r in range(3, ws.max_row + 1) if ws.cell(r, col["拟任职务"]).value not in (None, "—")]
    # swap the new posts of two people in different townships (the officer edits two 拟任 cells)
    r1 = rows[0]
    t1 = inst.posts[ws.cell(r1, col["岗位编号"]).value].township
    r2 = next(r for r in rows if inst.posts[ws.cell(r, col["岗位编号"]).value].township != t1)
    p1, p2 = ws.cell(r1, col["岗位编号"]).value, ws.cell(r2, col["岗位编号"]).value
    ws.cell(r1, col["拟任职务"]).value = inst.post_title(p2) + f"({p2})"
    ws.cell(r2, col["拟任职务"]).value = p1  # an id works too
    edited = tmp_path / "plan_edited.xlsx"
    wb.save(edited)
    c1, c2 = ws.cell(r1, col["干部编号"]).value, ws.cell(r2, col["干部编号"]).value

    read = read_plan_workbook(edited, inst)
    got = {a.post: a.cadre for a in read.plan.assignments}
    assert got[p1] == c2 and got[p2] == c1
    changed = " ".join(zh for zh, _ in read.changes)
    assert len(read.changes) == 2 and inst.cadres[c1].name in changed and inst.cadres[c2].name in changed

    res = CliRunner().invoke(app, ["check", str(COUNTY), str(edited)])
    assert res.exit_code in (0, 1), res.output
    assert "codec" not in res.output and inst.cadres[c1].name in res.output
    res = CliRunner().invoke(app, ["check", str(COUNTY), str(edited), "--json"])
    doc = json.loads(res.output)
    assert len(doc["workbook"]["changes"]) == 2


def test_unknown_and_shared_names_are_located_in_their_cells(tmp_path):
    doc, a, b = _twins(tmp_path)
    inst = load_scenario(doc)
    wb = Workbook()
    ws = wb.active
    ws.title = "调整名单"
    ws.append(["姓名", "拟任职务"])
    target = next(
        p for p, post in inst.posts.items() if post.role == "township_head" and inst.holder[p] not in (a, b, None)
    )
    ws.append([inst.cadres[a].name, inst.post_title(target)])
    ws.append(["诸葛不存在", inst.post_title(target)])
    ws.append([inst.cadres[inst.holder[target]].name, "无此镇镇长"])
    path = tmp_path / "hand.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as exc:
        read_plan_workbook(path, inst)
    by_loc = {p.location: p for p in exc.value.problems}
    assert set(by_loc) == {
        "调整名单!A2 (第2行 row 2, 姓名)",
        "调整名单!A3 (第3行 row 3, 姓名)",
        "调整名单!B4 (第4行 row 4, 拟任职务)",
    }
    twin = by_loc["调整名单!A2 (第2行 row 2, 姓名)"].message_zh
    assert f"{inst.cadres[a].name}({a}" in twin and f"{inst.cadres[b].name}({b}" in twin
    # the id settles it: 张三(C0001)
    ws["A2"].value = f"{inst.cadres[a].name}({a})"
    ws.delete_rows(3, 2)
    wb.save(path)
    read = read_plan_workbook(path, inst)
    got = {x.post: x.cadre for x in read.plan.assignments}
    assert got[target] == a and read.changes is None
    assert any(inst.cadres[inst.holder[target]].name in zh for zh, _ in read.notes)  # the displaced holder


def test_a_hand_typed_sheet_with_a_release_and_waves_ignored(county, tmp_path):
    inst, _ = county
    sec = _post_of(inst, "subdistrict", "party_secretary")
    holder = inst.holder[sec]
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["县拟调整干部"])  # a title row above the header
    ws.append(["序号", "姓名", "拟任职务", "调整类型"])
    ws.append([1, inst.cadres[holder].name, "", "免职"])
    path = tmp_path / "typed.xlsx"
    wb.save(path)
    read = read_plan_workbook(path, inst)
    got = {a.post: a.cadre for a in read.plan.assignments}
    assert got[sec] is None and all(got[p] == inst.holder[p] for p in inst.posts if p != sec)
    report = check_plan(inst, read.plan)
    assert any(v.rule in ("principal-filled", "seamless-handover") and sec in v.posts for v in report.violations)


def test_check_tells_file_types_by_content_never_a_codec_error(tmp_path):
    junk = tmp_path / "plan.json"
    junk.write_bytes(b"\x82\xff\x00garbage" * 10)
    res = CliRunner().invoke(app, ["check", str(COUNTY), str(junk)])
    assert res.exit_code == 2 and "codec" not in res.output and "无法识别文件类型" in res.output
    old = tmp_path / "plan.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    res = CliRunner().invoke(app, ["check", str(COUNTY), str(old)])
    assert res.exit_code == 2 and ".xlsx" in res.output
    renamed = tmp_path / "plan_without_extension"  # an .xlsx saved under another name is still a workbook
    shutil.copy(COUNTY_PLAN, tmp_path / "p.json")
    inst = load_scenario(COUNTY)
    renamed.write_bytes(workbook_bytes(export_plan(inst, load_plan(COUNTY_PLAN, inst)).workbook))
    res = CliRunner().invoke(app, ["check", str(COUNTY), str(renamed)])
    assert res.exit_code == 0, res.output


def test_a_whatif_from_the_workbook(county, exported, tmp_path):
    inst, plan = county
    wb = load_workbook(exported)
    sec = _post_of(inst, "subdistrict", "party_secretary")
    page = wb[inst.townships[inst.posts[sec].township].name]
    heads = {h: j + 1 for j, h in enumerate(next(page.iter_rows(min_row=3, max_row=3, values_only=True))) if h}
    row = next(r for r in range(4, page.max_row + 1) if page.cell(r, heads["岗位编号"]).value == sec)
    leaver = {a.post: a.cadre for a in plan.assignments}[sec]
    page.cell(row, heads["离任"]).value = "是"
    dec = wb["锁定排除"]
    mover = next(c for c in inst.cadres.values() if c.current_post is None and not c.leaving)
    dec.append(["排除", mover.name, inst.post_title(sec)])
    path = tmp_path / "whatif.xlsx"
    wb.save(path)
    delta = read_whatif_workbook(path, inst)
    assert delta["leaving"] == [leaver]
    assert delta["forbids"] == [{"cadre": mover.id, "post": sec}] and delta["pins"] == []
    sc = apply_delta(inst.doc, delta)
    assert next(c for c in sc.cadres if c.id == leaver).leaving
    dec.append(["锁定", "诸葛不存在", inst.post_title(sec)])
    wb.save(path)
    with pytest.raises(InputError) as exc:
        read_whatif_workbook(path, inst)
    [p] = exc.value.problems
    assert p.location.startswith("锁定排除!B") and "诸葛不存在" in p.message_zh


def test_recommend_resolves_a_post_title(county):
    inst, _ = county
    res = CliRunner().invoke(app, ["recommend", str(COUNTY), "--post", "无此街道党工委书记"])
    assert res.exit_code == 2 and "--post" in res.output and "找不到岗位" in res.output


# ------------------------------------------------------------------------------------------ pages that print


def test_zh_workbook_has_no_english_or_rule_ids_on_its_pages(county):
    inst, plan = county
    wb = export_plan(inst, plan).workbook
    rule_ids = re.compile(r"\b[a-z]+(-[a-z0-9]+)+\b")
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        hidden = {k for k, d in ws.column_dimensions.items() if d.hidden}
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.column_letter not in hidden and c.row > 1:
                    assert not rule_ids.search(c.value), (ws.title, c.coordinate, c.value)
                    assert "Description" not in c.value
    both = export_plan(inst, plan, lang="both").workbook
    assert "Description" in [c.value for c in both["问题清单"][2]]


def _words(pdf: Path) -> list[tuple[int, float, float, float, float, str]]:
    """Every word of the PDF with its page and box (pdftotext -bbox)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words, page = [], 0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if m:
            words.append((page, *map(float, m.groups()[:4]), m[5]))
    return words


def _page_height(pdf: Path) -> float:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    w, h = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups()
    return float(h)


def test_the_workbook_prints_through_libreoffice(county, tmp_path):
    """Rendered for real: every finding's and every move's full text is on the pages, no ###, no two words
    printed over each other (wrapped rows have their height), every footer inside the page."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "CI must render the workbook: install libreoffice-calc and poppler-utils (scripts/debian-packages.txt)"
            )
        pytest.skip("LibreOffice or poppler-utils missing")
    doc = json.loads(COUNTY.read_text(encoding="utf-8"))
    inst0, plan0 = county
    # officers write long unit names: these cells must wrap onto several lines, and the rows grow to fit
    outsiders = {m.cadre for m in plan0.moves if inst0.cadres[m.cadre].current_post is None}
    for c in doc["cadres"]:
        if c["id"] in outsiders:
            c["current_unit"] = "县农业农村局(县乡村振兴局)驻" + c["name"] + "所在村第一书记工作队队长兼乡村振兴指导员"
    inst = load_scenario(doc)
    plan = load_plan(COUNTY_PLAN, inst)
    result = export_plan(inst, plan)
    xlsx = tmp_path / "plan.xlsx"
    xlsx.write_bytes(workbook_bytes(result.workbook))
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = tmp_path / "plan.pdf"
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s", "", raw)
    assert "###" not in raw
    for v in result.report.violations:
        assert re.sub(r"\s", "", v.message_zh) in flat, v.message_zh
    for m in result.plan.moves:
        if m.to is not None:
            assert inst.post_title(m.to) in flat
        unit = inst.cadres[m.cadre].current_unit
        if m.cadre in outsiders:
            assert unit in flat, unit
    for t in inst.townships.values():
        assert f"{t.name}领导班子调整前后对照表" in flat
    words = _words(pdf)
    height = _page_height(pdf)
    footers = [w for w in words if w[5] == "第"]
    assert len(footers) >= len(inst.townships) and all(w[4] < height - 5 for w in footers)
    # LibreOffice writes a hidden column's text (the 干部编号/岗位编号 that `check` reads back) clipped to zero
    # width: single characters stacked at one x. Not printed, so not an overlap.
    stacked: dict[tuple[int, float], int] = {}
    for w in words:
        if len(w[5]) == 1 and w[5].isascii():
            stacked[(w[0], w[1])] = stacked.get((w[0], w[1]), 0) + 1
    by_page: dict[int, list] = {}
    for w in words:
        if not (len(w[5]) == 1 and w[5].isascii() and stacked[(w[0], w[1])] >= 5):
            by_page.setdefault(w[0], []).append(w)
    for page, ws in by_page.items():
        ws.sort(key=lambda w: w[2])
        for i, a in enumerate(ws):
            for b in ws[i + 1 :]:
                if b[2] >= a[4]:
                    break
                dx = min(a[3], b[3]) - max(a[1], b[1])
                dy = min(a[4], b[4]) - max(a[2], b[2])
                small = min((a[3] - a[1]) * (a[4] - a[2]), (b[3] - b[1]) * (b[4] - b[2]))
                assert not (dx > 0 and dy > 0 and dx * dy > 0.3 * small), (page, a[5], b[5])
