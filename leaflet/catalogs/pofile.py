"""Read and write gettext ``.po``/``.pot`` files as GNU gettext does.

Takes a file from a translator's tool (Poedit, Weblate, a text editor) and
gives a ``polib.POFile`` (the data model the rest of leaflet uses) plus the
line of each entry's ``msgstr``, or a ``CatalogError`` naming the file and line.

Syntax is GNU ``msgfmt``'s, by construction: ``msgfmt`` itself reads the file
first, and its first error becomes ours, at its line. What it accepts, the
parser here reads in one pass (octal and hex escapes, several strings on a
line, ``msgstr [0]``, blank lines inside an entry, ``#|`` and ``#~`` lines),
which is also faster than polib's reader. Writing goes through ``msgcat``, so
a file leaves leaflet laid out byte for byte as ``msgcat``, ``msgmerge`` and
Poedit write it, and round trips between them make no diff.

Bytes are read in the charset the header declares, as msgfmt reads them (and as
Python's gettext decodes the ``.mo``): ISO-8859-1, CP1252, KOI8-R, Shift_JIS...
A file is refused, naming its charset and line, when its bytes are not valid in
that charset, when Python has no codec for it that reads ASCII as ASCII (the
template's ``CHARSET``, ``UTF-16``, a misspelt name: msgfmt only warns), and when
it declares another charset but is stored as UTF-8: the whole file decodes as
UTF-8 and has bytes above 127. msgfmt accepts that file, and the ``.mo`` then
shows "CafÃ©" for "Café" (plone catalogs declaring ISO-8859-1); real text in a
one-byte charset is essentially never valid UTF-8, so the rule has no false alarm
in practice. A catalog leaflet writes is always UTF-8, and says so.
"""

from __future__ import annotations

import codecs
import functools
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import polib

from leaflet.errors import CatalogError, MissingSystemLibrary
from leaflet.files import NotARegularFile, read_limited, write_atomic
from leaflet.verdicts import digest, file_sha256, passed, remember_pass, tool_digest

WRAP_WIDTH = 79
#: Our largest catalog is 20 KB; the checks stay fast on 1 MB; more is a wrong file.
MAX_CATALOG_BYTES = 4 * 1024 * 1024
_GETTEXT_HINT = "install GNU gettext: apt-get install gettext (or run 'make setup')"


@dataclass(eq=False)
class Catalog:
    """A parsed file and where its entries are, for messages that point at a line.
    Compared and hashed by identity, so caches can key on one parsed version."""

    path: Path
    po: polib.POFile
    lines: dict[tuple[str | None, str], int] = field(default_factory=dict)
    header_line: int = 1
    #: SHA-256 of the file's bytes when read through ``read_catalog_cached``.
    digest: str = ""
    #: The Python codec of the charset the file declares (and was read in).
    encoding: str = "utf-8"

    def line_of(self, entry: polib.POEntry) -> int:
        return self.lines.get((entry.msgctxt, entry.msgid), self.header_line)

    def entries(self) -> list[polib.POEntry]:
        """The live entries, in file order (the header and obsolete ones left out)."""
        return [e for e in self.po if not e.obsolete and e.msgid != ""]


def read_catalog(path: Path, cache_dir: Path | None = None) -> Catalog:
    """``cache_dir``: remember the texts msgfmt accepted, so an unchanged catalog is not sent
    to it again (``verdicts``)."""
    text, encoding = _decode(path)
    if not any(line.strip() and not line.lstrip().startswith("#") for line in text.split("\n")):
        raise CatalogError("the catalog is empty", path=path, line=1,
                           hint="restore it from version control, or run 'leaflet update' to recreate it")
    key = digest(tool_digest("msgfmt"), text) if cache_dir else ""
    if not (cache_dir and passed(cache_dir, "msgfmt", key)):
        _msgfmt_accepts(path, text, encoding)
        if cache_dir:
            remember_pass(cache_dir, "msgfmt", key)
    po, lines = parse_po(text, encoding)
    header_line = lines.pop((None, ""), 1)
    return Catalog(path, po, lines, header_line, encoding=encoding)


