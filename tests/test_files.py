"""Output writes stay in output/: a link planted there is replaced, never written through."""

from conftest import edit_file, run_cli

from leaflet.proofs.preview import write_html


def test_a_linked_stylesheet_in_the_preview_is_replaced_not_overwritten(project, tmp_path):
    write_html(project, "diazepam", "es")
    victim = tmp_path / "victim"
    victim.write_text("precious")
    css = project.output_dir / "es" / "html" / "leaflet.css"
    css.unlink()
    css.symlink_to(victim)
    write_html(project, "diazepam", "es")
    assert victim.read_text() == "precious"
    assert not css.is_symlink() and "@page" in css.read_text()


def test_a_linked_fonts_folder_loses_nothing(project, tmp_path):
    elsewhere = tmp_path / "fonts"
    elsewhere.mkdir()
    (elsewhere / "mine.ttf").write_bytes(b"not ours")
    fonts = project.output_dir / "es" / "html" / "fonts"
    fonts.parent.mkdir(parents=True)
    fonts.symlink_to(elsewhere)
    write_html(project, "diazepam", "es")
    assert (elsewhere / "mine.ttf").read_bytes() == b"not ours" and len(list(elsewhere.iterdir())) == 1
    assert not fonts.is_symlink() and list(fonts.glob("*.ttf"))


def test_only_fonts_the_preview_wrote_are_deleted(project):
    write_html(project, "diazepam", "es")
    fonts = project.output_dir / "es" / "html" / "fonts"
    before = set(fonts.glob("*.ttf"))
    (fonts / "added-by-hand.ttf").write_bytes(b"x")
    edit_file(project.po_file("es", "diazepam"), ('msgstr "Precauciones"', 'msgstr "Precauciones Ж"'))
    write_html(project, "diazepam", "es")  # another character, other subsets
    after = set(fonts.glob("*.ttf"))
    assert (fonts / "added-by-hand.ttf") in after
    assert not before & after and len(after) == len(before) + 1


def test_a_font_cache_that_cannot_be_written_fails_each_job_with_a_message(capsys, project, tmp_path, monkeypatch):
    blocked = tmp_path / "cache"
    blocked.write_text("a file, not a folder")
    monkeypatch.setenv("LEAFLET_CACHE", str(blocked))
    code, out, err = run_cli(capsys, "--project", project.root, "build", "--lang", "es", "--lang", "fr", "-j", "1",
                             "--rebuild", "--leaflet", "diazepam")
    assert code == 1
    assert err.count("cannot write the font cache: Not a directory") == 2
    assert "Error: 2 of 2 leaflet(s) not built" in err
