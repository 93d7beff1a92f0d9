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
