"""The render stage: one path from a leaflet, a language and an edition to PDF bytes.

``render.edition`` is the only place a leaflet's HTML is made (``leaflet_html``) and
``render.printing`` the only place HTML becomes a PDF (``render_pdf``): each front end
is followed through them here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import edit_file, pdf_bytes_text

import leaflet.render.context as context_module
import leaflet.render.printing as printing_module
from leaflet.builder.batch import Job, build_all
from leaflet.builder.pipeline import build_bytes, run_build
from leaflet.errors import CatalogProblems, UsageError
from leaflet.proofs.preview import write_html
from leaflet.proofs.review import write_review_proof
from leaflet.render import render
from leaflet.render.edition import resolve_edition
from leaflet.render.options import BuildOptions

PACKAGE = Path(__file__).resolve().parents[1] / "leaflet"


@pytest.fixture
def calls(monkeypatch) -> list[str]:
    """What went through the one render path: 'html' per leaflet page made, 'pdf' per PDF printed."""
    seen: list[str] = []
    make_html, print_html = context_module.leaflet_html, printing_module.render_pdf

    def counted_html(*args, **kwargs):
        seen.append("html")
        return make_html(*args, **kwargs)

    def counted_pdf(*args, **kwargs):
        seen.append("pdf")
        return print_html(*args, **kwargs)

    monkeypatch.setattr(context_module, "leaflet_html", counted_html)  # edition imports it when it renders
    monkeypatch.setattr(printing_module, "render_pdf", counted_pdf)
    return seen


def test_render_gives_the_pdf_its_html_and_its_inputs(project, calls):
    rendered = render("diazepam", "es", project=project)
    assert rendered.data.startswith(b"%PDF-") and calls == ["html", "pdf"]
    assert 'lang="es"' in rendered.html and "Diazepam" in pdf_bytes_text(rendered.data)
    assert project.content_file("diazepam") in rendered.inputs
    assert project.po_file("es", "diazepam") in rendered.inputs
    assert not project.output_file("es", "diazepam").exists()  # rendered, written nowhere


def test_render_refuses_a_catalog_with_errors(project):
    edit_file(project.po_file("es", "diazepam"), ('\nmsgctxt "', '\n#, fuzzy\nmsgctxt "'))
    with pytest.raises(CatalogProblems):
        render("diazepam", "es", project=project)


def test_resolve_edition_fills_every_default_before_any_work(project):
    edition = resolve_edition(project, "diazepam", "es_MX.UTF-8", BuildOptions(patient="Ana"))
    assert (edition.lang, edition.options.paper) == ("es", "a4")
    assert edition.options.date is not None  # a personalised leaflet is dated
    assert edition.metadata()["leaflet-personal"] == "yes"


@pytest.mark.parametrize("front_end", ["build", "build-bytes", "batch", "html-preview"])
def test_every_front_end_makes_its_leaflet_through_the_render_path(project, calls, front_end):
    if front_end == "build":
        run_build("diazepam", "es", project=project)
    elif front_end == "build-bytes":
        build_bytes("diazepam", "es", project=project)
    elif front_end == "batch":
        build_all(project, [Job("diazepam", "es")], BuildOptions(), workers=1, rebuild=True)
    else:
        write_html(project, "diazepam", "es")
    assert calls[0] == "html" and calls.count("html") == 1
    assert calls.count("pdf") == (0 if front_end == "html-preview" else 1)


def test_the_review_proof_prints_through_the_render_stage(project, calls):
    write_review_proof(project, "es", "diazepam")
    assert calls == ["pdf"]


def test_the_counter_prints_through_the_render_path(project, tmp_path, calls):
    from starlette.testclient import TestClient

    from leaflet.counter import Settings, create_app

    client = TestClient(create_app(project, Settings(data_dir=tmp_path / "data", workers=0)),
                        base_url="http://127.0.0.1:8000")
    response = client.get("/leaflets/diazepam/es.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert calls == ["html", "pdf"]


def calls_to(name: str) -> list[str]:
    """Modules that call a function of this name."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if called == name:
                    found.append(path.relative_to(PACKAGE).as_posix())
    return sorted(set(found))


def test_every_leaflet_page_is_made_from_the_localized_model():
    """The localized leaflet is made in one place, and the HTML renderer reads only it:
    it imports no catalog (the audio, braille and data editions will read the same model)."""
    assert calls_to("localize") == ["render/context.py"]
    assert calls_to("leaflet_page") == ["render/context.py"]
    renderer = ast.parse((PACKAGE / "render" / "html.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(renderer) if isinstance(node, ast.ImportFrom)}
    assert "leaflet.localized" in imported and not any(m.startswith("leaflet.catalogs") for m in imported if m)


def test_html_becomes_a_pdf_in_one_place():
    # The contact sheet prints thumbnails of every language on one page, with the system's fonts:
    # it is a picture of leaflets, not a leaflet, so it calls WeasyPrint through render_pdf itself.
    assert calls_to("render_pdf") == ["proofs/sheet.py", "render/printing.py"]
    assert calls_to("leaflet_html") == ["render/edition.py"]
    assert calls_to("HTML") == ["render/pdf.py"]  # WeasyPrint's HTML class


def test_english_has_no_bilingual_edition(project):
    """English beside English is no edition: `make editions` once wrote diazepam.en+en.pdf."""
    with pytest.raises(UsageError, match="English has no bilingual edition"):
        resolve_edition(project, "diazepam", "en", BuildOptions(bilingual=True))
