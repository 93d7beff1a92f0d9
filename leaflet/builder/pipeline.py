"""Build one leaflet in one language: the function that chains the stages.

content -> catalogs -> HTML -> PDF. The catalog gate runs first: a language
whose catalogs have any error is refused (``CatalogProblems``) and the
previous PDF stays as it was. The preflight runs last, on the PDF's bytes
before they are saved: a page that would print wrongly is refused
(``PreflightFailed``) and the previous PDF stays too. ``draft=True`` is for
reviewers: missing entries print in English, marked, in a separately named
file. A leaflet personalised for one patient goes to
``output/<lang>/personal/``, never to the stock leaflet's file.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from leaflet import __version__
from leaflet.builder.manifest import record, up_to_date
from leaflet.catalogs.reviews import review_file, signers_file
from leaflet.errors import (
    LeafletError,
    OutputError,
    PreflightFailed,
    UsageError,
    display_path,
)
from leaflet.files import write_atomic
from leaflet.languages import SOURCE_LANGUAGE
from leaflet.project import Project
from leaflet.render.edition import (
    EDITION_KEYS,
    Edition,
    render_edition,
    resolve_edition,
)
from leaflet.render.options import DEFAULT_OPTIONS, BuildOptions
from leaflet.verdicts import code_digest, digest, passed, remember_pass, tool_digest

if TYPE_CHECKING:
    from leaflet.render.pdf import Rendered
    from leaflet.render.preflight import Expected, Finding


def build(leaflet: str = "diazepam", lang: str = "es", *, project: Project | None = None,
          options: BuildOptions = DEFAULT_OPTIONS, **overrides: Any) -> Path:
    """Build ``output/<lang>/<leaflet>[.edition].pdf`` (personalised: under ``output/<lang>/personal/``)
    and return its path."""
    return run_build(leaflet, lang, project=project, options=replace(options, **overrides)).path


@dataclass(frozen=True)
class Built:
    path: Path
    skipped: bool  # the output was up to date
    notes: tuple[str, ...] = ()  # for the build log: the voice or braille table an edition used


@dataclass(frozen=True)
class Plan(Edition):
    """An edition to build, with the file it goes to and what its manifest must match."""

    out: Path
    key: str

    def up_to_date(self) -> bool:
        return up_to_date(self.out, self.key)


def plan_build(leaflet: str, lang: str, project: Project, options: BuildOptions = DEFAULT_OPTIONS) -> Plan:
    """Validate and resolve everything a build needs before any work is done."""
    edition = resolve_edition(project, leaflet, lang, options)
    code, options = edition.lang, edition.options
    if options.personalised:
        out = project.personal_output_file(code, edition.leaflet, options.edition(code), options.personal_tag(),
                                           options.suffix)
    else:
        out = project.output_file(code, edition.leaflet, options.edition(code), options.suffix)
    key = _build_key(edition.leaflet, code, options, _review_files(project, code, edition.leaflet))
    return Plan(edition.leaflet, code, options, edition.pharmacy, out, key)


def run_build(leaflet: str, lang: str, *, project: Project | None = None, options: BuildOptions = DEFAULT_OPTIONS,
              rebuild: bool = True, out: Path | None = None) -> Built:
    """Build one leaflet; with ``rebuild=False`` an output whose inputs did not change is kept.

    ``out`` writes to that file instead: always built, with no manifest beside it."""
    project = project or Project.default()
    return run_plan(project, plan_build(leaflet, lang, project, options), rebuild=rebuild, out=out)


def run_plan(project: Project, plan: Plan, *, rebuild: bool = True, out: Path | None = None) -> Built:
    """``run_build`` for a plan already made (the batch plans each job once)."""
    if out is not None and plan.options.personalised and _is_stock_file(project, plan, out):
        raise UsageError(f"{out} is the stock leaflet every patient gets, not a file for one patient",
                         hint="leave out -o: personalised leaflets go to output/<lang>/personal/")
    if out is None and not rebuild and plan.up_to_date():
        return Built(plan.out, skipped=True)
    if not plan.options.printed:
        return _run_other(project, plan, out)
    rendered = render_edition(project, plan)
    check_print(project, rendered, plan, out or plan.out)
    _save(rendered.data, out or plan.out)
    if out is None:
        record(plan.out, list(rendered.inputs), plan.key)
    return Built(out or plan.out, skipped=False)


def build_bytes(leaflet: str, lang: str, *, project: Project | None = None,
                options: BuildOptions = DEFAULT_OPTIONS) -> bytes:
    """The PDF itself, written nowhere (``leaflet build -o -``)."""
    project = project or Project.default()
    plan = plan_build(leaflet, lang, project, options)
    if not plan.options.printed:
        from leaflet.editions.made import make_edition

        return make_edition(project, plan).data
    rendered = render_edition(project, plan)
    check_print(project, rendered, plan, Path("-"))
    return rendered.data


def check_print(project: Project, rendered: Rendered, plan: Plan, out: Path, *, text_layer: bool = True) -> None:
    """The preflight on the bytes about to be saved: any error refuses them. Bytes that
    passed it before (a rebuild of unchanged inputs) are not read again. A patient's leaflet
    is checked every time and its pass never remembered: the mark's name, a digest of the PDF,
    would let whoever reads the cache confirm a guessed name by rebuilding it."""
    remembered = not plan.options.personalised
    key = _preflight_key(rendered, plan, text_layer) if remembered else ""
    if remembered and passed(project.cache_dir, "preflight", key):
        return
    from leaflet.render.preflight import Expected, errors, preflight
    from leaflet.render.proofread import typed_values

    expected = Expected(plan.lang, plan.options.large_print, rendered.pages if text_layer else None,
                        typed=typed_values(plan.options, plan.pharmacy, plan.lang), bilingual=plan.options.bilingual)
    found = errors(preflight(rendered.data, expected, "-" if str(out) == "-" else display_path(out)))
    if found:
        raise PreflightFailed(found)
    if remembered:
        remember_pass(project.cache_dir, "preflight", key)


def _preflight_key(rendered: Rendered, plan: Plan, text_layer: bool) -> str:
    """What the preflight reads: the PDF, the edition, the text laid out, the code and the readers."""
    pages = [part for page in rendered.pages for part in (page.head, page.flow, page.foot)] if text_layer else []
    return digest(code_digest(), tool_digest("pdftotext"), rendered.data, plan.lang,
                  str(plan.options.large_print), str(text_layer), *pages)


def preflight_files(project: Project | None, paths: list[Path]) -> list[Finding]:
    """``leaflet preflight``: every problem of each PDF, and a note on what could not be checked."""
    from leaflet.render.preflight import NOTE, Finding, preflight

    found: list[Finding] = []
    for path in paths:
        shown = display_path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            found.append(Finding(shown, None, f"cannot read it: {exc.strerror}", "check the path"))
            continue
        if not data.startswith(b"%PDF-"):
            found.append(Finding(shown, None, "not a PDF", "pass the PDFs that leaflet build wrote"))
            continue
        expected, note = expected_of(project, data)
        found += preflight(data, expected, shown)
        if note:  # says why the text layer was not compared, instead of preflight's general note
            found = [f for f in found if not (f.file == shown and f.severity == NOTE)]
            found.append(Finding(shown, None, f"text layer not compared: {note}", severity=NOTE))
    return found


def expected_of(project: Project | None, data: bytes) -> tuple[Expected, str | None]:
    """What a PDF should be, from its metadata (``Edition.metadata``): a stock leaflet is
    rebuilt, and its layout's text is what its text layer must read back, if the rebuild
    gives these very bytes. Gives the expectation and, when the text is not known, why."""
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject

    from leaflet.render.preflight import Expected

    reader = PdfReader(io.BytesIO(data))
    pdf_info = {str(k).lstrip("/"): str(v) for k, v in (reader.metadata or {}).items()}
    info = {key: pdf_info[key.replace("-", "")] for key in EDITION_KEYS if key.replace("-", "") in pdf_info}
    lang = info.get("leaflet-language")
    if not lang:
        root = cast(DictionaryObject, reader.trailer["/Root"])  # pypdf types each object as a PdfObject
        lang = str(root.get("/Lang", SOURCE_LANGUAGE)).replace("-", "_")
    parts = info.get("leaflet-edition", "standard").split(".")
    expected = Expected(lang, "large" in parts, bilingual=parts[0].endswith("+en"))
    if "leaflet-id" not in info:
        return expected, "the PDF does not say which leaflet it is (not made by leaflet build)"
    if info.get("leaflet-personal") == "yes":
        return expected, "a personalised leaflet: what was typed for the patient is not kept (its build compared it)"
    if project is None:
        return expected, "no project to rebuild it from"
    options = BuildOptions(paper=info.get("leaflet-paper", "a4"), large_print="large" in parts,
                           bilingual=parts[0].endswith("+en"), draft="draft" in parts)
    try:
        rendered = render_edition(project, resolve_edition(project, info["leaflet-id"], lang, options))
    except LeafletError as exc:
        return expected, f"it cannot be rebuilt: {exc}"
    if rendered.data != data:
        return expected, "it is not what the project builds now (rebuild it with 'leaflet build --rebuild')"
    return replace(expected, pages=rendered.pages), None


def _is_stock_file(project: Project, plan: Plan, out: Path) -> bool:
    stock = project.output_file(plan.lang, plan.leaflet, plan.options.edition(plan.lang), plan.options.suffix)
    return out.resolve() == stock.resolve()


def _build_key(leaflet: str, lang: str, options: BuildOptions, review: str = "") -> str:
    settings = {name: str(value) for name, value in sorted(vars(options).items())}
    return json.dumps({"version": __version__, "leaflet": leaflet, "lang": lang, "options": settings,
                       "review": review}, sort_keys=True)


def _review_files(project: Project, lang: str, leaflet: str) -> str:
    """A review recorded or a signer listed since the last build changes its footer."""
    hashed = hashlib.sha256()
    for path in (review_file(project, lang, leaflet), signers_file(project)):
        hashed.update(path.read_bytes() if path.is_file() else b"-")
    return hashed.hexdigest()[:16]


def _run_other(project: Project, plan: Plan, out: Path | None) -> Built:
    """An edition that is not printed: made from the model and checked by its maker."""
    from leaflet.editions.made import make_edition

    made = make_edition(project, plan)
    target = out or plan.out
    try:
        write_atomic(target, made.data)
    except OSError as exc:
        raise OutputError(f"cannot write the {plan.options.medium} edition: {exc.strerror}", path=target.parent,
                          hint="check that the output folder exists and is writable") from None
    if out is None:
        record(plan.out, list(made.inputs), plan.key)
    return Built(out or plan.out, skipped=False, notes=made.notes)


def _save(data: bytes, out: Path) -> None:
    from leaflet.render.pdf import save_pdf

    save_pdf(data, out)
