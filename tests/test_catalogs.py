"""The translator workflow: extract, update, init, statistics, and GNU gettext agreeing."""

import re
import subprocess
from pathlib import Path

import pytest
from conftest import UNTRANSLATE_PRECAUTIONS, edit_file

from leaflet import build
from leaflet.catalogs.extract import extract
from leaflet.catalogs.plurals import matches_cldr
from leaflet.catalogs.pofile import read_catalog
from leaflet.catalogs.stats import statistics
from leaflet.catalogs.update import init, update
from leaflet.errors import CatalogProblems, UsageError
from leaflet.project import Project
from leaflet.source.content import read_leaflet

REPO = Project.default()
CATALOG_FILES = sorted(REPO.locales_dir.glob("*.pot")) + sorted(REPO.locales_dir.glob("*/LC_MESSAGES/*.po"))


@pytest.mark.parametrize("path", CATALOG_FILES, ids=lambda p: str(p.relative_to(REPO.locales_dir)))
def test_gnu_msgfmt_accepts_every_catalog(path):
    result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_content_block_has_its_id_as_msgctxt_and_its_comment():
    template = read_catalog(REPO.pot_file("diazepam"))
    entries = {e.msgctxt: e for e in template.entries()}
    for block in read_leaflet(REPO.content_file("diazepam")).blocks:
        assert entries[block.id].msgid == block.text
        assert entries[block.id].occurrences == [("content/diazepam.md", str(block.line))]
        for comment in block.comments:
            assert comment in " ".join(entries[block.id].comment.split("\n"))


def test_the_committed_templates_are_up_to_date(project):
    assert extract(project) == []


def test_pybabel_extract_as_a_translator_types_it_finds_every_string_and_comment(tmp_path):
    out = tmp_path / "messages.pot"
    subprocess.run([str(Path(REPO.root / ".venv/bin/pybabel")), "extract", "-F", "babel.cfg", "-o", str(out), "."],
                   cwd=REPO.root, check=True, capture_output=True)
    found = read_catalog(out)
    ours = [e for domain in REPO.template_domains() for e in read_catalog(REPO.pot_file(domain)).entries()]
    assert {(e.msgctxt, e.msgid) for e in found.entries()} == {(e.msgctxt, e.msgid) for e in ours}
    comments = {e.msgctxt: " ".join(e.comment.split()) for e in found.entries()}
    assert comments["box.prescribed"] == "Safety warning: keep every negation exactly."
    assert comments["footer.unreviewed"].startswith("shown on every page until")


def test_catalogs_are_written_in_gettexts_own_layout(project):
    for path in sorted(project.locales_dir.glob("**/*.po*")):
        rewritten = subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout
        assert rewritten == path.read_bytes(), f"msgcat would rewrite {path.name}"
    po = project.po_file("es", "frame")
    merged = subprocess.run(["msgmerge", "--previous", "-q", str(po), str(project.pot_file("frame"))],
                            capture_output=True, check=True).stdout
    assert merged == po.read_bytes()


def test_update_with_nothing_new_writes_no_file(capsys, project):
    from conftest import run_cli

    before = {p: p.stat().st_mtime_ns for p in project.locales_dir.glob("**/*.po*")}
    code, out, _ = run_cli(capsys, "--project", project.root, "update")
    catalogs = sum(len(project.catalog_domains(lang)) for lang in project.translated_languages())
    assert code == 0 and out.strip().startswith(f"0 of {catalogs} catalog(s) changed")
    assert {p: p.stat().st_mtime_ns for p in project.locales_dir.glob("**/*.po*")} == before


def test_update_keeps_previous_context_and_a_fuzzy_header(project):
    path = project.po_file("es", "diazepam")
    edit_file(path, ('msgid ""\nmsgstr ""\n', '#, fuzzy\nmsgid ""\nmsgstr ""\n'))
    edit_file(project.content_file("diazepam"), ("## Precautions {#precautions.heading}",
                                                  "## Precautions to take {#precautions.heading}"))
    update(project)
    text = path.read_text(encoding="utf-8")
    assert text.count("#, fuzzy\nmsgid \"\"") == 1
    assert '#| msgctxt "precautions.heading"\n#| msgid "Precautions"' in text


