"""The house keeps its shape: import contracts, no oversized rooms, lint (CONTRIBUTING.md)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 600


def _run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_the_import_contracts_hold():
    exe = shutil.which("lint-imports")
    assert exe, "import-linter is a test dependency (pip install -e '.[test]')"
    run = _run(exe, "--no-cache")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout


@pytest.mark.parametrize("package", ["planner", "api"])
def test_no_module_is_too_big_to_live_in(package):
    big = {
        str(p.relative_to(ROOT)): n
        for p in (ROOT / package).rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) >= MAX_LINES
    }
    assert not big, f"modules of {MAX_LINES}+ lines: {big}"


def test_ruff_finds_nothing():
    run = _run(sys.executable, "-m", "ruff", "check", "planner", "api", "tests", "benchmarks")
    assert run.returncode == 0, run.stdout[-4000:]


def test_the_code_is_formatted():
    run = _run(sys.executable, "-m", "ruff", "format", "--check", "planner", "api", "tests", "benchmarks", "scenarios")
    assert run.returncode == 0, run.stdout[-4000:]


def test_the_types_check():
    run = _run(sys.executable, "-m", "mypy", "planner", "api")  # config in pyproject.toml [tool.mypy]
    assert run.returncode == 0 and "Success:" in run.stdout, (run.stdout + run.stderr)[-4000:]
