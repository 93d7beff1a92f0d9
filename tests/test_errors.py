"""Every broken input, through the command line: one line naming the file (and line)
and what to do, the right exit code, no traceback, and nothing half-written."""

import shutil
from pathlib import Path

import pytest
from conftest import OUTSIDE_SECRET, link_out

import leaflet.fonts as fonts_module
from leaflet.cli import main
from leaflet.languages import LANGUAGES, Language

DATA = Path(__file__).parent / "data"


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def expectation(path):
    line, message = path.with_suffix(".expect").read_text(encoding="utf-8").strip().split(": ", 1)
    return int(line), message


def error_line(err):
    lines = [line for line in err.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("path", sorted((DATA / "broken-po").glob("*.po")), ids=lambda p: p.name)
def test_broken_catalog_stops_check_and_build(capsys, project, path):
    line, message = expectation(path)
    code, out, _ = run(capsys, "--project", project.root, "check", path)
    assert code == 1
    assert f"{path}:{line}: error: syntax: {message}" in out or f"{path.name}:{line}: error: syntax: {message}" in out
    target = project.po_file("es", "diazepam")
    shutil.copy(path, target)
    code, _, err = run(capsys, "--project", project.root, "build", "--lang", "es")
    assert code == 1 and f"diazepam.po:{line}: {message}" in error_line(err)
    assert not project.output_file("es", "diazepam").exists()


@pytest.mark.parametrize("path", sorted((DATA / "broken-content").glob("*.md")), ids=lambda p: p.name)
def test_broken_content_stops_the_build(capsys, project, path):
    line, message = expectation(path)
    shutil.copy(path, project.content_dir / path.name)
    code, _, err = run(capsys, "--project", project.root, "build", "--lang", "en", "--leaflet", path.stem)
    assert code == 1
    assert f"content/{path.name}:{line}: {message}" in error_line(err)
    assert not (project.output_dir / "en" / f"{path.stem}.pdf").exists()


@pytest.mark.parametrize("path", sorted((DATA / "broken-profiles").glob("*.toml")), ids=lambda p: p.name)
def test_broken_profile_stops_the_build(capsys, project, path):
    line, message = expectation(path)
    # The repository is the project: the corpus's logos are inside it, or point out of it.
    code, _, err = run(capsys, "build", "--lang", "es", "--pharmacy", path)
    assert code == 1
    shown = error_line(err)
    assert message in shown and (f"{path.name}:{line}: " in shown if line else f"{path.name}: " in shown)


@pytest.mark.parametrize("linked, args", [
    (lambda p: p.po_file("es", "diazepam"), ["check", "es"]),
    (lambda p: p.po_file("es", "diazepam"), ["build", "--lang", "es"]),
    (lambda p: p.content_file("diazepam"), ["build", "--lang", "en"]),
    (lambda p: p.root / "pharmacy.toml", ["build", "--lang", "es", "--pharmacy", "{link}"]),
], ids=["catalog-check", "catalog-build", "content", "profile"])
def test_a_file_linked_out_of_the_project_is_refused_unread(capsys, project, tmp_path, linked, args):
    link = linked(project)
    target = link_out(link, tmp_path / "outside")
    code, out, err = run(capsys, "--project", project.root, *[a.format(link=link) for a in args])
    assert code == 1
    assert error_line(err) == (f"Error: {link}: is a symbolic link to a file outside the project folder "
                               "(replace the link with the file itself)")
    assert OUTSIDE_SECRET not in out + err and target.name not in out + err
    assert not list(project.output_dir.glob("*/*.pdf"))


def test_missing_template(capsys, project):
    (project.templates_dir / "leaflet.html").unlink()
    code, _, err = run(capsys, "--project", project.root, "build", "--lang", "es")
    assert code == 1 and "template 'leaflet.html' not found" in error_line(err)


def test_jinja_syntax_error_names_the_template_line(capsys, project):
    template = project.templates_dir / "leaflet.html"
    lines = template.read_text(encoding="utf-8").splitlines()
    lines[49] += " {% if %}"
    template.write_text("\n".join(lines), encoding="utf-8")
    code, _, err = run(capsys, "--project", project.root, "build", "--lang", "en")
    assert code == 1 and "leaflet.html:50: template syntax error" in error_line(err)


def test_missing_font_names_the_package(capsys, project, monkeypatch):
    monkeypatch.setitem(LANGUAGES, "es", Language("es", "Latin", ("Noto Sans Klingon",), "fonts-klingon"))
    fonts_module.find_font.cache_clear()
    code, _, err = run(capsys, "--project", project.root, "build", "--lang", "es", "-j", "1")
    assert code == 1
    assert "font 'Noto Sans Klingon Regular' is not installed (install it with: apt-get install fonts-klingon)" in err


def test_unwritable_output_folder(capsys, project):
    (project.root / "output" / "es").write_text("a file where the folder should be")
    code, _, err = run(capsys, "--project", project.root, "build", "--lang", "es")
    assert code == 1 and "cannot write the PDF" in error_line(err)


@pytest.mark.parametrize("args, message", [
    (["build", "--colour"], "No such option"),
    (["build", "--lang", "../../etc"], "'../../etc' is not a language name"),
    (["build", "--leaflet", "aspirin"], "unknown leaflet 'aspirin' (available: diazepam)"),
    (["build", "--leaflet", "../x"], "'../x' is not a leaflet name"),
    (["build", "--count", "0", "--directions", "bedtime"], "--count must be between 1 and 999"),
    (["build", "--directions", "hourly"], "unknown directions 'hourly' (available: bedtime"),
    (["build", "--date", "yesterday"], "Invalid value for '--date'"),
    (["build", "--paper", "a3"], "Invalid value for '--paper'"),
    (["build", "--patient", "Ana\x07"], "--patient contains control characters"),
    (["init", "es"], "already exists"),
])
def test_usage_errors_exit_2(capsys, project, args, message):
    code, _, err = run(capsys, "--project", project.root, *args)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) <= 2
