"""The ePI edition: a localized leaflet -> a FHIR R5 document Bundle (JSON).

For the systems that hold product information: ``output/<lang>/<leaflet>.epi.json``
is a ``Bundle`` of type ``document`` whose first entry is a ``Composition`` with one
``section`` per section of the print (``reading.sections``), each with its words as
XHTML narrative made by the print's own ``sentence_html``, and whose second entry is
the ``Organization`` that wrote it. It is built as plain data, validated by
``fhir.resources`` and serialized by it; ``check_document`` then refuses
(``EditionFailed``) what the library does not check: the document rules of a Bundle,
the structure the HL7 ePI guide (1.0.0) asks of one, and each narrative as FHIR's
XHTML (well-formed, in the XHTML namespace, only HTML 4 elements).

What it says, and what it does not claim:

- It is a pharmacy's patient information, not the regulated package leaflet. No
  EMA SPOR code, no ``RegulatedAuthorization``, no ``MedicinalProductDefinition``.
  ``Composition.type`` is text only: the guide's value set (EMA "Package Leaflet",
  LOINC 34390-5 and 34391-3, the FDA's drug labels) has no code for this, and the
  binding is extensible, which allows text when no code fits.
- The guide wants ``Composition.subject`` to be the authorised product. It is a
  reference that only names the medicine (the leaflet's title): no product
  definition, no marketing authorisation.
- ``author`` is the pharmacy, or the project when there is none. The pharmacy's
  address is not in its ``Organization``: the guide asks for an address in lines,
  city and country, and a profile has one typed text, which is not guessed at; it is
  in the narrative of the ``pharmacy`` section, as printed.
- A translation that no professional translator has reviewed is ``preliminary``, with a
  note saying so (the header's notice says it in the patient's language too); a
  reviewed one, and English, are ``final``, the reviewer an ``attester``.
- The leaflet's sources are ``relatesTo`` of type ``derived-from``, and its own
  "where this comes from" section.
- Section codes are the sections' keys (``header``, ``important.heading``, ``end``) in
  a code system of this project's (``SECTION_CODES``, a ``urn:uuid``: a URN that names
  nothing else and claims no one's domain). The guide's section value set is a
  placeholder and the codes in use are EMA's, for the package leaflet's headings.
- A section the print shows without a heading (the header, the box, the introduction,
  the end) has no ``title``: the guide 1.0.0 asks for one on every section (1.1.0 no
  longer does), but there is no translated heading to give it, and an invented or
  English one would put words in front of a patient that no translator wrote. So the
  Bundle does not claim the guide's profiles in ``meta.profile``.

Same leaflet, same bytes: identifiers are ``uuid5`` of what they name (the Bundle's of
the leaflet, language and personal tag, as the guide's identifier persists across
versions; the Composition's of its content), and the timestamp is the later of the
content's revision and the catalogs', at midnight UTC, never the clock.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterator, Sequence
from typing import Any
from xml.etree import ElementTree

from fhir.resources.bundle import Bundle
from markupsafe import Markup
from pydantic import ValidationError

from leaflet.editions.made import Made, Source
from leaflet.editions.reading import Block, Section, reviewed, runs
from leaflet.errors import EditionFailed
from leaflet.languages import SOURCE_LANGUAGE, language
from leaflet.localized import LocalizedLeaflet, Sentence, header_date
from leaflet.render.html import WORD_JOINER, isolate, sentence_html
from leaflet.source.pharmacy import Pharmacy

#: The namespace of every identifier and fullUrl made here (uuid5).
NAMESPACE = uuid.UUID("2e547ba8-6081-415f-b3c4-5bf3d295cd34")
#: This project's code system for section keys.
SECTION_CODES = f"urn:uuid:{uuid.uuid5(NAMESPACE, 'section-codes')}"
#: An identifier whose value is a URI (here a ``urn:uuid``), as FHIR writes one.
URI = "urn:ietf:rfc:3986"
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

DOCUMENT_TYPE = "Patient information leaflet (pharmacy handout; not the regulated package leaflet)"
UNREVIEWED_NOTE = "This translation has not yet been reviewed by a professional translator."
PROJECT = "leaflet"
PROJECT_DESCRIPTION = "The project that writes these patient information leaflets and has them translated."
#: What each section without a heading holds, as its code's display (a heading's is its English).
SECTION_DISPLAYS = {"header": "Title and notices", "personal": "The patient's directions",
                    "lead": "Before the first heading", "box": "Standard advice", "intro": "Introduction",
                    "end": "Revision and review"}

#: What FHIR allows in narrative (txt-1): HTML 4's formatting elements, and these attributes.
NARRATIVE_ELEMENTS = frozenset({
    "a", "abbr", "acronym", "address", "b", "bdo", "big", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "ol", "p", "pre", "q", "samp", "small", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "tt", "ul", "var"})
NARRATIVE_ATTRIBUTES = frozenset({"class", "dir", "id", "lang", "style", "title", XML_LANG})


def make_epi(source: Source) -> Made:
    """The Bundle's JSON, refused (``EditionFailed``) unless FHIR and its own checks accept it."""
    bundle = validated(document(source))
    text = bundle.model_dump_json(indent=2) + "\n"
    problems = check_document(json.loads(text))
    if problems:
        raise EditionFailed(f"the ePI Bundle breaks {len(problems)} rule(s): " + "; ".join(problems),
                            hint="the file was not written")
    return Made(text.encode("utf-8"), notes=(f"status: {_status(source.leaflet)}",))


