"""A new leaflet is a content change: ``leaflet new``, and a third leaflet added from tests/data
to a copy of the project with no code change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import pdf_text, run_cli, squeeze

from leaflet.source.content import read_leaflet

SAMPLE = Path(__file__).parent / "data" / "sample-leaflet"


@pytest.fixture
def with_sample(project):
    """The project with a third leaflet: its content and its Spanish and French catalogs, copied in."""
    shutil.copy(SAMPLE / "sample.md", project.content_dir / "sample.md")
    for lang in ("es", "fr"):
        shutil.copy(SAMPLE / f"{lang}.po", project.po_file(lang, "sample"))
    return project


def test_a_third_leaflet_builds_in_two_languages_with_no_code_change(capsys, with_sample):
    project = with_sample
    code, _, err = run_cli(capsys, "--project", project.root, "build", "--leaflet", "sample", "--lang", "es",
                           "--lang", "fr")
    assert code == 0, err
    spanish = squeeze(pdf_text(project.output_file("es", "sample")))
    assert squeeze("Folleto de muestra") in spanish and squeeze("No imprima esta muestra para un paciente.") in spanish
    assert squeeze("Rien dans le code ne la nomme.") in squeeze(pdf_text(project.output_file("fr", "sample")))
    code, out, _ = run_cli(capsys, "--project", project.root, "stats", "--format", "json")
    rows = {(r["leaflet"], r["lang"]): r for r in json.loads(out)}
    assert rows[("sample", "es")]["buildable"] and rows[("sample", "es")]["percent"] == 100.0


def test_a_leaflet_not_yet_translated_is_skipped_with_a_note_not_an_error(capsys, with_sample):
    project = with_sample
    code, out, err = run_cli(capsys, "--project", project.root, "build", "--lang", "it")
    assert code == 0, err
    assert "note: sample: no translation yet, skipped: it" in err
    assert project.output_file("it", "diazepam").exists() and not project.output_file("it", "sample").exists()
    code, _, err = run_cli(capsys, "--project", project.root, "build", "--lang", "it", "--leaflet", "sample")
    assert code == 1 and "sample.po: catalog not found" in err  # asked for by name: refused, with the reason


def test_leaflet_new_starts_the_content_file_and_a_catalog_in_every_language(capsys, project):
    code, out, err = run_cli(capsys, "--project", project.root, "new", "co-codamol", "--title", "Co-codamol")
    assert code == 0, err
    content = read_leaflet(project.content_dir / "co-codamol.md")
    assert content.id == "co-codamol" and content.title.text == "Co-codamol"
    assert project.pot_file("co-codamol").is_file()
    assert all(project.po_file(lang, "co-codamol").is_file() for lang in project.translated_languages())
    code, _, err = run_cli(capsys, "--project", project.root, "new", "co-codamol", "--title", "Again")
    assert code == 2 and "co-codamol exists already" in err


@pytest.mark.parametrize("name", ["frame", "Bad", "../x", "a b"])
def test_leaflet_new_refuses_a_name_that_is_no_leaflet_name(capsys, project, name):
    code, _, err = run_cli(capsys, "--project", project.root, "new", name, "--title", "X")
    assert code == 2 and "is not a leaflet name" in err
    assert not list(project.content_dir.glob("*[A-Z ]*.md")) and not (project.content_dir / "frame.md").exists()


def test_a_capsule_leaflet_says_capsules_in_its_directions(capsys, with_sample):
    """The unit of the standard directions is the leaflet's own dose form, not a word of the code."""
    project = with_sample
    content = project.content_dir / "sample.md"
    content.write_text(content.read_text(encoding="utf-8").replace('id = "sample"', 'id = "sample"\nform = "capsule"'),
                       encoding="utf-8")
    with project.directions_file.open("a", encoding="utf-8") as toml:
        toml.write('\n[capsule]\nunit = "capsules"\nsentence = "Swallow {doses}."\n\n[capsule.bedtime]\n'
                   'one = "{count} capsule at bedtime"\nother = "{count} capsules at bedtime"\n')
    for name, expected in (("sample", "Swallow 2 capsules at bedtime."), ("diazepam", "Take 2 tablets at bedtime.")):
        out = project.root / f"{name}.pdf"
        code, _, err = run_cli(capsys, "--project", project.root, "build", "--lang", "en", "--leaflet", name,
                               "--patient", "Ana", "--directions", "bedtime", "--count", "2", "-o", out)
        assert code == 0, err
        assert squeeze(expected) in squeeze(pdf_text(out))
