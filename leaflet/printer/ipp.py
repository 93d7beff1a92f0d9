"""IPP's wire format (RFC 8010): a request as bytes, a response's bytes as attributes.

Only what a print job needs: the request header, attribute groups whose values
are text, integers, enums and booleans, and the document after them; a response
decoded into its status and one dictionary of attributes (name -> values).
Nothing here opens a connection: ``cups.py`` does.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass, field

# Operations (RFC 8011 section 5.4.15) and the CUPS extension this module knows.
PRINT_JOB = 0x0002
CANCEL_JOB = 0x0008
GET_JOB_ATTRIBUTES = 0x0009
GET_PRINTER_ATTRIBUTES = 0x000B

# Delimiter tags.
OPERATION_ATTRIBUTES = 0x01
JOB_ATTRIBUTES = 0x02
END_OF_ATTRIBUTES = 0x03

# Value tags.
INTEGER = 0x21
BOOLEAN = 0x22
ENUM = 0x23
TEXT = 0x41
NAME = 0x42
KEYWORD = 0x44
URI = 0x45
CHARSET = 0x47
NATURAL_LANGUAGE = 0x48
MIME_MEDIA_TYPE = 0x49
_NUMBERS = (INTEGER, ENUM)
_STRINGS = range(0x40, 0x60)

#: Status codes a print job meets (RFC 8011 section 13.1), named for messages.
STATUS = {
    0x0000: "successful-ok", 0x0001: "successful-ok-ignored-or-substituted-attributes",
    0x0002: "successful-ok-conflicting-attributes", 0x0400: "client-error-bad-request",
    0x0401: "client-error-forbidden", 0x0402: "client-error-not-authenticated",
    0x0403: "client-error-not-authorized", 0x0404: "client-error-not-possible",
    0x0406: "client-error-not-found", 0x0407: "client-error-gone",
    0x040A: "client-error-document-format-not-supported",
    0x040B: "client-error-attributes-or-values-not-supported", 0x0500: "server-error-internal-error",
    0x0501: "server-error-operation-not-supported", 0x0502: "server-error-service-unavailable",
    0x0506: "server-error-not-accepting-jobs", 0x0507: "server-error-busy",
}
NOT_FOUND = 0x0406

Value = str | int | bool


@dataclass(frozen=True)
class Attribute:
    tag: int
    name: str
    values: tuple[Value, ...]

    @classmethod
    def of(cls, tag: int, name: str, *values: Value) -> Attribute:
        return cls(tag, name, values)


@dataclass(frozen=True)
class Response:
    status: int
    attributes: dict[str, list[Value]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status < 0x0100

    @property
    def status_name(self) -> str:
        return STATUS.get(self.status, f"status 0x{self.status:04x}")

    @property
    def message(self) -> str:
        """CUPS's own sentence for a refusal ("The printer or class does not exist."), else the status."""
        return self.text("status-message") or self.status_name

    def first(self, name: str) -> Value | None:
        values = self.attributes.get(name)
        return values[0] if values else None

    def text(self, name: str) -> str:
        value = self.first(name)
        return value if isinstance(value, str) else ""

    def number(self, name: str) -> int | None:
        value = self.first(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else None


class MalformedResponse(ValueError):
    """Bytes that are not an IPP response (a web page, a truncated answer)."""


def encode_request(operation: int, request_id: int, operation_attributes: Iterable[Attribute],
                   job_attributes: Iterable[Attribute] = (), document: bytes = b"") -> bytes:
    """IPP/2.0 (CUPS answers 1.1 clients too); charset and natural language come first, as RFC 8011 requires."""
    head = [Attribute.of(CHARSET, "attributes-charset", "utf-8"),
            Attribute.of(NATURAL_LANGUAGE, "attributes-natural-language", "en")]
    parts = [struct.pack(">BBHI", 2, 0, operation, request_id), bytes([OPERATION_ATTRIBUTES])]
    parts += [_encode(attribute) for attribute in [*head, *operation_attributes]]
    job = [_encode(attribute) for attribute in job_attributes]
    if job:
        parts += [bytes([JOB_ATTRIBUTES]), *job]
    parts.append(bytes([END_OF_ATTRIBUTES]))
    return b"".join(parts) + document


def _encode(attribute: Attribute) -> bytes:
    out = []
    for index, value in enumerate(attribute.values):
        name = attribute.name.encode("ascii") if index == 0 else b""  # further values have no name
        data = _value_bytes(attribute.tag, value)
        out.append(struct.pack(">BH", attribute.tag, len(name)) + name + struct.pack(">H", len(data)) + data)
    return b"".join(out)


def _value_bytes(tag: int, value: Value) -> bytes:
    if tag == BOOLEAN:
        return b"\x01" if value else b"\x00"
    if tag in _NUMBERS:
        if not isinstance(value, int):
            raise TypeError(f"IPP tag 0x{tag:02x} takes an integer, not {value!r}")
        return struct.pack(">i", value)
    data = str(value).encode("utf-8")
    if len(data) > 0x7FFF:
        raise ValueError("an IPP value is at most 32767 bytes")
    return data


def decode_response(data: bytes) -> Response:
    """Status and attributes of every group, merged (a job's answer has one group that matters)."""
    if len(data) < 9:
        raise MalformedResponse("shorter than an IPP header")
    _, _, status, _ = struct.unpack(">BBHI", data[:8])
    attributes: dict[str, list[Value]] = {}
    position, name = 8, ""
    try:
        while position < len(data):
            tag = data[position]
            position += 1
            if tag == END_OF_ATTRIBUTES:
                return Response(status, attributes)
            if tag < 0x10:  # the start of another group
                continue
            name_length, = struct.unpack(">H", data[position:position + 2])
            name = data[position + 2:position + 2 + name_length].decode("utf-8") or name
            position += 2 + name_length
            value_length, = struct.unpack(">H", data[position:position + 2])
            raw = data[position + 2:position + 2 + value_length]
            if len(raw) != value_length:
                raise MalformedResponse("a value runs past the end")
            position += 2 + value_length
            attributes.setdefault(name, []).append(_decoded(tag, raw))
    except (struct.error, UnicodeDecodeError) as exc:
        raise MalformedResponse(str(exc)) from None
    raise MalformedResponse("no end-of-attributes tag")


def _decoded(tag: int, raw: bytes) -> Value:
    if tag in _NUMBERS and len(raw) == 4:
        number: int = struct.unpack(">i", raw)[0]
        return number
    if tag == BOOLEAN and len(raw) == 1:
        return raw != b"\x00"
    if tag in _STRINGS:
        return raw.decode("utf-8", "replace")
    return raw.hex()  # dates, resolutions, ranges, collections: kept, never read here
