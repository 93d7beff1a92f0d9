"""Read a printed leaflet back: PDF bytes -> pages of text runs, with their fonts,
sizes, positions and tags.

What ``preflight.py`` checks. Every run of glyphs (one ``TJ``) becomes a ``Run``
with the font it is drawn in, its size in points, its box on the page in points
from the top-left corner, its text (from the font's ``ToUnicode`` map) and the
tagged-PDF structure element it belongs to (``H2``, ``P``, ``LI``...). Runs in a
page's margin boxes (footer, page number) are marked ``margin``: WeasyPrint
tags them but keeps them out of the document's structure tree.

The content streams are read by a small interpreter that knows the operators
WeasyPrint writes (text, matrices, marked content, form XObjects); it is several
times faster than pdfminer, so every build can afford it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ContentStream,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
    create_string_object,
)

#: One token of a content stream: a hex string, a literal string (no nested brackets:
#: WeasyPrint writes none), a name, a number, a bracket or an operator.
_TOKEN = re.compile(rb"""
    \s+ | %[^\r\n]*
  | (?P<hex><[0-9A-Fa-f\s]*>)
  | (?P<open><<|\[)
  | (?P<close>>>|\])
  | (?P<str>\((?:\\.|[^\\()])*\))
  | (?P<name>/[^\s/\[\]<>(){}%]*)
  | (?P<num>[+-]?(?:\d+\.?\d*|\.\d+))
  | (?P<op>[A-Za-z'"*][A-Za-z0-9'"*]*)
""", re.X | re.S)

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
#: One operation of a content stream: its operands and its operator.
Operation = tuple[list[Any], str]


def multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


@dataclass(frozen=True)
class Font:
    """One font resource: its family as WeasyPrint names it and whether the file is in the PDF."""

    name: str  # BaseFont without the subset tag: "leaflet-Noto-Sans-Bold"
    family: str  # FontDescriptor /FontFamily: "leaflet Noto Sans"
    embedded: bool
    ascent: float  # per 1000 units of the font size
    descent: float  # negative
    widths: dict[int, float] = field(default_factory=dict, compare=False, hash=False)
    default_width: float = 1000.0
    to_unicode: dict[int, str] = field(default_factory=dict, compare=False, hash=False)
    two_bytes: bool = True


@dataclass
class Run:
    """Glyphs drawn by one text operator, in points from the page's top-left corner."""

    text: str
    font: Font
    size: float
    x0: float
    x1: float
    baseline: float
    mcid: int | None
    #: The structure elements the run is tagged with, from a child of /Document down, and their
    #: types: ("Part", "L", "LI", "LBody", "Span").
    elements: tuple[Ref, ...] = ()
    path: tuple[str, ...] = ()
    margin: bool = False  # in a page margin box (footer, page number), outside the document's tree

    def element_of(self, types: frozenset[str]) -> int | None:
        """The object number of the innermost element of one of ``types`` around the run."""
        found = [ref.num for ref, kind in zip(self.elements, self.path, strict=True) if kind in types]
        return found[-1] if found else None

    @property
    def top(self) -> float:
        return self.baseline - self.font.ascent / 1000 * self.size

    @property
    def bottom(self) -> float:
        return self.baseline - self.font.descent / 1000 * self.size


@dataclass
class Page:
    number: int  # from 1
    width: float
    height: float
    runs: list[Run]
    #: The children of /Document on this page, in reading order (each a dict, see ``Objects``).
    blocks: list[Any] = field(default_factory=list)
    #: The ``/ActualText`` of the page's marked content, by MCID.
    actual_text: dict[int, str] = field(default_factory=dict)


@dataclass
class Printed:
    pages: list[Page]
    fonts: list[tuple[int, Font]]  # (page, font) for every font a page draws with
    lang: str
    info: dict[str, str]
    reader: PdfReader
    pdf_ua: bool = False  # the XMP metadata claims PDF/UA
    objects: Objects | None = None  # the structure tree's objects


class _Reader(PdfReader):
    """pypdf's reader, taking the objects of object streams from ``Objects``: pypdf parses a
    whole object stream, structure tree and all, the first time it needs any object in it,
    which took most of a preflight; its text extraction needs only pages, fonts and content.
    ``test_preflight`` checks that both give the same text."""

    objects: Objects | None = None

    def _get_object_from_stream(self, indirect_reference: IndirectObject) -> Any:
        if self.objects is not None and indirect_reference.idnum in self.objects.parsed:
            return _generic(self.objects.parsed[indirect_reference.idnum], self)
        return super()._get_object_from_stream(indirect_reference)


def read_printed(data: bytes) -> Printed:
    reader = _Reader(io.BytesIO(data))
    objects = reader.objects = Objects(reader)
    root = cast(DictionaryObject, reader.trailer["/Root"])  # pypdf types each object as a PdfObject
    pages, fonts = [], []
    fonts_cache: dict[int, Font] = {}
    for number, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        base = (1.0, 0.0, 0.0, -1.0, -float(box.left), float(box.top))  # PDF space -> from the top-left
        actual: dict[int, str] = {}
        runs = list(_page_runs(page, objects, base, fonts_cache, actual))
        pages.append(Page(number, width, height, runs, actual_text=actual))
        fonts += [(number, font) for font in dict.fromkeys(run.font for run in runs)]
    _tag(reader, objects, pages)
    info = {str(k).lstrip("/"): str(v) for k, v in (reader.metadata or {}).items()}
    xmp = root.get("/Metadata")
    claims = xmp is not None and b"pdfuaid:part" in xmp.get_object().get_data()
    return Printed(pages, fonts, str(root.get("/Lang", "")), info, reader, claims, objects)


def _page_runs(page: Any, objects: Objects, base: Matrix, cache: dict[int, Font],
               actual: dict[int, str]) -> Iterator[Run]:
    contents = page.get_contents()
    if contents is None:
        return
    resources = objects.resolve(objects[page.indirect_reference.idnum].get("/Resources")) or {}
    record: list[Operation] = []
    yield from _interpret(contents.get_data(), resources, objects, base, cache, [], actual, record)
    _lend_content(page, record)


def _lend_content(page: Any, operations: list[Operation]) -> None:
    """Give pypdf the page's operations as this reader parsed them, as it would have parsed
    them itself (``ContentStream(..., "bytes")`` for text): its parser reads a glyph
    string one byte at a time, which took most of its text extraction."""
    raw = page.raw_get("/Contents").get_object()
    if not hasattr(raw, "get_data"):
        return  # an array of streams: pypdf parses it itself
    stream = ContentStream(raw, page.pdf, "bytes")
    stream._operations = [([_generic(v, page.pdf, "bytes") for v in operands], op.encode("latin-1"))
                          for operands, op in operations]
    page[NameObject("/Contents")] = stream


def _tokens(data: bytes) -> Iterator[tuple[str, Any]]:
    stack: list[list[Any]] = []
    for match in _TOKEN.finditer(data):
        kind = match.lastgroup
        if kind is None:
            continue
        text = match.group(kind)
        if kind == "open":
            stack.append([text])
            continue
        if kind == "close":
            value: Any = _closed(stack.pop() if stack else [b"["])
        elif kind in _SCALARS:
            value = _scalar(kind, text)
        else:
            yield "op", text.decode("latin-1")
            continue
        if stack:
            stack[-1].append(value)
        else:
            yield "operand", value


@dataclass(frozen=True)
class Ref:
    """``N 0 R`` in an object parsed by ``_parse_objects``."""

    num: int


def _parse_objects(data: bytes, count: int, first: int) -> dict[int, Any]:
    """The objects of one object stream (``/Type /ObjStm``), read with the content
    stream's tokenizer: pypdf's reader spends most of a preflight on the structure tree."""
    header = data[:first].split()
    numbers = [int(header[i]) for i in range(0, 2 * count, 2)]
    offsets = [int(header[i]) + first for i in range(1, 2 * count, 2)] + [len(data)]
    return {num: _parse_value(data[start:end])
            for num, start, end in zip(numbers, offsets, offsets[1:], strict=False)}


_NAME_ESCAPE = re.compile("#([0-9A-Fa-f]{2})")


def _parse_value(data: bytes) -> Any:
    stack: list[list[Any]] = [[]]
    for match in _TOKEN.finditer(data):
        kind = match.lastgroup
        if kind is None:
            continue
        text = match.group(kind)
        if kind == "open":
            stack.append([text])
            continue
        if kind == "close":
            value: Any = _closed(stack.pop() if len(stack) > 1 else [b"["])
        elif kind in _SCALARS:
            value = _scalar(kind, text)
        elif text == b"R" and len(stack[-1]) >= 2:
            stack[-1].pop()  # the generation
            num = stack[-1].pop()
            value = Ref(int(num))
        else:
            value = {b"true": True, b"false": False}.get(text)
        stack[-1].append(value)
    return stack[0][0] if stack[0] else None


_SCALARS = frozenset({"hex", "num", "name", "str"})


def _scalar(kind: str, text: bytes) -> Any:
    """The value of a hex string, number, name or literal string token."""
    if kind == "hex":
        return bytes.fromhex(re.sub(rb"\s", b"", text[1:-1]).decode() + ("0" if len(text) % 2 else ""))
    if kind == "num":
        return float(text) if b"." in text else int(text)
    if kind == "name":
        return _NAME_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text.decode("latin-1"))
    return _literal(text[1:-1])


def _closed(opened: list[Any]) -> Any:
    """An array or a dictionary, from its opening bracket and the values read since."""
    return opened[1:] if opened[0] == b"[" else dict(zip(opened[1::2], opened[2::2], strict=False))


def pdf_text_string(value: Any) -> str:
    """A PDF text string: UTF-16 with its byte order mark, else PDFDocEncoding (Latin-1 for our text)."""
    if isinstance(value, bytes):
        return value[2:].decode("utf-16-be", "replace") if value[:2] == b"\xfe\xff" else value.decode("latin-1")
    return str(value)


def _literal(raw: bytes) -> bytes:
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
    return re.sub(rb"\\([0-7]{1,3}|.)", lambda m: bytes([int(m.group(1), 8)]) if m.group(1)[:1].isdigit()
                  else escapes.get(m.group(1), m.group(1)), raw, flags=re.S)


@dataclass
class _TextState:
    font: Font | None = None
    size: float = 0.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    scale: float = 1.0
    rise: float = 0.0
    leading: float = 0.0
    matrix: Matrix = IDENTITY
    line: Matrix = IDENTITY


def _interpret(data: bytes, resources: dict[str, Any], objects: Objects, ctm: Matrix, cache: dict[int, Font],
               mcids: list[int | None], actual: dict[int, str], record: list[Operation] | None = None) -> Iterator[Run]:
    """Runs of one content stream (a page's, or a form XObject's drawn with ``Do``); each
    operation goes to ``record`` too, for pypdf (``_lend_content``)."""
    operands: list[Any] = []
    saved: list[tuple[Matrix, _TextState]] = []
    state = _TextState()
    fonts = objects.resolve(resources.get("/Font")) or {}
    for kind, value in _tokens(data):
        if kind == "operand":
            operands.append(value)
            continue
        op = value
        if record is not None:
            record.append((operands, op))
        if op == "q":
            saved.append((ctm, _copy(state)))
        elif op == "Q" and saved:
            ctm, state = saved.pop()
        elif op == "cm" and len(operands) == 6:
            ctm = multiply(tuple(operands), ctm)
        elif op == "BT":
            state.matrix = state.line = IDENTITY
        elif op == "Tm" and len(operands) == 6:
            state.matrix = state.line = tuple(operands)
        elif op in ("Td", "TD") and len(operands) == 2:
            state.leading = -operands[1] if op == "TD" else state.leading
            state.matrix = state.line = multiply((1, 0, 0, 1, operands[0], operands[1]), state.line)
        elif op == "T*":
            state.matrix = state.line = multiply((1, 0, 0, 1, 0, -state.leading), state.line)
        elif op == "TL" and operands:
            state.leading = operands[0]
        elif op == "Tf" and len(operands) == 2:
            state.font = _font(objects, fonts.get(operands[0]), cache)
            state.size = operands[1]
        elif op == "Tc" and operands:
            state.char_spacing = operands[0]
        elif op == "Tw" and operands:
            state.word_spacing = operands[0]
        elif op == "Tz" and operands:
            state.scale = operands[0] / 100
        elif op == "Ts" and operands:
            state.rise = operands[0]
        elif op in ("TJ", "Tj", "'", '"') and operands and state.font is not None:
            if op in ("'", '"'):
                state.matrix = state.line = multiply((1, 0, 0, 1, 0, -state.leading), state.line)
            shown = operands[-1] if isinstance(operands[-1], list) else [operands[-1]]
            run = _show(shown, state, ctm, mcids[-1] if mcids else None)
            if run is not None:
                yield run
        elif op == "BDC":
            props = operands[-1] if operands and isinstance(operands[-1], dict) else {}
            mcid = props.get("/MCID")
            mcids.append(int(mcid) if isinstance(mcid, (int, float)) else mcids[-1] if mcids else None)
            if "/ActualText" in props and mcids[-1] is not None:
                actual[mcids[-1]] = pdf_text_string(props["/ActualText"])
        elif op == "BMC":
            mcids.append(mcids[-1] if mcids else None)
        elif op == "EMC" and mcids:
            mcids.pop()
        elif op == "Do" and operands:
            yield from _form(resources, objects, operands[0], ctm, cache, mcids, actual)
        operands = []


def _copy(state: _TextState) -> _TextState:
    return _TextState(**vars(state))


def _form(resources: dict[str, Any], objects: Objects, name: str, ctm: Matrix, cache: dict[int, Font],
          mcids: list[int | None], actual: dict[int, str]) -> Iterator[Run]:
    ref = (objects.resolve(resources.get("/XObject")) or {}).get(name)
    if not isinstance(ref, Ref):
        return
    xobject = objects[ref]
    if xobject.get("/Subtype") != "/Form":
        return
    a, b, c, d, e, f = (float(v) for v in xobject.get("/Matrix", IDENTITY))
    inner = objects.resolve(xobject.get("/Resources")) or resources
    yield from _interpret(objects.stream_data(ref), inner, objects, multiply((a, b, c, d, e, f), ctm), cache,
                          mcids, actual)


def _show(shown: list[Any], state: _TextState, ctm: Matrix, mcid: int | None) -> Run | None:
    font = state.font
    assert font is not None
    width = 1 if not font.two_bytes else 2
    advance, text = 0.0, []
    for item in shown:
        if isinstance(item, (int, float)):
            advance -= item / 1000 * state.size * state.scale
            continue
        for i in range(0, len(item) - width + 1, width):
            code = int.from_bytes(item[i:i + width], "big")
            text.append(font.to_unicode.get(code, ""))
            spacing = state.char_spacing + (state.word_spacing if width == 1 and code == 32 else 0)
            advance += (font.widths.get(code, font.default_width) / 1000 * state.size + spacing) * state.scale
    matrix = multiply(multiply((1, 0, 0, 1, 0, state.rise), state.matrix), ctm)
    start = _apply(matrix, 0, 0)
    end = _apply(matrix, advance, 0)
    state.matrix = multiply((1, 0, 0, 1, advance, 0), state.matrix)
    size = abs(state.size) * (matrix[2] ** 2 + matrix[3] ** 2) ** 0.5
    if not text:
        return None
    return Run("".join(text), font, size, min(start[0], end[0]), max(start[0], end[0]), start[1], mcid)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _font(objects: Objects, ref: Any, cache: dict[int, Font]) -> Font | None:
    if not isinstance(ref, Ref):
        return None
    if ref.num not in cache:
        cache[ref.num] = _read_font(objects, objects[ref])
    return cache[ref.num]


def _read_font(objects: Objects, font: dict[str, Any]) -> Font:
    name = str(font.get("/BaseFont", "")).lstrip("/")
    name = name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name
    two_bytes = font.get("/Subtype") == "/Type0"
    described = objects.resolve(objects.resolve(font["/DescendantFonts"])[0]) if two_bytes else font
    descriptor = objects.resolve(described.get("/FontDescriptor")) or {}
    files = ("/FontFile", "/FontFile2", "/FontFile3")
    embedded = font.get("/Subtype") == "/Type3" or any(key in descriptor for key in files)
    widths = _cid_widths(objects.resolve(described.get("/W"))) if two_bytes else _simple_widths(described)
    default = float(described.get("/DW", 1000)) if two_bytes else 0.0
    to_unicode = font.get("/ToUnicode")
    return Font(name, pdf_text_string(descriptor.get("/FontFamily", name.encode())), embedded,
                float(descriptor.get("/Ascent", 800)), float(descriptor.get("/Descent", -200)), widths, default,
                _to_unicode(objects.stream_data(to_unicode) if isinstance(to_unicode, Ref) else b""), two_bytes)


def _cid_widths(array: Any) -> dict[int, float]:
    widths: dict[int, float] = {}
    items = array or []
    i = 0
    while i < len(items):
        first = int(items[i])
        if i + 1 < len(items) and isinstance(items[i + 1], list):
            for offset, width in enumerate(items[i + 1]):
                widths[first + offset] = float(width)
            i += 2
        elif i + 2 < len(items):
            for code in range(first, int(items[i + 1]) + 1):
                widths[code] = float(items[i + 2])
            i += 3
        else:
            break
    return widths


def _simple_widths(font: Any) -> dict[int, float]:
    first = int(font.get("/FirstChar", 0))
    return {first + i: float(w) for i, w in enumerate(font.get("/Widths") or [])}


def _to_unicode(data: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for source, target in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[int(source, 16)] = _utf16(target)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for first, last, target in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])",
                                              block):
            start, end = int(first, 16), int(last, 16)
            if target.startswith(b"["):
                for offset, each in enumerate(re.findall(rb"<([0-9A-Fa-f]*)>", target)):
                    mapping[start + offset] = _utf16(each)
                continue
            base = _utf16(target[1:-1])
            for code in range(start, end + 1):
                mapping[code] = base[:-1] + chr(ord(base[-1]) + code - start) if base else ""
    return mapping


