import subprocess
from pathlib import Path

import pytest

from leaflet.catalogs.pofile import read_catalog, write_catalog
from leaflet.errors import CatalogError

DATA = Path(__file__).parent / "data"
BROKEN = sorted((DATA / "broken-po").glob("*.po"))
GOOD = sorted((DATA / "good-po").glob("*.po"))


def expectation(path: Path) -> tuple[int, str]:
    line, message = path.with_suffix(".expect").read_text(encoding="utf-8").strip().split(": ", 1)
    return int(line), message


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_malformed_catalog_names_file_and_line(path):
    line, message = expectation(path)
    with pytest.raises(CatalogError) as exc:
        read_catalog(path)
    assert (exc.value.line, exc.value.path) == (line, path)
    assert message in exc.value.message
    assert f"{path.name}:{line}: " in str(exc.value)


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_files_from_other_tools_are_accepted(path):
    catalog = read_catalog(path)
    entry = catalog.entries()[0]
    assert entry.msgstr.startswith("Hola")
    assert catalog.line_of(entry) > 1


def test_previous_msgid_and_obsolete_entries_survive_a_round_trip(tmp_path):
    catalog = read_catalog(DATA / "good-po" / "previous-and-obsolete.po")
    out = tmp_path / "x.po"
    write_catalog(catalog.po, out)
    text = out.read_text(encoding="utf-8")
    assert '#| msgid "Hi"' in text and '#~ msgid "Gone"' in text and "#, fuzzy" in text
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(out)], check=True)


def test_entry_lines_point_at_msgstr():
    catalog = read_catalog(DATA / "good-po" / "multiline.po")
    assert catalog.line_of(catalog.entries()[0]) == 13


def test_a_catalog_in_another_charset_is_read_as_declared_and_written_as_utf8(tmp_path):
    catalog = read_catalog(DATA / "good-catalogs" / "iso-8859-1.po")
    assert catalog.encoding == "iso8859-1"
    assert [e.msgstr for e in catalog.entries()] == ["Puede tener que volver a leerlo después.",
                                                      "Conserve este prospecto, y añada sus notas."]  # \361: ñ
    out = tmp_path / "es.po"
    write_catalog(catalog.po, out)
    assert "charset=UTF-8" in out.read_bytes().decode("utf-8")
    assert [e.msgstr for e in read_catalog(out).entries()] == [e.msgstr for e in catalog.entries()]
