"""Pictures of what will be printed: built PDFs -> page PNGs -> a contact sheet.

Takes the built leaflets and gives ``output/proofs/``: one PNG per page
(poppler's ``pdftoppm``), ``contact-sheet.png`` with one labelled thumbnail
per language, and ``index.html`` linking each thumbnail to its PDF. The sheet
is laid out in HTML and printed by WeasyPrint, so every label is shaped
properly in its own script, then turned into a PNG by ``pdftoppm`` too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .errors import LeafletError
from .languages import language
from .pdf import render_pdf
from .pofile import write_atomic
from .project import Project

THUMBNAIL_DPI = 36
SHEET_DPI = 96


@dataclass(frozen=True)
class Proof:
    lang: str
    leaflet: str
    pdf: Path
    pages: tuple[Path, ...]

    @property
    def label(self) -> str:
        info = language(self.lang)
        return f"{self.lang} · {info.own_name}"


def render_pages(pdf: Path, out_dir: Path, stem: str, *, all_pages: bool) -> tuple[Path, ...]:
    if shutil.which("pdftoppm") is None:
        raise LeafletError("pdftoppm is not installed", hint="apt-get install poppler-utils (make setup does it)")
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob(f"{stem}-*.png"):
        old.unlink()
    last = [] if all_pages else ["-l", "1"]
    subprocess.run(["pdftoppm", "-png", "-r", str(THUMBNAIL_DPI), "-f", "1", *last, str(pdf), str(out_dir / stem)],
                   check=True, capture_output=True)
    return tuple(sorted(out_dir.glob(f"{stem}-*.png")))


def make_proofs(project: Project, *, all_pages: bool = False) -> list[Proof]:
    """Page pictures of every built leaflet, in language order."""
    out_dir = project.output_dir / "proofs"
    proofs = []
    for lang in project.languages():
        for leaflet in project.leaflets():
            pdf = project.output_file(lang, leaflet)
            if pdf.exists():
                pages = render_pages(pdf, out_dir / "pages", f"{lang}-{leaflet}", all_pages=all_pages)
                proofs.append(Proof(lang, leaflet, pdf, pages))
    if not proofs:
        raise LeafletError("no built leaflets to proof", hint="run 'make pdf' first")
    return proofs


_SHEET = jinja2.Environment(autoescape=True).from_string("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Leaflet proofs</title>
<style>
@page { size: {{ columns * 190 + 20 }}px {{ rows * 300 + 60 }}px; margin: 10px; }
body { font-family: "Noto Sans", "Noto Naskh Arabic", "Noto Sans Hebrew", "Noto Sans Bengali",
       "Noto Sans Devanagari", "Noto Sans Ethiopic", "Noto Sans Myanmar", "Noto Sans CJK SC",
       "Noto Sans CJK TC", "Noto Sans CJK KR"; margin: 0; font-size: 11px; }
h1 { font-size: 14px; margin: 0 0 6px 0; }
.grid { display: flex; flex-wrap: wrap; }
figure { width: 180px; margin: 0 10px 10px 0; }
img { width: 180px; border: 1px solid #888; display: block; }
figcaption { text-align: center; white-space: nowrap; overflow: hidden; }
</style></head><body>
<h1>{{ title }}</h1>
<div class="grid">
{% for proof in proofs %}{% for page in proof.pages %}
<figure><a href="{{ link(proof.pdf) }}"><img src="{{ link(page) }}" alt="{{ proof.label }}"></a>
<figcaption><span dir="auto">{{ proof.label }}</span>{{ " p" ~ loop.index if proof.pages|length > 1 }}</figcaption></figure>
{% endfor %}{% endfor %}
</div></body></html>""")


def sheet_html(proofs: list[Proof], base: Path, title: str) -> str:
    tiles = sum(len(p.pages) for p in proofs)
    columns = 6
    rows = -(-tiles // columns)

    def link(path: Path) -> str:
        return os.path.relpath(path.resolve(), base.resolve())

    return _SHEET.render(proofs=proofs, columns=columns, rows=rows, title=title, link=link)


def contact_sheet(project: Project, *, all_pages: bool = False) -> tuple[Path, Path]:
    """Write ``output/proofs/index.html`` and ``output/proofs/contact-sheet.png``."""
    proofs = make_proofs(project, all_pages=all_pages)
    out_dir = project.output_dir / "proofs"
    title = f"{len(proofs)} leaflets, {'every page' if all_pages else 'first pages'}"
    index = out_dir / "index.html"
    write_atomic(index, sheet_html(proofs, out_dir, title).encode("utf-8"))
    pdf = render_pdf(sheet_html(proofs, out_dir, title), base_dir=out_dir, font_css="",
                     allowed=[project.output_dir], identifier=b"contact-sheet")
    png = out_dir / "contact-sheet.png"
    with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
        sheet_pdf = Path(tmp) / "sheet.pdf"
        sheet_pdf.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(SHEET_DPI), "-singlefile", str(sheet_pdf), str(Path(tmp) / "sheet")],
                       check=True, capture_output=True)
        write_atomic(png, (Path(tmp) / "sheet.png").read_bytes())
    return png, index
