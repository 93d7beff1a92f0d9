"""The PDF stage: only the project's own files are fetched, and outputs are never half-written."""

import os

import pytest
from conftest import edit_file, pdf_text

import leaflet.files as files_module
from leaflet import build
from leaflet.errors import OutputError, RenderError
from leaflet.render.pdf import render_pdf, save_pdf

PAGE = '<html lang="en"><head><title>t</title></head><body><p>Hello</p>{}</body></html>'


@pytest.mark.parametrize("resource", [
    '<img src="file:///etc/passwd">',
    '<link rel="stylesheet" href="file:///etc/passwd">',
    '<img src="http://127.0.0.1:9/x.png">',
    '<img src="../../../../etc/hostname">',
    '<p style="background: url(file:///etc/passwd)">x</p>',
])
def test_resources_outside_the_project_are_refused(tmp_path, resource):
    with pytest.raises(RenderError) as exc:
        render_pdf(PAGE.format(resource), base_dir=tmp_path, font_css="", allowed=[])
    assert "refused to load" in str(exc.value)


def test_a_hostile_translation_prints_as_text_and_reads_nothing(project):
    po = project.po_file("es", "diazepam")
    hostile = '<img src=\\"file:///etc/passwd\\"><style>body{display:none}</style>'
    edit_file(po, ('msgstr "Precauciones"', f'msgstr "Precauciones {hostile}"'))
    path = build("diazepam", "es", project=project, draft=True)  # drafts skip the gate: escaping must hold alone
    text = pdf_text(path)
    assert '<img src="file:///etc/passwd">' in text and "<style>" in text
    assert "root:x:0:0" not in text


def test_a_failure_while_writing_keeps_the_previous_pdf(tmp_path, monkeypatch):
    target = tmp_path / "es" / "diazepam.pdf"
    save_pdf(b"%PDF-old", target)

    class OsWithBrokenReplace:
        """The os module as leaflet.files sees it: the disk fills up at the rename."""

        def __getattr__(self, name):
            return getattr(os, name)

        @staticmethod
        def replace(src, dst):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(files_module, "os", OsWithBrokenReplace())  # the rest of the process keeps os.replace
    with pytest.raises(OutputError, match="cannot write the PDF: No space left on device") as failure:
        save_pdf(b"%PDF-new", target)
    assert failure.value.path == target.parent
    assert target.read_bytes() == b"%PDF-old"
    assert [p.name for p in target.parent.iterdir()] == ["diazepam.pdf"]


def test_an_interrupted_build_keeps_the_previous_pdf(project, monkeypatch):
    good = build("diazepam", "es", project=project)
    before = good.read_bytes()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("leaflet.render.printing.render_pdf", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build("diazepam", "es", project=project)
    assert good.read_bytes() == before


def test_an_unwritable_output_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "output"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(OutputError, match="cannot write the PDF"):
        save_pdf(b"%PDF", blocker / "es" / "diazepam.pdf")