def _utf16(hex_text: bytes) -> str:
    return bytes.fromhex(hex_text.decode()).decode("utf-16-be", errors="replace")


class Objects:
    """The PDF's objects as plain Python values (dicts with "/Name" keys, lists, ``Ref``),
    parsed from the object streams on first use, the others through pypdf."""

    def __init__(self, reader: PdfReader) -> None:
        self.reader = reader
        self._parsed: dict[int, Any] = {}
        self._streams_read = False

    @property
    def parsed(self) -> dict[int, Any]:
        """The objects of every object stream, by number."""
        if not self._streams_read:
            self._read_streams()
        return self._parsed

    def __getitem__(self, ref: Ref | int) -> Any:
        num = ref.num if isinstance(ref, Ref) else ref
        if num not in self.parsed:
            self._parsed[num] = _plain(self.reader.get_object(num))
        return self._parsed[num]

    def resolve(self, value: Any) -> Any:
        return self[value] if isinstance(value, Ref) else value

    def stream_data(self, ref: Ref) -> bytes:
        return cast(StreamObject, self.reader.get_object(ref.num)).get_data()

    def _read_streams(self) -> None:
        self._streams_read = True
        for stream_num in sorted({stream for stream, _ in self.reader.xref_objStm.values()}):
            stream: Any = self.reader.get_object(stream_num)  # a StreamObject, with its /N and /First numbers
            self._parsed.update(_parse_objects(stream.get_data(), int(stream["/N"]), int(stream["/First"])))


