"""The user-facing failures of leaflet, one typed hierarchy.

Every failure a pharmacist, translator or maintainer can cause or fix is a
``LeafletError``. It carries where the problem is (``path`` and ``line``) and
what to do about it (``hint``) as fields, so tests can assert on them and the
CLI can print one line and pick the exit code: 1 for a failed check or build,
2 for a usage mistake.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol


class LeafletError(Exception):
    """A problem the user can act on; never shown with a traceback."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint

    @property
    def location(self) -> str:
        if self.path is None:
            return ""
        shown = display_path(self.path)
        return f"{shown}:{self.line}" if self.line else shown

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        return f"{text} ({self.hint})" if self.hint else text

    def __reduce__(self) -> tuple[Any, tuple[type[LeafletError], str, dict[str, Any]]]:
        """Cross process boundaries whole (the counter renders in worker processes):
        pickle's default would call ``__init__`` with the message alone and lose the
        hint, the location and a ``CatalogProblems``' problems."""
        return _restore, (type(self), self.message, self.__dict__)


def _restore(cls: type[LeafletError], message: str, state: dict[str, Any]) -> LeafletError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class UsageError(LeafletError):
    """The command line or API call asked for something that does not exist."""

    exit_code = 2


class UnknownLanguage(UsageError):
    pass


class UnknownLeaflet(UsageError):
    pass


class UnknownPrintJob(UsageError):
    """A print job this counter did not send, or has forgotten (it keeps the last few hundred)."""


class ContentError(LeafletError):
    """A leaflet content file that cannot be read as blocks."""


class CatalogError(LeafletError):
    """A .po/.pot file that cannot be parsed."""


class GlossaryError(LeafletError):
    """A glossary (``locales/<lang>/glossary.tbx``) that cannot be read: its approved terms
    could not be checked."""


class Found(Protocol):
    """What a check found (``checks.Problem``, ``preflight.Finding``): printed as one line."""

    @property
    def severity(self) -> str: ...


class CatalogProblems(LeafletError):
    """Checks found errors in catalogs; the build refuses to print them."""

    def __init__(self, problems: Sequence[Found], message: str | None = None) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(
            message or f"{len(errors)} error(s) in the catalogs; the leaflet was not built",
            hint="fix them in the .po files, then run 'make check'",
        )


class LinkOutsideProject(LeafletError):
    """A project file that is a symbolic link to somewhere outside the project folder:
    refused unread, or a build would read (and quote) any file on the machine."""


class PreflightFailed(LeafletError):
    """The preflight found pages that would print wrongly; the PDF is not written."""

    def __init__(self, problems: Sequence[Found]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the printed pages; the PDF was not written",
                         hint="see the lines above; 'leaflet preflight FILE' checks a PDF")


class ProfileError(LeafletError):
    """A pharmacy profile that is missing a field or is not valid TOML."""


class MissingSystemLibrary(LeafletError):
    """A library or command from the system (Pango, HarfBuzz subset, fontconfig) is not installed."""


class MissingFont(LeafletError):
    """A font family the language needs is not installed."""


class MissingGlyphs(LeafletError):
    """Text that no chosen font can draw: it would print as empty boxes."""


class UndrawableTyped(MissingGlyphs, UsageError):
    """A typed character (a patient's name, free directions) that no font of any shipped
    language has (an emoji, a private-use character): the request's mistake, refused as one."""


class TemplateProblem(LeafletError):
    """A print template that is missing or does not render."""


class RenderError(LeafletError):
    """WeasyPrint warned or failed while making the PDF."""


class EditionFailed(LeafletError):
    """An audio, braille, HTML or ePI edition that its own check refused (a line over 40 cells,
    text its voice cannot read, a Bundle FHIR rejects); the file is not written."""


class OutputError(LeafletError):
    """The output folder cannot be created or written."""


class WorkerLost(RenderError):
    """A render worker process died (killed, out of memory) while making a leaflet; the pool
    has been given new workers, which warm up before their first leaflet."""


class HistoryError(LeafletError):
    """The print history cannot be read or written (a locked, broken or unwritable file)."""


class PrinterError(LeafletError):
    """The printer named in the pharmacy profile did not take the leaflet: CUPS cannot be
    reached, has no such printer, refuses jobs or answers something else. Nothing was printed."""


class RequestRefused(LeafletError):
    """The counter refused an HTTP request before building anything; ``status`` is its HTTP status."""

    status = 400


class RequestTimeout(RequestRefused):
    """A body that did not arrive in time: the connection is closed."""

    status = 408


class Unauthorised(RequestRefused):
    status = 401


class MisdirectedRequest(RequestRefused):
    """A Host the counter does not answer to: a page elsewhere whose name was made to point at
    the counter's address (DNS rebinding), or a name missing from ``--allowed-host``."""

    status = 421


class ForgedRequest(RequestRefused):
    """A form post without the page's CSRF token, or from another site."""

    status = 403


class RequestTooLarge(RequestRefused):
    status = 413


class TooManyRequests(RequestRefused):
    status = 429


class NotReady(RequestRefused):
    """The counter cannot make a leaflet now: its render workers are still warming up (it has
    just started) or it is stopping. Asked again after ``retry_after`` seconds, it may."""

    status = 503

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, hint=f"try again in {retry_after} s")
        self.retry_after = retry_after


def display_path(path: Path) -> str:
    """Paths inside the current folder are shown relative, as compilers do. A link is
    shown as itself, never as the file it points to."""
    try:
        real = Path(os.path.realpath(path.parent)) / path.name
        return str(real.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
