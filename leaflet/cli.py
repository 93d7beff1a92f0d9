"""The ``leaflet`` command: a thin layer over the library.

Commands parse options, call one library function and print what it
returns. ``main`` turns every ``LeafletError`` into one line and its exit
code (1 failed, 2 usage); anything unexpected is a short message asking for
a report, with the traceback only under ``--debug``.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

# Each command imports the stages it uses when it runs: `leaflet check` never loads WeasyPrint,
# and `leaflet build` starts nearly as fast as WeasyPrint alone (make bench-startup).
from leaflet import __version__
from leaflet.errors import LeafletError, UsageError, display_path
from leaflet.languages import SOURCE_LANGUAGE, language
from leaflet.project import Project, is_project
from leaflet.render.options import DEFAULT_OPTIONS, EDITIONS, PAPER_SIZES, BuildOptions

if TYPE_CHECKING:
    import datetime as dt

    from leaflet.builder.batch import Job
    from leaflet.catalogs.stats import Statistics


class Context:
    """The project is found when a command first needs it: ``leaflet doctor`` and
    ``--help`` work anywhere, even where there is no project."""

    def __init__(self, project_dir: Path | None, debug: bool) -> None:
        self.project_dir = project_dir
        self.debug = debug
        self._project: Project | None = None

    @property
    def project(self) -> Project:
        if self._project is None:
            self._project = self._find_project()
        return self._project

    def _find_project(self) -> Project:
        if self.project_dir is None:
            return Project.default()
        if not is_project(self.project_dir):
            raise UsageError(f"--project {self.project_dir} is not a leaflet project",
                             hint="pass a folder with content/, locales/ and templates/")
        return Project(self.project_dir.resolve())


pass_context = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="leaflet")
@click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Project folder (default: $LEAFLET_PROJECT, else the folder you are in or one above it).")
@click.option("--debug", is_flag=True, help="Show the traceback of unexpected errors.")
@click.pass_context
def cli(ctx: click.Context, project_dir: Path | None, debug: bool) -> None:
    """Build printable patient leaflets in every patient's language."""
    ctx.obj = Context(project_dir, debug)


@cli.command()
@click.option("--lang", "-l", "langs", multiple=True, metavar="LANG",
              help="Language to build (repeatable); es_ES.UTF-8 and es-MX find es. Default: all.")
@click.option("--leaflet", "leaflets", multiple=True, metavar="NAME",
              help="Leaflet to build (repeatable). Default: all.")
@click.option("--paper", type=click.Choice(sorted(PAPER_SIZES)), default=None,
              help="Paper size. Default: the pharmacy profile's, else a4.")
