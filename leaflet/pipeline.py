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

import contextlib
import datetime as dt
import functools
import hashlib
import html as html_lib
import io
import json
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from . import __version__
from .catalogs import Translations, extract_messages, load_translations
from .checks import BIDI_CONTROLS, Problem, check_catalog, errors, hides_text
from .content import Leaflet, read_leaflet, read_names
from .directions import read_directions, resolve_direction
from .errors import CatalogProblems, LeafletError, PreflightFailed, UsageError, display_path
from .fonts import font_families
from .html import PAPER_SIZES, Page, Renderer, render_html
from .languages import SOURCE_LANGUAGE, Language, language
from .manifest import record, up_to_date
from .pharmacy import Pharmacy, read_pharmacy
from .pofile import Catalog, read_catalog_cached
from .project import DIRECTIONS_DOMAIN, FRAME_DOMAIN, Project
from .review import review_file, review_status, signers_file

if TYPE_CHECKING:
    from .pdf import Rendered


#: Dispensing dates before this are typing mistakes (0001-01-01), as are those over a year ahead.
EARLIEST_DATE = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class BuildOptions:
    """Every build option and its default, shared by the CLI and the Python API."""

    paper: str | None = None  # None: the pharmacy profile's paper, else A4
    draft: bool = False
    large_print: bool = False
    bilingual: bool = False
    pharmacy: Path | None = None
    patient: str | None = None
    directions: str | None = None
    count: int = 1
    free_directions: str | None = None
    date: dt.date | None = None  # the dispensing date; today when None

    def validated(self) -> "BuildOptions":
        if self.paper is not None and self.paper not in PAPER_SIZES:
            raise UsageError(f"unknown paper size '{self.paper}'", hint="use one of: " + ", ".join(PAPER_SIZES))
        if not 1 <= self.count <= 999:
            raise UsageError(f"--count must be between 1 and 999, not {self.count}")
        for name in ("patient", "free_directions"):
            value = getattr(self, name)
            option = f"--{name.replace('_', '-')}"
            if value is not None and (not value.strip() or len(value) > MAX_PERSONAL_TEXT):
                raise UsageError(f"{option} must be 1 to {MAX_PERSONAL_TEXT} characters")
            if value is not None and any(unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") for c in value):
                raise UsageError(f"{option} contains control characters or broken Unicode",
                                 hint="type the text again, without pasting invisible characters")
            if value is not None and any(hides_text(value, i) or c in BIDI_CONTROLS for i, c in enumerate(value)):
                raise UsageError(f"{option} contains invisible or direction-changing characters (U+202E and the like)",
                                 hint="type the text again: the leaflet prints it exactly as typed")
        if self.directions is not None and not self.directions.strip():
            raise UsageError("--directions needs a code", hint="see content/directions.toml: bedtime, morning, ...")
        if self.date is not None and not EARLIEST_DATE <= self.date <= dt.date.today() + dt.timedelta(days=366):
            raise UsageError(f"--date {self.date.isoformat()} is not a plausible dispensing date",
                             hint=f"use a date from {EARLIEST_DATE.isoformat()} to a year from today, as YYYY-MM-DD")
        return self

    @property
    def personalised(self) -> bool:
        return bool(self.patient or self.directions or self.free_directions)

    def personal_tag(self) -> str:
        """``2026-11-20-3f9c2a1b7d``: the dispensing date and a short hash of what was typed
        for the patient, so two patients' leaflets never share a file and nobody takes one
        for the stock leaflet. The hash does not reveal the name to whoever reads the folder."""
        typed = {"patient": self.patient, "directions": self.directions, "count": self.count,
                 "free_directions": self.free_directions}
        digest = hashlib.sha256(json.dumps(typed, sort_keys=True).encode()).hexdigest()[:10]
        return f"{(self.date or dt.date.today()).isoformat()}-{digest}"

    def edition(self, lang: str) -> str:
        """The file name's middle part: ``es+en.large.draft`` for ``diazepam.es+en.large.draft.pdf``."""
        parts = [f"{lang}+en"] if self.bilingual else []
        parts += ["large"] if self.large_print else []
        parts += ["draft"] if self.draft else []
        return ".".join(parts)


DEFAULT_OPTIONS = BuildOptions()
MAX_PERSONAL_TEXT = 500


@dataclass(frozen=True)
class Personal:
    """What the pharmacy adds for one patient; printed as text, never as markup."""

    patient: str | None
    directions: Markup | None
    free_directions: str | None
    dispensed: dt.date


def build(leaflet: str = "diazepam", lang: str = "es", *, project: Project | None = None,
          options: BuildOptions = DEFAULT_OPTIONS, **overrides: object) -> Path:
    """Build ``output/<lang>/<leaflet>[.edition].pdf`` (personalised: under ``output/<lang>/personal/``)
    and return its path."""
    return run_build(leaflet, lang, project=project, options=replace(options, **overrides)).path


@dataclass(frozen=True)
class Built:
    path: Path
    skipped: bool  # the output was up to date


@dataclass(frozen=True)
class Plan:
    """One build with every name resolved and every default filled in."""

    leaflet: str
    lang: str
    options: BuildOptions
    pharmacy: Pharmacy | None
    out: Path
    key: str

    def up_to_date(self) -> bool:
        return up_to_date(self.out, self.key)


def plan_build(leaflet: str, lang: str, project: Project, options: BuildOptions = DEFAULT_OPTIONS) -> Plan:
    """Validate and resolve everything a build needs before any work is done."""
    options = options.validated()
    leaflet_id, code = project.resolve_leaflet(leaflet), project.resolve_language(lang)
    pharmacy = read_pharmacy(Path(options.pharmacy), project.root) if options.pharmacy else None
    if options.paper is None:
        options = replace(options, paper=(pharmacy.paper if pharmacy and pharmacy.paper else "a4"))
    if options.personalised and options.date is None:
        options = replace(options, date=dt.date.today())
    if options.directions:
        resolve_direction(read_directions(project.directions_file), options.directions)
    if options.personalised:
        out = project.personal_output_file(code, leaflet_id, options.edition(code), options.personal_tag())
    else:
        out = project.output_file(code, leaflet_id, options.edition(code))
    return Plan(leaflet_id, code, options, pharmacy, out,
                _build_key(leaflet_id, code, options, _review_files(project, code)))


def run_build(leaflet: str, lang: str, *, project: Project | None = None, options: BuildOptions = DEFAULT_OPTIONS,
              rebuild: bool = True, out: Path | None = None) -> Built:
    """Build one leaflet; with ``rebuild=False`` an output whose inputs did not change is kept.

    ``out`` writes to that file instead: always built, with no manifest beside it."""
    project = project or Project.default()
    plan = plan_build(leaflet, lang, project, options)
    if out is not None and plan.options.personalised and _is_stock_file(project, plan, out):
        raise UsageError(f"{out} is the stock leaflet every patient gets, not a file for one patient",
                         hint="leave out -o: personalised leaflets go to output/<lang>/personal/")
    if out is None and not rebuild and plan.up_to_date():
        return Built(plan.out, skipped=True)
    rendered, inputs = render_plan(project, plan)
    check_print(rendered, plan, out or plan.out)
    _save(rendered.data, out or plan.out)
    if out is None:
        record(plan.out, inputs, plan.key)
    return Built(out or plan.out, skipped=False)


def build_bytes(leaflet: str, lang: str, *, project: Project | None = None,
                options: BuildOptions = DEFAULT_OPTIONS) -> bytes:
    """The PDF itself, written nowhere (``leaflet build -o -``)."""
    project = project or Project.default()
    plan = plan_build(leaflet, lang, project, options)
    rendered = render_plan(project, plan)[0]
    check_print(rendered, plan, Path("-"))
    return rendered.data


def check_print(rendered: Rendered, plan: Plan, out: Path, *, text_layer: bool = True) -> None:
    """The preflight on the bytes about to be saved: any error refuses them."""
    from .preflight import Expected, errors, preflight

    expected = Expected(plan.lang, plan.options.large_print, rendered.pages if text_layer else None)
    found = errors(preflight(rendered.data, expected, "-" if str(out) == "-" else display_path(out)))
    if found:
        raise PreflightFailed(found)


def preflight_files(project: Project | None, paths: list[Path]) -> list:
    """``leaflet preflight``: every problem of each PDF, and a note on what could not be checked."""
    from .preflight import NOTE, Finding, preflight

    found: list = []
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


def expected_of(project: Project | None, data: bytes) -> tuple:
    """What a PDF should be, from its metadata (``_edition_metadata``): a stock leaflet is
    rebuilt, and its layout's text is what its text layer must read back, if the rebuild
    gives these very bytes. Gives the expectation and, when the text is not known, why."""
    from pypdf import PdfReader

    from .errors import LeafletError
    from .preflight import Expected

    reader = PdfReader(io.BytesIO(data))
    pdf_info = {str(k).lstrip("/"): str(v) for k, v in (reader.metadata or {}).items()}
    info = {key: pdf_info[key.replace("-", "")] for key in EDITION_KEYS if key.replace("-", "") in pdf_info}
    lang = info.get("leaflet-language") or str(reader.trailer["/Root"].get("/Lang", SOURCE_LANGUAGE)).replace("-", "_")
    parts = info.get("leaflet-edition", "standard").split(".")
    expected = Expected(lang, "large" in parts)
    if "leaflet-id" not in info:
        return expected, "the PDF does not say which leaflet it is (not made by leaflet build)"
    if info.get("leaflet-personal") == "yes":
        return expected, "a personalised leaflet: what was typed for the patient is not kept (its build compared it)"
    if project is None:
        return expected, "no project to rebuild it from"
    options = BuildOptions(paper=info.get("leaflet-paper", "a4"), large_print="large" in parts,
                           bilingual=parts[0].endswith("+en"), draft="draft" in parts)
    try:
        rendered = render_plan(project, plan_build(info["leaflet-id"], lang, project, options))[0]
    except LeafletError as exc:
        return expected, f"it cannot be rebuilt: {exc}"
    if rendered.data != data:
        return expected, "it is not what the project builds now (rebuild it with 'leaflet build --rebuild')"
    return replace(expected, pages=rendered.pages), None


def render_plan(project: Project, plan: Plan) -> tuple[Rendered, list[Path]]:
    """The rendered PDF and every file it was made from (for the manifest)."""
    options, pharmacy, code = plan.options, plan.pharmacy, plan.lang
    content = read_leaflet(project.content_file(plan.leaflet))
    domains = [FRAME_DOMAIN, plan.leaflet] + ([DIRECTIONS_DOMAIN] if options.directions else [])
    if not options.draft:
        gate(project, code, domains)
    translations = load_translations(project, code, domains)
    html = leaflet_html(project, content, translations, options, pharmacy, edition=_edition_metadata(plan))
    rendered, fonts = print_pdf(project, html, code, pharmacy, personal=options.personalised)
    inputs = [project.content_file(plan.leaflet), *_template_files(project), *fonts, *_package_files()]
    inputs += [project.names_file] if project.names_file.exists() else []
    inputs += [c.path for c in translations.catalogs]
    inputs += [project.directions_file] if options.directions else []
    inputs += [Path(options.pharmacy)] + ([pharmacy.logo] if pharmacy.logo else []) if pharmacy else []
    return rendered, inputs


#: What the PDF's metadata says of its build, so ``leaflet preflight`` can rebuild it (never what was typed).
#: WeasyPrint writes each ``<meta name>`` as an entry of the PDF's Info without its "-".
EDITION_KEYS = ("leaflet-id", "leaflet-language", "leaflet-edition", "leaflet-paper", "leaflet-personal")


def _edition_metadata(plan: Plan) -> dict[str, str]:
    return dict(zip(EDITION_KEYS, (plan.leaflet, plan.lang, plan.options.edition(plan.lang) or "standard",
                                   plan.options.paper or "a4", "yes" if plan.options.personalised else "no")))


def _is_stock_file(project: Project, plan: Plan, out: Path) -> bool:
    stock = project.output_file(plan.lang, plan.leaflet, plan.options.edition(plan.lang))
    return out.resolve() == stock.resolve()


def _build_key(leaflet: str, lang: str, options: BuildOptions, review: str = "") -> str:
    settings = {name: str(value) for name, value in sorted(vars(options).items())}
    return json.dumps({"version": __version__, "leaflet": leaflet, "lang": lang, "options": settings,
                       "review": review}, sort_keys=True)


def _review_files(project: Project, lang: str) -> str:
    """A review recorded or a signer listed since the last build changes its footer."""
    hashed = hashlib.sha256()
    for path in (review_file(project, lang), signers_file(project)):
        hashed.update(path.read_bytes() if path.is_file() else b"-")
    return hashed.hexdigest()[:16]


#: The counter's web page lives beside the print templates; no leaflet is made from it.
COUNTER_TEMPLATES = "counter"


def _template_files(project: Project) -> list[Path]:
    return sorted(p for p in project.templates_dir.rglob("*")
                  if p.is_file() and COUNTER_TEMPLATES not in p.relative_to(project.templates_dir).parts[:1])


def _package_files() -> list[Path]:
    return sorted(Path(__file__).parent.glob("*.py"))


def _save(data: bytes, out: Path) -> None:
    from .pdf import save_pdf

    save_pdf(data, out)


def gate(project: Project, lang: str, domains: list[str]) -> None:
    """Refuse a language whose catalogs have any error (missing, fuzzy, altered, stale)."""
    if lang == SOURCE_LANGUAGE:
        return
    problems = []
    for domain in domains:
        expected = [(m.context, m.msgid) for m in extract_messages(project, domain)]
        path = project.po_file(lang, domain)
        if not path.exists():
            raise CatalogProblems([], f"{path}: catalog not found; run 'leaflet update'")
        problems += _checked(read_catalog_cached(path), lang, tuple(expected))
    if errors(problems):
        raise CatalogProblems(problems)


@functools.lru_cache(maxsize=256)
def _checked(catalog: Catalog, lang: str, expected: tuple) -> list[Problem]:
    """A parsed catalog is cached per file version, so is what the checks found in it."""
    return check_catalog(catalog, lang, expected)


def leaflet_html(project: Project, content: Leaflet, translations: Translations, options: BuildOptions,
                 pharmacy: Pharmacy | None = None, *, preview: bool = False,
                 edition: dict[str, str] | None = None) -> str:
    info = language(translations.lang)
    names = read_names(project.names_file)
    renderer = Renderer(translations, info, options.draft, names)
    page = Page(paper=options.paper or "a4", draft=options.draft, font_families=font_families(info),
                large_print=options.large_print, bilingual=options.bilingual)
    english = Renderer(load_translations(project, SOURCE_LANGUAGE, []), language(SOURCE_LANGUAGE), draft=False,
                       names=names)
    revised = max([content.revised, *_catalog_dates(translations)])
    extra = {
        "catalog_date": _header_date(translations.header("PO-Revision-Date")) or content.revised,
        **_review(project, translations.lang, content.revised),
        "with_english": lambda text, source: text if info.code == SOURCE_LANGUAGE else f"{text} · {source}",
        # Fixed dates and a content-derived identifier make the PDF reproducible byte for byte.
        "metadata": {"dcterms.created": revised.isoformat(), "dcterms.modified": revised.isoformat(),
                     **(edition or {})},
        "pharmacy": _shown_pharmacy(pharmacy, info),
        "personal": _personal(project, options, renderer) if options.personalised else None,
        "english": english.block,
        "english_name": language(SOURCE_LANGUAGE).own_name,
        "preview": preview,
    }
    return render_html(project, content, info, renderer, page, extra)


def _review(project: Project, lang: str, fallback: dt.date) -> dict[str, object]:
    """What the footer says of the review: only a review bound to these exact words counts."""
    if lang == SOURCE_LANGUAGE:
        return {"reviewer": "", "review_date": fallback, "review_changed": False}
    status = review_status(project, lang)
    return {"reviewer": status.reviewer if status.reviewed else "", "review_date": _header_date(status.date) or fallback,
            "review_changed": status.changed, "changed_reviewer": status.reviewer if status.changed else ""}


def _personal(project: Project, options: BuildOptions, renderer: Renderer) -> Personal:
    directions = _directions(project, options, renderer) if options.directions else None
    return Personal(options.patient, directions, options.free_directions, options.date or dt.date.today())


def _directions(project: Project, options: BuildOptions, renderer: Renderer) -> Markup:
    direction = resolve_direction(read_directions(project.directions_file), options.directions or "")
    return renderer.npgettext(direction.code, direction.one, direction.other, options.count)


def directions_sentence(project: Project, lang: str, options: BuildOptions) -> Markup:
    """The directions exactly as the leaflet will print them (the plural form and digits of
    ``lang``), for the pharmacist to read before printing; refused as the build would refuse it."""
    options = options.validated()
    if lang != SOURCE_LANGUAGE:
        gate(project, lang, [DIRECTIONS_DOMAIN])
    translations = load_translations(project, lang, [DIRECTIONS_DOMAIN])
    renderer = Renderer(translations, language(lang), draft=False, names=read_names(project.names_file))
    return _directions(project, options, renderer)


@dataclass(frozen=True)
class _ShownPharmacy:
    name: str
    address: str
    phone_shown: str
    logo_url: str


def _shown_pharmacy(pharmacy: Pharmacy | None, info: Language) -> _ShownPharmacy | None:
    """The profile as printed: the phone number in the patient's digits."""
    if pharmacy is None:
        return None
    return _ShownPharmacy(pharmacy.name, pharmacy.address, info.native_digits(pharmacy.phone), pharmacy.logo_url)


def _catalog_dates(translations: Translations) -> list[dt.date]:
    dates = [_header_date(c.po.metadata.get("PO-Revision-Date", "")) for c in translations.catalogs]
    return [d for d in dates if d is not None]


def print_pdf(project: Project, html: str, lang: str, pharmacy: Pharmacy | None = None,
              personal: bool = False) -> tuple[Rendered, list[Path]]:
    """The rendered PDF and the installed font files it was made from. A personalised
    leaflet's fonts also hold the usual typed characters, so the cache of font subsets
    does not grow, and tell which characters were typed, with every patient."""
    from .fonts import TYPING_REPERTOIRE, font_face_css, prepare_fonts
    from .pdf import render_pdf

    optional = TYPING_REPERTOIRE + personal_repertoire(project, lang) if personal else ""
    faces = prepare_fonts(language(lang), visible_text(html), project.cache_dir, optional=optional)
    identifier = hashlib.sha256(html.encode() + __version__.encode()).hexdigest()[:32].encode()
    allowed = [project.cache_dir / "fonts"] + ([pharmacy.logo] if pharmacy and pharmacy.logo else [])
    rendered = render_pdf(html, base_dir=project.templates_dir, font_css=font_face_css(faces),
                          allowed=allowed, identifier=identifier, pdf_ua=language(lang).pdf_ua)
    return rendered, sorted({face.source for face in faces})


def personal_repertoire(project: Project, lang: str) -> str:
    """What a personalised page may print besides typed text: every character of the
    language's catalogs (the directions in any plural form), its month names and digits.
    With these in the fonts, the subsets are the same for every patient."""
    stamp = tuple(_stamp(project.po_file(lang, domain)) for domain in project.domains())
    return _personal_repertoire(project, lang, stamp)


def _stamp(path: Path) -> tuple[str, int]:
    try:
        return str(path), path.stat().st_mtime_ns
    except OSError:
        return str(path), 0


@functools.lru_cache(maxsize=64)
def _personal_repertoire(project: Project, lang: str, stamp: tuple) -> str:
    from babel.dates import get_month_names

    info = language(lang)
    chars = set("0123456789") | set(info.native_digits("0123456789"))
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            chars.update("".join(get_month_names(width, context, locale=info.locale).values()))
    for path, _ in stamp:
        with contextlib.suppress(OSError, LeafletError):
            for entry in read_catalog_cached(Path(path)).entries():
                chars.update(entry.msgstr, *entry.msgstr_plural.values())
    return "".join(sorted(chars))


def visible_text(html: str) -> str:
    """Every character the page can show: text between tags and the CSS strings of the footer."""
    return html_lib.unescape(re.sub(r"<[^>]*>", " ", html))


def _header_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
