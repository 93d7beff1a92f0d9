"""The source stage: directions, medicine names and TOML files read, or refused at their line.

The content files have their own tests (test_content.py), as do pharmacy profiles
(test_pharmacy.py); these cover what the stage shares and the shipped sources.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet.errors import ContentError, ProfileError, UsageError
from leaflet.project import Project
from leaflet.source.content import read_leaflet, read_names
from leaflet.source.directions import read_directions, resolve_direction
from leaflet.source.pharmacy import read_pharmacy
from leaflet.source.toml import parse_toml

SHIPPED = Project.default()


def test_the_shipped_leaflet_has_the_seed_s_sections():
    leaflet = read_leaflet(SHIPPED.content_file("diazepam"))
    ids = [block.id for block in leaflet.blocks]
    for wanted in ("uses.insomnia", "uses.spasms", "precautions"):
        assert any(i.startswith(wanted) for i in ids), wanted


def test_the_shipped_directions_each_have_one_and_other():
    directions = read_directions(SHIPPED.directions_file, "tablet")
    assert "bedtime" in directions and directions["bedtime"].context == "tablet.bedtime"
    assert all("{count}" in d.one and "{count}" in d.other for d in directions.values())


def test_an_unknown_direction_lists_the_known_ones():
    with pytest.raises(UsageError) as exc:
        resolve_direction(read_directions(SHIPPED.directions_file, "tablet"), "hourly")
    assert "unknown directions 'hourly'" in str(exc.value) and "bedtime" in (exc.value.hint or "")


@pytest.mark.parametrize(("text", "line"), [
    ('a = "x"\nb = \n', 2),
    ('[bedtime]\none = "x"\n\n[morning\n', 4),
])
def test_a_toml_mistake_is_reported_at_its_line(tmp_path, text, line):
    with pytest.raises(ContentError) as exc:
        parse_toml(text, tmp_path / "directions.toml", ContentError)
    assert exc.value.line == line
    assert str(exc.value).startswith(f"{tmp_path / 'directions.toml'}:{line}: not valid TOML: ")
    assert "(at line" not in str(exc.value)  # said once, as the line of the message


def test_front_matter_lines_count_from_the_top_of_the_file(tmp_path):
    path = tmp_path / "x.md"
    path.write_text('+++\nid = "x"\nrevised = \n+++\n# Title {#title}\n', encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        read_leaflet(path)
    assert exc.value.line == 3 and "front matter: not valid TOML" in str(exc.value)


def test_a_direction_without_its_plural_names_its_line(tmp_path):
    path = tmp_path / "directions.toml"
    path.write_text('[tablet]\nunit = "tablets"\n\n[tablet.bedtime]\none = "Take {count} tablet."\n'
                    'other = "Take {count} tablets."\n\n[tablet.morning]\n'
                    'one = "Take {count} tablet in the morning."\n', encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        read_directions(path, "tablet")
    assert exc.value.line == 8 and "'tablet.morning' needs 'one' and 'other'" in str(exc.value)


def test_a_leaflet_of_a_dose_form_with_no_directions_is_refused_with_the_forms_there_are():
    with pytest.raises(UsageError) as exc:
        read_directions(SHIPPED.directions_file, "capsule")
    assert "no standard directions for the dose form 'capsule'" in str(exc.value) and "tablet" in exc.value.hint


def test_medicine_names_are_single_words(tmp_path):
    path = tmp_path / "names.toml"
    path.write_text('names = ["diazepam", "two words"]\n', encoding="utf-8")
    with pytest.raises(ContentError):
        read_names(path)
    assert "Valium" in read_names(SHIPPED.names_file)
    assert read_names(tmp_path / "missing.toml") == ()


def test_a_profile_toml_mistake_is_a_profile_error_at_its_line(tmp_path):
    path = tmp_path / "pharmacy.toml"
    path.write_text('name = "Corner Pharmacy"\nphone = +1 555\n', encoding="utf-8")
    with pytest.raises(ProfileError) as exc:
        read_pharmacy(path, tmp_path)
    assert exc.value.line == 2 and Path(str(exc.value.path)).name == "pharmacy.toml"
