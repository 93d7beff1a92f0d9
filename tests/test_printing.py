"""Straight to the printer, and a look before: page 1 as a picture, and the counter against a real CUPS.

The ``cups`` fixture starts Debian's cupsd in a temporary folder, on its own
socket, with cups-pdf printers whose "paper" is a folder of the test; the
machine's own CUPS (if any) is never used. cupsd keeps Debian's default policy
and job-file settings (``PreserveJobFiles`` one day), so a spool left without
the patient's PDF is the counter's doing, not a configuration made for the test.

cups-pdf 3.0.1 reads its settings only from ``/etc/cups/cups-pdf-<name>.conf``
(the name is the one in the printer's ``cups-pdf:/<name>`` address), so the
fixture writes one there under a name of its own and removes it afterwards; and
it accepts PostScript only, so CUPS prints our PDF through Ghostscript
(PDF -> PostScript -> PDF). That round trip keeps how every page looks but not
its text layer (ligatures, shaped scripts and hyphens are lost; Poppler's
renderer keeps Latin words), so the printed file is checked three ways: the
document CUPS spooled is byte-identical to the leaflet, the printed pages look
like the leaflet's pages (compared as pictures), and the patient's name and
directions read back from them.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pypdfium2
import pytest
import uvicorn
from conftest import CHROMIUM, CHROMIUM_ARGS, copy_project, pdf_bytes_text, squeeze
from PIL import Image, ImageChops, ImageFilter
from starlette.testclient import TestClient

from leaflet.builder.pipeline import build_bytes
from leaflet.counter import Settings, create_app
from leaflet.counter.guards import CSRF_COOKIE
from leaflet.errors import ProfileError
from leaflet.printer import cups as cups_client
from leaflet.printer import find_printer, ipp
from leaflet.proofs.picture import page_picture
from leaflet.render.options import DEFAULT_OPTIONS
from leaflet.source.pharmacy import read_pharmacy

PATIENT = "Zyxqa Wobbleton"
CUPSD = Path("/usr/sbin/cupsd")
CUPS_PDF = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd")
PROFILE = 'name = "Riverside Pharmacy"\naddress = "12 River Street"\nphone = "+1 555 0100"\n'
FORM = {"leaflet": "diazepam", "lang": "es", "patient": PATIENT, "directions": "bedtime", "count": "1",
        "date": "2026-11-20", "paper": "a4", "edition": "standard"}


# -- a CUPS server of the test's own ---------------------------------------------------------

@dataclass
class Cups:
    root: Path
    process: subprocess.Popen[bytes]

    @property
    def socket(self) -> str:
        return str(self.root / "cups.sock")

    @property
    def spool(self) -> Path:
        return self.root / "spool"

    @property
    def paper(self) -> Path:
        """Where the cups-pdf printers put what they print."""
        return self.root / "paper"

    def printed(self, job: int, timeout: float = 60) -> Path:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [p for p in self.paper.glob(f"job_{job}-*.pdf") if p.stat().st_size]
            if found and time.time() - found[0].stat().st_mtime > 0.3:  # Ghostscript has finished writing
                return found[0]
            time.sleep(0.1)
        raise AssertionError(f"cups-pdf printed nothing for job {job}: {self.log_tail()}")

    def spool_files(self) -> list[Path]:
        return sorted(p for p in self.spool.rglob("*") if p.is_file())

    def log_tail(self) -> str:
        log = self.root / "log" / "error_log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-15:]) if log.exists() else "(no log)"


#: Each printer: its printers.conf lines besides the address. Front_Desk prints; Paused is stopped
#: (jobs wait in the spool); Closed refuses jobs. Poppler's renderer keeps Latin text readable.
PRINTERS = {
    "Front_Desk": "State Idle\nAccepting Yes\n",
    "Paused": "State Stopped\nStateMessage Paused for the test\nAccepting Yes\n",
    "Closed": "State Idle\nAccepting No\n",
}


def _write_config(root: Path, name: str) -> None:
    for folder, mode in (("etc/ppd", 0o755), ("spool/tmp", 0o1777), ("run", 0o755), ("cache", 0o770),
                         ("log", 0o755), ("paper", 0o755), ("cups-pdf-spool", 0o1777), ("gs-tmp", 0o1777)):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder).chmod(mode)
    (root / "etc" / "cups-files.conf").write_text(
        f"ServerRoot {root}/etc\nRequestRoot {root}/spool\nTempDir {root}/spool/tmp\nStateDir {root}/run\n"
        f"CacheDir {root}/cache\nDataDir /usr/share/cups\nServerBin /usr/lib/cups\n"
        f"DocumentRoot /usr/share/cups/doc-root\nErrorLog {root}/log/error_log\nAccessLog {root}/log/access_log\n"
        f"PageLog {root}/log/page_log\nSystemGroup root\n")
    # Debian's cupsd.conf policy as it ships; nothing about job files or history is changed.
    debian = Path("/etc/cups/cupsd.conf").read_text() if Path("/etc/cups/cupsd.conf").exists() else ""
    policy = re.search(r"<Policy default>.*?</Policy>", debian, re.S)
    (root / "etc" / "cupsd.conf").write_text(
        f"Listen {root}/cups.sock\nLogLevel debug\nBrowsing No\nWebInterface No\nErrorPolicy abort-job\n"
        + (policy.group() if policy else ""))
    printers = []
    for printer, lines in PRINTERS.items():
        shutil.copy(CUPS_PDF_PPD, root / "etc" / "ppd" / f"{printer}.ppd")
        printers.append(f"<Printer {printer}>\nInfo {printer} (cups-pdf, for the tests)\nDeviceURI cups-pdf:/{name}\n"
                        f"{lines}Shared No\nOption pdftops-renderer pdftocairo\n</Printer>\n")
    (root / "etc" / "printers.conf").write_text("".join(printers))
    Path(f"/etc/cups/cups-pdf-{name}.conf").write_text(
        f"Out {root}/paper\nAnonDirName {root}/paper\nSpool {root}/cups-pdf-spool\nGSTmp {root}/gs-tmp\n"
        f"Log {root}/log\nLabel 1\nLogType 1\n")


@pytest.fixture(scope="module")
def cups() -> Iterator[Cups]:
    if os.geteuid() != 0:
        pytest.skip("needs root: cupsd runs the cups-pdf backend as root, and cups-pdf reads /etc/cups")
    for needed in (CUPSD, CUPS_PDF, CUPS_PDF_PPD):
        if not needed.exists():
            pytest.fail(f"{needed} is missing: apt-get install cups printer-driver-cups-pdf "
                        "(leaflet/system.toml lists them)", pytrace=False)
    root = Path(tempfile.mkdtemp(prefix="leaflet-cups-"))
    root.chmod(0o755)  # the filters run as the lp user
    name = f"leaflet-test-{uuid.uuid4().hex[:12]}"
    _write_config(root, name)
    process = subprocess.Popen([str(CUPSD), "-f", "-c", str(root / "etc/cupsd.conf"),
                                "-s", str(root / "etc/cups-files.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    server = Cups(root, process)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"cupsd stopped at once: {server.log_tail()}"
            try:
                find_printer("Front_Desk", server.socket).job_state(1)
                break
            except Exception:  # noqa: BLE001 - not listening yet
                assert time.monotonic() < deadline, f"cupsd did not answer: {server.log_tail()}"
                time.sleep(0.1)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        Path(f"/etc/cups/cups-pdf-{name}.conf").unlink(missing_ok=True)
        shutil.rmtree(root, ignore_errors=True)


def counter(project, tmp_path: Path, monkeypatch, server: str | None, printer: str | None = "Front_Desk",
            ) -> TestClient:
    """A counter whose profile names ``printer`` on the CUPS at ``server``: used inside ``with``,
    so its lifespan runs and it watches the jobs it sends."""
    if server is not None:
        monkeypatch.setenv("CUPS_SERVER", server)
    profile = project.root / "pharmacy.toml"
    profile.write_text(PROFILE + (f'printer = "{printer}"\n' if printer else ""), encoding="utf-8")
    app = create_app(project, Settings(pharmacy=profile, data_dir=tmp_path / "data"))
    return TestClient(app, base_url="http://127.0.0.1:8000")


def page_form(client: TestClient, **fields: str) -> dict[str, str]:
    page = client.get("/")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    assert client.cookies[CSRF_COOKIE] == token
    return {**FORM, **fields, "csrf": token}


def look(client: TestClient, form: dict[str, str]) -> tuple[str, bytes, str]:
    """See page 1: the page's HTML, the picture's PNG and the seal to print that leaflet with."""
    page = client.post("/print", data={**form, "send": "look"})
    assert page.status_code == 200, page.text[:2000]
    src = re.search(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]+)" id="page-one"', page.text)
    assert src, page.text[:2000]
    seen = re.search(r'name="seen" value="([0-9a-f]{64})"', page.text)
    return page.text, base64.b64decode(src.group(1)), seen.group(1) if seen else ""


def wait_finished(client: TestClient, job: int, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get(f"/print-jobs/{job}").json()
        if state["finished"] and (state["removed"] or state["state"] != "completed"):
            return state
        time.sleep(0.2)
    raise AssertionError(f"job {job} did not finish: {state}")


def pictures(pdf: bytes, scale: float = 2.0) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [document[i].render(scale=scale, grayscale=True).to_pil().convert("L") for i in range(len(document))]
    finally:
        document.close()


def ink_apart(a: Image.Image, b: Image.Image) -> int:
    """Pixels of ink on one page with no ink within a pixel of them on the other: none for the same
    page drawn twice (antialiasing and Ghostscript's rounding move edges by less), many for another word."""
    if abs(a.size[0] - b.size[0]) > 2 or abs(a.size[1] - b.size[1]) > 2:  # another paper
        return a.size[0] * a.size[1]
    box = (0, 0, min(a.size[0], b.size[0]), min(a.size[1], b.size[1]))  # A4 is 595.28 points, or 595
    a, b = a.crop(box), b.crop(box)

    def ink(page: Image.Image) -> Image.Image:
        return page.point(lambda v: 255 if v < 128 else 0)

    def near(page: Image.Image) -> Image.Image:
        return ink(page.filter(ImageFilter.MinFilter(3)))

    apart = ImageChops.add(ImageChops.subtract(ink(a), near(b)), ImageChops.subtract(ink(b), near(a)))
    return apart.histogram()[255]


def assert_printed(printed: bytes, leaflet: bytes, other: bytes) -> None:
    """Every printed page looks like the leaflet's (Ghostscript draws edges a pixel apart here and
    there: at most 0.05 % of a page), and page 1 far more like this patient's than like the same
    leaflet made for another name: the name reached the paper."""
    ours, theirs = pictures(leaflet), pictures(printed)
    assert len(theirs) == len(ours), f"printed {len(theirs)} pages, the leaflet has {len(ours)}"
    for number, (mine, printed_page) in enumerate(zip(ours, theirs, strict=True), start=1):
        apart = ink_apart(mine, printed_page)
        assert apart < 0.0005 * mine.size[0] * mine.size[1], f"page {number} is not the leaflet's ({apart} pixels)"
    assert 3 * ink_apart(ours[0], theirs[0]) < ink_apart(pictures(other)[0], theirs[0])


def assert_no_copy_left(cups: Cups, pdf: bytes, name: str = PATIENT) -> None:
    """No file of the server's (spool, temporary files, cups-pdf's and Ghostscript's spools, cache,
    state, logs; everything but the printed "paper") holds the PDF, its text or the patient's name."""
    leftovers = []
    for path in sorted(p for p in cups.root.rglob("*") if p.is_file() and cups.paper not in p.parents):
        data = path.read_bytes()
        if (data.startswith((b"%PDF", b"%!")) or pdf[:4096] in data or pdf[-2048:] in data
                or any(name.encode(encoding) in data for encoding in ("utf-8", "utf-16-be", "utf-16-le"))):
            leftovers.append(path.relative_to(cups.root))
    assert leftovers == [], f"copies left behind: {leftovers}"
    assert not [p for p in cups.spool.iterdir() if p.name.startswith(("d", "c"))], sorted(cups.spool.iterdir())


# -- page 1, before printing (no CUPS) --------------------------------------------------------

def test_see_page_one_shows_the_leaflet_as_a_picture_made_in_memory(project, tmp_path, monkeypatch):
    with counter(project, tmp_path, monkeypatch, server=None, printer=None) as client:
        form = page_form(client)
        html, png, seen = look(client, form)
        pdf = client.post("/print", data=form).content
    assert pdf.startswith(b"%PDF-")
    assert png == page_picture(pdf)  # the very leaflet "Make the leaflet" gives, page 1
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (893, 1263)  # A4 at 1.5 pixels a point
    assert 'alt="Page 1 of Diazepam for Sleep in Spanish (español), as it will print"' in html
    assert not seen and 'value="printer"' not in html  # no printer in the profile: no Print button
    assert 'id="open-pdf"' in html and f'value="{PATIENT}"' in html  # the form as typed, and the PDF fallback
    for path in tmp_path.rglob("*"):  # nothing written: no picture, no PDF, no name in any file
        assert not path.is_file() or PATIENT.encode() not in path.read_bytes(), path


def test_the_picture_is_served_as_an_image_and_the_page_lets_it_show(project, tmp_path, monkeypatch):
    with counter(project, tmp_path, monkeypatch, server=None, printer=None) as client:
        fields = {k: v for k, v in FORM.items() if k not in ("leaflet", "lang")}
        png = client.post("/leaflets/diazepam/es.png", json=fields)
        pdf = client.post("/leaflets/diazepam/es.pdf", json=fields)
        page = client.post("/print", data={**page_form(client), "send": "look"})
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.headers["cache-control"] == "no-store" and png.content == page_picture(pdf.content)
    assert page.headers["cache-control"] == "no-store"
    assert "img-src 'self' data:;" in page.headers["content-security-policy"]


def test_page_one_in_arabic_shows_the_name_and_directions(project, tmp_path, monkeypatch):
    """The picture is the page: compared with page 1 drawn from the PDF itself, and with one for another name."""
    with counter(project, tmp_path, monkeypatch, server=None, printer=None) as client:
        form = page_form(client, leaflet="zolpidem", lang="arabic", count="2")
        _, png, _ = look(client, form)
        other = look(client, {**form, "patient": "Qqqq Xxxxxxxx"})[1]
        text = pdf_bytes_text(client.post("/print", data=form).content)
    assert PATIENT in text and "للنوم" in squeeze(text)
    shown = Image.open(io.BytesIO(png)).convert("L")
    assert ink_apart(shown, Image.open(io.BytesIO(other)).convert("L")) > 100  # the name shows


def test_a_print_button_needs_a_printer_and_a_look_first(project, tmp_path, monkeypatch):
    with counter(project, tmp_path, monkeypatch, server=None, printer=None) as client:
        refused = client.post("/print", data={**page_form(client), "send": "printer", "seen": "0" * 64})
        api = client.post("/print-jobs", json=FORM)
        unknown = client.get("/print-jobs/7")
        bad = client.post("/print", data={**page_form(client), "send": "fax"})
    assert refused.status_code == 422 and "this counter has no printer" in refused.text
    assert api.status_code == 422 and api.json()["detail"] == (
        "this counter has no printer (name one in the pharmacy profile: printer = \"Front_Desk\" "
        "(lpstat -p lists them))")
    assert unknown.status_code == 404 and unknown.json()["title"] == "Unknown print job"
    assert bad.status_code == 422 and "unknown send &#39;fax&#39;" in bad.text


def test_a_changed_form_is_not_printed_until_looked_at_again(project, tmp_path, monkeypatch):
    """The seal is of the PDF: a count changed after the look would print a leaflet nobody saw."""
    with counter(project, tmp_path, monkeypatch, server="/nonexistent/cups.sock") as client:
        form = page_form(client)
        _, png, seen = look(client, form)
        page = client.post("/print", data={**form, "count": "3", "send": "printer", "seen": seen})
    assert page.status_code == 422
    assert "this leaflet is not the one shown on page 1 (the form changed since: check page 1 again" in page.text
    assert 'id="page-one"' in page.text and base64.b64encode(png).decode() not in page.text  # the new page 1


def test_an_unreachable_print_server_says_so_and_keeps_the_pdf_as_the_way_out(project, tmp_path, monkeypatch):
    with counter(project, tmp_path, monkeypatch, server=str(tmp_path / "no-cups.sock")) as client:
        form = page_form(client)
        html, _, seen = look(client, form)
        assert 'id="print" name="send" value="printer">Print on Front_Desk</button>' in html
        page = client.post("/print", data={**form, "send": "printer", "seen": seen})
        api = client.post("/print-jobs", json=FORM)
    assert page.status_code == 502
    assert "<h2>The leaflet was not printed</h2>" in page.text
    assert f"cannot reach the CUPS server at {tmp_path / 'no-cups.sock'}" in page.text
    assert 'id="open-pdf"' in page.text and 'id="page-one"' in page.text
    assert api.status_code == 502 and api.json()["title"] == "Printer unavailable"


def test_the_profile_names_a_cups_printer(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text(PROFILE + 'printer = "Front_Desk"\n', encoding="utf-8")
    assert read_pharmacy(good, tmp_path).printer == "Front_Desk"
    for bad in ("Front Desk", "a/b", "x#1", "Desk\u202e", "", "x" * 128):
        path = tmp_path / "bad.toml"
        path.write_text(PROFILE + f"printer = {bad!r}\n".replace("'", '"'), encoding="utf-8")
        with pytest.raises(ProfileError) as caught:
            read_pharmacy(path, tmp_path)
        assert caught.value.line == 4 and "printer must be the name of a CUPS printer" in caught.value.message


def test_the_cups_server_is_found_as_lp_finds_it(tmp_path, monkeypatch):
    conf = tmp_path / "client.conf"
    monkeypatch.setattr(cups_client, "CLIENT_FILES", (conf,))
    monkeypatch.setattr(cups_client, "DEFAULT_SOCKET", tmp_path / "none.sock")
    monkeypatch.delenv("CUPS_SERVER", raising=False)
    assert cups_client.cups_server() == "localhost:631"
    conf.write_text("# comment\nServerName printhost\n", encoding="utf-8")
    assert cups_client.cups_server() == "printhost:631"
    monkeypatch.setenv("CUPS_SERVER", "/run/other/cups.sock")
    assert cups_client.cups_server() == "/run/other/cups.sock"
    monkeypatch.setenv("CUPS_SERVER", "[::1]:8631")
    assert find_printer("Desk").uri == "ipp://[::1]:8631/printers/Desk"


def test_ipp_requests_and_responses():
    request = ipp.encode_request(ipp.GET_JOB_ATTRIBUTES, 7, [
        ipp.Attribute.of(ipp.INTEGER, "job-id", 12),
        ipp.Attribute.of(ipp.KEYWORD, "requested-attributes", "job-state", "job-state-reasons")])
    assert request[:8] == bytes([2, 0, 0, 9, 0, 0, 0, 7]) and request.endswith(b"\x03")
    assert b"\x44\x00\x14requested-attributes\x00\x09job-state\x44\x00\x00\x00\x11job-state-reasons" in request
    response = ipp.decode_response(bytes([2, 0, 0, 0]) + request[4:])  # the same bytes read as an answer
    assert response.ok and response.number("job-id") == 12
    assert response.attributes["requested-attributes"] == ["job-state", "job-state-reasons"]
    assert ipp.decode_response(bytes([2, 0, 4, 6, 0, 0, 0, 1, 3])).status_name == "client-error-not-found"
    for broken in (b"", b"<html>not ipp</html>", request[:-1], request[:30]):
        with pytest.raises(ipp.MalformedResponse):
            ipp.decode_response(broken)


# -- against CUPS --------------------------------------------------------------------------

@pytest.mark.slow
def test_print_sends_the_leaflet_to_cups_and_leaves_no_copy_in_its_spool(cups, project, tmp_path, monkeypatch):
    with counter(project, tmp_path, monkeypatch, cups.socket) as client:
        form = page_form(client)
        _, _, seen = look(client, form)
        page = client.post("/print", data={**form, "send": "printer", "seen": seen})
        assert page.status_code == 200, page.text[:3000]
        job = int(re.search(r'data-url="/print-jobs/(\d+)"', page.text).group(1))
        assert f"Sent to <strong>Front_Desk</strong> (job {job})" in page.text
        state = wait_finished(client, job)
        html = client.get(f"/print-jobs/{job}", headers={"Accept": "text/html"}).text
        pdf = client.post("/print", data=form).content  # the same leaflet again, for comparison
        other = client.post("/print", data={**form, "patient": "Qqqq Xxxxxxxx"}).content
    assert state["state"] == "completed" and state["removed"], state
    assert state["summary"] == "Printed. No copy of it stays on the print server."
    assert "Printed. No copy of it stays on the print server." in html
    printed = cups.printed(job).read_bytes()
    if os.environ.get("LEAFLET_SCREENSHOTS"):  # the job as cups-pdf wrote it, to render and look at
        (Path(os.environ["LEAFLET_SCREENSHOTS"]) / "printed-job.pdf").write_bytes(printed)
    assert_printed(printed, pdf, other)
    text = squeeze(pdf_bytes_text(printed))
    assert PATIENT.replace(" ", "") in text and "Tome1comprimidoalacostarse" in text
    assert_no_copy_left(cups, pdf)


@pytest.mark.slow
def test_a_stopped_printer_keeps_the_very_leaflet_waiting_and_the_page_says_so(cups, project, tmp_path, monkeypatch):
    """While a job waits, CUPS holds the document it was sent: the leaflet, byte for byte (the API's
    PDF for the same fields). The counter says the printer stopped, with the printer's own message."""
    fields = {**FORM, "lang": "fr", "patient": "Zoë Quarrington"}
    with counter(project, tmp_path, monkeypatch, cups.socket, printer="Paused") as client:
        response = client.post("/print-jobs", json=fields)
        assert response.status_code == 202, response.text
        job = response.json()["job"]
        assert response.headers["location"] == f"/print-jobs/{job}"
        waiting = response.json()
        for _ in range(50):
            if waiting["state"] == "stopped":
                break
            time.sleep(0.1)
            waiting = client.get(f"/print-jobs/{job}").json()
        pdf = client.post("/leaflets/diazepam/fr.pdf", json={k: v for k, v in fields.items()
                                                             if k not in ("leaflet", "lang")}).content
    assert waiting["state"] == "stopped" and waiting["message"] == "Paused for the test", waiting
    assert waiting["summary"] == ("The printer has stopped: Paused for the test. Check it (paper, toner, a jam), "
                                  "or print the PDF instead.")
    spooled = [p for p in cups.spool_files() if p.name.startswith(f"d{job:05d}")]
    assert [p.read_bytes() == pdf for p in spooled] == [True]
    find_printer("Paused", cups.socket).purge(job)  # what the counter does once a job has finished
    assert_no_copy_left(cups, pdf, "Zoë Quarrington")


@pytest.mark.slow
def test_without_the_purge_cups_keeps_the_patients_pdf_for_a_day(cups, project):
    """The control: printed on the same server without the counter's purge, the PDF stays spooled
    (Debian's PreserveJobFiles), so the tests above would see it if the purge did nothing."""
    data = build_bytes("diazepam", "es", project=project, options=replace(DEFAULT_OPTIONS, patient="Qwerty Leftover"))
    printer = find_printer("Front_Desk", cups.socket)
    job = printer.send(data, title="control", paper="a4").job
    cups.printed(job)
    for _ in range(100):
        if printer.job_state(job).state == "completed":
            break
        time.sleep(0.1)
    assert [p.read_bytes() == data for p in cups.spool_files() if p.name.startswith(f"d{job:05d}")] == [True]
    printer.purge(job)
    assert not [p for p in cups.spool_files() if re.match(rf"[cd]{job:05d}", p.name)]
    assert printer.job_state(job).state == "gone"


@pytest.mark.slow
def test_a_printer_that_refuses_jobs_or_does_not_exist(cups, project, tmp_path, monkeypatch):
    fields = {k: v for k, v in FORM.items()}
    with counter(project, tmp_path, monkeypatch, cups.socket, printer="Closed") as client:
        closed = client.post("/print-jobs", json=fields)
    with counter(project, tmp_path, monkeypatch, cups.socket, printer="Nowhere") as client:
        missing = client.post("/print-jobs", json=fields)
    assert closed.status_code == 502 and closed.json()["detail"].startswith("printer 'Closed' did not take the leaflet")
    assert "(let it take jobs again: cupsaccept Closed)" in closed.json()["detail"]
    assert missing.status_code == 502 and "printer 'Nowhere' did not take the leaflet" in missing.json()["detail"]
    assert "'lpstat -p' lists the printers" in missing.json()["detail"]


# -- in Chromium: look, then print ---------------------------------------------------------

@pytest.fixture(scope="module")
def printing_counter(cups: Cups, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``leaflet serve`` as a pharmacy runs it, with Front_Desk in its profile, on a free port."""
    folder = tmp_path_factory.mktemp("printing-counter")
    project = copy_project(folder / "project")
    profile = project.root / "pharmacy.toml"
    profile.write_text(PROFILE + 'printer = "Front_Desk"\n', encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CUPS_SERVER", cups.socket)
        app = create_app(project, Settings(pharmacy=profile, data_dir=folder / "data"))
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 300
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the counter did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


def api_pdf(base: str, leaflet: str, lang: str, fields: dict[str, str]) -> bytes:
    request = urllib.request.Request(f"{base}/leaflets/{leaflet}/{lang}.pdf", data=json.dumps(fields).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return bytes(response.read())


@pytest.mark.slow
@pytest.mark.browser
def test_in_chromium_the_pharmacist_sees_page_one_then_prints_it(cups, printing_counter, tmp_path):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect, sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (leaflet/system.toml lists it)", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=30_000)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)
        page.goto(printing_counter + "/")
        page.get_by_label("Medicine").fill("Ambien")  # a brand: the leaflet's own data finds zolpidem
        page.get_by_label("Medicine").dispatch_event("change")
        page.get_by_label("Patient's language").fill("arabic")
        page.get_by_label("Patient's name").fill(PATIENT)
        expect(page.get_by_label("Morning", exact=True)).to_be_disabled()  # zolpidem: only at bedtime
        page.get_by_label("Bedtime", exact=True).fill("1")
        day, month, year = (page.locator(f"#date_{part}").input_value() for part in ("day", "month", "year"))
        date = f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
        page.get_by_role("button", name="See page 1").click()
        picture = page.get_by_role("img", name="Page 1 of Zolpidem for sleep in Arabic (العربية), as it will print")
        expect(picture).to_be_visible()
        assert page.evaluate("document.getElementById('page-one').naturalWidth") == 893
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
        if os.environ.get("LEAFLET_SCREENSHOTS"):  # for a person to look at: LEAFLET_SCREENSHOTS=folder
            page.screenshot(path=str(Path(os.environ["LEAFLET_SCREENSHOTS"]) / "look-desktop.png"), full_page=True)
        page.get_by_label("Bedtime", exact=True).fill("2")  # changed after the look: no printing it unseen
        expect(page.get_by_role("button", name="Print on Front_Desk")).to_be_disabled()
        page.get_by_label("Bedtime", exact=True).fill("1")
        page.get_by_role("button", name="See page 1").click()
        page.get_by_role("button", name="Print on Front_Desk").click()
        expect(page.locator("#print-job-state")).to_have_text("Printed. No copy of it stays on the print server.")
        job = int(page.locator("#print-job").get_attribute("data-url").rsplit("/", 1)[1])
        if os.environ.get("LEAFLET_SCREENSHOTS"):
            page.set_viewport_size({"width": 390, "height": 844})
            page.screenshot(path=str(Path(os.environ["LEAFLET_SCREENSHOTS"]) / "printed-phone.png"), full_page=True)
        browser.close()
    fields = {"patient": PATIENT, "bedtime": "1", "date": date}
    pdf = api_pdf(printing_counter, "zolpidem", "ar", fields)
    other = api_pdf(printing_counter, "zolpidem", "ar", {**fields, "patient": "Qqqq Xxxxxxxx"})
    printed = cups.printed(job).read_bytes()
    if os.environ.get("LEAFLET_SCREENSHOTS"):  # the job as cups-pdf wrote it, to render and look at
        (Path(os.environ["LEAFLET_SCREENSHOTS"]) / "printed-job.pdf").write_bytes(printed)
    assert_printed(printed, pdf, other)
    assert PATIENT.replace(" ", "") in squeeze(pdf_bytes_text(printed))  # Latin letters survive PostScript
    assert_no_copy_left(cups, pdf)
