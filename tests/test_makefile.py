"""The Makefile passes what people type as data, never as shell code."""

import subprocess

import pytest
from conftest import REPO


@pytest.mark.parametrize("target, variables", [
    ("pdf", ['PAPER=a4"; touch {marker}; echo "', "LANG=es"]),
    ("pdf", ["LANG=`touch {marker}`"]),
    ("pdf", ["LANG=es", "PHARMACY=$$(touch {marker})"]),
    ("check", ["LANG=`touch {marker}`"]),
    ("preview", ["LANG=$$(touch {marker})"]),
    ("audio", ["LANG=$$(touch {marker})"]),
    ("init-po", ["LANG=`touch {marker}`"]),
    ("proof", ["LANG=es", "PAPER=$$(touch {marker})"]),
    ("draft", ["LANG=es", "PHARMACY=x'; touch {marker}; echo '"]),
    ("serve", ["PORT=`touch {marker}`"]),
    ("serve", ["PORT=8000; touch {marker}"]),
    ("serve", ["PHARMACY=$$(touch {marker})"]),
    ("preflight", ["FILES=x.pdf; touch {marker}"]),
    ("preflight", ["FILES=$$(touch {marker})"]),
], ids=lambda v: v if isinstance(v, str) else " ".join(v))
def test_typed_values_never_run_as_shell(tmp_path, target, variables):
    marker = tmp_path / "pwned"
    result = subprocess.run(["make", "--no-print-directory", target, *[v.format(marker=marker) for v in variables]],
                            cwd=REPO.root, capture_output=True, text=True, timeout=120)
    assert not marker.exists(), result.stdout + result.stderr
    assert result.returncode != 0 and "Error:" in result.stderr
