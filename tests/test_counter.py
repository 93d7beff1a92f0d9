"""The counter's HTTP API and page, in-process through Starlette's TestClient."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    UNTRANSLATE_PRECAUTIONS,
    edit_file,
    pdf_bytes_text,
    pdf_reader,
    run_cli,
    squeeze,
)
from starlette.testclient import TestClient

import leaflet
from leaflet.builder.manifest import manifest_path
from leaflet.builder.pipeline import run_build
from leaflet.builder.pool import RenderPool
from leaflet.catalogs.checks import Problem
from leaflet.counter import Settings, create_app
from leaflet.counter.guards import CSRF_COOKIE
from leaflet.coverage import coverage
from leaflet.errors import CatalogProblems, UnknownLanguage
from leaflet.project import CACHE_VARIABLE
from leaflet.source.content import read_leaflet

PATIENT = "Zyxqa Wobbleton-Prrr"
FREE = "Qwvzx after meals only"


def make_client(project, tmp_path: Path, **settings) -> TestClient:
    app = create_app(project, Settings(data_dir=tmp_path / "data", **settings))
    return TestClient(app, base_url="http://127.0.0.1:8000")


@pytest.fixture
def client(project, tmp_path) -> TestClient:
    return make_client(project, tmp_path)


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def page_token(client: TestClient) -> str:
    page = client.get("/")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    assert client.cookies[CSRF_COOKIE] == token
    return token


# -- GET /leaflets -------------------------------------------------------------------------

def test_leaflets_lists_every_language_with_review_status_and_availability(client, project):
    body = client.get("/leaflets").json()
    diazepam = next(item for item in body["leaflets"] if item["id"] == "diazepam")
    languages = {lang["code"]: lang for lang in diazepam["languages"]}
    assert sorted(languages) == project.languages()
    names = languages["fa"].pop("names")  # every name the page finds it by, for its script
    assert {"fa", "فارسی", "Persian", "Farsi", "persa", "persan"} <= set(names)
    assert languages["fa"] == {"code": "fa", "name": "فارسی", "english_name": "Persian", "direction": "rtl",
                               "review": "not reviewed", "reviewed": False, "available": True, "reason": "",
                               "pdf": "/leaflets/diazepam/fa.pdf", "editions": {
                                   "audio": {"url": "/leaflets/diazepam/fa.mp3"},
                                   "braille": {"unavailable": coverage("fa").no_braille},
                                   "html": {"url": "/leaflets/diazepam/fa.html"},
                                   "epi": {"url": "/leaflets/diazepam/fa.epi.json"}}}
    assert languages["en"]["available"] and body["editions"] == ["standard", "large", "bilingual"]
    assert languages["yi"]["editions"]["audio"] == {"unavailable": "espeak-ng 1.51 (Debian 12) has no Yiddish voice "
                                                                   "(its Hebrew voice is another language)"}
    assert "bedtime" in body["directions"]
    assert diazepam["times"] == ["morning", "noon", "evening", "bedtime"]
    assert diazepam["directions"] == ["bedtime", "evening", "morning", "noon", "twice-daily"]
    assert diazepam["deprecated"]["twice-daily"].startswith("USP <17> asks for times of day")
    zolpidem = next(item for item in body["leaflets"] if item["id"] == "zolpidem")  # its source: only at bedtime
    assert (zolpidem["times"], zolpidem["directions"], zolpidem["deprecated"]) == (["bedtime"], ["bedtime"], {})


def test_a_language_failing_its_checks_is_unavailable_with_the_reason_and_never_printed(client, project):
    edit_file(project.po_file("es", "diazepam"), UNTRANSLATE_PRECAUTIONS)
    spanish = next(lang for lang in client.get("/leaflets").json()["leaflets"][0]["languages"] if lang["code"] == "es")
    assert not spanish["available"]
    assert "error(s) in the catalogs; the leaflet was not built" in spanish["reason"]
    assert "diazepam.po" in spanish["reason"]
    refused = problem(client.get("/leaflets/diazepam/es.pdf"), 409)
    assert "error(s) in the catalogs" in refused["detail"] and refused["problems"]
    problem(client.post("/leaflets/diazepam/es.pdf", json={"patient": PATIENT}), 409)
    assert not project.output_file("es", "diazepam").exists()
    page = client.get("/").text
    row = re.search(r'<tr class="unavailable">\s*<td class="name"><span lang="es" dir="ltr">español</span></td>'
                    r'.*?</tr>', page, re.S)
    assert row and '<strong>unavailable</strong>: <span lang="en" dir="ltr">1 error(s) in the catalogs' in row.group()
    assert 'value="es"' not in page.split("</datalist>")[0]  # never offered in the search list


# -- GET /leaflets/<leaflet>/<lang>.pdf -------------------------------------------------------

def test_stock_pdf_comes_from_the_build_output_with_an_etag_from_its_manifest(client, project):
    response = client.get("/leaflets/diazepam/es.pdf?edition=large&paper=letter")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    built = project.output_file("es", "diazepam", "large")
    assert response.content == built.read_bytes()
    digest = hashlib.sha256(manifest_path(built).read_bytes()).hexdigest()[:32]
    assert response.headers["etag"] == f'"{digest}"'
    assert "Diazepam para dormir" in pdf_bytes_text(response.content)
    page = pdf_reader(built).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)  # US Letter
    again = client.get("/leaflets/diazepam/es.pdf?edition=large&paper=letter",
                       headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304 and not again.content


def test_the_etag_changes_when_the_catalog_does(client, project):
    first = client.get("/leaflets/diazepam/es.pdf").headers["etag"]
    edit_file(project.po_file("es", "diazepam"), ('msgstr "Precauciones"', 'msgstr "Precauciones importantes"'))
    second = client.get("/leaflets/diazepam/es.pdf")
    assert second.headers["etag"] != first
    assert "Precauciones importantes" in pdf_bytes_text(second.content)


def test_stock_pdf_bilingual_edition(client):
    text = pdf_bytes_text(client.get("/leaflets/diazepam/ar.pdf?edition=bilingual").content)
    assert "brand name Valium" in text and "للنوم" in text


# -- POST /leaflets/<leaflet>/<lang>.pdf --------------------------------------------------------

def test_personalised_pdf_from_json(client):
    response = client.post("/leaflets/diazepam/es.pdf", json={
        "patient": "Ana García", "directions": "bedtime", "count": 2, "date": "2026-11-20",
        "free_directions": "Con agua", "paper": "letter"})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"] == 'inline; filename="diazepam-es.pdf"'
    text = pdf_bytes_text(response.content)
    assert "Preparado para: Ana García" in text
    assert "Tome 2 comprimidos al acostarse." in text
    assert "Con agua" in text and "20 nov 2026" in text


def test_personalised_pdf_from_form_fields_in_utf8(client):
    response = client.post("/leaflets/diazepam/ar.pdf",
                           content="patient=Zoë Müller&directions=morning&count=3".encode(),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200, response.text
    text = squeeze(pdf_bytes_text(response.content))
    assert "ZoëMüller" in text and "أعدتمنأجل" in squeeze(text.replace("\u064f", "").replace("\u0651", ""))


def test_a_personalised_zolpidem_leaflet_in_arabic(client):
    """The second medicine prints at the counter like the first: its own text, the patient's
    name and the standard directions in Arabic, and the leaflet's own sections."""
    response = client.post("/leaflets/zolpidem/ar.pdf", json={"patient": "Zoë Müller", "directions": "bedtime",
                                                              "count": 1, "date": "2026-11-20"})
    assert response.status_code == 200, response.text
    text = squeeze(pdf_bytes_text(response.content))
    assert "ZoëMüller" in text and squeeze("19622c86-72c1-46a6-b889-ee1f7cbd4665") in text
    assert squeeze("زولبيديم") in text and squeeze("ديازيبام") not in text


