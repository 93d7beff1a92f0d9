from pathlib import Path

import pytest

from leaflet.errors import ContentError
from leaflet.project import Project
from leaflet.source.content import ListNode, read_leaflet, read_names

BROKEN = sorted((Path(__file__).parent / "data" / "broken-content").glob("*.md"))


def test_diazepam_keeps_every_section_and_point_of_the_source():
    leaflet = read_leaflet(Project.default().content_file("diazepam"))
    ids = [b.id for b in leaflet.blocks]
    assert leaflet.title.text == "Diazepam for Sleep"
    # The seed's sections in its order, with the FDA Medication Guide's around them (issue 23):
    # the most important information first (its details next), before and while you take it,
    # emergency help, sources.
    assert [h.id for h in leaflet.headings] == [
        "important.heading", "risks.heading", "what.heading", "uses.heading", "benefits.heading", "before.heading",
        "precautions.heading", "while.heading", "emergency.heading", "summary.heading", "sources.heading"]
    for section in ("uses", "benefits"):
        assert len([i for i in ids if i.startswith(section + ".") and i != section + ".heading"]) == 3
    lists = [n for n in leaflet.body() if isinstance(n, ListNode) and n.ordered]
    assert [len(n.items) for n in lists] == [3, 3, 3]  # the seed's numbered points
    assert "blog" not in " ".join(b.text for b in leaflet.blocks).lower()


def test_translator_comments_are_kept():
    leaflet = read_leaflet(Project.default().content_file("diazepam"))
    precautions = {b.id: b for b in leaflet.blocks}["precautions.dependence"]
    assert precautions.comments and "negation" in precautions.comments[0]


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_broken_content_names_file_line_and_problem(path):
    line, message = path.with_suffix(".expect").read_text().strip().split(": ", 1)
    with pytest.raises(ContentError) as exc:
        read_leaflet(path)
    assert exc.value.path == path
    assert exc.value.line == int(line)
    assert message in exc.value.message
    assert str(exc.value).startswith(f"{path}:{line}: ") or f"{path.name}:{line}: " in str(exc.value)


@pytest.mark.parametrize("text, message", [
    ('names = "diazepam"\n', "'names' must be a list of single words"),
    ('names = ["Valium 10"]\n', "'names' must be a list of single words"),
    ('names = [diazepam]\n', "not valid TOML"),
])
def test_a_bad_names_file_says_where_and_what(tmp_path, text, message):
    path = tmp_path / "names.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        read_names(path)
    assert exc.value.path == path and message in str(exc.value)


def test_without_a_names_file_no_name_is_marked(tmp_path):
    assert read_names(tmp_path / "names.toml") == ()
