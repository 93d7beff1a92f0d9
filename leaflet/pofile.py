"""Read and write gettext ``.po``/``.pot`` files strictly.

Takes a file from a translator's tool (Poedit, Weblate, a text editor) and
gives a ``polib.POFile`` plus the line of each entry's ``msgstr``, or a
``CatalogError`` naming the file and line. polib keeps what Babel's reader
drops (``#|`` previous strings, custom header fields such as
``X-Reviewed-By``), but it forgives syntax errors, so a strict scan of the
file's lines runs first, with the rules GNU ``msgfmt`` applies.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import polib

from .errors import CatalogError
from .files import NotARegularFile, read_limited, write_atomic  # noqa: F401 - write_atomic: the old name

WRAP_WIDTH = 79
#: A keyword and the space after it; the string is the rest of the line.
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s")
_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
#: A backslash with the character after it, or a bare quote: read left to right, so pairs never overlap.
_ESCAPE_OR_QUOTE = re.compile(r'\\(.?)|"', re.S)


@dataclass(eq=False)
class Catalog:
    """A parsed file and where its entries are, for messages that point at a line.
    Compared and hashed by identity, so caches can key on one parsed version."""

    path: Path
    po: polib.POFile
    lines: dict[tuple[str | None, str], int] = field(default_factory=dict)
    header_line: int = 1

    def line_of(self, entry: polib.POEntry) -> int:
        return self.lines.get((entry.msgctxt, entry.msgid), self.header_line)

    def entries(self) -> list[polib.POEntry]:
        """The live entries, in file order (the header and obsolete ones left out)."""
        return [e for e in self.po if not e.obsolete and e.msgid != ""]


def read_catalog(path: Path) -> Catalog:
    text = _decode(path)
    _refuse_invisible_separators(text, path)
    if not any(line.strip() and not line.lstrip().startswith("#") for line in text.split("\n")):
        raise CatalogError("the catalog is empty", path=path, line=1,
                           hint="restore it from version control, or run 'leaflet update' to recreate it")
    lines = _scan(text, path)
    try:
        po = polib.pofile(text, wrapwidth=WRAP_WIDTH)
    except (OSError, ValueError) as exc:  # polib reports syntax errors as OSError
        raise CatalogError(f"cannot parse: {exc}", path=path) from None
    header_line = lines.get((None, ""), 1)
    return Catalog(path, po, {k: v for k, v in lines.items() if k[1] != ""}, header_line)


def read_catalog_cached(path: Path) -> Catalog:
    """For readers that never change the catalog (the gate, the renderer): parsed once
    per process while the file's size and mtime stay the same."""
    stat = path.stat()
    return _read_cached(path.resolve(), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=256)
def _read_cached(path: Path, size: int, mtime_ns: int) -> Catalog:
    return read_catalog(path)


def write_catalog(catalog: polib.POFile, path: Path) -> None:
    """Write through a temporary file so a failure never leaves half a catalog."""
    catalog.wrapwidth = WRAP_WIDTH
    write_atomic(path, str(catalog).rstrip("\n").encode("utf-8") + b"\n")


#: Our largest catalog is 20 KB; the checks stay fast on 1 MB; more is a wrong file.
MAX_CATALOG_BYTES = 4 * 1024 * 1024


def _decode(path: Path) -> str:
    try:
        data = read_limited(path, MAX_CATALOG_BYTES)
    except FileNotFoundError:
        raise CatalogError("catalog not found", path=path,
                           hint="create it with 'leaflet init LANG'") from None
    except NotARegularFile as exc:
        raise CatalogError(f"the catalog is {exc}", path=path, hint="a catalog is a .po text file") from None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", path=path) from None
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(f"invalid UTF-8 byte 0x{data[exc.start]:02x}", path=path, line=line,
                           hint="save the file as UTF-8") from None


#: Control characters, and the separators Python's splitlines() breaks lines at (polib uses it).
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]")


def _refuse_invisible_separators(text: str, path: Path) -> None:
    match = _INVISIBLE.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise CatalogError(f"invisible control character U+{ord(match.group(0)):04X} in the file", path=path, line=line,
                           hint="delete it; write a line break as \\n inside the quotes")


