"""The command line: exit codes, one-line errors, no tracebacks."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import UNTRANSLATE_PRECAUTIONS, edit_file, pdf_text

from leaflet.cli import cli, main

COMMANDS = sorted(cli.commands)


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(capsys, command):
    code, out, _ = run(capsys, command, "--help")
    assert code == 0 and "Usage:" in out


def test_unknown_language_lists_the_available_ones(capsys, project):
    code, _, err = run(capsys, "--project", str(project.root), "build", "--lang", "xx")
    assert code == 2
    assert err.startswith("Error: unknown language 'xx' (available: am, ar, bn, en, es,")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_path_like_language_is_a_usage_error_and_creates_nothing(capsys, project):
    code, _, err = run(capsys, "--project", str(project.root), "build", "--lang", "../../etc")
    assert code == 2 and "not a language name" in err
    assert not (project.root / "etc").exists() and not (project.root / "output" / "etc").exists()


def test_unknown_option_is_a_usage_error(capsys):
    code, _, err = run(capsys, "build", "--colour")
    assert code == 2 and "No such option" in err


def test_build_prints_one_line_per_leaflet(capsys, project):
    code, out, err = run(capsys, "--project", str(project.root), "build", "--lang", "es_ES.UTF-8", "--lang", "en",
                         "--leaflet", "diazepam")
    assert code == 0
    lines = out.splitlines()
    assert [line[:6] for line in lines] == ["[1/2] ", "[2/2] "]
    assert sorted(line.split()[1] for line in lines) == ["en", "es"]
    assert all(line.endswith(" s") and "diazepam.pdf" in line for line in lines)
    assert "not reviewed by a professional medical translator: es" in err
    code, out, _ = run(capsys, "--project", str(project.root), "build", "--lang", "es", "--jobs", "2")
    built = {Path(line.split()[2]).name: line for line in out.splitlines()}  # make pdf LANG=es: every leaflet
    assert built["diazepam.pdf"].endswith("up to date") and built["zolpidem.pdf"].endswith(" s")


def test_a_build_that_is_up_to_date_loads_no_renderer(project):
    """A no-op `make pdf LANG=es` stays well under a second because it imports neither
    WeasyPrint nor Jinja: what it needs to know is in the build's manifest."""
    subprocess.run([sys.executable, "-m", "leaflet", "--project", str(project.root), "build", "-q", "--lang", "es"],
                   check=True)
    probe = ("import sys; from leaflet.cli import main\n"
             "try:\n    main(sys.argv[1:])\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
             "print(sorted(m for m in ('weasyprint', 'jinja2', 'fontTools') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe, "--project", str(project.root), "build", "--lang", "es"],
                          check=True, capture_output=True, text=True)
    assert "up to date" in done.stdout and done.stdout.splitlines()[-1] == "[]"


def test_parallel_builds_report_every_leaflet_and_failures_do_not_stop_the_others(capsys, project):
    po = project.po_file("fr", "diazepam")
    edit_file(po, ('msgctxt "intro"', '#, fuzzy\nmsgctxt "intro"'))
    code, out, err = run(capsys, "--project", str(project.root), "build", "-l", "es", "-l", "fr", "-l", "it", "-j", "2",
                         "--leaflet", "diazepam")
    assert code == 1
    assert sorted(line.split()[1] for line in out.splitlines()) == ["es", "it"]
    assert ": error: fuzzy: 'intro' is marked fuzzy" in err
    assert "Error: 1 of 3 leaflet(s) not built" in err


def test_check_prints_every_problem_with_file_and_line(capsys, project):
    po = project.po_file("es", "diazepam")
    edit_file(po, UNTRANSLATE_PRECAUTIONS, ('msgstr "En resumen"', 'msgstr ""'))
    code, out, _ = run(capsys, "--project", str(project.root), "check", "es")
    lines = out.strip().splitlines()
    assert code == 1
    errors = [line for line in lines if ": error: untranslated: " in line]
    assert len(errors) == 2 and all(line.startswith(f"{po}:") for line in errors)
    assert lines[-1] == f"{len(project.catalog_domains('es'))} catalog(s) checked: 2 error(s), 0 warning(s)"


def test_build_refusal_shows_the_problems_and_exits_1(capsys, project):
    po = project.po_file("es", "diazepam")
    edit_file(po, UNTRANSLATE_PRECAUTIONS)
    code, _, err = run(capsys, "--project", str(project.root), "build", "--lang", "es", "--leaflet", "diazepam")
    assert code == 1
    assert ": error: untranslated: 'precautions.heading' is not translated" in err
    assert "Error: 1 error(s) in the catalogs; the leaflet was not built" in err
    assert not project.output_file("es", "diazepam").exists()


def test_stats_json_counts_fuzzy_as_not_translated(capsys, project):
    po = project.po_file("es", "diazepam")
    po.write_text(po.read_text(encoding="utf-8").replace('msgctxt "precautions.heading"',
                                                          '#, fuzzy\nmsgctxt "precautions.heading"'), encoding="utf-8")
    code, out, _ = run(capsys, "--project", str(project.root), "stats", "--format", "json")
    rows = {(r["lang"], r["leaflet"]): r for r in json.loads(out)}
    row = rows[("es", "diazepam")]
    assert code == 0 and row["fuzzy"] == 1 and row["translated"] == row["total"] - 1
    assert row["buildable"] is False and row["reviewed"] is False
    assert {c["catalog"]: c["fuzzy"] for c in row["catalogs"]} == {"frame": 0, "directions": 0, "diazepam": 1}
    assert rows[("es", "zolpidem")]["buildable"] is True  # the other leaflet prints without that catalog


