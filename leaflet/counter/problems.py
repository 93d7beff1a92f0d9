"""Library errors -> HTTP problem details (RFC 9457), in the CLI's words.

The counter says what ``leaflet build`` would say: ``detail`` is the very
line the CLI prints after "Error:", and the status tells a program what
kind of mistake it was. An unknown language is 404 and lists the available
ones; an option the build refuses (a bad count, date or paper) is 422; a
language whose catalogs fail the gate is 409, never a PDF.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import JSONResponse

from leaflet.errors import (
    CatalogProblems,
    LeafletError,
    NotReady,
    RequestRefused,
    UnknownLanguage,
    UnknownLeaflet,
    UsageError,
)

PROBLEM_TYPE = "application/problem+json"

#: Most specific first.
_KINDS: list[tuple[type[LeafletError], int, str]] = [
    (UnknownLanguage, 404, "Unknown language"),
    (UnknownLeaflet, 404, "Unknown leaflet"),
    (UsageError, 422, "Invalid request"),
    (CatalogProblems, 409, "Language unavailable"),
]

_TITLES = {401: "Unauthorised", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
           408: "Request timeout", 413: "Request too large", 415: "Unsupported media type",
           421: "Misdirected request", 429: "Too many requests", 500: "Internal error", 503: "Not ready"}


def status_of(error: LeafletError) -> tuple[int, str]:
    if isinstance(error, RequestRefused):
        return error.status, _TITLES.get(error.status, "Bad request")
    for kind, status, title in _KINDS:
        if isinstance(error, kind):
            return status, title
    return 500, "Leaflet not built"


def headers_of(error: LeafletError) -> dict[str, str]:
    """What a client needs besides the body: when to ask again (RFC 9110 Retry-After)."""
    return {"Retry-After": str(error.retry_after)} if isinstance(error, NotReady) else {}


def problem(status: int, title: str, detail: str, headers: dict[str, str] | None = None,
            **extra: Any) -> JSONResponse:
    """Never kept by a cache: a refusal of a patient's leaflet is about that request alone."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_TYPE,
                        headers={"Cache-Control": "no-store", **(headers or {})})


def problem_for(error: LeafletError, headers: dict[str, str] | None = None) -> JSONResponse:
    status, title = status_of(error)
    extra: dict[str, Any] = {}
    if error.hint and error.hint.startswith("available: "):
        extra["available"] = re.split(r",\s*", error.hint.removeprefix("available: "))
    if isinstance(error, CatalogProblems):
        extra["problems"] = [str(p) for p in error.problems if p.severity == "error"][:20]
    return problem(status, title, str(error), {**headers_of(error), **(headers or {})}, **extra)


def plain_problem(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return problem(status, _TITLES.get(status, "Error"), detail, headers)
