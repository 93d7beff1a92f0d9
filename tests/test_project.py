"""Where the project's files are, and which of them a build may read: a file that is a
symbolic link out of the project folder is refused before anything reads it."""

import shutil

import pytest
from conftest import OUTSIDE_SECRET, link_out

from leaflet import build
from leaflet.builder import manifest
from leaflet.builder.pipeline import run_build
from leaflet.catalogs.gate import catalog_paths, check_paths
from leaflet.catalogs.update import update
from leaflet.errors import LinkOutsideProject, ProfileError
from leaflet.project import leads_out
from leaflet.source.pharmacy import read_pharmacy

PROFILE = 'name = "P"\naddress = "A"\nphone = "1"\n'


def assert_refused(exc: LinkOutsideProject, link) -> None:
    assert exc.path == link
    assert "outside the project folder" in exc.message and "replace the link with the file itself" in str(exc)
    assert OUTSIDE_SECRET not in str(exc)


def check(project) -> None:
    check_paths(project, catalog_paths(project, ["es"]))


#: Each file a build reads, and a library call that reads it.
READERS = [
    pytest.param(lambda p: p.po_file("es", "diazepam"), check, id="catalog-check"),
    pytest.param(lambda p: p.po_file("es", "frame"), lambda p: build("diazepam", "es", project=p), id="catalog-build"),
    pytest.param(lambda p: p.pot_file("diazepam"), update, id="template-update"),
    pytest.param(lambda p: p.content_file("diazepam"), check, id="content-check"),
    pytest.param(lambda p: p.content_file("diazepam"), lambda p: build("diazepam", "en", project=p),
                 id="content-build"),
    pytest.param(lambda p: p.directions_file, lambda p: build("diazepam", "es", project=p, directions="bedtime"),
                 id="directions-build"),
]


@pytest.mark.parametrize("linked, read", READERS)
def test_a_file_linked_out_of_the_project_is_refused_unread(project, tmp_path, linked, read):
    link = linked(project)
    link_out(link, tmp_path / "outside")
    with pytest.raises(LinkOutsideProject) as exc:
        read(project)
    assert_refused(exc.value, link)


def test_a_catalog_in_a_folder_linked_out_of_the_project_is_refused(project, tmp_path):
    outside = tmp_path / "outside" / "es"
    shutil.move(project.locales_dir / "es", outside)
    (project.locales_dir / "es").symlink_to(outside)
    with pytest.raises(LinkOutsideProject) as exc:
        build("diazepam", "es", project=project)
    assert exc.value.path.parent == project.locales_dir / "es" / "LC_MESSAGES"


def test_a_link_that_stays_inside_the_project_is_read(project):
    po = project.po_file("es", "diazepam")
    kept = project.root / "shared" / "es-diazepam.po"
    kept.parent.mkdir()
    shutil.move(po, kept)
    po.symlink_to(kept)
    results = check_paths(project, catalog_paths(project, ["es"]))
    assert [p for r in results for p in r.problems if p.severity == "error"] == []


@pytest.mark.parametrize("target_inside, link_inside, refused", [
    (True, None, False),
    (True, True, False),
    (True, False, False),
    (False, True, True),
    (False, None, False),
    (False, False, True),
], ids=["file", "link-inside", "link-from-outside", "link-out", "file-outside", "link-outside-to-outside"])
def test_leads_out(project, tmp_path, target_inside, link_inside, refused):
    """Refused: any way out of the project through a link. A file outside the project that
    is named as itself (``leaflet check /tmp/es.po``) is the user's choice, as before."""
    outside = tmp_path / "outside"
    outside.mkdir()
    path = target = (project.root if target_inside else outside) / "target.po"
    target.write_text("x", encoding="utf-8")
    if link_inside is not None:
        path = (project.root if link_inside else outside) / "link.po"
        path.symlink_to(target)
    assert leads_out(path, project.root) is refused


def test_a_dangling_link_out_of_the_project_is_refused(project, tmp_path):
    link = project.po_file("es", "diazepam")
    link.unlink()
    link.symlink_to(tmp_path / "nowhere.po")
    assert leads_out(link, project.root)


def test_a_profile_linked_out_of_the_project_is_refused(project, tmp_path):
    link = project.root / "pharmacy.toml"
    link_out(link, tmp_path / "outside")
    with pytest.raises(LinkOutsideProject) as exc:
        read_pharmacy(link, project.root)
    assert_refused(exc.value, link)


def test_a_logo_linked_out_of_the_project_is_refused(project, tmp_path):
    profile = project.root / "pharmacy.toml"
    profile.write_text(PROFILE + 'logo = "logo.svg"\n', encoding="utf-8")
    link_out(project.root / "logo.svg", tmp_path / "outside")
    with pytest.raises(ProfileError) as exc:
        read_pharmacy(profile, project.root)
    assert "logo 'logo.svg' is a symbolic link to a file outside the project folder" in str(exc.value)
    assert exc.value.line == 4 and OUTSIDE_SECRET not in str(exc.value)


def test_an_output_is_not_called_up_to_date_by_hashing_a_link_out(project, tmp_path, monkeypatch):
    build("diazepam", "es", project=project)
    po = project.po_file("es", "diazepam")
    target = tmp_path / "outside" / "same-size.po"
    target.parent.mkdir()
    target.write_text("#" * po.stat().st_size, encoding="utf-8")  # same size: only its hash could tell
    po.unlink()
    po.symlink_to(target)
    hashed = []
    monkeypatch.setattr(manifest, "_digest_of_version", lambda path, *_: hashed.append(path) or "")
    with pytest.raises(LinkOutsideProject):
        run_build("diazepam", "es", project=project, rebuild=False)
    assert po not in hashed
