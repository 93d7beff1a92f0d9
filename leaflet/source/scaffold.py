"""A new leaflet is a content file: ``leaflet new NAME`` -> ``content/NAME.md``.

The file starts with the front matter, the title and one paragraph that says
what to write; the command then extracts its template and starts its empty
catalog in every language (``catalogs.update``). Nothing else changes: the
print template, the frame and the directions are shared, and a language with
no translation yet is skipped by ``make pdf`` with a note until a translator
begins it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from leaflet.errors import UsageError
from leaflet.files import write_atomic
from leaflet.project import Project

SKELETON = """+++
# The leaflet's identity and revision ("revised" is printed in the footer). Every sentence
# below must come from a source: the seed, or a fact file named in "source".
id = "{name}"
# The dose form its standard directions count: a table of content/directions.toml.
form = "tablet"
revised = {today}
source = ""
+++

#. The medicine's name as printed at the top of the leaflet. Use the conventional local name of the medicine.
# {title} {{#title}}

#. Introduction under the title.
Replace this paragraph with the leaflet's first paragraph, written from its sources. {{#intro}}
"""


def new_leaflet(project: Project, name: str, title: str) -> Path:
    """Write ``content/<name>.md``; refuses a bad name, a title with markup, or a leaflet that exists."""
    if not project.is_leaflet_name(name):
        raise UsageError(f"'{name}' is not a leaflet name",
                         hint="use lower-case letters, digits and '-' (as in zolpidem or co-codamol)")
    path = project.content_dir / f"{name}.md"
    if path.exists() or path.is_symlink():
        raise UsageError(f"{name} exists already: {path}", hint="choose another name, or edit that file")
    clean = " ".join(title.split())
    if not clean or any(c in clean for c in "{}#*<>&") or len(clean) > 120:
        raise UsageError("--title: the medicine's name as printed, without markup, up to 120 characters")
    text = SKELETON.format(name=name, title=clean, today=dt.date.today().isoformat())
    write_atomic(path, text.encode("utf-8"))
    return path
