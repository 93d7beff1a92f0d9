"""Fill a language's catalogs from a JSON file {"msgctxt": "translation", ...}.

A helper for drafting translations outside a PO editor: every key must be a
msgctxt of the language's catalogs; entries it names get the translation and
lose their fuzzy flag. A plural entry takes a list, one text per form of the
catalog's Plural-Forms header, in form order. Run `leaflet check LANG` afterwards.

    .venv/bin/python scripts/fill_catalog.py es translations-es.json
"""

import json
import sys
from pathlib import Path

from leaflet.catalogs.pofile import read_catalog, write_catalog
from leaflet.project import Project


def main(lang: str, source: str) -> int:
    project = Project.default()
    wanted = json.loads(Path(source).read_text(encoding="utf-8"))
    used = set()
    for domain in project.catalog_domains(lang):
        path = project.po_file(lang, domain)
        catalog = read_catalog(path)
        for entry in catalog.entries():
            if entry.msgctxt in wanted:
                value = wanted[entry.msgctxt]
                if entry.msgid_plural:
                    entry.msgstr_plural = dict(enumerate([value] if isinstance(value, str) else value))
                else:
                    entry.msgstr = value
                if entry.fuzzy:
                    entry.flags.remove("fuzzy")
                entry.previous_msgid = entry.previous_msgctxt = entry.previous_msgid_plural = None
                used.add(entry.msgctxt)
        write_catalog(catalog.po, path)
    unknown = sorted(set(wanted) - used)
    if unknown:
        print(f"unknown msgctxt: {', '.join(unknown)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
