"""ruff is the project's style: the suite fails when the code is not ruff clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.process  # each test starts processes of its own

PROJECT = Path(__file__).resolve().parent.parent


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    found = shutil.which("ruff")
    command = [found] if found else [sys.executable, "-m", "ruff"]
    return subprocess.run(
        [*command, *args], cwd=PROJECT, capture_output=True, text=True, timeout=120
    )


def test_ruff_check():
    result = ruff("check", "tui", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format():
    result = ruff("format", "--check", "tui", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr
