"""An HTML preview for translators: a language's catalogs -> ``output/<lang>/html/<leaflet>.html``.

The HTML that WeasyPrint would print, written next to its stylesheet and the
prepared fonts, with nothing but relative links, so it opens in any browser.
Like a draft, missing or fuzzy entries show in English in a marked box.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from .catalogs import load_translations
from .content import read_leaflet
from .fonts import font_face_css, prepare_fonts
from .languages import language
from .pipeline import (
    DEFAULT_OPTIONS,
    BuildOptions,
    leaflet_html,
    plan_build,
    visible_text,
)
from .pofile import write_atomic
from .project import DIRECTIONS_DOMAIN, FRAME_DOMAIN, Project


def write_html(project: Project, leaflet: str, lang: str, options: BuildOptions = DEFAULT_OPTIONS) -> Path:
    plan = plan_build(leaflet, lang, project, replace(options, draft=True))
    folder = project.output_dir / plan.lang / "html"
    domains = [FRAME_DOMAIN, plan.leaflet] + ([DIRECTIONS_DOMAIN] if plan.options.directions else [])
    translations = load_translations(project, plan.lang, domains)
    content = read_leaflet(project.content_file(plan.leaflet))
    html = leaflet_html(project, content, translations, plan.options, plan.pharmacy, preview=True)
    faces = prepare_fonts(language(plan.lang), visible_text(html), project.cache_dir)
    (folder / "fonts").mkdir(parents=True, exist_ok=True)
    for old in (folder / "fonts").glob("*.ttf"):
        old.unlink()
    for face in faces:
        shutil.copyfile(face.path, folder / "fonts" / face.path.name)
    write_atomic(folder / "fonts.css", font_face_css(faces, lambda face: f"fonts/{face.path.name}").encode())
    shutil.copyfile(project.templates_dir / "leaflet.css", folder / "leaflet.css")
    if plan.pharmacy and plan.pharmacy.logo:
        shutil.copyfile(plan.pharmacy.logo, folder / plan.pharmacy.logo.name)
        html = html.replace(plan.pharmacy.logo.as_uri(), plan.pharmacy.logo.name)
    out = folder / f"{plan.leaflet}.html"
    write_atomic(out, html.encode("utf-8"))
    return out