@pytest.mark.parametrize("typed", ["zolpidem", "Zolpidem for sleep", " ZOLPIDEM "])
def test_the_pharmacist_finds_the_medicine_by_typing_its_name(client, typed):
    page = client.get("/").text
    assert '<option value="zolpidem" label="Zolpidem for sleep">' in page
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    printed = client.post("/print", data={"leaflet": typed, "lang": "es", "patient": "Ana", "csrf": token})
    assert printed.status_code == 200 and printed.headers["content-type"] == "application/pdf"
    assert squeeze("Zolpidem para dormir") in squeeze(pdf_bytes_text(printed.content))


def test_an_unknown_medicine_is_shown_on_the_page_with_the_ones_there_are(client):
    token = page_token(client)
    page = client.post("/print", data={"leaflet": "aspirin", "lang": "es", "patient": "Ana", "csrf": token})
    assert page.status_code == 422 and "There is no leaflet for “aspirin”." in page.text
    assert "The leaflets are: Diazepam for Sleep, Zolpidem for sleep." in page.text and 'value="aspirin"' in page.text


def test_the_listing_and_the_page_offer_every_edition_of_the_registry(client, monkeypatch):
    from leaflet.render import options

    extra = options.EditionKind("test-edition", "An edition for the test", large_print=True)
    monkeypatch.setitem(options.EDITIONS, extra.name, extra)
    assert client.get("/leaflets").json()["editions"] == ["standard", "large", "bilingual", "test-edition"]
    assert 'value="test-edition"' in client.get("/").text and "An edition for the test" in client.get("/").text
    assert options.BuildOptions(large_print=True, bilingual=True).edition_name == "bilingual+large+test-edition"


def test_unknown_language_is_404_listing_the_available_ones(client, project):
    body = problem(client.post("/leaflets/diazepam/xx.pdf", json={"patient": "A"}), 404)
    assert body["title"] == "Unknown language"
    assert body["detail"] == f"unknown language 'xx' (available: {', '.join(sorted(project.languages()))})"
    assert body["available"] == sorted(project.languages())
    problem(client.get("/leaflets/diazepam/klingon.pdf"), 404)


def test_unknown_leaflet_is_404(client):
    detail = problem(client.get("/leaflets/aspirin/es.pdf"), 404)["detail"]
    assert detail == "unknown leaflet 'aspirin' (available: diazepam, zolpidem)"


@pytest.mark.parametrize("count, detail", [
    (0, "--count must be between 1 and 999, not 0"),
    (1000, "--count must be between 1 and 999, not 1000"),
    ("two", "--count must be a whole number"),
    (True, "--count must be a whole number"),
])
def test_bad_count_is_422_in_the_clis_words(client, count, detail):
    body = problem(client.post("/leaflets/diazepam/es.pdf", json={"directions": "bedtime", "count": count}), 422)
    assert body["detail"] == detail


@pytest.mark.parametrize("fields, detail", [
    ({"date": "1999-12-31"}, "--date 1999-12-31 is not a plausible dispensing date"),
    ({"date": "20/11/2026"}, "--date is not a date (use YYYY-MM-DD)"),
    ({"morning": "two"}, "the count at 'morning' must be a whole number, not 'two'"),
    ({"noon": True}, "the count at 'noon' must be a whole number, not 'True'"),
    ({"noon": "1,evening=9"}, "the count at 'noon' must be a whole number, not '1,evening=9'"),
    ({"bedtime": 0}, "--directions: the count of 'bedtime' must be between 1 and 999, not 0"),
    ({"morning": 1, "directions": "twice-daily"}, "give the counts at times of day or the directions 'twice-daily'"),
    ({"morning": 1, "bedtime": 1, "count": 2}, "--count 2 is not used"),
    ({"directions": "morning=1,morning=2"}, "--directions names 'morning' twice"),
    ({"directions": "hourly"}, "unknown directions 'hourly'"),
    ({"edition": "huge"}, "unknown edition 'huge' (use one of: standard, large, bilingual)"),
    ({"paper": "a3"}, "unknown paper size 'a3'"),
    ({"patients": "A"}, "unknown field 'patients'"),
    ({"patient": "A\u202eB"}, "--patient contains invisible or direction-changing characters"),
    ({"patient": 7}, "--patient must be text"),
])
def test_refused_fields_are_422_with_the_clis_words(client, fields, detail):
    assert problem(client.post("/leaflets/diazepam/es.pdf", json=fields), 422)["detail"].startswith(detail)