def validated(data: dict[str, Any]) -> Bundle:
    """The Bundle as ``fhir.resources`` builds it, every element checked against FHIR R5."""
    try:
        return Bundle.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise EditionFailed(f"FHIR rejects the ePI Bundle ({exc.error_count()} error(s)), first at {where}: "
                            f"{first['msg']}") from None


def document(source: Source) -> dict[str, Any]:
    """The Bundle as plain data: the Composition, then its author."""
    leaflet = source.leaflet
    author_url, author = organization(source.pharmacy)
    composition = _composition(source, author_url, author["name"])
    persistent = [leaflet.id, tag(leaflet)]
    if source.edition.options.personalised:
        persistent.append(source.edition.options.personal_tag())
    return {
        "resourceType": "Bundle",
        "identifier": {"system": URI, "value": f"urn:uuid:{_uuid('bundle', *persistent)}"},
        "type": "document",
        "timestamp": f"{_day(leaflet)}T00:00:00Z",  # midnight UTC: the day is all the leaflet knows
        "entry": [_entry(composition), {"fullUrl": author_url, "resource": author}],
    }


def tag(leaflet: LocalizedLeaflet) -> str:
    """The language as FHIR names it (BCP 47): ``zh-Hans``, not the catalog's ``zh_Hans``."""
    return leaflet.lang.code.replace("_", "-")


def organization(pharmacy: Pharmacy | None) -> tuple[str, dict[str, Any]]:
    """The author's fullUrl and resource: the pharmacy with its phone, or the project."""
    found: dict[str, Any]
    if pharmacy is None:
        found = {"resourceType": "Organization", "id": _uuid("project"), "name": PROJECT,
                 "description": PROJECT_DESCRIPTION}
    else:
        found = {"resourceType": "Organization", "id": _uuid("pharmacy", pharmacy.name, pharmacy.address,
                                                            pharmacy.phone),
                 "type": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/organization-type",
                                       "code": "prov", "display": "Healthcare Provider"}]}],
                 "name": pharmacy.name,
                 "contact": [{"telecom": [{"system": "phone", "value": pharmacy.phone, "use": "work"}]}]}
    url = f"urn:uuid:{found['id']}"
    found["identifier"] = [{"system": URI, "value": url}]
    return url, found


