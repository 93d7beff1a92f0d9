"""The ePI edition (``leaflet.editions.epi``): a FHIR R5 document Bundle that ``fhir.resources``
accepts, with the structure the HL7 ePI guide (1.0.0) asks of a document, the print's sections
in the print's order, and nothing that claims to be the regulated package leaflet."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import shutil
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree

import pytest
from conftest import REPO
from fhir.resources.bundle import Bundle
from fhir.resources.composition import Composition
from fhir.resources.organization import Organization

from leaflet.catalogs.reviews import ReviewStatus
from leaflet.editions.epi import (
    SECTION_CODES,
    XHTML,
    check_document,
    make_epi,
    narrative_problems,
    validated,
)
from leaflet.editions.made import Source, read_source
from leaflet.editions.reading import sections
from leaflet.errors import EditionFailed
from leaflet.project import Project
from leaflet.render.edition import resolve_edition
from leaflet.render.options import BuildOptions

EPI = BuildOptions(medium="epi")
#: Where the EMA's codes and resources would show a claim to be the regulated package leaflet.
REGULATED = ("100000155538", "spor.ema.europa.eu", "RegulatedAuthorization", "MedicinalProductDefinition",
             "PackagedProductDefinition")


@pytest.fixture(scope="module")
def made(shared_project: Project) -> Callable[..., tuple[Source, dict[str, Any]]]:
    """The model and the Bundle (as JSON data) of a leaflet, made once per module."""

    @functools.cache
    def made(lang: str, leaflet: str = "diazepam") -> tuple[Source, dict[str, Any]]:
        source = read(shared_project, leaflet, lang)
        return source, json.loads(make_epi(source).data)

    return made


def read(project: Project, leaflet: str, lang: str, options: BuildOptions = EPI) -> Source:
    return read_source(project, resolve_edition(project, leaflet, lang, options))[0]


def composition(bundle: dict[str, Any]) -> dict[str, Any]:
    first: dict[str, Any] = bundle["entry"][0]["resource"]
    return first


def test_spanish_is_a_fhir_document_bundle_with_the_print_sections_in_order(made):
    source, bundle = made("es")
    model = Bundle.model_validate(bundle)
    assert model.type == "document" and isinstance(model.entry[0].resource, Composition)
    found = composition(bundle)
    title = next(block.plain for block in source.sections[0].blocks if block.kind == "title")
    assert found["language"] == "es" and found["title"] == title
    titled = [section["title"] for section in found["section"] if "title" in section]
    assert titled == [section.title for section in source.sections if section.heading is not None]
    assert [s["code"]["coding"][0]["code"] for s in found["section"]] == [s.key for s in source.sections]
    assert {s["code"]["coding"][0]["system"] for s in found["section"]} == {SECTION_CODES}
    assert check_document(bundle) == []


def test_the_structure_the_epi_guide_asks_of_a_document(made):
    """Bundle-uv-epi and Composition-uv-epi (1.0.0), and FHIR's bdl-9, -10 and -11, read here
    without the module's own check."""
    _, bundle = made("es")
    assert bundle["identifier"]["system"] and bundle["identifier"]["value"].startswith("urn:uuid:")
    assert dt.datetime.fromisoformat(bundle["timestamp"]).tzinfo is not None
    for entry in bundle["entry"]:
        assert entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}"
        assert not {"search", "request", "response"} & entry.keys()
    types = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert types[0] == "Composition" and types.count("Composition") == 1
    found = composition(bundle)
    assert found["identifier"][0]["system"] and found["identifier"][0]["value"]
    assert found["identifier"][0]["value"] != bundle["identifier"]["value"]
    for name in ("status", "type", "subject", "date", "author", "title", "section"):
        assert found[name], name
    resources = {entry["fullUrl"]: entry["resource"] for entry in bundle["entry"]}
    author = resources[found["author"][0]["reference"]]
    assert author["resourceType"] == "Organization" and author["identifier"][0]["value"]
    for section in found["section"]:
        assert section["code"]["coding"][0]["code"] and section["text"]["status"] == "additional"
        assert section["text"]["div"].startswith(f'<div xmlns="{XHTML}"')


def test_a_draft_translation_is_preliminary_and_says_so(made):
    source, bundle = made("es")
    assert not source.leaflet.review.reviewed
    found = composition(bundle)
    assert found["status"] == "preliminary" and "attester" not in found
    assert "not yet been reviewed" in found["note"][0]["text"]
    header = found["section"][0]["text"]["div"]
    assert source.leaflet.frame["notice.unreviewed"].text in header


def test_a_reviewed_translation_is_final_and_its_reviewer_attests(made):
    source, _ = made("es")
    leaflet = dataclasses.replace(source.leaflet, review=ReviewStatus("Ana Revisora", "2026-12-09 10:00+0000"))
    bundle = json.loads(make_epi(Source(leaflet, sections(leaflet), source.edition)).data)
    found = composition(bundle)
    assert found["status"] == "final" and "note" not in found
    assert found["attester"][0]["party"]["display"] == "Ana Revisora"
    assert found["attester"][0]["time"] == "2026-12-09"