def read_catalog_cached(path: Path, cache_dir: Path | None = None) -> Catalog:
    """For readers that never change the catalog (the checks, the renderer, reviews): parsed
    once per version of the file's bytes (its SHA-256), whatever its mtime says."""
    return _read_cached(path.resolve(), file_sha256(path), cache_dir)


@functools.lru_cache(maxsize=256)
def _read_cached(path: Path, sha256: str, cache_dir: Path | None) -> Catalog:
    catalog = read_catalog(path, cache_dir)
    catalog.digest = sha256
    return catalog


def write_catalog(catalog: polib.POFile, path: Path) -> bool:
    """Write in gettext's own layout, through a temporary file so a failure never leaves
    half a catalog; a file whose bytes would not change is not touched. True if written."""
    catalog.wrapwidth = WRAP_WIDTH
    declare_utf8(catalog.metadata)
    data = gettext_layout(str(catalog).rstrip("\n").encode("utf-8") + b"\n")
    if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
        return False
    write_atomic(path, data)
    return True


def declare_utf8(metadata: dict[str, str]) -> None:
    """Files are written in UTF-8: a catalog read as ISO-8859-1 must not keep saying so."""
    content_type = metadata.get("Content-Type", "text/plain; charset=UTF-8")
    if "charset=" not in content_type:
        content_type += "; charset=UTF-8"
    metadata["Content-Type"] = re.sub(r"charset=[^\s;]*", "charset=UTF-8", content_type)


def gettext_layout(data: bytes) -> bytes:
    """The same catalog as ``msgcat`` writes it: GNU's line breaking (width 79, CJK too)."""
    result = _gettext_tool(["msgcat", f"--width={WRAP_WIDTH}", "-"], data)
    if result.returncode != 0:
        raise CatalogError(f"msgcat could not rewrite the catalog: {_first_message(result.stderr)}")
    return result.stdout


# -- syntax, as GNU msgfmt reads it ----------------------------------------------------------

def _msgfmt_accepts(path: Path, text: str, encoding: str) -> None:
    """msgfmt reads the text as we decoded it (a byte order mark from Windows tools removed),
    in the charset the header declares."""
    result = _gettext_tool(["msgfmt", "-o", "/dev/null", "-"], text.encode(encoding, "replace"))
    if result.returncode == 0:
        return
    line, message = _located(result.stderr.decode("utf-8", "replace"))
    raise CatalogError(message, path=path, line=line,
                       hint="fix the syntax as msgfmt says; 'msgfmt -c FILE' shows every problem")


_MESSAGE = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?:\d+:)? (?P<text>.+)$")


def _located(stderr: str) -> tuple[int | None, str]:
    """msgfmt's first '<stdin>:LINE: message', without the tool's own summary lines."""
    for line in stderr.splitlines():
        match = _MESSAGE.match(line)
        if match and match.group("file") == "<stdin>":
            return int(match.group("line")), match.group("text").strip()
    return None, _first_message(stderr.encode())


