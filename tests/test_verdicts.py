"""Checks that passed are remembered by the digest of what they read, and nothing else."""

from __future__ import annotations

import os

import pytest
from conftest import edit_file

import leaflet.catalogs.checks as checks_module
import leaflet.render.preflight as preflight_module
from leaflet import build, verdicts
from leaflet.errors import CatalogProblems


@pytest.fixture
def own_cache(monkeypatch, tmp_path):
    """A cache of this test's own, so no other test's passes count."""
    monkeypatch.setenv("LEAFLET_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def counted(monkeypatch) -> dict[str, int]:
    """How often the catalog checks and the preflight really ran."""
    calls = {"checks": 0, "preflight": 0}
    check_catalog, preflight = checks_module.check_catalog, preflight_module.preflight

    def counted_checks(*args, **kwargs):
        calls["checks"] += 1
        return check_catalog(*args, **kwargs)

    def counted_preflight(*args, **kwargs):
        calls["preflight"] += 1
        return preflight(*args, **kwargs)

    monkeypatch.setattr(checks_module, "check_catalog", counted_checks)
    monkeypatch.setattr(preflight_module, "preflight", counted_preflight)
    return calls


def test_a_rebuild_of_unchanged_inputs_checks_nothing_twice(project, own_cache, counted):
    build("diazepam", "es", project=project)
    first = dict(counted)
    assert first["checks"] >= 1 and first["preflight"] == 1
    from leaflet.catalogs.gate import _checked

    _checked.cache_clear()  # as in a new process: only the remembered passes count
    build("diazepam", "es", project=project)
    assert counted == first
    assert any((own_cache / "passed" / "gate").iterdir()) and any((own_cache / "passed" / "preflight").iterdir())


def test_an_edited_catalog_is_checked_again_and_a_failure_is_never_remembered(project, own_cache, counted):
    build("diazepam", "es", project=project)
    edit_file(project.po_file("es", "diazepam"), ('msgstr "Precauciones"', 'msgstr "Precauciones 5"'))
    from leaflet.catalogs.gate import _checked

    for _ in range(2):  # as in two new processes
        _checked.cache_clear()
        before = counted["checks"]
        with pytest.raises(CatalogProblems):
            build("diazepam", "es", project=project)
        assert counted["checks"] > before


def test_the_code_and_the_installed_libraries_are_part_of_every_key(monkeypatch):
    verdicts.code_digest.cache_clear()
    now = verdicts.code_digest()
    monkeypatch.setattr(verdicts, "installed_distributions", lambda: ["babel-99.0.dist-info"])
    verdicts.code_digest.cache_clear()
    try:
        assert verdicts.code_digest() != now
    finally:
        verdicts.code_digest.cache_clear()


def test_a_fifo_is_digested_as_nothing_without_waiting(tmp_path):
    fifo = tmp_path / "content.md"
    os.mkfifo(fifo)
    assert verdicts.file_sha256(fifo) == "-"


def test_remembered_passes_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(verdicts, "MAX_PASSES", 10)
    for n in range(25):
        verdicts.remember_pass(tmp_path, "gate", f"{n:04d}")
    assert len(list((tmp_path / "passed" / "gate").iterdir())) <= 10
    assert verdicts.passed(tmp_path, "gate", "0024")
