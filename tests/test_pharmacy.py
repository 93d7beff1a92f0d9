from pathlib import Path

import pytest

from leaflet.errors import ProfileError
from leaflet.project import Project
from leaflet.source.pharmacy import read_pharmacy

REPO = Project.default()
BROKEN = sorted((Path(__file__).parent / "data" / "broken-profiles").glob("*.toml"))


def test_the_example_profile_is_valid():
    pharmacy = read_pharmacy(REPO.root / "pharmacy.example.toml", REPO.root)
    assert pharmacy.name and pharmacy.phone and pharmacy.logo and pharmacy.logo.suffix == ".svg"


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_broken_profile_names_the_file_line_and_field(path):
    line, message = path.with_suffix(".expect").read_text().strip().split(": ", 1)
    with pytest.raises(ProfileError) as exc:
        read_pharmacy(path, REPO.root)
    assert message in exc.value.message
    assert exc.value.path == path
    assert (exc.value.line or 0) == int(line)
    assert exc.value.exit_code == 1


def test_a_missing_profile_is_a_clear_error(tmp_path):
    with pytest.raises(ProfileError) as exc:
        read_pharmacy(tmp_path / "nope.toml", REPO.root)
    assert "not found" in str(exc.value) and "pharmacy.example.toml" in str(exc.value)


def test_an_address_on_several_lines_prints_on_those_lines_and_the_phone_as_typed(project):
    """Issue 24: a three-line address ran together without commas, and a Bengali leaflet printed
    the phone in Bengali digits ("+৪৪", which reads as "+88")."""
    from conftest import pdf_text

    from leaflet import build

    profile = project.root / "multi-line.toml"
    profile.write_text('name = "Riverside Community Pharmacy"\naddress = """\n12 River Street\nSpringfield\n'
                       'SP1 2AB"""\nphone = "+44 (0)20 7946 0958"\n', encoding="utf-8")
    assert read_pharmacy(profile, project.root).address == "12 River Street\nSpringfield\nSP1 2AB"
    lines = [line.strip() for line in pdf_text(build("diazepam", "bn", project=project, pharmacy=profile)).splitlines()]
    assert lines[lines.index("12 River Street"):][:3] == ["12 River Street", "Springfield", "SP1 2AB"]
    assert any("+44 (0)20 7946 0958" in line for line in lines)