def _scan(text: str, path: Path) -> dict[tuple[str | None, str], int]:
    """Check every line's syntax and the order of keywords in each entry.

    Returns the ``msgstr`` line of every live entry, keyed by (msgctxt, msgid).
    """
    found: dict[tuple[str | None, str], int] = {}
    entry = _Entry()
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            if not line or not line.startswith("#~"):
                entry = _finish(entry, found, path, number, closing=bool(entry.keywords) and not line.startswith("#"))
            continue
        if line.startswith('"'):
            if not entry.keywords:
                raise CatalogError("string without a keyword before it", path=path, line=number)
            entry.append(_literal(line, path, number))
            continue
        match = _KEYWORD.match(line)
        if not match:
            raise CatalogError(f"unknown keyword '{line.split()[0]}'", path=path, line=number,
                               hint="lines start with msgctxt, msgid, msgid_plural, msgstr, '\"' or '#'")
        keyword = match.group(1)
        if keyword in ("msgctxt", "msgid") and entry.has_msgstr:
            entry = _finish(entry, found, path, number, closing=True)
        entry.add(keyword, _literal(line[match.end():].lstrip(), path, number), number, path)
    _finish(entry, found, path, number, closing=True)
    return found


@dataclass
class _Entry:
    keywords: list[str] = field(default_factory=list)
    #: Each keyword's string, in pieces (one per line), joined once: adding line by line would copy
    #: the whole string again for every continuation line.
    values: dict[str, list[str]] = field(default_factory=dict)
    msgid_line: int = 0
    msgstr_line: int = 0

    @property
    def has_msgstr(self) -> bool:
        return any(k.startswith("msgstr") for k in self.keywords)

    def add(self, keyword: str, value: str, number: int, path: Path) -> None:
        expected = _expected_next(self.keywords)
        base = "msgstr[]" if keyword.startswith("msgstr[") else keyword
        if keyword == "msgstr" and expected == {"msgstr[]"}:
            raise CatalogError("a plural entry needs msgstr[0], msgstr[1], ...", path=path, line=number)
        if base not in expected:
            what = f"'{keyword}' after '{self.keywords[-1]}'" if self.keywords else f"'{keyword}' before 'msgid'"
            raise CatalogError(f"unexpected {what}", path=path, line=number)
        if keyword.startswith("msgstr["):
            index = int(keyword[7:-1])
            if index != sum(k.startswith("msgstr[") for k in self.keywords):
                raise CatalogError(f"'{keyword}' is out of order", path=path, line=number,
                                   hint="plural forms are msgstr[0], msgstr[1], ... in order")
        self.keywords.append(keyword)
        self.values[keyword] = [value]
        if keyword == "msgid":
            self.msgid_line = number
        elif keyword.startswith("msgstr") and not self.msgstr_line:
            self.msgstr_line = number

    def append(self, value: str) -> None:
        self.values[self.keywords[-1]].append(value)

    def value(self, keyword: str) -> str | None:
        pieces = self.values.get(keyword)
        return None if pieces is None else "".join(pieces)


def _expected_next(keywords: list[str]) -> set[str]:
    if not keywords:
        return {"msgctxt", "msgid"}
    last = keywords[-1]
    if last == "msgctxt":
        return {"msgid"}
    if last == "msgid":
        return {"msgid_plural", "msgstr"}
    if last == "msgid_plural":
        return {"msgstr[]"}
    if last.startswith("msgstr["):
        return {"msgstr[]"}
    return set()


def _finish(entry: _Entry, found: dict, path: Path, number: int, *, closing: bool) -> _Entry:
    if not entry.keywords:
        return entry
    if not closing:
        return entry
    if not entry.has_msgstr:
        raise CatalogError("missing 'msgstr' after this msgid", path=path, line=entry.msgid_line or number,
                           hint="add msgstr \"\" (left empty for untranslated)")
    if "msgid_plural" in entry.keywords and "msgstr" in entry.keywords:
        raise CatalogError("a plural entry needs msgstr[0], msgstr[1], ...", path=path, line=entry.msgstr_line)
    key = (entry.value("msgctxt"), entry.value("msgid") or "")
    if key in found:
        where = f" with context '{key[0]}'" if key[0] else ""
        raise CatalogError(f"duplicate message definition{where} (first defined on line {found[key]})",
                           path=path, line=entry.msgid_line, hint="delete one of the two entries")
    found[key] = entry.msgstr_line
    return _Entry()


def _literal(token: str, path: Path, number: int) -> str:
    """The value of one C string literal, with the escapes msgfmt accepts."""
    if len(token) < 2 or not token.startswith('"') or not token.endswith('"'):
        raise CatalogError("unterminated string", path=path, line=number, hint='close it with "')
    body, pieces, done = token[1:-1], [], 0
    for match in _ESCAPE_OR_QUOTE.finditer(body):
        if match.group() == '"':
            raise CatalogError('unescaped " inside a string', path=path, line=number, hint='write \\" instead')
        if match.group(1) not in _ESCAPES:
            raise CatalogError(f"invalid escape sequence '{match.group()}'", path=path, line=number,
                               hint="use \\n, \\t, \\\" or \\\\")
        pieces += [body[done : match.start()], _ESCAPES[match.group(1)]]
        done = match.end()
    pieces.append(body[done:])
    return "".join(pieces)