def test_update_marks_changed_english_fuzzy_with_previous_text_and_the_build_refuses(project):
    content = project.content_file("diazepam")
    old = "Diazepam can help relax muscles and relieve muscle spasms that may disturb sleep."
    new = "Diazepam can help relax muscles and relieve muscle spasms that may disturb your sleep."
    edit_file(content, (old, new))
    update(project)
    po = project.po_file("es", "diazepam")
    entry = next(e for e in read_catalog(po).entries() if e.msgctxt == "uses.spasms")
    assert entry.fuzzy and old in entry.previous_msgid and new in entry.msgid
    assert entry.msgstr.startswith("**Problemas de sueño")
    assert "#| msgid" in po.read_text(encoding="utf-8")
    for written in project.locales_dir.glob("**/*.po*"):  # everything update wrote, GNU gettext accepts
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(written)], check=True, capture_output=True)

    with pytest.raises(CatalogProblems) as exc:
        build("diazepam", "es", project=project)
    assert [(p.check, p.path) for p in exc.value.problems if p.severity == "error"] == [("fuzzy", po)]

    text = po.read_text(encoding="utf-8")
    text = re.sub(r"#, fuzzy\n(#\| .*\n)+(msgctxt \"uses.spasms\")", r"\2", text)
    po.write_text(text, encoding="utf-8")
    assert build("diazepam", "es", project=project).exists()


def test_a_build_without_update_refuses_stale_catalogs(project):
    content = project.content_file("diazepam")
    edit_file(content, ("# Diazepam for Sleep", "# Diazepam for sleep"))
    with pytest.raises(CatalogProblems) as exc:
        build("diazepam", "es", project=project)
    assert "outdated" in {p.check for p in exc.value.problems}


def test_removed_english_is_kept_obsolete(project):
    content = project.content_file("diazepam")
    text = content.read_text(encoding="utf-8")
    content.write_text(re.sub(r"\n## In summary \{#summary.heading\}\n", "\n", text), encoding="utf-8")
    update(project)
    po_text = project.po_file("es", "diazepam").read_text(encoding="utf-8")
    assert '#~ msgctxt "summary.heading"' in po_text and '#~ msgstr "En resumen"' in po_text


def test_init_writes_a_cldr_header(project):
    paths = init(project, "de")
    catalog = read_catalog(paths[0])
    meta = catalog.po.metadata
    assert meta["Language"] == "de" and meta["Content-Type"] == "text/plain; charset=UTF-8"
    assert matches_cldr("de", meta["Plural-Forms"])
    assert "not reviewed" in catalog.po.header
    with pytest.raises(UsageError):
        init(project, "de")


def test_statistics_agree_with_msgfmt(project):
    po = project.po_file("es", "diazepam")
    edit_file(po, UNTRANSLATE_PRECAUTIONS, ('msgctxt "summary.heading"', '#, fuzzy\nmsgctxt "summary.heading"'))
    ours = statistics(read_catalog(po), "es", "diazepam")
    gnu = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True,
                         env={"LC_ALL": "C"}).stderr
    counts = {kind: int(n) for n, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", gnu)}
    assert (ours.translated, ours.fuzzy, ours.untranslated) == (
        counts.get("translated", 0), counts.get("fuzzy", 0), counts.get("untranslated", 0))
    assert (ours.fuzzy, ours.untranslated) == (1, 1)


def test_update_fills_the_blank_language_pot2po_leaves_and_the_check_passes(capsys, project):
    """Weblate's and translate-toolkit's pot2po write ``Language: `` blank in every catalog."""
    from conftest import run_cli

    catalogs = sorted(project.locales_dir.glob("*/LC_MESSAGES/*.po"))
    for path in catalogs:
        edit_file(path, (f'"Language: {path.parent.parent.name}\\n"', '"Language: \\n"'))
    code, out, _ = run_cli(capsys, "--project", project.root, "check")
    assert code == 1 and out.count("(run 'leaflet update': it fills it in from the folder)") == len(catalogs)
    update(project)
    assert all(read_catalog(p).po.metadata["Language"] == p.parent.parent.name for p in catalogs)
    code, out, _ = run_cli(capsys, "--project", project.root, "check")
    assert code == 0, out