def _generic(value: Any, reader: PdfReader, encoding: str | None = None) -> Any:
    """A plain value (``_parse_value``) as the pypdf object pypdf's own parser makes of it."""
    kind = type(value)
    if kind is bytes:
        return create_string_object(value, encoding)
    if kind is int:
        return NumberObject(value)
    if kind is float:
        return FloatObject(value)
    if kind is str:
        return NameObject(value)
    if kind is list:
        return ArrayObject([_generic(v, reader, encoding) for v in value])
    if kind is dict:
        return DictionaryObject({NameObject(k): _generic(v, reader, encoding) for k, v in value.items()})
    if kind is Ref:
        return IndirectObject(value.num, 0, reader)
    if kind is bool:
        return BooleanObject(value)
    return NullObject()


def _plain(value: Any) -> Any:
    if isinstance(value, IndirectObject):
        return Ref(value.idnum)
    if isinstance(value, DictionaryObject):
        return {str(k): _plain(value.raw_get(k)) for k in value}
    if isinstance(value, (list, ArrayObject)):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, bytes):
        return bytes(value)
    if isinstance(value, str) and not value.startswith("/"):
        return value.encode("utf-16-be") if any(ord(c) > 255 for c in value) else value.encode("latin-1")
    return str(value)


def _tag(reader: PdfReader, objects: Objects, pages: list[Page]) -> None:
    """Give each run its structure elements and types, and whether it is in a margin box."""
    catalog = cast(DictionaryObject, reader.trailer["/Root"])
    root_ref = catalog.raw_get("/StructTreeRoot") if "/StructTreeRoot" in catalog else None
    if not isinstance(root_ref, IndirectObject):
        return
    root = objects[root_ref.idnum]
    document = _document(objects, root)
    top_level = [ref for ref in _kids(document) if isinstance(ref, Ref)] if document else []
    in_tree = {ref.num for ref in top_level}
    # A page read from a file has its reference; pypdf types it optional for pages made anew.
    page_ids = {cast(IndirectObject, page.indirect_reference).idnum: i for i, page in enumerate(reader.pages)}
    for ref in top_level:
        element = objects[ref]
        page_index = page_ids.get(element["/Pg"].num) if isinstance(element.get("/Pg"), Ref) else None
        if page_index is not None:
            pages[page_index].blocks.append(element)
    by_page = _parent_tree(objects, root.get("/ParentTree"))
    for index, page in enumerate(pages):
        elements = by_page.get(index)
        if not isinstance(elements, list):
            continue
        chains: dict[int, tuple[tuple[Ref, ...], tuple[str, ...]]] = {}
        for run in page.runs:
            if run.mcid is None or run.mcid >= len(elements) or not isinstance(elements[run.mcid], Ref):
                continue
            ref = elements[run.mcid]
            if ref.num not in chains:
                chains[ref.num] = _chain(objects, ref)
            run.elements, run.path = chains[ref.num]
            run.margin = not run.elements or run.elements[0].num not in in_tree


