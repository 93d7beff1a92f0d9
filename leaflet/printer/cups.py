"""A CUPS queue, spoken to over IPP: a PDF in memory -> a print job; its state; its removal.

``find_printer(name)`` names a queue on the CUPS server that this machine's
CUPS clients use, found as ``lp`` finds it: ``$CUPS_SERVER``, else
``ServerName`` in ``~/.cups/client.conf`` or ``/etc/cups/client.conf``, else
the local socket ``/run/cups/cups.sock``, else ``localhost:631``.
``Printer.send`` posts the PDF in one Print-Job request straight from memory
(no temporary file, no ``lp``); ``Printer.job_state`` asks how the job is
doing; ``Printer.purge`` removes a finished job's document and its history
from the server's spool (CUPS's ``purge-job``, what ``cancel -x`` sends),
which CUPS would otherwise keep for a day (``PreserveJobFiles``). A job's
title is the leaflet's name and its owner the counter's user: nothing typed
for a patient goes into a job's attributes, only into its document.
"""

from __future__ import annotations

import getpass
import http.client
import itertools
import os
import re
import socket
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from leaflet.errors import PrinterError
from leaflet.printer import ipp

DEFAULT_SOCKET = Path("/run/cups/cups.sock")
DEFAULT_PORT = 631
CLIENT_FILES = (Path("~/.cups/client.conf"), Path("/etc/cups/client.conf"))
#: Seconds to wait for CUPS: a Print-Job of a few hundred kilobytes takes milliseconds on a live server.
TIMEOUT = 15.0
MAX_RESPONSE = 1024 * 1024
#: IPP's names for the counter's papers (PWG 5101.1).
MEDIA = {"a4": "iso_a4_210x297mm", "letter": "na_letter_8.5x11in"}

#: IPP job-state (RFC 8011 section 5.3.7) -> the word the counter shows.
_STATES = {3: "queued", 4: "held", 5: "printing", 6: "stopped", 7: "canceled", 8: "error", 9: "completed"}
FINISHED = frozenset({"canceled", "error", "completed", "gone"})
_JOB_ATTRIBUTES = ("job-state", "job-state-reasons", "job-state-message")
PRINTER_STOPPED = 5
_request_ids = itertools.count(1)


@dataclass(frozen=True)
class JobState:
    """Where a job is; ``removed`` once its document and history have left the server's spool."""

    job: int
    printer: str
    state: str  # queued, held, printing, stopped, completed, canceled, error, gone
    reasons: tuple[str, ...] = ()
    message: str = ""
    removed: bool = False

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def summary(self) -> str:
        """One sentence for the pharmacist, the same on the page and in the API."""
        detail = f": {self.message}" if self.message else ""
        sentences = {
            "queued": "Waiting for the printer.",
            "held": f"Held by the print server{detail}.",
            "printing": "Printing.",
            "stopped": f"The printer has stopped{detail}. Check it (paper, toner, a jam), or print the PDF instead.",
            "completed": "Printed.",
            "canceled": "Canceled: not printed.",
            "error": f"Not printed{detail}. Print the PDF instead.",
            "gone": "The print server no longer knows this job (it was removed or the server restarted).",
        }
        spool = (" No copy of it stays on the print server." if self.removed
                 else " The print server still keeps a copy of it." if self.finished and self.state != "gone" else "")
        return sentences[self.state] + spool

    def as_json(self) -> dict[str, Any]:
        return {"job": self.job, "printer": self.printer, "state": self.state, "finished": self.finished,
                "reasons": list(self.reasons), "message": self.message, "removed": self.removed,
                "summary": self.summary}


