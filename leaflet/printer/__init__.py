"""Straight to the printer: a leaflet's PDF (bytes, in memory) -> a CUPS print job -> no copy left.

``ipp`` is IPP's wire format (requests as bytes, responses as attributes);
``cups`` speaks it to a CUPS server: ``find_printer(name).send(pdf, ...)``
gives the job's first ``JobState``, ``job_state`` the next ones, and
``purge`` removes a finished job's files from the server's spool. The counter
(``leaflet/counter/jobs.py``) watches each job it sent until it finishes, then
purges it.
"""

from leaflet.printer.cups import FINISHED, MEDIA, JobState, Printer, cups_server, find_printer

__all__ = ["FINISHED", "MEDIA", "JobState", "Printer", "cups_server", "find_printer"]