def _kids(element: Any) -> list[Any]:
    kids = element.get("/K", [])
    return kids if isinstance(kids, list) else [kids]


def _document(objects: Objects, root: dict[str, Any]) -> Any:
    for kid in _kids(root):
        if isinstance(kid, Ref) and objects[kid].get("/S") == "/Document":
            return objects[kid]
    return None


def _parent_tree(objects: Objects, ref: Any) -> dict[int, Any]:
    """The number tree from page (struct parent) numbers to their arrays of elements by MCID."""
    if not isinstance(ref, Ref):
        return {}
    node, found = objects[ref], {}
    numbers = node.get("/Nums", [])
    for i in range(0, len(numbers) - 1, 2):
        value = numbers[i + 1]
        found[int(numbers[i])] = objects[value] if isinstance(value, Ref) else value
    for kid in node.get("/Kids", []):
        found.update(_parent_tree(objects, kid))
    return found


def _chain(objects: Objects, ref: Ref) -> tuple[tuple[Ref, ...], tuple[str, ...]]:
    """The structure elements from the top level (a child of /Document) down to ``ref``, and their types."""
    chain, types = [], []
    node: Any = ref
    while isinstance(node, Ref):
        element = objects[node]
        if element.get("/S") in ("/Document", None):
            break
        chain.append(node)
        types.append(str(element["/S"]).lstrip("/"))
        node = element.get("/P")
    return tuple(reversed(chain)), tuple(reversed(types))