def test_english_is_final(made):
    _, bundle = made("en")
    assert composition(bundle)["status"] == "final"


def test_nothing_claims_to_be_the_regulated_package_leaflet(made):
    source, bundle = made("es")
    text = json.dumps(bundle)
    assert not [word for word in REGULATED if word in text]
    found = composition(bundle)
    assert "coding" not in found["type"] and "not the regulated package leaflet" in found["type"]["text"]
    assert all(set(subject) == {"display"} for subject in found["subject"])
    assert "meta" not in bundle and "meta" not in found  # no claim to the guide's profiles
    assert [r["display"] for r in found["relatesTo"]] == list(source.leaflet.sources)


def test_same_leaflet_same_bytes_and_the_timestamp_is_the_leaflets(shared_project):
    first, second = (read(shared_project, "diazepam", "es") for _ in range(2))
    assert make_epi(first).data == make_epi(second).data
    bundle = json.loads(make_epi(first).data)
    day = max(first.leaflet.revised, first.leaflet.catalog_date)
    assert bundle["timestamp"] == f"{day.isoformat()}T00:00:00Z"
    assert composition(bundle)["date"] == day.isoformat()


@pytest.mark.parametrize(("lang", "bcp47", "direction"), [("ar", "ar", "rtl"), ("zh_Hans", "zh-Hans", "ltr")])
def test_narratives_are_well_formed_xhtml_in_every_script(made, lang, bcp47, direction):
    _, bundle = made(lang)
    found = composition(bundle)
    assert found["language"] == bcp47
    for section in found["section"]:
        root = ElementTree.fromstring(section["text"]["div"])
        assert root.tag == f"{{{XHTML}}}div" and root.get("lang") == bcp47 and root.get("dir") == direction
        assert "".join(root.itertext()).strip()
        assert not [e for e in root.iter() if e.tag == f"{{{XHTML}}}bdi"]  # FHIR has no <bdi>


def test_a_personalised_leaflet_is_authored_by_the_pharmacy(project, made):
    shutil.copy(REPO.root / "pharmacy.example.toml", project.root / "pharmacy.example.toml")
    shutil.copytree(REPO.root / "examples", project.root / "examples")
    options = BuildOptions(medium="epi", pharmacy=project.root / "pharmacy.example.toml", patient="Ana García",
                           directions="bedtime", count=2, date=dt.date(2026, 11, 20))
    source = read(project, "diazepam", "es", options)
    bundle = json.loads(make_epi(source).data)
    found = composition(bundle)
    author = Organization.model_validate(bundle["entry"][1]["resource"])
    assert found["author"][0]["reference"] == bundle["entry"][1]["fullUrl"]
    assert author.name == source.pharmacy.name == "Riverside Community Pharmacy"
    assert author.contact[0].telecom[0].value == "+1 555 0100"
    personal = next(s for s in found["section"] if s["code"]["coding"][0]["code"] == "personal")
    assert "Ana García" in personal["text"]["div"]
    assert bundle["identifier"] != made("es")[1]["identifier"]  # never the stock leaflet's
    assert check_document(bundle) == []


def test_without_a_pharmacy_the_project_is_the_author(made):
    _, bundle = made("es")
    assert bundle["entry"][1]["resource"]["name"] == "leaflet"


def test_the_checks_refuse_what_fhir_or_the_guide_would(made):
    _, bundle = made("es")
    broken = json.loads(json.dumps(bundle))
    del broken["identifier"]
    broken["entry"].append(broken["entry"][0])
    problems = check_document(broken)
    assert "Bundle.identifier needs a system and a value" in problems and "more than one Composition" in problems
    assert narrative_problems("x", f'<div xmlns="{XHTML}"><bdi dir="ltr">1</bdi></div>') == [
        "section 'x': <bdi> is not allowed in FHIR narrative"]
    assert "not well-formed" in narrative_problems("x", f'<div xmlns="{XHTML}">&nbsp;</div>')[0]
    assert narrative_problems("x", f'<div xmlns="{XHTML}"> </div>') == ["section 'x': the narrative has no text"]
    with pytest.raises(EditionFailed, match="FHIR rejects the ePI Bundle"):
        validated({"resourceType": "Bundle", "type": "document",
                   "entry": [{"resource": {"resourceType": "Composition"}}]})


def test_an_empty_section_is_refused(made):
    source, _ = made("es")
    emptied = [dataclasses.replace(s, blocks=()) if s.key == "summary.heading" else s for s in source.sections]
    with pytest.raises(EditionFailed, match="'summary.heading': the narrative has no text"):
        make_epi(Source(source.leaflet, emptied, source.edition))