def test_a_time_of_day_the_leaflets_source_does_not_support_is_refused(client):
    body = problem(client.post("/leaflets/zolpidem/es.pdf", json={"morning": 1, "bedtime": 1}), 422)
    assert body["detail"] == ("zolpidem's source does not support the directions 'morning' "
                              "(zolpidem allows only: bedtime, as its front matter says)")


def test_a_body_that_is_not_json_or_a_form_is_refused(client):
    problem(client.post("/leaflets/diazepam/es.pdf", content=b"{", headers={"Content-Type": "application/json"}), 422)
    problem(client.post("/leaflets/diazepam/es.pdf", content=b"x", headers={"Content-Type": "text/plain"}), 422)


@pytest.mark.parametrize("name", ["عبد الرحمن", "王小明"])
def test_a_name_in_another_script_prints_on_a_spanish_leaflet(client, name):
    response = client.post("/leaflets/diazepam/es.pdf", json={"patient": name, "directions": "bedtime"})
    assert response.status_code == 200, response.text
    assert squeeze(name) in squeeze(pdf_bytes_text(response.content))


@pytest.mark.parametrize(("name", "detail"), [("Ana \U0001f600", "nor of any other shipped language can draw"),
                                              ("a" + "\u0301" * 200, "a letter carries 200 combining marks")])
def test_a_name_no_font_can_print_is_the_requests_mistake(client, name, detail):
    assert detail in problem(client.post("/leaflets/diazepam/es.pdf", json={"patient": name}), 422)["detail"]


# -- privacy -------------------------------------------------------------------------------

def _files_containing(folder: Path, needle: bytes) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_the_patients_name_is_in_no_file_and_no_log_line(project, tmp_path, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    client = make_client(project, tmp_path)
    personal = {"patient": PATIENT, "directions": "evening", "count": 2, "free_directions": FREE, "date": "2026-03-07"}
    assert client.post("/leaflets/diazepam/ar.pdf", json=personal).status_code == 200
    assert client.post(f"/leaflets/diazepam/es.pdf?patient={PATIENT}", data=personal).status_code == 200
    token = page_token(client)
    printed = client.post("/print", data={**personal, "leaflet": "diazepam", "lang": "arabic", "csrf": token})
    assert printed.status_code == 200 and PATIENT in pdf_bytes_text(printed.content)
    problem(client.post("/leaflets/diazepam/es.pdf", json={**personal, "count": 0}), 422)
    for folder in (project.root, tmp_path / "data", Path(os.environ[CACHE_VARIABLE])):
        for needle in (PATIENT, FREE, "2026-03-07"):
            for encoding in ("utf-8", "utf-16-be"):
                assert _files_containing(folder, needle.encode(encoding)) == [], (needle, folder)
    assert not (project.output_dir / "ar" / "personal").exists()
    # Every log line of the server side (the test's HTTP client logs its own requests: not ours).
    lines = [record.getMessage() for record in caplog.records if not record.name.startswith(("httpx", "httpcore"))]
    assert any("POST /leaflets/diazepam/es.pdf 200" in line for line in lines)  # the access log is on
    for needle in (PATIENT, "Zyxqa", FREE, "2026-03-07", "patient="):
        assert not [line for line in lines if needle in line], needle


def test_a_patients_leaflet_leaves_no_file_in_the_cache_or_the_temporary_folder(project, tmp_path, monkeypatch):
    """Neither a preflight pass named by the PDF's digest, nor a font subset (or its glyph map)
    made of the characters of a name the repertoire lacks, nor WeasyPrint's copies of the fonts."""
    cache, temporary = tmp_path / "cache", tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv(CACHE_VARIABLE, str(cache))
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    client = make_client(project, tmp_path)

    def make(name: str) -> str:
        response = client.post("/leaflets/diazepam/es.pdf", json={"patient": name, "directions": "bedtime"})
        assert response.status_code == 200, response.text
        return pdf_bytes_text(response.content)

    make("Ana García")  # the first patient's leaflet makes the font subsets every later one shares
    before = sorted(p.relative_to(cache) for p in cache.rglob("*"))
    for name in ("Zeb Quixote", "Łukasz Wąż", "Иван Петров", "Ἀλέξανδρος"):
        assert name.split()[-1] in make(name)
    assert sorted(p.relative_to(cache) for p in cache.rglob("*")) == before
    assert list(temporary.iterdir()) == []


# -- print history -------------------------------------------------------------------------------

def test_every_print_is_recorded_without_personal_data(client, project, tmp_path, capsys):
    personal = client.post("/leaflets/diazepam/ar.pdf", json={"patient": PATIENT, "directions": "bedtime", "count": 2,
                                                              "free_directions": FREE})
    stock = client.get("/leaflets/diazepam/es.pdf?edition=large")
    code, out, _ = run_cli(capsys, "--project", project.root, "history", "--data", tmp_path / "data")
    assert code == 0 and out.splitlines()[-1] == "2 print(s)"
    code, out, _ = run_cli(capsys, "--project", project.root, "history", "--data", tmp_path / "data", "--csv", "-")
    rows = out.splitlines()
    assert rows[0] == ("time,leaflet,revision,lang,catalog_digest,review,edition,paper,personalised,"
                       "directions,count,stock_sha256")
    assert len(rows) == 3
    fields, patients = rows[2].split(","), rows[1].split(",")
    revised = read_leaflet(project.content_file("diazepam")).revised.isoformat()
    assert fields[1:4] == ["diazepam", fields[2], "es"] and fields[2].startswith(f"{revised} ")
    assert fields[5:] == ["not reviewed", "large", "a4", "0", "", "", hashlib.sha256(stock.content).hexdigest()]
    assert fields[4].startswith("sha256:")
    # The patient's leaflet: what was chosen from the lists, no digest of its PDF, nothing typed.
    assert patients[3] == "ar" and patients[8:] == ["1", "bedtime", "2", ""]
    code, out, _ = run_cli(capsys, "--project", project.root, "history", "--data", tmp_path / "data",
                           "--since", "2999-01-01")
    assert out.strip() == "0 print(s)"
    kept = b"".join(p.read_bytes() for p in (tmp_path / "data").iterdir())
    for needle in (PATIENT, FREE, hashlib.sha256(personal.content).hexdigest()):
        assert needle.encode() not in kept


def test_the_history_file_is_readable_by_its_owner_only(client, tmp_path):
    client.get("/leaflets/diazepam/es.pdf")
    files = sorted((tmp_path / "data").iterdir())
    assert [f.name for f in files][0] == "history.sqlite3"
    assert {f.name: oct(f.stat().st_mode & 0o777) for f in files} == {f.name: "0o600" for f in files}
    assert oct((tmp_path / "data").stat().st_mode & 0o777) == "0o700"


def test_a_browsers_prefetch_is_not_a_print(client, project, tmp_path, capsys):
    assert client.get("/leaflets/diazepam/es.pdf", headers={"Sec-Purpose": "prefetch"}).status_code == 200
    assert client.get("/leaflets/diazepam/es.pdf").status_code == 200
    _, out, _ = run_cli(capsys, "--project", project.root, "history", "--data", tmp_path / "data")
    assert out.splitlines()[-1] == "1 print(s)"


def test_the_catalog_digest_changes_with_the_catalog(client, project, tmp_path, capsys):
    client.get("/leaflets/diazepam/es.pdf")
    edit_file(project.po_file("es", "diazepam"), ('msgstr "Precauciones"', 'msgstr "Precauciones importantes"'))
    client.get("/leaflets/diazepam/es.pdf")
    _, out, _ = run_cli(capsys, "--project", project.root, "history", "--data", tmp_path / "data", "--csv", "-")
    digests = [row.split(",")[4] for row in out.splitlines()[1:]]
    assert len(digests) == 2 and digests[0] != digests[1]


# -- the history page ----------------------------------------------------------------------------

def _history_rows(html: str) -> list[str]:
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]]


