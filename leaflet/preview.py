"""An HTML preview for translators: a language's catalogs -> ``output/<lang>/html/<leaflet>.html``.

The HTML that WeasyPrint would print, written next to its stylesheet and the
prepared fonts, with nothing but relative links, so it opens in any browser.
Like a draft, missing or fuzzy entries show in English in a marked box.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .catalogs import load_translations
from .content import read_leaflet
from .files import copy_file, real_folder, write_atomic
from .fonts import font_face_css, prepare_fonts
from .languages import language
from .pipeline import (
    DEFAULT_OPTIONS,
    BuildOptions,
    leaflet_html,
    plan_build,
    visible_text,
)
from .project import DIRECTIONS_DOMAIN, FRAME_DOMAIN, Project

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
    plan = plan_build(leaflet, lang, project, replace(options, draft=True))
    folder = project.output_dir / plan.lang / "html"
    domains = [FRAME_DOMAIN, plan.leaflet] + ([DIRECTIONS_DOMAIN] if plan.options.directions else [])
    translations = load_translations(project, plan.lang, domains)
    content = read_leaflet(project.content_file(plan.leaflet))
    html = leaflet_html(project, content, translations, plan.options, plan.pharmacy, preview=True)
    faces = prepare_fonts(language(plan.lang), visible_text(html), project.cache_dir)
    _replace_fonts(real_folder(folder / "fonts", project.output_dir), [face.path for face in faces])
    write_atomic(folder / "fonts.css", font_face_css(faces, lambda face: f"fonts/{face.path.name}").encode())
    copy_file(project.templates_dir / "leaflet.css", folder / "leaflet.css")
    if plan.pharmacy and plan.pharmacy.logo:
        copy_file(plan.pharmacy.logo, folder / plan.pharmacy.logo.name)
        html = html.replace(plan.pharmacy.logo.as_uri(), plan.pharmacy.logo.name)
    out = folder / f"{plan.leaflet}.html"
    write_atomic(out, html.encode("utf-8"))
    return out