def _composition(source: Source, author_url: str, author_name: str) -> dict[str, Any]:
    leaflet = source.leaflet
    title = " ".join(Block("title", leaflet.title).plain.split())
    writer = _Narrative(leaflet)
    found: dict[str, Any] = {
        "resourceType": "Composition",
        "language": tag(leaflet),
        "status": _status(leaflet),
        "type": {"text": DOCUMENT_TYPE},
        "subject": [{"display": title}],
        "date": _day(leaflet),
        "author": [{"reference": author_url, "display": author_name}],
        "title": title,
        "relatesTo": [{"type": "derived-from", "display": text} for text in leaflet.sources],
        "section": [_section(section, writer) for section in source.sections],
    }
    if leaflet.lang.code != SOURCE_LANGUAGE and leaflet.review.reviewed:
        found["attester"] = [_attester(leaflet)]
    if not reviewed(leaflet):
        found["note"] = [{"text": UNREVIEWED_NOTE}]
    digest = hashlib.sha256(json.dumps(found, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    found["id"] = _uuid("composition", digest)
    found["identifier"] = [{"system": URI, "value": f"urn:uuid:{found['id']}"}]
    return found


def _day(leaflet: LocalizedLeaflet) -> str:
    """The last change: the content's revision or the catalogs', whichever is later."""
    return max(leaflet.revised, leaflet.catalog_date).isoformat()


def _status(leaflet: LocalizedLeaflet) -> str:
    return "final" if reviewed(leaflet) else "preliminary"


def _attester(leaflet: LocalizedLeaflet) -> dict[str, Any]:
    """The professional translator who reviewed these exact words."""
    found: dict[str, Any] = {
        "mode": {"coding": [{"system": "http://hl7.org/fhir/composition-attestation-mode",
                             "code": "professional", "display": "Professional"}]},
        "party": {"display": leaflet.review.reviewer},
    }
    day = header_date(leaflet.review.date)
    if day is not None:
        found["time"] = day.isoformat()
    return found


def _section(section: Section, writer: _Narrative) -> dict[str, Any]:
    code: dict[str, str] = {"system": SECTION_CODES, "code": section.key}
    display = section.heading.english if section.heading else SECTION_DISPLAYS.get(section.key)
    if display:
        code["display"] = " ".join(display.split())
    found: dict[str, Any] = {"code": {"coding": [code]},
                             "text": {"status": "additional", "div": writer.div(section)}}
    if section.heading is not None:
        found["title"] = " ".join(section.title.split())
    return found


def _entry(resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))


class _Narrative:
    """A section's blocks as FHIR narrative: XHTML of HTML 4's elements. Values and Latin runs
    keep their own direction in ``<span dir>`` (FHIR has no ``<bdi>``; HTML isolates an
    element with ``dir`` as it does ``<bdi>``)."""

    def __init__(self, leaflet: LocalizedLeaflet) -> None:
        self.leaflet = leaflet

    def div(self, section: Section) -> str:
        lang = tag(self.leaflet)
        body = "".join(self.run(run) for run in runs(section.blocks))
        return f'<div xmlns="{XHTML}" lang="{lang}" xml:lang="{lang}" dir="{self.leaflet.direction}">{body}</div>'

    def run(self, run: Sequence[Block]) -> str:
        first = run[0]
        if first.kind == "item":
            name = "ol" if first.number is not None else "ul"
            return f"<{name}>" + "".join(f"<li>{self.sentence(item)}</li>" for item in run) + f"</{name}>"
        if first.kind == "warning":
            return '<div class="warning">' + "".join(f"<p>{self.sentence(b)}</p>" for b in run) + "</div>"
        if first.kind == "notice":
            return f'<div class="notice"><p>{self.sentence(first)}</p>{self.english(first)}</div>'
        kind = first.sentence.kind if first.kind == "paragraph" and first.sentence else first.kind
        return f'<p class="{kind}">{self.sentence(first)}</p>'

    def sentence(self, block: Block) -> str:
        """The words as the print has them, without the print's word joiners (U+2060), which
        would stop a search from finding a Korean word; what was typed isolated, line by line."""
        if block.sentence is None:
            return "<br/>".join(_fhir(isolate(line)) for line in (block.typed or "").splitlines())
        html = sentence_html(block.sentence, self.leaflet.lang, self.leaflet.names, **block.values)
        return _fhir(html).replace(WORD_JOINER, "")

    def english(self, block: Block) -> str:
        """A notice's English under it in a translation, as the print has it, so a translation
        cannot blank or soften it."""
        if self.leaflet.lang.code == SOURCE_LANGUAGE or block.sentence is None:
            return ""
        found = block.sentence
        english = Sentence(found.id, found.kind, found.source, found.source)
        html = sentence_html(english, language(SOURCE_LANGUAGE), self.leaflet.names, **block.values)
        return f'<p class="english" lang="en" xml:lang="en" dir="ltr">{_fhir(html)}</p>'


_BDI = re.compile(r'<bdi( dir="(?:ltr|rtl)")>')


def _fhir(html: Markup) -> str:
    """The print's HTML as FHIR's XHTML: its text is escaped, so a ``<bdi`` in it is a tag."""
    return _BDI.sub(r"<span\1>", str(html)).replace("</bdi>", "</span>")


# -- the checks ----------------------------------------------------------------------------

def check_document(bundle: dict[str, Any]) -> list[str]:
    """What FHIR's document rules (bdl-9, -10, -11) and the ePI guide's Bundle and Composition
    ask, and each narrative as FHIR's XHTML: every problem found, not only the first."""
    problems = []
    if bundle.get("type") != "document":
        problems.append("Bundle.type is not 'document'")
    if not _has_system_and_value(bundle.get("identifier")):
        problems.append("Bundle.identifier needs a system and a value")
    if not bundle.get("timestamp"):
        problems.append("Bundle.timestamp is missing")
    entries = bundle.get("entry") or []
    problems += list(_entry_problems(entries))
    resources = [entry.get("resource") or {} for entry in entries]
    if not resources or resources[0].get("resourceType") != "Composition":
        return [*problems, "the first entry is not a Composition"]
    if any(resource.get("resourceType") == "Composition" for resource in resources[1:]):
        problems.append("more than one Composition")
    urls = {entry.get("fullUrl"): entry.get("resource") or {} for entry in entries}
    return problems + list(_composition_problems(resources[0], urls))


def _entry_problems(entries: Sequence[dict[str, Any]]) -> Iterator[str]:
    urls = [entry.get("fullUrl") for entry in entries]
    if len(set(urls)) != len(urls):
        yield "two entries have the same fullUrl"
    for i, entry in enumerate(entries):
        if not entry.get("fullUrl") or not entry.get("resource"):
            yield f"entry {i} needs a fullUrl and a resource"
        if any(key in entry for key in ("search", "request", "response")):
            yield f"entry {i} has a search, request or response"


def _composition_problems(composition: dict[str, Any], urls: dict[Any, dict[str, Any]]) -> Iterator[str]:
    for name in ("status", "type", "subject", "date", "author", "title", "section"):
        if not composition.get(name):
            yield f"Composition.{name} is missing"
    if not _has_system_and_value(composition.get("identifier")):
        yield "Composition.identifier needs a system and a value"
    for author in composition.get("author") or []:
        found = urls.get(author.get("reference"))
        if found is None or found.get("resourceType") != "Organization":
            yield f"Composition.author {author.get('reference')} is not an Organization in the Bundle"
        elif not _has_system_and_value(found.get("identifier")):
            yield "the author's Organization needs an identifier with a system and a value"
    for section in composition.get("section") or []:
        key = ((section.get("code") or {}).get("coding") or [{}])[0].get("code")
        if not key:
            yield "a section has no code"
        yield from narrative_problems(str(key), (section.get("text") or {}).get("div", ""))


def _has_system_and_value(identifier: Any) -> bool:
    found = identifier[0] if isinstance(identifier, list) and identifier else identifier
    return isinstance(found, dict) and bool(found.get("system")) and bool(found.get("value"))


def narrative_problems(key: str, div: str) -> list[str]:
    """A section's narrative as FHIR takes it: well-formed XHTML in a ``div`` of the XHTML
    namespace, HTML 4's elements and attributes only (txt-1), with some text (txt-2)."""
    try:
        root = ElementTree.fromstring(div)
    except ElementTree.ParseError as exc:
        return [f"section '{key}': the narrative is not well-formed XML ({exc})"]
    problems = []
    if root.tag != f"{{{XHTML}}}div":
        problems.append(f"section '{key}': the narrative is not an XHTML <div>")
    for element in root.iter():
        namespace, _, name = element.tag[1:].partition("}")
        if namespace != XHTML or name not in NARRATIVE_ELEMENTS:
            problems.append(f"section '{key}': <{name or element.tag}> is not allowed in FHIR narrative")
        problems += [f"section '{key}': attribute '{attribute}' is not allowed in FHIR narrative"
                     for attribute in element.attrib if attribute not in NARRATIVE_ATTRIBUTES]
    if not "".join(root.itertext()).strip():
        problems.append(f"section '{key}': the narrative has no text")
    return problems