def test_the_history_page_lists_the_last_prints_newest_first_without_personal_data(client):
    client.get("/leaflets/diazepam/es.pdf?edition=large")
    client.post("/leaflets/diazepam/ar.pdf", json={"patient": PATIENT, "directions": "bedtime", "count": 2,
                                                  "free_directions": FREE, "date": "2026-03-07"})
    page = client.get("/history")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    rows = _history_rows(page.text)
    assert len(rows) == 2
    assert "Arabic · العربية" in rows[0] and "for a patient: bedtime × 2" in rows[0]
    assert "Make it again (Diazepam for Sleep, Arabic)" in rows[0] and "type the patient's name again" in rows[0]
    assert "Spanish · español" in rows[1] and "large, A4" in rows[1] and "stock" in rows[1]
    for needle in (PATIENT, "Zyxqa", FREE, "2026-03-07"):
        assert needle not in page.text
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", rows[0])  # no 12/03/2026


def test_a_stock_print_links_to_the_stock_pdf_and_a_patients_one_to_the_form_without_the_name(client):
    client.get("/leaflets/diazepam/es.pdf?edition=large&paper=letter")
    client.post("/leaflets/diazepam/ar.pdf", json={"patient": PATIENT, "directions": "bedtime", "count": 2})
    page = client.get("/history").text
    stock = re.search(r'<a href="([^"]+)">Print this stock leaflet again', page).group(1)
    assert stock == "/leaflets/diazepam/es.pdf?edition=large&amp;paper=letter"
    again = client.get(stock.replace("&amp;", "&"))
    assert again.status_code == 200 and again.headers["content-type"] == "application/pdf"
    form = re.search(r'<a href="([^"]+)">Make it again', page).group(1).replace("&amp;", "&")
    assert form == "/?leaflet=diazepam&lang=ar&edition=standard&paper=a4&bedtime=2"  # the old code, as a time of day
    filled = client.get(form).text
    assert 'id="leaflet" name="leaflet"' in filled and 'value="diazepam"' in filled
    assert re.search(r'id="lang"[^>]*value="ar"', filled, re.S)
    assert re.search(r'<input id="dose-bedtime" name="bedtime"[^>]*value="2"', filled)
    assert re.search(r'id="patient"[^>]*value=""', filled, re.S)
    # A link cannot fill in a name: that would stay in the browser's history and the logs.
    forged = client.get(f"/?leaflet=diazepam&patient={PATIENT}&free_directions=x").text
    assert PATIENT not in forged and re.search(r'id="patient"[^>]*value=""', forged, re.S)


def test_the_history_page_filters_by_medicine_language_and_date(client):
    client.get("/leaflets/diazepam/es.pdf")
    client.get("/leaflets/zolpidem/es.pdf")
    client.get("/leaflets/diazepam/fa.pdf")
    assert len(_history_rows(client.get("/history").text)) == 3
    assert len(_history_rows(client.get("/history?leaflet=diazepam").text)) == 2
    assert len(_history_rows(client.get("/history?lang=es").text)) == 2
    assert len(_history_rows(client.get("/history?leaflet=diazepam&lang=es").text)) == 1
    today = dt.datetime.now(dt.UTC).date()
    assert len(_history_rows(client.get(f"/history?since={today}&until={today}").text)) == 3
    empty = client.get(f"/history?since={today + dt.timedelta(days=1)}")
    assert _history_rows(empty.text) == [] and "No prints match these filters" in empty.text
    assert 'selected>Zolpidem' not in empty.text


def test_the_history_page_shows_every_bad_filter_at_once(client):
    page = client.get("/history?leaflet=aspirin&lang=xx&since=12/03/2026&until=2026-02-30")
    assert page.status_code == 422
    problems = re.findall(r"<li>(.*?)</li>", page.text)
    assert [p.split(" (")[0] for p in problems] == [
        "unknown medicine &#39;aspirin&#39;", "unknown language &#39;xx&#39;",
        "From: &#39;12/03/2026&#39; is not a date", "To: &#39;2026-02-30&#39; is not a date"]


def test_a_changed_leaflet_is_marked_in_the_history(client, project):
    client.get("/leaflets/diazepam/es.pdf")
    assert "changed since" not in client.get("/history").text
    edit_file(project.po_file("es", "diazepam"), ('msgstr "Precauciones"', 'msgstr "Precauciones importantes"'))
    assert "changed since: today's version is made" in client.get("/history").text


