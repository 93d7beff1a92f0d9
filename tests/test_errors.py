"""Every broken input, through the command line: one line naming the file (and line)
and what to do, the right exit code, no traceback, and nothing half-written."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import OUTSIDE_SECRET, link_out

import leaflet.render.fonts as fonts_module
from leaflet.cli import main
from leaflet.languages import LANGUAGES, Language, Script

DATA = Path(__file__).parent / "data"


def run(capsys, *args):
    """``leaflet`` in-process. A build names one leaflet, diazepam, unless it names its own: each
    test here makes one leaflet fail and reads the one error line that says why."""
    args = tuple(str(a) for a in args)
    if "build" in args and "--leaflet" not in args:
        args = (*args, "--leaflet", "diazepam")
    code = main(list(args))
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
    monkeypatch.setitem(LANGUAGES, "es", Language("es", Script("Latin", ("Noto Sans Klingon",), "fonts-klingon")))
    fonts_module._ask_fontconfig.cache_clear()
    code, _, err = run(capsys, "--project", project.root, "build", "--lang", "es", "-j", "1")
    assert code == 1
    assert "font 'Noto Sans Klingon Regular' is not installed (install it with: apt-get install fonts-klingon)" in err


def test_unwritable_output_folder(capsys, project):
    (project.root / "output").mkdir()
    (project.root / "output" / "es").write_text("a file where the folder should be")
    code, _, err = run(capsys, "--project", project.root, "build", "--lang", "es")
    assert code == 1 and "cannot write the PDF" in error_line(err)


@pytest.mark.parametrize("args, message", [
    (["build", "--colour"], "No such option"),
    (["build", "--lang", "../../etc"], "'../../etc' is not a language name"),
    (["build", "--leaflet", "aspirin"], "unknown leaflet 'aspirin' (available: diazepam, zolpidem)"),
    (["build", "--leaflet", "../x"], "'../x' is not a leaflet name"),
    (["build", "--count", "0", "--directions", "bedtime"], "--count must be between 1 and 999"),
    (["build", "--directions", "hourly"], "unknown directions 'hourly' (available: bedtime"),
    (["build", "--date", "yesterday"], "Invalid value for '--date'"),
    (["build", "--paper", "a3"], "Invalid value for '--paper'"),
    (["build", "--patient", "Ana\x07"], "--patient contains control characters"),
    (["init", "es"], "'es' already has catalogs"),
    (["init", "ES"], "'es' already has catalogs"),
    (["init", "EN"], "English is the source language"),
    (["init", "zz"], "'zz' is not a language CLDR knows"),
    (["build", "--patient", "A", "--date", "0001-01-01"], "--date 0001-01-01 is not a plausible dispensing date"),
    (["build", "--patient", "A", "--date", "9999-12-31"], "--date 9999-12-31 is not a plausible dispensing date"),
    (["build", "--directions", ""], "--directions needs a code"),
    (["build", "--patient", "A\u202eB"], "--patient contains invisible or direction-changing characters"),
    (["build", "--free-directions", "Take 1\u200b0"], "--free-directions contains invisible"),
    (["build", "--patient", "a" + "\u0301" * 200], "--patient is not text a leaflet can print: a letter carries 200"),
    (["build", "--free-directions", "Zoe\u0301\u0301"], "a letter carries the mark U+0301 twice"),
    (["build", "--lang", "es", "--patient", "Ana \U0001f600"], "nor of any other shipped language can draw"),
    (["review", "es", "--leaflet", "diazepam", "--by", "Dr\x07"],
     "--by: the reviewer's name has control or format characters"),
])
def test_usage_errors_exit_2(capsys, project, args, message):
    code, _, err = run(capsys, "--project", project.root, *args)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) <= 2


@pytest.mark.parametrize("header", ["nplurals=2; plural=n%0;", "garbage", ""])
def test_a_draft_with_a_broken_plural_header_names_the_file(capsys, project, header):
    path = project.po_file("es", "directions")
    text = path.read_text(encoding="utf-8")
    start = text.index('"Plural-Forms:')
    path.write_text(text[:start] + f'"Plural-Forms: {header}\\n"' + text[text.index("\n", start):], encoding="utf-8")
    code, _, err = run(capsys, "--project", project.root, "build", "--lang", "es", "--draft", "--directions", "bedtime")
    assert code == 1 and "directions.po:" in error_line(err) and "Plural-Forms is not valid" in error_line(err)
    assert "use 'nplurals=2; plural=(n == 1 ? 0 : 1);'" in error_line(err)


def test_new_languages_are_spelled_as_cldr_does(capsys, project):
    code, out, _ = run(capsys, "--project", project.root, "init", "pt-br")
    assert code == 0 and (project.locales_dir / "pt_BR" / "LC_MESSAGES" / "frame.po").is_file()


def test_an_overlong_translation_and_entries_not_in_the_template(project):
    from leaflet.catalogs.gate import catalog_paths, check_paths

    path = project.po_file("es", "diazepam")
    extra = "".join(f'\nmsgctxt "junk.{i}"\nmsgid "x{i}"\nmsgstr "y{i}"\n' for i in range(30))
    path.write_text(path.read_text(encoding="utf-8").replace('msgstr "Precauciones"', f'msgstr "{"a" * 6000}"')
                    + extra, encoding="utf-8")
    problems = [p for r in check_paths(project, catalog_paths(project, ["es"])) for p in r.problems]
    assert [p.message for p in problems if p.check == "too-long"] == [
        "'precautions.heading' is 6,000 characters long; a translation may have 5,000"]
    unknown = [p for p in problems if p.check == "unknown"]
    assert len(unknown) == 21 and all(p.severity == "warning" for p in unknown)
    assert unknown[-1].message == "and 10 more entries that are not in the template"


def _fifo(path):
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("where, message", [
    ("profile", "the pharmacy profile is not a regular file"),
    ("catalog", "the catalog is not a regular file"),
    ("content", "the content file is not a regular file"),
])
def test_a_fifo_never_hangs_the_build(project, where, message):
    target = {"profile": project.root / "profile.toml", "catalog": project.po_file("es", "diazepam"),
              "content": project.content_file("diazepam")}[where]
    _fifo(target)
    extra = ["--pharmacy", str(target)] if where == "profile" else []
    result = subprocess.run([sys.executable, "-m", "leaflet", "--project", str(project.root), "build", "--lang", "es",
                             *extra], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr


def test_dev_zero_as_a_profile_is_refused_unread(capsys, project):
    code, _, err = run(capsys, "--project", project.root, "build", "--lang", "es", "--pharmacy", "/dev/zero")
    assert code == 1 and error_line(err) == ("Error: /dev/zero: the pharmacy profile is not a regular file "
                                             "(pass a TOML file such as pharmacy.example.toml)")


def test_an_oversized_content_file_is_refused(capsys, project):
    path = project.content_file("diazepam")
    path.write_text(path.read_text(encoding="utf-8") + "\n\nx {#pad}\n" + " " * (1024 * 1024), encoding="utf-8")
    code, _, err = run(capsys, "--project", project.root, "build", "--lang", "es")
    assert code == 1 and re.search(r"the content file is 1,0\d\d,\d\d\d bytes", error_line(err))
    assert "the limit is 1,048,576" in error_line(err)
