"""``leaflet check --gettext``: only what ``msgfmt -c`` checks, and msgfmt's verdict on every file;
plain ``leaflet check`` stays the strict gate of a leaflet's text."""

import subprocess
from pathlib import Path

import pytest
from conftest import BAD_CATALOGS, GOOD_CATALOGS, run_cli

from leaflet.catalogs.msgfmt import check_as_gettext, reason

DATA = Path(__file__).parent / "data"
#: Real Django and Sphinx catalogs, the minimal syntax cases, catalogs from elsewhere and the tampers.
EVERY = (sorted((DATA / "conformance-sample").rglob("*.po")) + sorted((DATA / "po-syntax").glob("*.po"))
         + GOOD_CATALOGS + BAD_CATALOGS)
HEADER = ('msgid ""\nmsgstr ""\n"Language: es\\n"\n"MIME-Version: 1.0\\n"\n'
          '"Content-Type: text/plain; charset={charset}\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
          '"Plural-Forms: {plural}\\n"\n')


def msgfmt_c_accepts(path: Path) -> bool:
    return subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True).returncode == 0


def catalog(folder: Path, body: str, charset: str = "UTF-8", plural: str = "nplurals=2; plural=(n != 1);",
            encoding: str = "utf-8") -> Path:
    path = folder / "messages.po"
    path.write_bytes((HEADER.format(charset=charset, plural=plural) + body).encode(encoding))
    return path


@pytest.mark.parametrize("path", EVERY, ids=lambda p: str(p.relative_to(DATA)))
def test_gettext_mode_accepts_and_refuses_each_file_as_msgfmt_c_does(capsys, path):
    code, out, _ = run_cli(capsys, "check", "--gettext", path)
    assert code == (0 if msgfmt_c_accepts(path) else 1), out
    if code:
        assert f"{path.name}:" in out and ": error: " in out


def test_what_only_a_leaflet_refuses_is_accepted_as_gettext(capsys, tmp_path):
    """Untranslated and fuzzy entries, a Plural-Forms that is not CLDR's, a percent sign in an entry
    without a format flag, a named placeholder said twice, a changed number: a leaflet's own rules."""
    path = catalog(tmp_path, plural="nplurals=2; plural=(n > 1);", body=(
        '\nmsgid "Not yet"\nmsgstr ""\n'
        '\n#, fuzzy\nmsgid "Later"\nmsgstr "Más tarde"\n'
        '\nmsgid "Up to 100% of the dose"\nmsgstr "Hasta el 90 % de la dosis"\n'
        '\n#, python-format\nmsgid "%(name)s"\nmsgstr "%(name)s, %(name)s"\n'))
    code, out, _ = run_cli(capsys, "check", path)
    assert code == 1
    assert {"untranslated", "fuzzy", "plural-forms", "numbers", "placeholders"} <= {
        line.split(": ")[2] for line in out.splitlines() if ": error: " in line}
    code, out, _ = run_cli(capsys, "check", "--gettext", path)
    assert code == 0 and ": error: " not in out, out
    assert msgfmt_c_accepts(path)


@pytest.mark.parametrize("body, line, check", [
    ('\n#, python-format\nmsgid "%(count)d tablets"\nmsgstr "%(cuenta)d comprimidos"\n', 11, "placeholders"),
    ('\n#, python-brace-format\nmsgid "{count} tablets"\nmsgstr "{count comprimidos"\n', 11, "placeholders"),
    ('\n#, c-format\nmsgid "%d tablets"\nmsgstr "%s comprimidos"\n', 11, "placeholders"),
    ('\nmsgid "One"\nmsgid_plural "Many"\nmsgstr[0] "Uno"\nmsgstr[1] "Varios"\nmsgstr[2] "Muchos"\n', 2,
     "plural-forms"),  # msgfmt points at the header's nplurals, then at the entry
    ('\nmsgid "Yes"\nmsgstr "Sí"\n\nmsgid "Yes"\nmsgstr "Sí"\n', 12, "syntax"),
    ('\nmsgid "Yes"\nmsgstr "Sí\n', 11, "syntax"),
])
def test_what_msgfmt_c_refuses_is_refused_at_its_line_with_its_check(capsys, tmp_path, body, line, check):
    path = catalog(tmp_path, body)
    code, out, _ = run_cli(capsys, "check", "--gettext", path)
    assert code == 1 and f"messages.po:{line}: error: {check}: " in out, out
    assert not msgfmt_c_accepts(path)


def test_a_catalog_without_a_header_is_refused_for_its_header(tmp_path):
    path = tmp_path / "messages.po"
    path.write_text('msgid "Yes"\nmsgstr "Sí"\n', encoding="utf-8")
    [problem] = [p for p in check_as_gettext(path) if p.severity == "error"]
    assert (problem.line, problem.check) == (1, "header") and "header missing" in problem.message


def test_utf8_bytes_under_a_declared_iso_8859_1_are_a_warning_as_gettext_and_refused_as_a_leaflet(capsys, tmp_path):
    """msgfmt compiles it, and the .mo shows "CafÃ©": plain check refuses it, --gettext warns."""
    path = catalog(tmp_path, '\nmsgid "Coffee"\nmsgstr "Café"\n', charset="ISO-8859-1")
    code, out, _ = run_cli(capsys, "check", "--gettext", path)
    assert code == 0 and "messages.po:10: warning: charset: the header declares charset ISO-8859-1" in out, out
    code, out, _ = run_cli(capsys, "check", path)
    assert code == 1 and "messages.po:10: error: syntax: the header declares charset ISO-8859-1" in out


def test_gettext_mode_needs_no_language_and_takes_no_lang(capsys, tmp_path):
    path = tmp_path / "messages.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Yes"\nmsgstr "Sí"\n',
                    encoding="utf-8")
    assert run_cli(capsys, "check", "--gettext", path)[0] == 0
    code, _, err = run_cli(capsys, "check", "--gettext", "--lang", "es", path)
    assert code == 2 and err.startswith("Error: --lang has no use with --gettext")


@pytest.mark.parametrize("message, check", [
    ("'msgstr' is not a valid Python format string, unlike 'msgid'. Reason: ...", "placeholders"),
    ("number of format specifications in 'msgid' and 'msgstr' does not match", "placeholders"),
    ("nplurals = 2, but plural form translations have 3 forms", "plural-forms"),
    ("message catalog has plural form translations, but lacks a header entry with \"Plural-Forms: ...\"",
     "plural-forms"),
    ("PO file header missing or invalid; charset conversion will not work", "header"),
    ("duplicate message definition (this is the location of the first definition: line 9)", "syntax"),
    ("end-of-line within string", "syntax"),
])
def test_each_msgfmt_message_belongs_to_a_check(message, check):
    assert reason(message) == check
