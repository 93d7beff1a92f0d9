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
from leaflet.source.directions import (
    TIMES,
    choose_directions,
    parse_schedule,
    read_directions,
    read_dose_form,
    resolve_schedule,
)
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


def test_the_tablet_has_the_four_times_of_the_universal_medication_schedule_in_a_sentence():
    tablet = read_dose_form(SHIPPED.directions_file, "tablet")
    assert tuple(tablet.times) == TIMES == ("morning", "noon", "evening", "bedtime")
    assert tablet.sentence.text == "Take {doses}." and tablet.sentence.context == "tablet.sentence"
    assert tablet.directions["bedtime"].one == "{count} tablet at bedtime"  # a phrase inside the sentence
    assert [d.code for d in tablet.directions.values() if d.deprecated] == ["twice-daily"]


@pytest.mark.parametrize(("typed", "count", "schedule"), [
    ("bedtime", 2, (("bedtime", 2),)),                        # an old code and --count
    ("bedtime=1,morning=2", 1, (("morning", 2), ("bedtime", 1))),  # the day's order, whatever was typed
    (" morning = 1 , evening ", 3, (("morning", 1), ("evening", 3))),
    ("twice-daily", 2, (("twice-daily", 2),)),
])
def test_a_schedule_is_read_in_the_days_order(typed, count, schedule):
    assert parse_schedule(typed, count) == schedule


@pytest.mark.parametrize(("typed", "message"), [
    ("morning=", "--directions: the count of 'morning' must be a whole number, not ''"),
    ("morning=1,,bedtime=1", "--directions 'morning=1,,bedtime=1' has an empty item"),
    ("noon=1000", "--directions: the count of 'noon' must be between 1 and 999, not 1000"),
    ("bedtime=1,bedtime=2", "--directions names 'bedtime' twice"),
])
def test_a_mistyped_schedule_is_refused_with_what_to_type(typed, message):
    with pytest.raises(UsageError) as exc:
        parse_schedule(typed)
    assert str(exc.value).startswith(message)


def test_an_unknown_direction_lists_the_known_ones():
    tablet = read_dose_form(SHIPPED.directions_file, "tablet")
    with pytest.raises(UsageError) as exc:
        resolve_schedule(tablet, (("hourly", 1),))
    assert "unknown directions 'hourly'" in str(exc.value) and "bedtime" in (exc.value.hint or "")
    with pytest.raises(UsageError) as exc:
        resolve_schedule(tablet, (("morning", 1), ("twice-daily", 1)))
    assert str(exc.value).startswith("'twice-daily' is a whole sentence: it cannot be combined with other directions")


def test_a_leaflet_allows_only_the_directions_its_front_matter_lists():
    zolpidem = read_leaflet(SHIPPED.content_file("zolpidem"))
    assert zolpidem.directions == ("bedtime",)
    assert choose_directions(SHIPPED.directions_file, zolpidem, "bedtime=1").doses[0][1] == 1
    with pytest.raises(UsageError) as exc:
        choose_directions(SHIPPED.directions_file, zolpidem, "noon=1")
    assert str(exc.value).startswith("zolpidem's source does not support the directions 'noon'")


def test_a_dose_form_with_times_of_day_needs_its_sentence(tmp_path):
    path = tmp_path / "directions.toml"
    path.write_text('[tablet]\nunit = "tablets"\n\n[tablet.bedtime]\none = "{count} tablet at bedtime"\n'
                    'other = "{count} tablets at bedtime"\n', encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        read_directions(path, "tablet")
    assert exc.value.line == 1 and "needs a 'sentence' with {doses} once" in str(exc.value)


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