def _first_message(stderr: bytes) -> str:
    lines = [line for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[0].split(": ", 1)[-1] if lines else "unknown error"



@dataclass(frozen=True)
class MsgfmtMessage:
    """One thing ``msgfmt -c`` said of a file: its line (None for the file as a whole), its
    text, and whether it was a warning (msgfmt still accepts the file) or an error."""

    line: int | None
    text: str
    warning: bool


#: msgfmt's closing count ("msgfmt: found 2 fatal errors"), not a message of its own.
_SUMMARY = re.compile(r"^msgfmt: found \d+ fatal errors?$")


def msgfmt_check(path: Path) -> tuple[bool, list[MsgfmtMessage]]:
    """What ``msgfmt -c`` says of the file's bytes as they are (not as leaflet decodes them):
    whether it accepts the file, and every message, with its line. ``-c`` is msgfmt's
    ``--check-format --check-header --check-domain``: the syntax, the header, the plural forms
    and each entry's format strings (``#, python-format``, ``c-format``...) as gettext defines
    them for each of its languages."""
    result = _gettext_tool(["msgfmt", "-c", "-o", "/dev/null", "-"], _read_bytes(path))
    messages: list[MsgfmtMessage] = []
    for raw in result.stderr.decode("utf-8", "replace").splitlines():
        located = _MESSAGE.match(raw)
        if located and located.group("file") == "<stdin>":
            line: int | None = int(located.group("line"))
            text = located.group("text").strip()
        elif raw.startswith("msgfmt: ") and not _SUMMARY.match(raw.strip()):
            line, text = None, raw.removeprefix("msgfmt: ").removeprefix("<stdin>: ").strip()
        elif raw.strip() and messages and not _SUMMARY.match(raw.strip()):  # a message's next line
            messages.append(_joined(messages.pop(), "; " + raw.strip().removeprefix("warning: ")))
            continue
        else:
            continue
        if text.startswith("...") and messages:  # "...this is the location of the first definition"
            messages.append(_joined(messages.pop(), f" ({text.strip('. ')}: line {line})"))
            continue
        warning = text.startswith("warning: ")
        messages.append(MsgfmtMessage(line, text.removeprefix("warning: "), warning))
    return result.returncode == 0, messages


def _joined(message: MsgfmtMessage, more: str) -> MsgfmtMessage:
    """One message that msgfmt wrote over two lines, or in two parts ("duplicate message
    definition..." then "...this is the location of the first definition")."""
    return MsgfmtMessage(message.line, message.text.rstrip(".") + more, message.warning)


def declared_charset_problem(path: Path) -> CatalogError | None:
    """Why leaflet would refuse the file's bytes (a charset it cannot read, bytes not valid in
    it, UTF-8 stored under another charset's name), or None."""
    try:
        _decode(path)
    except CatalogError as exc:
        return exc
    return None

def _gettext_tool(args: list[str], stdin: bytes | None) -> subprocess.CompletedProcess[bytes]:
    if shutil.which(args[0]) is None:
        raise MissingSystemLibrary(f"GNU gettext's {args[0]} is not installed", hint=_GETTEXT_HINT)
    return subprocess.run(args, input=stdin, capture_output=True, timeout=60, check=False,
                          env={"LC_ALL": "C.UTF-8", "PATH": "/usr/local/bin:/usr/bin:/bin"})


def _decode(path: Path) -> tuple[str, str]:
    """The text, and the codec it was read with: the declared charset's, UTF-8 if none."""
    data = _read_bytes(path).removeprefix(b"\xef\xbb\xbf")
    declared, line = _declared_charset(data)
    encoding = _codec(declared, path, line)
    shown = declared or "UTF-8"
    if encoding != "utf-8" and not data.isascii() and _is_utf8(data):
        first = _NON_ASCII.search(data)
        assert first is not None  # the data is not ASCII
        sample = data[first.start():first.start() + 4].decode("utf-8", "ignore")[:1]
        raise CatalogError(f"the header declares charset {shown}, but the file is stored as UTF-8 ('{sample}' "
                           f"would print as '{sample.encode('utf-8').decode(encoding, 'replace')}')",
                           path=path, line=data[: first.start()].count(b"\n") + 1,
                           hint="declare charset=UTF-8 in the Content-Type header")
    try:
        return data.decode(encoding).replace("\r\n", "\n"), encoding
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = "save the file as UTF-8" if encoding == "utf-8" else \
            f"fix the byte, or save the file as UTF-8 and declare charset=UTF-8 instead of {shown}"
        raise CatalogError(f"invalid {shown} byte 0x{data[exc.start]:02x}", path=path, line=line,
                           hint=hint) from None


def _read_bytes(path: Path) -> bytes:
    try:
        return read_limited(path, MAX_CATALOG_BYTES)
    except FileNotFoundError:
        raise CatalogError("catalog not found", path=path,
                           hint="create it with 'leaflet init LANG'") from None
    except NotARegularFile as exc:
        raise CatalogError(f"the catalog is {exc}", path=path, hint="a catalog is a .po text file") from None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", path=path) from None


#: ``charset=`` on the header's Content-Type line, found in the bytes before they are decoded,
#: as gettext does (the header is ASCII in every charset a catalog may use).
_CHARSET = re.compile(rb'^[ \t]*"Content-Type:[^\n]*?charset=([^\s"\\;]*)', re.M | re.I)
_NON_ASCII = re.compile(rb"[\x80-\xff]")
#: A codec fit for a catalog reads these bytes as these characters: ASCII as ASCII, and no
#: backslash or IDNA decoding (Python's ``unicode_escape`` and ``idna`` are codecs too).
_PROBE = bytes(range(128)) + rb"\u00e9 xn--ls8h.xn--ls8h"


def _declared_charset(data: bytes) -> tuple[str | None, int]:
    """The charset the header names (None if it names none) and its line."""
    match = _CHARSET.search(data)
    if match is None:
        return None, 1
    return match.group(1).decode("ascii", "replace"), data[: match.start()].count(b"\n") + 1


def _codec(declared: str | None, path: Path, line: int) -> str:
    encoding = _known_codec(declared) if declared else "utf-8"
    if encoding is None:
        raise CatalogError(f"the header declares charset '{declared}', which leaflet cannot read",
                           path=path, line=line,
                           hint="save the file as UTF-8 and declare charset=UTF-8 in the Content-Type header")
    return encoding


@functools.lru_cache(maxsize=64)
def _known_codec(name: str) -> str | None:
    try:
        info = codecs.lookup(name)
        fit = info._is_text_encoding and _PROBE.decode(info.name) == _PROBE.decode("ascii")
    except (LookupError, UnicodeError):
        return None
    return "utf-8" if info.name == "utf-8-sig" else info.name if fit else None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# -- reading what msgfmt accepted ---------------------------------------------------------------
#
# The lexer of gettext's read-catalog-abstract.c/po-lex.c: keywords, C strings (one or
# more on a line), and comment lines that carry flags, references, previous strings.

_TOKEN = re.compile(r'[ \t\r\f\v]*(?:(msgctxt|msgid_plural|msgid|msgstr|domain)\b[ \t\r\f\v]*(\[[ \t]*(\d+)[ \t]*\])?'
                    r'|"((?:[^"\\\n]|\\.)*)"|(\S))')
_ESCAPE = re.compile(r'\\(?:([0-7]{1,3})|x([0-9A-Fa-f]+)|(.))', re.S)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
           "\\": "\\", '"': '"', "'": "'", "?": "?"}


