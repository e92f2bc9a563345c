"""`planner report`: the meeting document, read back with python-docx (and rendered by LibreOffice)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from typer.testing import CliRunner

from planner.audit.check import check_plan
from planner.cli.common import app
from planner.domain import load_plan, load_scenario
from planner.domain.documents import Move
from planner.io.report import build_report, post_name
from planner.solver.options import SolveOptions
from planner.solver.solve import solve
from tests.solve_strategies import synth_county
from tests.test_explain import both_leaving_scenario


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """A synthetic 4-township county with one subdistrict, its plan solved and audited by the checker."""
    doc, _ = synth_county(4, 11)
    doc = json.loads(json.dumps(doc))
    doc["townships"][1]["kind"] = "subdistrict"
    inst = load_scenario(doc)
    res = solve(inst, SolveOptions(time_limit=20, workers=2))
    assert res.found
    assert check_plan(inst, res.plan).ok  # the oracle: no hard rule broken
    d = tmp_path_factory.mktemp("report")
    sp, pp = d / "county.json", d / "plan.json"
    sp.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    pp.write_text(json.dumps(res.plan.model_dump(mode="json", by_alias=True), ensure_ascii=False), encoding="utf-8")
    return inst, res.plan, sp, pp


def _text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_report_command_writes_a_document_with_every_part_move_and_township(county, tmp_path):
    inst, plan, sp, pp = county
    out = tmp_path / "方案.docx"
    res = CliRunner().invoke(app, ["report", str(sp), str(pp), "--out", str(out)])
    assert res.exit_code == 0, res.output
    doc = Document(str(out))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    for part in (
        "一、总体情况",
        "二、班子结构指标",
        "三、调整名单及理由",
        "四、调整链条",
        "五、需要说明的问题",
        "附件：一乡一表",
    ):
        assert part in headings
    assert doc.paragraphs[0].text == f"{inst.doc.county.name}乡镇领导班子调整方案"
    text = _text(doc)
    assert plan.moves
    for m in plan.moves:
        assert inst.cadres[m.cadre].name in text
        if m.to:
            assert post_name(inst, m.to) in text
    for t in inst.townships.values():  # a page per township, each opening with its heading after a page break
        assert f"{t.name}领导班子调整前后对照表" in headings
    breaks = sum(1 for p in doc.paragraphs for r in p.runs if 'w:type="page"' in r._r.xml)
    assert breaks == len(inst.townships)
    # the team table of each township lists every post by its title in that township's kind
    sub = next(t for t in inst.townships if inst.townships[t].kind == "subdistrict")
    titles = {inst.role_title(p) for p in inst.posts_of[sub]}
    assert "党工委书记" in titles and "党工委书记" in text and "办事处主任" in titles


def test_report_looks_like_an_official_document(county):
    inst, plan, _, _ = county
    doc = build_report(inst, plan).document
    sec = doc.sections[0]
    assert round(sec.page_width.cm, 1) == 21.0 and round(sec.page_height.cm, 1) == 29.7
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋"
    title = doc.styles["Title"].element.rPr.find(qn("w:rFonts"))
    assert title.get(qn("w:eastAsia")) == "宋体"
    footer = sec.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "fldChar" in footer


def test_the_quota_table_has_thresholds_before_and_after(county):
    inst, plan, _, _ = county
    doc = build_report(inst, plan).document
    quota = doc.tables[0]
    assert [c.text for c in quota.rows[0].cells] == ["指标", "要求", "调整前", "调整后", "结论"]
    indicators = [r.cells[0].text for r in quota.rows[1:]]
    assert any("35岁" in i for i in indicators) and any("30岁" in i for i in indicators)
    assert all(r.cells[4].text in ("达到", "未达到", "未启用", "参考") for r in quota.rows[1:])


def test_moves_show_their_reasons_when_the_plan_carries_them(county):
    inst, plan, _, _ = county
    plan = plan.model_copy(deep=True)
    m0 = plan.moves[0]
    reason = {"rule": "young-members", "message_zh": "补充35岁以下干部", "message_en": "a young member"}
    plan.moves[0] = Move.model_validate({**m0.model_dump(by_alias=True), "reasons": [reason]})
    doc = build_report(inst, plan).document
    moves = next(t for t in doc.tables if t.rows[0].cells[1].text == "姓名")
    assert moves.rows[0].cells[-1].text == "理由"
    row = next(r for r in moves.rows[1:] if inst.cadres[m0.cadre].name in r.cells[1].text)
    assert row.cells[-1].text == "补充35岁以下干部"
    # without reasons the column is not there
    plain = build_report(inst, load_plan(county[3], inst)).document
    assert "理由" not in [c.text for t in plain.tables for c in t.rows[0].cells]


def test_english_document(county):
    inst, plan, _, _ = county
    doc = build_report(inst, plan, lang="en").document
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "1. Summary" in headings and "Annex: one table per township" in headings


def test_infeasible_plan_gets_a_document_with_the_explanation(tmp_path):
    sp = tmp_path / "s.json"
    sp.write_text(json.dumps(both_leaving_scenario(), ensure_ascii=False), encoding="utf-8")
    pp = tmp_path / "plan.json"
    res = CliRunner().invoke(
        app, ["solve", str(sp), "--out", str(pp), "--time-limit", "10", "--workers", "2", "--quiet"]
    )
    assert res.exit_code == 1, res.output
    out = tmp_path / "r.docx"
    res = CliRunner().invoke(app, ["report", str(sp), str(pp), "--out", str(out)])
    assert res.exit_code == 0, res.output
    text = _text(Document(str(out)))
    assert "不存在满足全部刚性规则的方案" in text and "同时离任" in text


def test_report_bad_input_exits_2_and_writes_nothing(county, tmp_path):
    inst, _, sp, _ = county
    bad = tmp_path / "plan.json"
    bad.write_text(
        json.dumps(
            {
                "format": "reshuffle-plan/1",
                "county": inst.doc.county.id,
                "as_of": inst.as_of.isoformat(),
                "status": "feasible",
                "assignments": [{"post": "NOPE", "cadre": None}],
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "r.docx"
    res = CliRunner().invoke(app, ["report", str(sp), str(bad), "--out", str(out)])
    assert res.exit_code == 2 and "Traceback" not in res.output and "NOPE" in res.output
    assert not out.exists()
    res = CliRunner().invoke(app, ["report", str(sp), str(bad), "--out", str(out), "--lang", "fr"])
    assert res.exit_code == 2 and not out.exists()


def test_libreoffice_renders_a_page_per_township(county, tmp_path):
    """The document as it prints: LibreOffice's PDF has the title, every township's page, page numbers."""
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    assert soffice and pdftotext, "scripts/system-deps.sh installs libreoffice-writer and poppler-utils"
    inst, plan, _, _ = county
    path = tmp_path / "r.docx"
    path.write_bytes(build_report(inst, plan).to_bytes())
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pages = subprocess.run(
        [pdftotext, "-layout", str(tmp_path / "r.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) > len(inst.townships)
    for t in inst.townships.values():
        holding = [p for p in pages if f"{t.name}领导班子调整前后对照表" in p]
        assert len(holding) == 1
    assert re.search(rf"—\s*{len(pages)}\s*—", pages[-1])  # the footer's page number, inside the margins