@click.option("--pharmacy", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Pharmacy profile (TOML): name, address, phone, logo, paper.")
@click.option("--patient", metavar="NAME", help='Print "Prepared for: NAME".')
@click.option("--directions", metavar="TIME=N,...",
              help="Standard, translated directions: the number of doses at each time of day (morning, noon, "
                   "evening, bedtime), as 'morning=1,bedtime=1'; or one time or code from content/directions.toml "
                   "with --count ('bedtime --count 2').")
@click.option("--count", type=int, default=DEFAULT_OPTIONS.count, show_default=True,
              help="Number of doses (tablets) for a --directions time or code given without '=N'.")
@click.option("--free-directions", metavar="TEXT",
              help='Directions typed by the pharmacist. Printed exactly as typed under "Directions from your '
                   'pharmacist": they are NOT translated.')
@click.option("--date", "date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Dispensing date, YYYY-MM-DD (default: today); printed when the leaflet is personalised.")
@click.option("--edition", "edition", type=click.Choice(list(EDITIONS)), default=None,
              help="standard, large or bilingual print, or audio (.mp3), braille (.brf), html or epi (.epi.json).")
@click.option("--large-print", is_flag=True, help="Large-print edition (16 pt): <leaflet>.large.pdf.")
@click.option("--bilingual", is_flag=True, help="The language and English side by side: <leaflet>.<lang>+en.pdf.")
@click.option("--draft", is_flag=True,
              help="Reviewers only: print missing or fuzzy entries in English, marked, to <leaflet>.draft.pdf.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the number of cores).")
@click.option("--rebuild", is_flag=True, help="Build even the leaflets whose output is up to date.")
@click.option("--output", "-o", "output", metavar="FILE",
              help="Write the one leaflet asked for to FILE ('-': standard output) instead of output/.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@pass_context
def build(obj: Context, /, langs: tuple[str, ...], leaflets: tuple[str, ...], quiet: bool, date: dt.datetime | None,
          jobs: int | None, rebuild: bool, output: str | None, edition: str | None, **choices: Any) -> None:
    """Build PDF leaflets into output/<lang>/<leaflet>.pdf.

    With --patient or directions, a leaflet is for one patient and goes to
    output/<lang>/personal/<leaflet>-<date>-<hash>.pdf: the stock leaflet stays as it was."""
    from leaflet.builder.batch import Job, Outcome, build_all, default_jobs
    from leaflet.doctor import require_build

    project = obj.project
    require_build()
    codes = list(dict.fromkeys(project.resolve_language(lang) for lang in langs)) or project.languages()
    names = [project.resolve_leaflet(name) for name in leaflets] or project.leaflets()
    options = BuildOptions(date=date.date() if date else None, **choices)
    if edition is not None:
        options = _with_edition(options, edition)
    options = options.validated()
    todo = [Job(name, code) for code in codes for name in names]
    if not leaflets:  # every leaflet: one not yet begun in a language is left out, with a note
        todo = _begun(project, todo, quiet)
    if options.bilingual and codes != [SOURCE_LANGUAGE]:  # English beside itself is no edition
        todo = [job for job in todo if job.lang != SOURCE_LANGUAGE]
    if not options.printed and len(codes) > 1:  # no voice or braille table: left out, with the reason
        todo = _available(todo, options.medium, quiet)
    from leaflet.builder.pipeline import plan_build

    first = todo[0] if todo else Job(names[0], codes[0])
    plan_build(first.leaflet, first.lang, project, options)  # a bad profile or option: one message, not one per leaflet
    if output is not None:
        _build_one(project, todo, options, output, quiet)
        _note_unreviewed(project, todo, quiet)
        return
    done = 0

    def report(outcome: Outcome) -> None:
        nonlocal done
        done += 1
        if outcome.error:
            for line in outcome.problems:
                click.echo(line, err=True)
            prefix = "Error:" if len(todo) == 1 else f"[{done:>{len(str(len(todo)))}}/{len(todo)}] {outcome.job.lang:8}"
            click.echo(f"{prefix} {outcome.error}", err=True)
        elif not quiet:
            assert outcome.path is not None  # every outcome without an error has its file
            what = "up to date" if outcome.skipped else f"{outcome.seconds:.2f} s"
            whose = "  (personalised: for this patient only)" if options.personalised else ""
            used = f"  ({'; '.join(outcome.notes)})" if outcome.notes else ""
            click.echo(f"[{done:>{len(str(len(todo)))}}/{len(todo)}] {outcome.job.lang:8} "
                       f"{display_path(outcome.path)}  {what}{whose}{used}")

    outcomes = build_all(project, todo, options, workers=jobs or default_jobs(), rebuild=rebuild, on_done=report)
    _note_unreviewed(project, todo, quiet)
    failed = [o for o in outcomes if o.error]
    if len(todo) == 1 and failed:
        raise SystemExit(failed[0].exit_code)  # its one line is printed above
    if failed:
        raise LeafletError(f"{len(failed)} of {len(todo)} leaflet(s) not built; see the messages above")


def _with_edition(options: BuildOptions, name: str) -> BuildOptions:
    """``--edition large`` is ``--large-print``; the printed editions combine (``--edition bilingual
    --large-print``), and ``validated`` refuses a print flag on an edition that is not printed."""
    kind = EDITIONS[name]
    return replace(options, large_print=options.large_print or kind.large_print,
                   bilingual=options.bilingual or kind.bilingual, medium=kind.medium)


def _build_one(project: Project, todo: list[Job], options: BuildOptions, output: str, quiet: bool) -> None:
    """``build -o FILE`` and ``build -o -``: one leaflet, written where asked, never skipped."""
    from leaflet.builder.pipeline import build_bytes, run_build
    from leaflet.catalogs.checks import ERROR
    from leaflet.errors import CatalogProblems, PreflightFailed

    if len(todo) != 1:
        raise UsageError(f"-o writes one leaflet, and this would build {len(todo)}",
                         hint="choose one --lang (and one --leaflet)")
    job = todo[0]
    try:
        if output == "-":
            sys.stdout.buffer.write(build_bytes(job.leaflet, job.lang, project=project, options=options))
            sys.stdout.flush()
            return
        if Path(output).is_char_device():  # /dev/null, a printer's device: written to, never replaced
            data = build_bytes(job.leaflet, job.lang, project=project, options=options)
            with open(output, "wb") as device:
                device.write(data)
            if not quiet:
                click.echo(f"wrote {output}")
            return
        built = run_build(job.leaflet, job.lang, project=project, options=options, out=Path(output))
    except (CatalogProblems, PreflightFailed) as exc:
        for problem in exc.problems:
            if problem.severity == ERROR:
                click.echo(str(problem), err=True)
        raise
    if not quiet:
        click.echo(f"wrote {display_path(built.path)}")


def _available(jobs: list[Job], medium: str, quiet: bool) -> list[Job]:
    from leaflet.coverage import coverage

    reasons = {job.lang: coverage(job.lang).unavailable(medium) for job in jobs}
    missing = {code: reason for code, reason in reasons.items() if reason}
    for code, reason in missing.items():
        if not quiet:
            click.echo(f"note: no {medium} edition in {code}: {reason}", err=True)
    return [job for job in jobs if job.lang not in missing]


def _begun(project: Project, jobs: list[Job], quiet: bool) -> list[Job]:
    from leaflet.catalogs.stats import not_started

    skipped = [job for job in jobs if not_started(project, job.lang, job.leaflet)]
    for name in dict.fromkeys(job.leaflet for job in skipped):
        codes = [job.lang for job in skipped if job.leaflet == name]
        if not quiet:
            click.echo(f"note: {name}: no translation yet, skipped: {', '.join(codes)}", err=True)
    return [job for job in jobs if job not in skipped]


def _note_unreviewed(project: Project, jobs: list[Job], quiet: bool) -> None:
    """One line per leaflet: reviews are per leaflet and language."""
    from leaflet.catalogs.reviews import review_status

    if quiet:
        return
    for name in dict.fromkeys(job.leaflet for job in jobs):
        statuses = {job.lang: review_status(project, job.lang, name) for job in jobs
                    if job.leaflet == name and job.lang != SOURCE_LANGUAGE}
        unreviewed = [c for c, status in statuses.items() if not status.reviewed]
        changed = [c for c, status in statuses.items() if status.changed]
        if unreviewed:
            click.echo(f"note: {name}: not reviewed by a professional medical translator: {', '.join(unreviewed)}"
                       + (f" (changed since review: {', '.join(changed)})" if changed else ""), err=True)


@cli.command()
@click.argument("pdfs", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="[PDF ...]")
@pass_context
def preflight(obj: Context, pdfs: tuple[Path, ...]) -> None:
    """Check PDFs page by page before printing (default: every leaflet in output/).

    Fonts (embedded, only the language's own), headings kept with their text, the
    contents list on one page, no near-empty last page, text 10 mm inside the paper,
    footers on 2 lines, type sizes, and a text layer that reads back as printed.
    One line per problem; exit code 1 if there is any."""
    from leaflet.builder.pipeline import preflight_files
    from leaflet.render.preflight import ERROR

    try:
        project: Project | None = obj.project
    except UsageError:
        if not pdfs:
            raise
        project = None  # explicit files can be checked anywhere; they are just not rebuilt
    paths = list(pdfs) or printed_leaflets(project)
    if not paths:
        raise UsageError("no PDFs to check", hint="build some with 'leaflet build', or name the files")
    findings = preflight_files(project, paths)
    for finding in findings:
        click.echo(str(finding))
    errors = sum(f.severity == ERROR for f in findings)
    click.echo(f"{len(paths)} PDF(s) checked: {errors} problem(s)")
    if errors:
        sys.exit(1)


def printed_leaflets(project: Project | None) -> list[Path]:
    """The leaflets in output/, stock and personalised; review proofs are for reviewers, not print."""
    if project is None or not project.output_dir.is_dir():
        return []
    found = [*project.output_dir.glob("*/*.pdf"), *project.output_dir.glob("*/personal/*.pdf")]
    return sorted(p for p in found if ".review" not in p.name)


@cli.command()
@pass_context
def doctor(obj: Context) -> None:
    """Check this machine: locked Python packages, system libraries, commands, fonts."""
    from leaflet.doctor import blocking, diagnose
    from leaflet.languages import LANGUAGES

    try:
        root, codes = obj.project.root, obj.project.languages()
    except UsageError:  # no project: check the fonts of every language leaflet knows
        root, codes = Path.cwd(), sorted(LANGUAGES)
    findings = diagnose(root, codes)
    for finding in findings:
        click.echo(str(finding))
    stopping = blocking(findings)
    missing = [f for f in findings if not f.ok]
    click.echo(f"{len(findings) - len(missing)} of {len(findings)} ok" +
               (f"; {len(stopping)} missing that a build needs" if stopping else ""))
    if stopping:
        sys.exit(1)


@cli.command()
@pass_context
def extract(obj: Context) -> None:
    """Rewrite the .pot templates from the content and templates."""
    from leaflet.catalogs.extract import extract as write_templates

    written = write_templates(obj.project)
    click.echo(f"{len(written)} template(s) changed" + "".join(f"\n  {display_path(p)}" for p in written))


@cli.command()
@pass_context
def update(obj: Context) -> None:
    """Extract, then merge the templates into every language's catalogs (like msgmerge --previous)."""
    from leaflet.catalogs.update import update as update_catalogs

    updated = update_catalogs(obj.project)
    for lang, (change, fuzzy) in sorted(updated.plural_changes.items()):
        click.echo(f"{lang}: {change.describe()}.\n  Plural-Forms is now '{change.new_header}'; "
                   f"{fuzzy} plural entr{'y' if fuzzy == 1 else 'ies'} marked fuzzy: check every form")
    click.echo(f"{len(updated.written)} of {updated.checked} catalog(s) changed; changed English is marked fuzzy "
               "with its previous text")


@cli.command()
@click.argument("name")
@click.option("--title", required=True, help="The medicine's name as printed on the leaflet.")
@pass_context
def new(obj: Context, name: str, title: str) -> None:
    """Start a leaflet: content/NAME.md, its template and an empty catalog in every language."""
    from leaflet.catalogs.update import update as update_catalogs
    from leaflet.source.scaffold import new_leaflet

    path = new_leaflet(obj.project, name, title)
    updated = update_catalogs(obj.project)
    click.echo(f"created {display_path(path)}: write the leaflet there, from its sources, then run "
               f"'leaflet update' ({len(updated.written)} catalog(s) started or changed)")


@cli.command()
@click.argument("lang")
@click.option("--page", is_flag=True,
              help="Start only the counter page's catalog (the staff's language), for a language old or new.")
@pass_context
def init(obj: Context, lang: str, page: bool) -> None:
    """Start catalogs for a new language LANG."""
    from leaflet.catalogs.update import init as init_catalog
    from leaflet.catalogs.update import init_page

    for path in (init_page if page else init_catalog)(obj.project, lang):
        click.echo(f"created {display_path(path)}")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_context
def stats(obj: Context, fmt: str) -> None:
    """Translated, fuzzy and untranslated entries per leaflet and language.

    Each row counts the leaflet's own catalog and the shared ones it prints with
    (frame, directions); a "(counter page)" row, the counter page's catalog where it was
    started ("build": whether the page is shown in it). --format json also gives each
    catalog's numbers, and each row's "kind" (leaflet or page)."""
    rows = _stats_rows(obj.project)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    width = max([len("leaflet"), *(len(row["leaflet"]) for row in rows)])
    click.echo(f"{'leaflet':{width}} {'lang':8} {'done':>5} {'fuzzy':>5} {'todo':>5} {'%':>6}  {'build':6} review")
    for row in rows:
        click.echo(f"{row['leaflet']:{width}} {row['lang']:8} {row['translated']:>5} {row['fuzzy']:>5} "
                   f"{row['untranslated']:>5} {row['percent']:>6.1f}  {'yes' if row['buildable'] else 'NO':6} "
                   f"{row['review']}")


def _stats_rows(project: Project) -> list[dict[str, Any]]:  # JSON for 'stats --json'
    from leaflet.catalogs.checks import ERROR
    from leaflet.catalogs.gate import check_paths
    from leaflet.catalogs.pofile import read_catalog
    from leaflet.catalogs.reviews import review_status
    from leaflet.catalogs.stats import Statistics, statistics

    rows = []
    for lang in project.translated_languages():
        paths = {domain: project.po_file(lang, domain) for domain in project.catalog_domains(lang)}
        checked = {c.path: c for c in check_paths(project, list(paths.values()))}
        numbers: dict[str, Statistics] = {}
        for domain, path in paths.items():
            try:
                numbers[domain] = statistics(read_catalog(path), lang, domain)
            except LeafletError:
                numbers[domain] = Statistics(lang, domain, 0, 0, 0)
        for leaflet in project.leaflets():
            domains = project.leaflet_domains(leaflet)
            buildable = not any(p.severity == ERROR for d in domains if paths[d] in checked
                                for p in checked[paths[d]].problems)
            status = review_status(project, lang, leaflet)
            counts = [numbers[d] for d in domains]
            rows.append(_stats_row("leaflet", leaflet, lang, counts, buildable, status.reviewed, status.text))
        for domain in project.page_domains():
            if domain in paths:  # the counter's page, in the languages that started it: always a draft
                shown = not any(p.severity == ERROR for p in checked[paths[domain]].problems)
                rows.append(_stats_row("page", f"({domain} page)", lang, [numbers[domain]], shown, False,
                                       "not reviewed"))
    return rows


def _stats_row(kind: str, name: str, lang: str, counts: list[Statistics], buildable: bool, reviewed: bool,
               review: str) -> dict[str, Any]:
    from leaflet.catalogs.stats import Statistics

    total = Statistics(lang, name, sum(n.translated for n in counts), sum(n.fuzzy for n in counts),
                       sum(n.untranslated for n in counts))
    return {"kind": kind, "leaflet": name, "lang": lang, "translated": total.translated, "fuzzy": total.fuzzy,
            "untranslated": total.untranslated, "total": total.total, "percent": round(total.percent, 1),
            "buildable": buildable, "reviewed": reviewed, "review": review,
            "catalogs": [{"catalog": n.domain, "translated": n.translated, "fuzzy": n.fuzzy,
                          "untranslated": n.untranslated, "total": n.total} for n in counts]}


@cli.command()
@click.argument("targets", nargs=-1, metavar="[LANG ... | FILE.po ...]")
@click.option("--lang", "-l", "lang", metavar="LANG",
              help="The language of the FILE.po named (default: its Language or Language-Code header, "
                   "else the folder above LC_MESSAGES).")
@click.option("--gettext", "as_gettext", is_flag=True,
              help="Check only what GNU 'msgfmt -c' checks (syntax, header, plural forms, format strings), "
                   "for a catalog that is not a leaflet's text: refused exactly when msgfmt -c refuses it.")
@pass_context
def check(obj: Context, targets: tuple[str, ...], lang: str | None, as_gettext: bool) -> None:
    """Check catalogs; print every problem as path:line: severity: check: message.

    A file from elsewhere (Weblate, another project) is checked in the language its header
    or path names; a language CLDR does not know gets every check but the plural rules.
    With --gettext, a file is checked as gettext checks it, and only so."""
    from leaflet.catalogs.checks import ERROR, WARNING
    from leaflet.catalogs.gate import catalog_paths, check_paths, check_paths_as_gettext, language_option

    if as_gettext and lang is not None:
        raise UsageError("--lang has no use with --gettext: msgfmt -c reads no language",
                         hint="drop --lang, or drop --gettext to check the file as a leaflet's text")
    code = language_option(lang, list(targets)) if lang is not None else None
    paths = catalog_paths(obj.project, list(targets))
    results = check_paths_as_gettext(paths) if as_gettext else check_paths(obj.project, paths, code)
    problems = list(dict.fromkeys(p for result in results for p in result.problems))  # a glossary's: once
    for problem in problems:
        click.echo(str(problem))
    n_errors = sum(p.severity == ERROR for p in problems)
    n_warnings = sum(p.severity == WARNING for p in problems)
    click.echo(f"{len(results)} catalog(s) checked: {n_errors} error(s), {n_warnings} warning(s)")
    if n_errors:
        sys.exit(1)


@cli.command()
@pass_context
def langs(obj: Context) -> None:
    """List the languages: code, own name, English name."""
    for code in obj.project.languages():
        info = language(code)
        click.echo(f"{code:8} {info.own_name}  {info.english_name}")


@cli.command()
@click.argument("lang")
@click.option("--leaflet", "leaflet_name", metavar="NAME", default=None,
              help="The leaflet reviewed (needed when the project has several).")
@click.option("--by", "reviewer", required=True, help="Name of the professional translator who reviewed it.")
@click.option("--date", "date", default=None, help="Review date, YYYY-MM-DD (default: today).")
@click.option("--key", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The reviewer's SSH private key: signs the review (required when reviews/allowed_signers exists).")
@pass_context
def review(obj: Context, lang: str, leaflet_name: str | None, reviewer: str, date: str | None,
           key: Path | None) -> None:
    """Record that a professional translator reviewed one leaflet in LANG, its catalog and the
    shared ones it prints with, exactly as they are now."""
    from leaflet.catalogs.reviews import record_review

    project = obj.project
    code = project.resolve_language(lang)
    if code == SOURCE_LANGUAGE:
        raise UsageError("English is the source language: there is no translation to review")
    if leaflet_name is None and len(project.leaflets()) != 1:
        raise UsageError("--leaflet: name the leaflet that was reviewed",
                         hint="one of: " + ", ".join(project.leaflets()))
    name = project.resolve_leaflet(leaflet_name) if leaflet_name else project.leaflets()[0]
    path = record_review(project, code, name, reviewer, date, key)
    click.echo(f"recorded the review of {name} in {code} in {display_path(path)}" + (" (signed)" if key else ""))


def main(argv: list[str] | None = None) -> int:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="leaflet", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except click.UsageError as exc:  # one line, like every other error
        where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        click.echo(f"Error: {exc.format_message()}{where}", err=True)
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except LeafletError as exc:
        click.echo(f"Error: {exc}", err=True)
        return exc.exit_code
    except SystemExit as exc:
        return int(exc.code or 0)
    except KeyboardInterrupt:
        click.echo("Interrupted; no output was half-written.", err=True)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place that catches everything
        if debug:
            traceback.print_exc()
        click.echo(f"Internal error: {type(exc).__name__}: {exc}. Please report it "
                   "(run again with --debug for the traceback).", err=True)
        return 1
    return 0


@cli.command()
@click.option("--all-pages", is_flag=True, help="Every page, not only the first.")
@pass_context
def proofs(obj: Context, all_pages: bool) -> None:
    """Render built leaflets to PNG and compose a contact sheet per leaflet in output/proofs/."""
    from leaflet.proofs.sheet import contact_sheet

    sheets, index = contact_sheet(obj.project, all_pages=all_pages)
    for sheet in sheets:
        click.echo(f"wrote {display_path(sheet.png)} ({len(sheet.tiles)} pages of {sheet.leaflet})")
    click.echo(f"wrote {display_path(index)}")


@cli.command()
@click.argument("lang")
@click.option("--leaflet", "leaflets", multiple=True, metavar="NAME", help="Leaflet (repeatable). Default: all.")
@click.option("--paper", type=click.Choice(sorted(PAPER_SIZES)), default="a4", show_default=True)
@click.option("--since-review", is_flag=True,
              help="Only the entries changed since the recorded review, as reviewed and as now.")
@pass_context
def proof(obj: Context, lang: str, leaflets: tuple[str, ...], paper: str, since_review: bool) -> None:
    """Write output/LANG/<leaflet>.review.pdf: English and translation side by side, for reviewers."""
    from leaflet.proofs.review import write_review_proof

    code = obj.project.resolve_language(lang)
    names = [obj.project.resolve_leaflet(n) for n in leaflets] or obj.project.leaflets()
    if since_review and not leaflets:  # reviews are per leaflet: the ones reviewed in this language
        from leaflet.catalogs.reviews import review_status

        names = [n for n in names if review_status(obj.project, code, n).reviewer] or names[:1]
    for name in names:
        written = write_review_proof(obj.project, code, name, paper, since_review=since_review)
        click.echo(f"wrote {display_path(written)}")


@cli.command()
@click.argument("lang")
@click.option("--leaflet", "leaflets", multiple=True, metavar="NAME", help="Leaflet (repeatable). Default: all.")
@pass_context
def preview(obj: Context, lang: str, leaflets: tuple[str, ...]) -> None:
    """Write output/LANG/html/<leaflet>.html with its CSS and fonts, to open in a browser."""
    from leaflet.proofs.preview import write_html

    for name in [obj.project.resolve_leaflet(n) for n in leaflets] or obj.project.leaflets():
        click.echo(f"wrote {display_path(write_html(obj.project, name, lang))}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any but loopback needs LEAFLET_PASSWORD.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--pharmacy", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Pharmacy profile (TOML) printed on every leaflet; its paper is the page's default.")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Folder of the print history (default: $LEAFLET_DATA, else <project>/data).")
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Render processes (default: the number of cores; 0 renders in the server's own process).")
@click.option("--rate-limit", type=click.IntRange(min=0), default=None, metavar="N",
              help="Leaflets, and wrong passwords, per client per minute (default: 120; 0: no limit).")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="A name the counter is reached by, besides loopback's and --host (repeat; also "
                   "$LEAFLET_ALLOWED_HOSTS); any other Host is refused.")
@click.option("--trusted-proxy", "trusted_proxies", multiple=True, metavar="ADDRESS",
              help="A proxy (address or network) whose X-Forwarded-For and -Proto are believed (repeat; also "
                   "$LEAFLET_TRUSTED_PROXIES; default: none).")
@click.option("--concurrency", type=click.IntRange(min=0), default=None, metavar="N",
              help="Requests or connections at once; more get 503 (default: 100; 0: no limit).")
@click.option("--header-timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
              help="Time a client has to send a request's headers (default: 10).")
@click.option("--body-timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
              help="Time a client has to send a request's body (default: 10).")
@click.option("--shutdown-timeout", type=click.IntRange(min=0), default=None, metavar="SECONDS",
              help="Time the requests in flight have to finish after SIGTERM or Ctrl-C (default: 8).")
@click.option("--database", metavar="URL", envvar="DATABASE_URL", show_envvar=True,
              help="The print history in PostgreSQL (postgresql://user:password@host/db), shared by several "
                   "counters. Default: a SQLite file in the data folder.")
@pass_context
def serve(obj: Context, host: str, port: int, pharmacy: Path | None, data_dir: Path | None,
          workers: int | None, rate_limit: int | None, allowed_hosts: tuple[str, ...],
          trusted_proxies: tuple[str, ...], concurrency: int | None, header_timeout: float | None,
          body_timeout: float | None, shutdown_timeout: int | None, database: str | None) -> None:
    """Serve the pharmacy counter: a page and an HTTP API that print leaflets (http://127.0.0.1:8000/)."""
    from leaflet.builder.batch import default_jobs
    from leaflet.counter.app import Settings
    from leaflet.counter.guards import (
        HOSTS_VARIABLE,
        PASSWORD_VARIABLE,
        PROXIES_VARIABLE,
        check_proxies,
        listed,
        require_password,
        served_names,
    )
    from leaflet.counter.history import open_history
    from leaflet.counter.server import run
    from leaflet.doctor import require_build

    password = os.environ.get(PASSWORD_VARIABLE) or None
    require_password(host, password)
    proxies = check_proxies(listed(*trusted_proxies, os.environ.get(PROXIES_VARIABLE)))
    require_build()
    if pharmacy is not None:  # a wrong profile is refused before anything is opened or written
        from leaflet.source.pharmacy import read_pharmacy

        read_pharmacy(pharmacy, obj.project.root)
    data_dir = data_dir or _data_dir(obj.project)
    open_history(data_dir, database or None).check()  # a wrong database stops the start, not each print
    settings = Settings(pharmacy=pharmacy, data_dir=data_dir, password=password, database=database or None,
                        workers=default_jobs() if workers is None else workers,
                        allowed_hosts=served_names(host, listed(*allowed_hosts, os.environ.get(HOSTS_VARIABLE))),
                        trusted_proxies=proxies)
    limits: dict[str, Any] = {"rate_limit": rate_limit, "concurrency": concurrency, "header_timeout": header_timeout,
                              "body_timeout": body_timeout, "shutdown_timeout": shutdown_timeout}
    run(obj.project, replace(settings, **{name: value for name, value in limits.items() if value is not None}),
        host, port)


def _data_dir(project: Project) -> Path:
    from leaflet.counter.history import DATA_VARIABLE

    named = os.environ.get(DATA_VARIABLE)
    return Path(named) if named else project.root / "data"


@cli.command()
@click.option("--leaflet", metavar="NAME", help="Only this leaflet.")
@click.option("--lang", "-l", metavar="LANG", help="Only this language.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="From this day (UTC), YYYY-MM-DD.")
@click.option("--until", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="To this day (UTC), included.")
@click.option("--csv", "csv_file", metavar="FILE", help="Write the prints as CSV to FILE ('-': standard output).")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Folder of the print history (default: $LEAFLET_DATA, else <project>/data).")
@click.option("--database", metavar="URL", envvar="DATABASE_URL", show_envvar=True,
              help="Read the history from PostgreSQL (postgresql://user:password@host/db) instead of the data folder.")
@pass_context
def history(obj: Context, leaflet: str | None, lang: str | None, since: dt.datetime | None, until: dt.datetime | None,
            csv_file: str | None, data_dir: Path | None, database: str | None) -> None:
    """List the leaflets the counter printed (no personal data), or export them as CSV."""
    from leaflet.counter.history import Filter, open_history, write_csv

    project = obj.project
    query = Filter(leaflet=project.resolve_leaflet(leaflet) if leaflet else None,
                   lang=project.resolve_language(lang) if lang else None,
                   since=since.date() if since else None, until=until.date() if until else None)
    store = open_history(data_dir or _data_dir(project), database or None)
    try:
        prints = store.prints(query)
    finally:
        store.close()
    if csv_file == "-":
        write_csv(prints, sys.stdout)
    elif csv_file:
        with open(csv_file, "w", encoding="utf-8", newline="") as stream:
            write_csv(prints, stream)
        click.echo(f"wrote {len(prints)} print(s) to {csv_file}")
    else:
        for entry in prints:
            made = f"personal {entry.directions or '-'} x{entry.count}" if entry.count else \
                "personal" if entry.personalised else f"stock pdf {(entry.stock_sha256 or '')[:12]}"
            click.echo(f"{entry.time}  {entry.leaflet} {entry.revision}  {entry.lang:8} {entry.edition:9} "
                       f"{entry.paper:6} {entry.review}  {entry.catalog_digest[:19]}  {made}")
        click.echo(f"{len(prints)} print(s)")