def unescape(body: str, encoding: str = "utf-8") -> str:
    """A C string's value. Octal and hex escapes are bytes in the file's charset
    (``\\303\\251`` is 'é' in UTF-8, ``\\351`` in ISO-8859-1)."""
    if "\\" not in body:
        return body
    out, done = bytearray(), 0
    for match in _ESCAPE.finditer(body):
        out += body[done:match.start()].encode(encoding, "replace")
        octal, hexa, simple = match.groups()
        if octal:
            out.append(int(octal, 8) & 0xFF)
        elif hexa:
            out.append(int(hexa, 16) & 0xFF)
        else:
            out += _SIMPLE.get(simple, "\\" + simple).encode(encoding, "replace")
        done = match.end()
    out += body[done:].encode(encoding, "replace")
    return out.decode(encoding, "replace")


@dataclass
class _Pending:
    """One entry being read: its comment lines, keyword strings and where its msgstr is."""

    comments: list[str] = field(default_factory=list)
    extracted: list[str] = field(default_factory=list)
    references: list[tuple[str, str]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    previous: dict[str, list[str]] = field(default_factory=dict)
    strings: dict[str, list[str]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    obsolete: bool = False
    msgstr_line: int = 0

    def has_msgstr(self) -> bool:
        return any(key.startswith("msgstr") for key in self.order)

    def text(self, key: str) -> str | None:
        pieces = self.strings.get(key)
        return None if pieces is None else "".join(pieces)


def parse_po(text: str, encoding: str = "utf-8") -> tuple[polib.POFile, dict[tuple[str | None, str], int]]:
    """Entries and the msgstr line of each, from text msgfmt accepted; ``encoding`` is the
    file's charset, in which octal and hex escapes are bytes."""
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    lines: dict[tuple[str | None, str], int] = {}
    pending = _Pending()
    target: list[str] | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.lstrip(" \t\r\f\v")
        obsolete = stripped.startswith("#~")
        if stripped.startswith("#") and not obsolete:
            if pending.has_msgstr():
                pending = _flush(po, lines, pending)
            target = _comment(pending, stripped, target, encoding)
            continue
        body = stripped[2:] if obsolete else stripped
        if obsolete and body.startswith("|"):
            if pending.has_msgstr():
                pending = _flush(po, lines, pending)
            target = _comment(pending, "#|" + body[1:], target, encoding)
            continue
        for match in _TOKEN.finditer(body):
            keyword, index, string = match.group(1), match.group(3), match.group(4)
            if keyword == "domain" or (keyword is None and string is None):
                target = None
                continue
            if keyword:
                key = f"msgstr[{index}]" if index is not None else keyword
                if key in ("msgctxt", "msgid") and pending.has_msgstr():
                    pending = _flush(po, lines, pending)
                pending.obsolete = pending.obsolete or obsolete
                pending.order.append(key)
                target = pending.strings.setdefault(key, [])
                if key.startswith("msgstr") and not pending.msgstr_line:
                    pending.msgstr_line = number
            elif target is not None:
                target.append(unescape(string, encoding))
    if pending.order:
        _flush(po, lines, pending)
    return po, lines


def _comment(pending: _Pending, line: str, target: list[str] | None, encoding: str) -> list[str] | None:
    """A comment line; after '#|' keywords, the strings that follow belong to them."""
    kind, rest = line[:2], line[2:]
    if kind == "#,":
        pending.flags += [flag.strip() for flag in rest.split(",") if flag.strip()]
    elif kind == "#.":
        pending.extracted.append(rest[1:] if rest.startswith(" ") else rest)
    elif kind == "#:":
        for reference in rest.split():
            where, _, number = reference.rpartition(":")
            pending.references.append((where, number) if number.isdigit() and where else (reference, ""))
    elif kind == "#|":
        for match in _TOKEN.finditer(rest):
            keyword, string = match.group(1), match.group(4)
            if keyword:
                target = pending.previous.setdefault(keyword, [])
            elif string is not None and target is not None:
                target.append(unescape(string, encoding))
        return target
    else:
        body = line[1:]
        pending.comments.append(body[1:] if body.startswith(" ") else body)
    return None


def _flush(po: polib.POFile, lines: dict[tuple[str | None, str], int], pending: _Pending) -> _Pending:
    msgid = pending.text("msgid") or ""
    context = pending.text("msgctxt")
    plural = {int(k[7:-1]): "".join(v) for k, v in pending.strings.items() if k.startswith("msgstr[")}
    previous = {k: "".join(v) for k, v in pending.previous.items()}
    if msgid == "" and context is None and not pending.obsolete:
        _header(po, pending)
        lines[(None, "")] = pending.msgstr_line
        return _Pending()
    entry = polib.POEntry(
        msgid=msgid, msgctxt=context, msgstr=pending.text("msgstr") or "",
        msgid_plural=pending.text("msgid_plural") or "",
        msgstr_plural=dict(sorted(plural.items())), occurrences=pending.references, flags=pending.flags,
        comment="\n".join(pending.extracted), tcomment="\n".join(pending.comments), obsolete=pending.obsolete,
        previous_msgctxt=previous.get("msgctxt"), previous_msgid=previous.get("msgid"),
        previous_msgid_plural=previous.get("msgid_plural"),
    )
    po.append(entry)
    if not pending.obsolete:
        lines[(context, msgid)] = pending.msgstr_line
    return _Pending()


def _header(po: polib.POFile, pending: _Pending) -> None:
    po.header = "\n".join(pending.comments)
    po.metadata_is_fuzzy = ["fuzzy"] if "fuzzy" in pending.flags else 0
    key = None
    for line in (pending.text("msgstr") or "").split("\n"):
        if ":" in line:
            key, value = line.split(":", 1)
            po.metadata[key.strip()] = value.strip()
        elif key is not None and line.strip():
            po.metadata[key] += "\n" + line.strip()