def tagged_text(printed: Printed) -> list[str]:
    """Each page's text as a screen reader finds it: the structure tree in order, each
    element's ``/ActualText`` where it has one, else its marked content's, else the text
    of its glyphs."""
    pages, objects = printed.pages, printed.objects
    by_mcid: list[dict[int, str]] = [{} for _ in pages]
    for page, texts in zip(pages, by_mcid, strict=True):
        for run in page.runs:
            if run.mcid is not None:
                texts[run.mcid] = texts.get(run.mcid, "") + run.text
        texts.update(page.actual_text)
    out: list[list[str]] = [[] for _ in pages]
    page_ids = {cast(IndirectObject, page.indirect_reference).idnum: i
                for i, page in enumerate(printed.reader.pages)}

    def walk(element: dict[str, Any], page: int | None) -> None:
        if isinstance(element.get("/Pg"), Ref):
            page = page_ids.get(element["/Pg"].num, page)
        if "/ActualText" in element:
            if page is not None:
                out[page].append(pdf_text_string(element["/ActualText"]))
            return
        for kid in _kids(element):
            if isinstance(kid, int) and not isinstance(kid, bool) and page is not None:
                out[page].append(by_mcid[page].get(kid, ""))
            elif isinstance(kid, Ref) and objects is not None:
                child = objects[kid]
                if isinstance(child, dict) and child.get("/Type") != "/OBJR":
                    walk(child, page)
            elif isinstance(kid, dict) and kid.get("/Type") == "/MCR" and page is not None:
                out[page].append(by_mcid[page].get(int(kid.get("/MCID", -1)), ""))

    for block in (block for page in pages for block in page.blocks):
        walk(block, None)
    return ["\n".join(parts) for parts in out]


def kid_types(printed: Printed, element: dict[str, Any]) -> list[str]:
    """The structure types of an element's children."""
    objects = printed.objects
    return [str(objects[kid].get("/S", "")).lstrip("/") for kid in _kids(element)
            if isinstance(kid, Ref) and objects is not None]


def page_text_runs(page: Page) -> list[Run]:
    """The runs of the page's flowing content, without margin boxes."""
    return [run for run in page.runs if not run.margin and run.text.strip()]