def test_internal_errors_are_short_without_debug(capsys, monkeypatch):
    import leaflet.cli as cli_module

    def explode(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(cli_module, "_stats_rows", explode)
    code, _, err = run(capsys, "stats")
    assert code == 1 and "Internal error: ZeroDivisionError: boom. Please report it" in err
    assert "Traceback" not in err
    code, _, err = run(capsys, "--debug", "stats")
    assert "Traceback" in err


def test_python_dash_m_works():
    result = subprocess.run([sys.executable, "-m", "leaflet", "langs"], capture_output=True, text=True, check=True)
    assert "bn       বাংলা  Bangla" in result.stdout


def test_recording_a_review_changes_the_footer_and_stats(capsys, project):
    from conftest import pdf_text

    code, out, _ = run(capsys, "--project", str(project.root), "review", "es", "--leaflet", "diazepam",
                       "--by", "Ana García", "--date", "2026-11-20")
    assert code == 0 and "recorded the review of diazepam in es in " in out
    assert out.strip().endswith("reviews/diazepam/es.json")
    code, out, _ = run(capsys, "--project", str(project.root), "stats", "--format", "json")
    rows = {(r["leaflet"], r["lang"]): r for r in json.loads(out)}
    assert rows[("diazepam", "es")]["reviewed"] is True and "Ana García" in rows[("diazepam", "es")]["review"]
    assert rows[("zolpidem", "es")]["reviewed"] is False  # a review is for one leaflet
    code, _, err = run(capsys, "--project", str(project.root), "build", "--lang", "es")
    assert code == 0 and "not been reviewed" not in err
    text = pdf_text(project.output_file("es", "diazepam"))
    assert "Traducción revisada por Ana García el 20 nov 2026" in " ".join(text.split())
    assert "no revisada" not in text


def test_review_names_its_leaflet_when_there_are_several(capsys, project):
    code, _, err = run(capsys, "--project", str(project.root), "review", "es", "--by", "Ana García")
    assert code == 2 and "--leaflet: name the leaflet that was reviewed" in err and "diazepam, zolpidem" in err
    assert not (project.root / "reviews").exists()


def test_review_needs_a_valid_date(capsys, project):
    code, _, err = run(capsys, "--project", str(project.root), "review", "es", "--leaflet", "diazepam", "--by", "X",
                       "--date", "yesterday")
    assert code == 2 and "'yesterday' is not a date" in err


def test_a_personalised_build_says_where_it_went_and_leaves_the_stock_leaflet(capsys, project):
    code, _, _ = run(capsys, "--project", str(project.root), "build", "--lang", "ar")
    stock = project.output_file("ar", "diazepam")
    before = stock.read_bytes()
    code, out, _ = run(capsys, "--project", str(project.root), "build", "--lang", "ar", "--patient", "Ana García",
                       "--directions", "bedtime", "--count", "2", "--date", "2026-11-20")
    assert code == 0 and "(personalised: for this patient only)" in out
    [written] = re.findall(r"(\S+/output/ar/personal/diazepam-2026-11-20-[0-9a-f]{10}\.pdf)", out)
    assert "Ana García" in pdf_text(written)
    assert stock.read_bytes() == before


def test_build_o_writes_the_one_leaflet_to_a_file_or_standard_output(capsysbinary, project, tmp_path):
    out = tmp_path / "ana.pdf"
    assert main(["--project", str(project.root), "build", "-l", "es", "--leaflet", "diazepam", "--patient", "Ana", "-o",
                 str(out)]) == 0
    assert f"wrote {out}" in capsysbinary.readouterr().out.decode()
    assert out.read_bytes().startswith(b"%PDF-") and "Ana" in pdf_text(out)
    assert main(["--project", str(project.root), "build", "-l", "es", "--leaflet", "diazepam", "--patient", "Ana",
                 "-o", "-"]) == 0
    data = capsysbinary.readouterr().out
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert not (project.output_dir / "es").exists()


def test_build_o_writes_to_a_device_and_never_replaces_it(capsys, project):
    """`-o /dev/null` (a dry run) once replaced /dev/null with a regular file, as an atomic
    write renames over its target: a device is written to, and stays a device."""
    assert main(["--project", str(project.root), "build", "-l", "es", "--leaflet", "diazepam", "-o", "/dev/null"]) == 0
    assert Path("/dev/null").is_char_device() and "wrote /dev/null" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["-l", "es", "-l", "fr", "--leaflet", "diazepam", "-o", "x.pdf"],
     "Error: -o writes one leaflet, and this would build 2"),
    (["-l", "es", "-o", "x.pdf"], "Error: -o writes one leaflet, and this would build 2"),  # two medicines
    (["-l", "es", "--leaflet", "diazepam", "--patient", "Ana", "-o", "output/es/diazepam.pdf"],
     "is the stock leaflet every patient gets"),
])
def test_build_o_refuses_what_it_cannot_do(capsys, project, monkeypatch, args, message):
    monkeypatch.chdir(project.root)
    code, _, err = run(capsys, "--project", str(project.root), "build", *args)
    assert code == 2 and message in err
    assert not (project.output_dir / "es").exists()


def test_the_bilingual_edition_of_every_language_leaves_english_out(capsys, project):
    code, out, err = run(capsys, "--project", str(project.root), "build", "--bilingual", "--lang", "en",
                         "--lang", "es", "--leaflet", "diazepam")
    assert code == 0, err
    assert project.output_file("es", "diazepam", "es+en").exists()
    assert not list(project.output_dir.glob("en/*en+en*"))
    code, _, err = run(capsys, "--project", str(project.root), "build", "--bilingual", "--lang", "en")
    assert code == 2 and "English has no bilingual edition" in err
