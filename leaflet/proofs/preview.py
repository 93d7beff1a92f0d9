"""An HTML preview for translators: a language's catalogs -> ``output/<lang>/html/<leaflet>.html``.

The HTML that WeasyPrint would print, written next to its stylesheet and the
prepared fonts, with nothing but relative links, so it opens in any browser.
Like a draft, missing or fuzzy entries show in English in a marked box.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from leaflet.files import copy_file, real_folder, write_atomic
from leaflet.languages import language
from leaflet.project import Project
from leaflet.render.edition import render_html, resolve_edition
from leaflet.render.fonts import font_face_css, prepare_fonts
from leaflet.render.options import DEFAULT_OPTIONS, BuildOptions
from leaflet.render.printing import visible_text

#: The fonts a preview copied, so the next preview deletes those and nothing else.
WRITTEN = ".leaflet-fonts"


def _replace_fonts(folder: Path, fonts: list[Path]) -> None:
    record = folder / WRITTEN
    old = record.read_text(encoding="utf-8").split() if record.is_file() and not record.is_symlink() else []
    for name in set(old) - {font.name for font in fonts}:
        path = folder / Path(name).name
        if path.is_file() and not path.is_symlink():
            path.unlink()
    for font in fonts:
        copy_file(font, folder / font.name)
    write_atomic(record, "\n".join(sorted(font.name for font in fonts)).encode())


def write_html(project: Project, leaflet: str, lang: str, options: BuildOptions = DEFAULT_OPTIONS) -> Path:
    edition = resolve_edition(project, leaflet, lang, replace(options, draft=True))
    folder = project.output_dir / edition.lang / "html"
    html = render_html(project, edition, preview=True).html
    faces = prepare_fonts(language(edition.lang), visible_text(html), project.cache_dir)
    _replace_fonts(real_folder(folder / "fonts", project.output_dir), [face.path for face in faces])
    write_atomic(folder / "fonts.css", font_face_css(faces, lambda face: f"fonts/{face.path.name}").encode())
    copy_file(project.templates_dir / "leaflet.css", folder / "leaflet.css")
    if edition.pharmacy and edition.pharmacy.logo:
        copy_file(edition.pharmacy.logo, folder / edition.pharmacy.logo.name)
        html = html.replace(edition.pharmacy.logo.as_uri(), edition.pharmacy.logo.name)
    out = folder / f"{edition.leaflet}.html"
    write_atomic(out, html.encode("utf-8"))
    return out