def test_the_history_page_needs_the_password_like_the_rest(project, tmp_path):
    client = make_client(project, tmp_path, password="s3cret")
    assert client.get("/history").status_code == 401
    assert client.get("/history", auth=("pharmacist", "s3cret")).status_code == 200


# -- access -----------------------------------------------------------------------------------

def test_serving_beyond_loopback_without_a_password_is_refused(capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("LEAFLET_PASSWORD", raising=False)
    code, out, err = run_cli(capsys, "serve", "--host", "0.0.0.0", "--data", tmp_path / "data")
    assert code == 2 and out == ""
    assert err == ("Error: --host 0.0.0.0 lets other machines print leaflets, and LEAFLET_PASSWORD is not set "
                   "(set LEAFLET_PASSWORD (HTTP Basic), or serve on 127.0.0.1)\n")


def test_a_password_is_asked_for_every_request_when_set(project, tmp_path):
    client = make_client(project, tmp_path, password="s3cret")
    refused = problem(client.get("/leaflets"), 401)
    assert refused["detail"] == "the counter needs its password (HTTP Basic)"
    assert client.get("/leaflets").headers["www-authenticate"].startswith("Basic ")
    problem(client.get("/leaflets", auth=("counter", "wrong")), 401)
    assert client.get("/leaflets", auth=("counter", "s3cret")).status_code == 200


def test_the_form_needs_the_pages_csrf_token(client):
    fields = {"leaflet": "diazepam", "lang": "es", "patient": "Ana"}
    refused = client.post("/print", data=fields)
    assert refused.status_code == 403 and "this form did not come from the counter&#39;s page" in refused.text
    token = page_token(client)
    assert client.post("/print", data={**fields, "csrf": "forged"}).status_code == 403
    assert client.post("/print", data={**fields, "csrf": token},
                       headers={"Origin": "http://evil.example"}).status_code == 403
    assert client.post("/print", data={**fields, "csrf": token}).status_code == 200


def test_the_api_refuses_what_a_browser_sends_from_another_site(client):
    problem(client.post("/leaflets/diazepam/es.pdf", data={"patient": "A"},
                        headers={"Sec-Fetch-Site": "cross-site"}), 403)
    problem(client.post("/leaflets/diazepam/es.pdf", json={"patient": "A"},
                        headers={"Origin": "http://evil.example"}), 403)


def test_security_headers_and_no_inline_script(client):
    response = client.get("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    assert re.findall(r"<script[^>]*>", response.text) == ['<script src="/static/counter.js" defer>']
    assert "<style" not in response.text and " style=" not in response.text
    assert not re.search(r"<[^>]*\son[a-z]+=", response.text)  # no inline event handlers
    pdf = client.get("/leaflets/diazepam/en.pdf")
    assert pdf.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in pdf.headers["content-security-policy"]
    assert client.get("/static/counter.css").headers["content-type"].startswith("text/css")
    problem(client.get("/static/page.html"), 404)


def test_bodies_over_the_limit_are_refused(project, tmp_path):
    client = make_client(project, tmp_path, body_limit=1000)
    assert problem(client.post("/leaflets/diazepam/es.pdf", json={"patient": "A" * 2000}), 413)["detail"] == \
        "the request is over 1000 bytes"


def test_each_client_has_a_rate_limit(project, tmp_path):
    client = make_client(project, tmp_path, rate_limit=2)
    assert client.get("/leaflets/diazepam/en.pdf").status_code == 200
    assert client.get("/leaflets/diazepam/en.pdf").status_code == 200
    refused = client.get("/leaflets/diazepam/en.pdf")
    assert problem(refused, 429)["detail"].startswith("more than 2 leaflets a minute from this client")
    assert int(refused.headers["retry-after"]) > 0
    assert client.get("/leaflets").status_code == 200  # the listing costs no render


def test_unknown_paths_and_methods_are_problems(client):
    problem(client.get("/nothing"), 404)
    problem(client.delete("/leaflets"), 405)


# -- the page ---------------------------------------------------------------------------------

def test_the_page_shows_each_language_in_its_own_script_with_its_review_status(client):
    page = client.get("/").text
    assert '<td class="name"><span lang="fa" dir="rtl">فارسی</span></td>' in page
    assert '<td class="name"><span lang="zh-Hans" dir="ltr">中文 (简体)</span></td>' in page
    assert 'label="فارسی · Persian · Farsi · not reviewed"' in page
    assert page.count('<td class="review">not reviewed</td>') == 23
    for field in ("leaflet", "lang", "patient", "directions", "count", "free_directions", "date_day", "date_month",
                  "date_year"):
        assert f'<label for="{field}">' in page
    for moment in ("morning", "noon", "evening", "bedtime"):  # diazepam, the first medicine: every time of day
        assert re.search(rf'<input id="dose-{moment}" name="{moment}" type="number"[^>]*value="">', page)
    assert ">Take N tablets twice a day. (deprecated)</option>" in page
    assert 'Deprecated:</span> <span lang="en" dir="ltr">USP &lt;17&gt; asks for times of day' in page
    assert "NOT translated" in page and ">Make the leaflet</button>" in page


@pytest.mark.parametrize("typed", ["farsi", "فارسی", "fa", "Persian", " FARSI "])
def test_the_form_finds_a_language_by_any_of_its_names(client, typed):
    response = client.post("/print", data={"leaflet": "diazepam", "lang": typed, "patient": "Ana",
                                           "csrf": page_token(client)})
    assert response.status_code == 200, response.text
    assert str(pdf_reader_bytes(response.content).trailer["/Root"]["/Lang"]) == "fa"


def pdf_reader_bytes(data: bytes):
    import io

    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data))


def test_a_refused_form_shows_the_page_again_with_what_was_typed(client):
    fields = {"leaflet": "diazepam", "lang": "klingon", "patient": "Ana", "count": "2", "csrf": page_token(client)}
    response = client.post("/print", data=fields)
    assert response.status_code == 422
    assert "The leaflet was not made" in response.text
    assert "No language is called “klingon”." in response.text
    assert 'value="Ana"' in response.text  # nothing typed is lost
    response = client.post("/print", data={**fields, "lang": "es", "count": "0"})
    assert response.status_code == 422
    assert "Type the number of doses as a whole number from 1 to 999." in response.text