@dataclass(frozen=True)
class Printer:
    """One CUPS queue on one server: ``server`` is a socket path or ``host:port``."""

    name: str
    server: str

    @property
    def uri(self) -> str:
        host = "localhost" if self.server.startswith("/") else self.server
        return f"ipp://{host}/printers/{urllib.parse.quote(self.name, safe='')}"

    def send(self, pdf: bytes, *, title: str, paper: str) -> JobState:
        """Print-Job with the PDF as the document: CUPS filters it for the printer, on ``paper``."""
        response = self._ask(ipp.PRINT_JOB, f"/printers/{urllib.parse.quote(self.name, safe='')}", [
            ipp.Attribute.of(ipp.NAME, "job-name", title),
            ipp.Attribute.of(ipp.MIME_MEDIA_TYPE, "document-format", "application/pdf"),
        ], [ipp.Attribute.of(ipp.KEYWORD, "media", MEDIA[paper])], pdf)
        job = response.number("job-id")
        if not response.ok or job is None:
            raise self._refused("did not take the leaflet", response)
        return self._state(job, response)

    def job_state(self, job: int) -> JobState:
        response = self._ask(ipp.GET_JOB_ATTRIBUTES, "/jobs", [
            ipp.Attribute.of(ipp.INTEGER, "job-id", job),
            ipp.Attribute.of(ipp.KEYWORD, "requested-attributes", *_JOB_ATTRIBUTES)])
        if response.status == ipp.NOT_FOUND:
            return JobState(job, self.name, "gone")
        if not response.ok:
            raise self._refused(f"did not say how job {job} is doing", response)
        state = self._state(job, response)
        if state.state in ("queued", "printing"):  # CUPS tells a stopped printer's jobs nothing: ask the printer
            printer = self._ask(ipp.GET_PRINTER_ATTRIBUTES, "/", [ipp.Attribute.of(
                ipp.KEYWORD, "requested-attributes", "printer-state", "printer-state-message")])
            if printer.ok and printer.number("printer-state") == PRINTER_STOPPED:
                state = replace(state, state="stopped", message=_printable(printer.text("printer-state-message")))
        return state

    def purge(self, job: int) -> None:
        """Cancel-Job with ``purge-job``: CUPS deletes the job's document and control files and forgets
        the job, finished or not. Only its owner (this user) or an administrator may."""
        response = self._ask(ipp.CANCEL_JOB, "/jobs", [ipp.Attribute.of(ipp.INTEGER, "job-id", job),
                                                        ipp.Attribute.of(ipp.BOOLEAN, "purge-job", True)])
        if not response.ok and response.status != ipp.NOT_FOUND:
            raise self._refused(f"did not remove job {job} from its spool", response)

    def _state(self, job: int, response: ipp.Response) -> JobState:
        number = response.number("job-state")
        reasons = tuple(str(r) for r in response.attributes.get("job-state-reasons", []) if r != "none")
        state = _STATES.get(number or 0, "queued")
        return JobState(job, self.name, state, reasons, _printable(response.text("job-state-message")))

    def _ask(self, operation: int, path: str, attributes: Iterable[ipp.Attribute],
             job_attributes: Iterable[ipp.Attribute] = (), document: bytes = b"") -> ipp.Response:
        target = ([ipp.Attribute.of(ipp.URI, "printer-uri", self.uri)] +
                  [ipp.Attribute.of(ipp.NAME, "requesting-user-name", _user())])
        body = ipp.encode_request(operation, next(_request_ids), [*target, *attributes], job_attributes, document)
        connection = _connection(self.server)
        try:
            connection.request("POST", path, body, {"Content-Type": "application/ipp"})
            answer = connection.getresponse()
            data = answer.read(MAX_RESPONSE)
        except OSError as exc:
            raise PrinterError(f"cannot reach the CUPS server at {self.server}: {exc.strerror or exc}",
                               hint="is CUPS running? 'lpstat -r' says; CUPS_SERVER names another server") from None
        except http.client.HTTPException as exc:
            raise PrinterError(f"the CUPS server at {self.server} broke off: {type(exc).__name__}") from None
        finally:
            connection.close()
        if answer.status == 401:
            raise PrinterError(f"the CUPS server at {self.server} asks for a password",
                               hint="let this user print without one (the default policy of cupsd.conf)")
        if answer.status != 200:
            raise PrinterError(f"the CUPS server at {self.server} answered HTTP {answer.status}")
        try:
            return ipp.decode_response(data)
        except ipp.MalformedResponse as exc:
            raise PrinterError(f"the server at {self.server} does not speak IPP: {exc}") from None

    def _refused(self, what: str, response: ipp.Response) -> PrinterError:
        hints = {ipp.NOT_FOUND: "'lpstat -p' lists the printers; name one as printer in the pharmacy profile",
                 0x0506: f"let it take jobs again: cupsaccept {self.name}"}
        return PrinterError(f"printer '{self.name}' {what}: {_printable(response.message)}",
                            hint=hints.get(response.status))


def find_printer(name: str, server: str | None = None) -> Printer:
    return Printer(name, server or cups_server())


def cups_server() -> str:
    """The server ``lp`` would use: a socket path, or ``host:port``."""
    named = os.environ.get("CUPS_SERVER", "").strip() or _client_conf_server()
    if not named:
        return str(DEFAULT_SOCKET) if DEFAULT_SOCKET.exists() else f"localhost:{DEFAULT_PORT}"
    named = named.split("/version=")[0]
    if named.startswith("/") or re.search(r":\d+$", named):
        return named
    return f"{named}:{DEFAULT_PORT}"


def _client_conf_server() -> str:
    for path in CLIENT_FILES:
        try:
            text = path.expanduser().read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for line in text.splitlines():
            key, _, value = line.strip().partition(" ")
            if key.lower() == "servername" and value.strip():
                return value.strip()
    return ""


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str) -> None:
        super().__init__("localhost", timeout=TIMEOUT)
        self.socket_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.socket_path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


def _connection(server: str) -> http.client.HTTPConnection:
    if server.startswith("/"):
        return _UnixConnection(server)
    host, _, port = server.rpartition(":")
    return http.client.HTTPConnection(host.strip("[]"), int(port), timeout=TIMEOUT)


def _user() -> str:
    """The job's owner, as ``lp`` would send it: the only one (with root) who may purge it."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "leaflet"


def _printable(text: str) -> str:
    return "".join(c for c in text if c.isprintable())[:200]
