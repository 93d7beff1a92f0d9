"""Pictures of what will be printed: built PDFs -> page PNGs -> a contact sheet.

Takes the built leaflets and gives ``output/proofs/``: one PNG per page
(poppler's ``pdftoppm``), a contact sheet per leaflet
(``contact-sheet-<leaflet>.png`` with one labelled thumbnail per language, and
its ``.html`` linking each thumbnail to its PDF), and ``index.html`` listing
the sheets. The sheet
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

from leaflet.errors import LeafletError
from leaflet.files import write_atomic
from leaflet.languages import language
from leaflet.project import Project
from leaflet.render.pdf import render_pdf

THUMBNAIL_DPI = 36
SHEET_DPI = 96


@dataclass(frozen=True)
class Proof:
    lang: str
    leaflet: str
    pdf: Path
    pages: tuple[Path, ...]

    label: str


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
    """Page pictures of every built leaflet: leaflet by leaflet, each in language order."""
    out_dir = project.output_dir / "proofs"
    proofs = []
    for leaflet in project.leaflets():
        for lang in project.languages():
            pdf = project.output_file(lang, leaflet)
            if pdf.exists():
                pages = render_pages(pdf, out_dir / "pages", f"{lang}-{leaflet}", all_pages=all_pages)
                label = f"{lang} · {language(lang).own_name}"
                label += f" · {leaflet}" if len(project.leaflets()) > 1 else ""
                proofs.append(Proof(lang, leaflet, pdf, pages, label))
    if not proofs:
        raise LeafletError("no built leaflets to proof", hint="run 'make pdf' first")
    return proofs


TILE_WIDTH, TILE_HEIGHT, GAP, TOP, COLUMNS = 180, 280, 10, 40, 6

_SHEET = jinja2.Environment(autoescape=True).from_string("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Leaflet proofs</title>
<style>
@page { size: {{ width }}px {{ height }}px; margin: 0; }
body { font-family: "Noto Sans", "Noto Naskh Arabic", "Noto Sans Hebrew", "Noto Sans Bengali",
       "Noto Sans Devanagari", "Noto Sans Ethiopic", "Noto Sans Myanmar", "Noto Sans CJK SC",
       "Noto Sans CJK TC", "Noto Sans CJK KR"; margin: 0; font-size: 11px; }
h1 { position: absolute; left: 10px; top: 8px; font-size: 14px; margin: 0; }
figure { position: absolute; width: {{ tile_width }}px; margin: 0; }
img { width: {{ tile_width }}px; border: 1px solid #888; display: block; }
figcaption { text-align: center; white-space: nowrap; overflow: hidden; }
</style></head><body>
<h1>{{ title }}</h1>
{% for tile in tiles %}
<figure style="left: {{ tile.x }}px; top: {{ tile.y }}px"><a href="{{ tile.pdf }}"><img src="{{ tile.png }}"
 alt="{{ tile.label }}"></a>
<figcaption><span dir="auto">{{ tile.label }}</span></figcaption></figure>
{% endfor %}
</body></html>""")


@dataclass(frozen=True)
class Tile:
    label: str
    png: str
    pdf: str
    x: int
    y: int

    @property
    def box(self) -> tuple[int, int, int, int]:
        """Where the thumbnail is in its contact sheet's PNG (96 dpi: one CSS px is one pixel)."""
        return self.x, self.y, self.x + TILE_WIDTH, self.y + TILE_HEIGHT - 30


def layout_tiles(proofs: list[Proof], base: Path) -> list[Tile]:
    """A fixed grid, so the sheet's geometry is known, not guessed."""
    tiles = []
    for index, (proof, page) in enumerate((p, page) for p in proofs for page in p.pages):
        row, column = divmod(index, COLUMNS)
        label = proof.label + (f" p{proof.pages.index(page) + 1}" if len(proof.pages) > 1 else "")
        tiles.append(Tile(label, os.path.relpath(page, base), os.path.relpath(proof.pdf, base),
                          GAP + column * (TILE_WIDTH + GAP), TOP + row * (TILE_HEIGHT + GAP)))
    return tiles


def sheet_html(tiles: list[Tile], title: str) -> str:
    rows = -(-len(tiles) // COLUMNS)
    return _SHEET.render(tiles=tiles, title=title, tile_width=TILE_WIDTH,
                         width=GAP + COLUMNS * (TILE_WIDTH + GAP), height=TOP + rows * (TILE_HEIGHT + GAP))


@dataclass(frozen=True)
class Sheet:
    """One leaflet's contact sheet: its picture, its page of links, and where each tile is."""

    leaflet: str
    png: Path
    html: Path
    tiles: list[Tile]


def contact_sheet(project: Project, *, all_pages: bool = False) -> tuple[list[Sheet], Path]:
    """A sheet per leaflet, ``output/proofs/contact-sheet-<leaflet>.png`` and ``.html`` (each
    thumbnail links to its PDF), and ``output/proofs/index.html`` linking every sheet."""
    proofs = make_proofs(project, all_pages=all_pages)
    out_dir = project.output_dir / "proofs"
    sheets = []
    for leaflet in dict.fromkeys(proof.leaflet for proof in proofs):
        mine = [proof for proof in proofs if proof.leaflet == leaflet]
        title = f"{leaflet}: {len(mine)} languages, {'every page' if all_pages else 'first pages'}"
        tiles = layout_tiles(mine, out_dir)
        html = sheet_html(tiles, title)
        page = out_dir / f"contact-sheet-{leaflet}.html"
        write_atomic(page, html.encode("utf-8"))
        png = out_dir / f"contact-sheet-{leaflet}.png"
        write_atomic(png, _picture(project, html, out_dir))
        sheets.append(Sheet(leaflet, png, page, tiles))
    index = out_dir / "index.html"
    write_atomic(index, _INDEX.render(sheets=sheets).encode("utf-8"))
    return sheets, index


def _picture(project: Project, html: str, out_dir: Path) -> bytes:
    pdf = render_pdf(html, base_dir=out_dir, font_css="", allowed=[project.output_dir], identifier=b"contact-sheet",
                     system_fonts=True).data
    with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
        sheet_pdf = Path(tmp) / "sheet.pdf"
        sheet_pdf.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(SHEET_DPI), "-singlefile", str(sheet_pdf),
                        str(Path(tmp) / "sheet")], check=True, capture_output=True)
        return (Path(tmp) / "sheet.png").read_bytes()


_INDEX = jinja2.Environment(autoescape=True).from_string("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Leaflet proofs</title></head><body>
<h1>Leaflet proofs: a contact sheet per leaflet</h1>
<ul>
{% for sheet in sheets %}
<li><a href="{{ sheet.html.name }}">{{ sheet.leaflet }}</a> ({{ sheet.tiles|length }} pages shown;
 <a href="{{ sheet.png.name }}">picture</a>)</li>
{% endfor %}
</ul>
</body></html>""")