def test_the_sentence_is_shown_in_the_patients_language_and_english_without_javascript(client):
    response = client.post("/", data={"leaflet": "diazepam", "lang": "arabic", "directions": "bedtime", "count": "2",
                                      "csrf": page_token(client)})
    assert response.status_code == 200
    assert ('<p class="patient-text" lang="ar" dir="rtl">تناول <bdi dir="ltr">2</bdi> قرصين عند النوم.</p>'
            in response.text)
    assert ('<p class="english-text" lang="en" dir="ltr">Take <bdi dir="ltr">2</bdi> tablets at bedtime.</p>'
            in response.text)


def test_the_page_offers_only_the_times_of_day_the_medicines_source_supports(client):
    response = client.post("/", data={"leaflet": "zolpidem", "lang": "es", "bedtime": "1", "csrf": page_token(client)})
    assert response.status_code == 200
    assert re.search(r'<input id="dose-morning" name="morning"[^>]* disabled>', response.text)
    assert re.search(r'<input id="dose-bedtime" name="bedtime"[^>]*value="1">', response.text)
    assert re.search(r"This medicine&#39;s source supports only these times of day: <span[^>]*>bedtime</span>",
                     response.text)
    assert '<p class="patient-text" lang="es" dir="ltr">Tome <bdi dir="ltr">1</bdi> comprimido al acostarse.</p>' \
        in response.text


@pytest.mark.parametrize(("lang", "fields", "patient", "english"), [
    ("ru", {"morning": 1, "bedtime": 21}, "Принимайте 1 таблетку утром и 21 таблетку перед сном.",
     "Take 1 tablet in the morning and 21 tablets at bedtime."),
    ("pl", {"noon": "2", "evening": "5"}, "Należy przyjmować 2 tabletki w południe i 5 tabletek wieczorem.",
     "Take 2 tablets at noon and 5 tablets in the evening."),
    ("ar", {"bedtime": 2, "morning": 11, "noon": 3}, "تناول 11 قرصًا في الصباح و3 أقراص عند الظهر و2 قرصين عند النوم.",
     "Take 11 tablets in the morning, 3 tablets at noon, and 2 tablets at bedtime."),
    ("es", {"directions": "bedtime", "count": 2}, "Tome 2 comprimidos al acostarse.", "Take 2 tablets at bedtime."),
    ("es", {"directions": "twice-daily", "count": 1}, "Tome 1 comprimido dos veces al día.",
     "Take 1 tablet twice a day."),
])
def test_the_sentence_of_counts_at_times_of_day(client, lang, fields, patient, english):
    body = client.post("/sentence", json={"leaflet": "diazepam", "lang": lang, **fields}).json()
    assert re.sub("<[^>]+>", "", body["html"]) == patient
    assert re.sub("<[^>]+>", "", body["english"]) == english


def test_the_sentence_for_the_pages_script(client):
    body = client.post("/sentence", json={"lang": "es", "directions": "morning", "count": "1"}).json()
    assert body["lang"] == "es" and body["dir"] == "ltr"
    assert re.sub("<[^>]+>", "", body["html"]) == "Tome 1 comprimido por la mañana."
    assert re.sub("<[^>]+>", "", body["english"]) == "Take 1 tablet in the morning."
    problem(client.post("/sentence", data={"lang": "es", "directions": "morning"}), 422)


# -- the render pool ------------------------------------------------------------------------

def test_errors_cross_process_boundaries_whole():
    import pickle

    error = pickle.loads(pickle.dumps(UnknownLanguage("unknown language 'xx'", hint="available: es")))
    assert type(error) is UnknownLanguage and str(error) == "unknown language 'xx' (available: es)"
    found = Problem(Path("locales/es/LC_MESSAGES/diazepam.po"), 42, "error", "untranslated", "no translation")
    problems = pickle.loads(pickle.dumps(CatalogProblems([found], "refused")))
    assert problems.problems == [found] and problems.message == "refused" and problems.hint


def only_spanish(project) -> Any:
    """The project with English and Spanish only: a worker warms up in two languages, not 24."""
    for folder in project.locales_dir.iterdir():
        if folder.is_dir() and folder.name != "es":
            shutil.rmtree(folder)
    assert project.languages() == ["en", "es"]
    return project


def wait_until(ready, what: str, limit: float = 120.0) -> None:
    """Poll ``ready()``; ``limit`` only keeps a broken server from hanging the suite."""
    deadline = time.monotonic() + limit
    while not ready():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.05)


@pytest.mark.slow
def test_the_server_renders_in_warm_worker_processes(project, tmp_path):
    only_spanish(project)
    with TestClient(create_app(project, Settings(data_dir=tmp_path / "data", workers=1)),
                    base_url="http://127.0.0.1:8000") as client:
        wait_until(lambda: client.get("/healthz").json()["workers"] == "ready", "the warm-up")
        response = client.post("/leaflets/diazepam/es.pdf", json={"patient": "Ana García"})
        assert response.status_code == 200 and "Preparado para: Ana García" in pdf_bytes_text(response.content)
        edit_file(project.po_file("es", "diazepam"), UNTRANSLATE_PRECAUTIONS)
        body = problem(client.post("/leaflets/diazepam/es.pdf", json={"patient": "Ana"}), 409)
        assert body["problems"] and "diazepam.po" in body["problems"][0]


class HeldPool(RenderPool):
    """The in-process pool, whose warm-up lasts until the test ends it (``held.set()``)."""

    made: list[HeldPool] = []

    def __init__(self, project, workers: int) -> None:
        super().__init__(project, workers)
        self.held = threading.Event()
        self.asked = threading.Event()  # a request is waiting for a warm worker
        HeldPool.made.append(self)

    def spawn(self) -> None:
        super().spawn()
        self._warming = {self._executor.submit(self.held.wait)}

    async def warmed(self, timeout: float):
        self.asked.set()
        return await super().warmed(timeout)


