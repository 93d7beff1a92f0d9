"""The benchmark scripts are not run by the suite (they measure, they do not assert), but they
must still load against today's library: `make bench-serve` once failed on a removed import."""

from __future__ import annotations

import runpy
import sys

import pytest
from conftest import REPO

SCRIPTS = sorted((REPO.root / "benchmarks").glob("*.py"))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_each_benchmark_script_loads(monkeypatch, script):
    monkeypatch.setattr(sys, "path", [str(script.parent), *sys.path])  # they import each other (from bench import ...)
    names = runpy.run_path(str(script), run_name="benchmark")
    assert callable(names.get("main")) or any(callable(v) for k, v in names.items() if not k.startswith("_"))