def held_client(project, tmp_path, monkeypatch, warm_up_wait: float) -> tuple[TestClient, HeldPool]:
    """A client of a counter whose workers warm up until the test says so, and their pool.
    Use it as a context manager: the lifespan starts the warm-up."""
    monkeypatch.setattr("leaflet.counter.app.RenderPool", HeldPool)
    HeldPool.made.clear()
    client = make_client(project, tmp_path, warm_up_wait=warm_up_wait)
    return client, HeldPool.made[0]


@pytest.fixture
def warming(project, tmp_path, monkeypatch):
    """A counter whose workers are still warming up; a request that needs one is refused at once."""
    client, pool = held_client(project, tmp_path, monkeypatch, warm_up_wait=0)
    with client:
        try:
            yield client, pool
        finally:
            pool.held.set()


def test_the_page_and_stock_leaflets_are_served_while_the_workers_warm_up(warming, project):
    client, pool = warming
    stock = run_build("diazepam", "es", project=project).path
    assert client.get("/healthz").json() == {"status": "ok", "workers": "warming"}
    assert client.get("/").status_code == 200
    assert client.get("/leaflets").status_code == 200
    assert client.get("/static/counter.js").status_code == 200
    response = client.get("/leaflets/diazepam/es.pdf")
    assert response.status_code == 200 and response.content == stock.read_bytes()
    assert client.get("/healthz").json()["workers"] == "warming"


def test_a_leaflet_that_needs_a_worker_during_the_warm_up_is_503_with_retry_after(warming, project):
    client, pool = warming
    refused = client.post("/leaflets/diazepam/es.pdf", json={"patient": "Ana"})
    body = problem(refused, 503)
    assert body["detail"] == ("the render workers are still warming up (the counter has just started) "
                              "(try again in 10 s)")
    assert refused.headers["retry-after"] == "10"
    assert problem(client.get("/leaflets/diazepam/es.pdf"), 503)  # not built yet: it needs a worker
    form = client.post("/print", data={"leaflet": "diazepam", "lang": "es", "patient": "Ana",
                                       "csrf": page_token(client)})
    assert form.status_code == 503 and form.headers["retry-after"] == "10"
    assert "still warming up" in form.text and 'value="Ana"' in form.text  # the page again, nothing lost
    pool.held.set()
    wait_until(lambda: client.get("/healthz").json()["workers"] == "ready", "the warm-up")
    assert client.post("/leaflets/diazepam/es.pdf", json={"patient": "Ana"}).status_code == 200


def test_a_leaflet_asked_for_during_the_warm_up_waits_for_it(project, tmp_path, monkeypatch):
    import concurrent.futures

    client, pool = held_client(project, tmp_path, monkeypatch, warm_up_wait=600)
    with client, concurrent.futures.ThreadPoolExecutor(1) as requests:
        asked = requests.submit(client.post, "/leaflets/diazepam/es.pdf", json={"patient": "Ana García"})
        assert pool.asked.wait(timeout=120)
        assert not asked.done()
        pool.held.set()
        response = asked.result(timeout=120)
    assert response.status_code == 200 and "Preparado para: Ana García" in pdf_bytes_text(response.content)


def start_server(project, tmp_path: Path, *, workers: int, options: tuple[str, ...] = (),
                 **popen: Any) -> tuple[Any, int, Path]:
    """``leaflet serve`` in its own process on a free port, with more ``options``: the process,
    the port, its log. It runs the code these tests import, wherever pytest was started."""
    import socket
    import subprocess
    import sys

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "server.log"
    checkout = str(Path(leaflet.__file__).resolve().parents[1])
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [checkout, os.environ.get("PYTHONPATH")]))}
    with log.open("wb") as stream:
        server = subprocess.Popen([sys.executable, "-m", "leaflet", "--project", str(project.root), "serve",
                                   "--port", str(port), "--workers", str(workers), "--data", str(tmp_path / "data"),
                                   *options],
                                  stdout=stream, stderr=stream, env=environment, **popen)
    return server, port, log


def get(port: int, path: str, timeout: float = 60) -> tuple[int, bytes]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def answers(server, port: int, log: Path) -> bool:
    """Whether the server answers /healthz yet; a server that died fails the test with its log."""
    assert server.poll() is None, log.read_text()
    try:
        return get(port, "/healthz")[0] == 200
    except OSError:
        return False


@pytest.mark.slow
def test_the_real_server_logs_nothing_personal(project, tmp_path):
    """``leaflet serve`` itself, with uvicorn's logging as configured for production."""
    import http.client
    import json

    server, port, log = start_server(project, tmp_path, workers=0)
    try:
        wait_until(lambda: answers(server, port, log), "the server")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("POST", f"/leaflets/diazepam/es.pdf?patient={PATIENT.replace(' ', '+')}",
                           json.dumps({"patient": PATIENT, "free_directions": FREE}),
                           {"Content-Type": "application/json"})
        response = connection.getresponse()
        assert response.status == 200 and PATIENT in pdf_bytes_text(response.read())
    finally:
        server.terminate()
        server.wait(timeout=60)
    logged = log.read_text()
    assert "POST /leaflets/diazepam/es.pdf 200" in logged and "the counter is ready to print" in logged
    for needle in ("Zyxqa", "Wobbleton", "Qwvzx", "patient="):
        assert needle not in logged


def test_the_counters_page_is_no_input_of_the_printed_leaflets(project):
    """Restyling the counter's page must not rebuild every leaflet."""
    from leaflet.builder.pipeline import plan_build, run_build
    from leaflet.render.options import DEFAULT_OPTIONS

    run_build("diazepam", "es", project=project)
    edit_file(project.templates_dir / "counter" / "counter.css", ("--accent: #0b4f8a", "--accent: #0a4a80"))
    assert plan_build("diazepam", "es", project, DEFAULT_OPTIONS).up_to_date()
    edit_file(project.templates_dir / "leaflet.css", ("line-height: 1.45", "line-height: 1.5"))
    assert not plan_build("diazepam", "es", project, DEFAULT_OPTIONS).up_to_date()


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the workers' signal dispositions in /proc")
def test_workers_are_born_ignoring_ctrl_c(project):
    """The terminal's Ctrl-C reaches a worker while it still imports WeasyPrint, before its
    initializer runs: it must already ignore it, or it dies with a traceback and breaks the pool."""
    import signal

    ours = signal.getsignal(signal.SIGINT)
    pool = RenderPool(project, workers=2, warm=False)
    pool.spawn()
    try:
        processes = list(pool._executor._processes.values())  # type: ignore[union-attr]
        assert len(processes) == 2  # every one started under the guard, none later
        for process in processes:
            status = Path(f"/proc/{process.pid}/status").read_text()
            ignored = int(re.search(r"^SigIgn:\s*([0-9a-f]+)", status, re.M).group(1), 16)
            assert ignored & (1 << (signal.SIGINT - 1)), "SIGINT is not ignored from the start"
            os.kill(process.pid, signal.SIGINT)
        assert signal.getsignal(signal.SIGINT) is ours  # the parent's own handler is back
        pool.wait_warm()
        assert pool.state == "ready"
    finally:
        pool.close()


@pytest.mark.slow
def test_a_dead_render_worker_fails_one_request_and_the_pool_recovers(project):
    import asyncio
    import signal

    from leaflet.builder.pipeline import plan_build
    from leaflet.builder.pool import RenderPool
    from leaflet.errors import RenderError
    from leaflet.render.options import DEFAULT_OPTIONS

    pool = RenderPool(project, workers=1, warm=False)
    pool.start()
    try:
        plan = plan_build("diazepam", "en", project, DEFAULT_OPTIONS)
        for process in list(pool._executor._processes.values()):  # type: ignore[union-attr]
            os.kill(process.pid, signal.SIGKILL)
            process.join()
        with pytest.raises(RenderError, match="a render worker stopped"):
            asyncio.run(pool.render(plan))
        assert "Patient information" in pdf_bytes_text(asyncio.run(pool.render(plan)))
    finally:
        pool.close()


@pytest.mark.slow
def test_the_real_server_serves_while_its_workers_warm_up_and_ctrl_c_stops_it_without_a_traceback(project, tmp_path):
    """``leaflet serve`` answers its page and stock leaflets while its worker warms up (every
    language: half a minute), and Ctrl-C, which reaches the server and its workers (one process
    group), stops it before the warm-up is over, with no traceback from anyone."""
    import json
    import signal

    stock = run_build("diazepam", "es", project=project).path
    server, port, log = start_server(project, tmp_path, workers=1, start_new_session=True)
    try:
        wait_until(lambda: answers(server, port, log), "the server")
        assert json.loads(get(port, "/healthz")[1]) == {"status": "ok", "workers": "warming"}, log.read_text()
        assert get(port, "/")[0] == 200
        assert get(port, "/leaflets/diazepam/es.pdf") == (200, stock.read_bytes())
        assert json.loads(get(port, "/healthz")[1])["workers"] == "warming"
        os.killpg(server.pid, signal.SIGINT)  # what the terminal does: the whole group
        server.wait(timeout=120)  # a guard against hanging, not the thing checked
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    logged = log.read_text()
    assert "Traceback" not in logged, logged
    assert "stopping before the render workers were ready" in logged and "ready to print" not in logged


# -- GET /leaflets/{leaflet}/{lang}.mp3|.brf|.html|.epi.json -----------------------------------

@pytest.mark.parametrize("suffix, media_type, disposition", [
    ("html", "text/html; charset=utf-8", "inline"),
    ("epi.json", "application/fhir+json", "attachment"),
    ("brf", "application/x-brf", "attachment"),
])
def test_the_other_editions_are_served_as_built(client, project, suffix, media_type, disposition):
    response = client.get(f"/leaflets/diazepam/es.{suffix}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media_type
    assert response.headers["content-disposition"] == f'{disposition}; filename="diazepam-es.{suffix}"'
    assert response.content == project.output_file("es", "diazepam", "", suffix).read_bytes()
    again = client.get(f"/leaflets/diazepam/es.{suffix}", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def test_the_web_page_is_served_unable_to_load_anything(client):
    response = client.get("/leaflets/diazepam/ar.html")
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert '<html lang="ar" dir="rtl"' in response.text


@pytest.mark.slow
def test_the_audio_is_served_and_kept_only_as_the_stock_file(client, project):
    response = client.get("/leaflets/diazepam/es.mp3")
    assert response.status_code == 200 and response.headers["content-type"] == "audio/mpeg"
    assert response.content.startswith(b"ID3")
    assert not (project.output_dir / "es" / "personal").exists()


def test_an_edition_a_language_lacks_is_refused_with_the_reason(client):
    body = problem(client.get("/leaflets/diazepam/yi.mp3"), 422)
    assert "no audio edition in 'yi'" in body["detail"] and "Yiddish" in body["detail"]


def test_the_other_editions_take_nothing_typed_for_a_patient(client, project):
    problem(client.get("/leaflets/diazepam/es.html", params={"patient": "Ana"}), 422)
    problem(client.post("/leaflets/diazepam/es.mp3", json={"patient": "Ana"}), 405)
    assert not (project.output_dir / "es" / "personal").exists()


@pytest.mark.parametrize(("typed", "found"), [("Ambien", "zolpidem"), ("valium", "diazepam"), ("ZOLPIDEM", "zolpidem")])
def test_a_brand_name_finds_its_medicines_leaflet_and_is_never_printed(client, typed, found):
    page = client.post("/", data={"leaflet": typed, "lang": "es", "bedtime": "1", "csrf": page_token(client)}).text
    morning = re.search(r'<input id="dose-morning"[^>]*>', page).group(0)
    assert ("disabled" in morning) == (found == "zolpidem")  # zolpidem's directions: only at bedtime
    sentence = client.post("/sentence", json={"leaflet": typed, "lang": "es", "bedtime": 1}).json()
    assert re.sub("<[^>]+>", "", sentence["html"]) == "Tome 1 comprimido al acostarse."
    listing = client.get("/leaflets").json()
    assert {leaflet["id"]: leaflet["brands"] for leaflet in listing["leaflets"]} == {
        "diazepam": ["Valium"], "zolpidem": ["Ambien"]}
    pdf = client.post(f"/leaflets/{found}/es.pdf", json={"patient": "Ana", "bedtime": 1})
    assert pdf.status_code == 200 and "Ambien" not in pdf_bytes_text(pdf.content)
