"""A pharmacy's profile: ``pharmacy.toml`` -> ``Pharmacy``.

Takes the TOML file a pharmacy keeps (name, address, phone, an optional logo
inside the project folder, a default paper size, the CUPS printer the counter
prints on) and gives a validated
``Pharmacy``, or a ``ProfileError`` naming the file, line and field. Every
field is untrusted text typed at a counter: the templates escape it, and the
logo is the only file it can make WeasyPrint read. Neither the profile nor the
logo may be a symbolic link out of the project.
"""

from __future__ import annotations

import re
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leaflet.errors import ProfileError
from leaflet.files import NotARegularFile, read_limited
from leaflet.project import leads_out, refuse_link_out
from leaflet.source.toml import parse_toml

REQUIRED = ("name", "address", "phone")
OPTIONAL = ("logo", "paper", "public_url", "printer")
MAX_LENGTH = 300
MAX_PROFILE_BYTES = 64 * 1024
MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_PIXELS = 4000
PAPERS = ("a4", "letter")
#: A CUPS queue's name as CUPS allows it: printable, without space, '/', '#', '\\' or quotes, at most 127.
PRINTER_NAME = re.compile(r"[^\s/#\\'\"]{1,127}")


@dataclass(frozen=True)
class Pharmacy:
    name: str
    address: str
    phone: str
    logo: Path | None = None
    paper: str | None = None
    #: Where this pharmacy's counter is reachable by patients (``https://leaflets.example.org``):
    #: the printed leaflet then carries a QR code to its audio and HTML editions there.
    public_url: str | None = None
    #: The CUPS queue the counter's "Print" button sends leaflets to (``lpstat -p`` lists them).
    printer: str | None = None

    def edition_url(self, leaflet: str, lang: str, suffix: str) -> str | None:
        """``https://leaflets.example.org/leaflets/diazepam/es.html``, as the counter serves it."""
        return f"{self.public_url}/leaflets/{leaflet}/{lang}.{suffix}" if self.public_url else None

    @property
    def printed_text(self) -> str:
        """What the leaflet prints of the profile as written, in any script: its name, address, phone."""
        return "\n".join((self.name, self.address, self.phone))

    @property
    def logo_url(self) -> str:
        return self.logo.as_uri() if self.logo else ""


def read_pharmacy(path: Path, project_root: Path) -> Pharmacy:
    try:
        text = read_limited(refuse_link_out(path, project_root), MAX_PROFILE_BYTES).decode("utf-8")
    except FileNotFoundError:
        raise ProfileError("pharmacy profile not found", path=path,
                           hint="see pharmacy.example.toml for the fields") from None
    except UnicodeDecodeError:
        raise ProfileError("pharmacy profile is not UTF-8 text", path=path, hint="save it as UTF-8") from None
    except NotARegularFile as exc:
        raise ProfileError(f"the pharmacy profile is {exc}", path=path,
                           hint="pass a TOML file such as pharmacy.example.toml") from None
    except (OSError, ValueError) as exc:
        raise ProfileError(f"cannot read the pharmacy profile: {getattr(exc, 'strerror', None) or exc}",
                           path=path) from None
    fields = parse_toml(text, path, ProfileError, hint='write fields as name = "..."')
    return _validated(fields, text, path, project_root)


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return None


def _validated(fields: dict[str, Any], text: str, path: Path, project_root: Path) -> Pharmacy:
    unknown = sorted(set(fields) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise ProfileError(f"unknown field '{unknown[0]}'", path=path, line=_line_of(text, unknown[0]),
                           hint="fields: " + ", ".join(REQUIRED + OPTIONAL))
    values = {}
    for key in REQUIRED:
        value = fields.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ProfileError(f"missing field '{key}'", path=path, line=_line_of(text, key),
                               hint=f'add {key} = "..."; required fields: {", ".join(REQUIRED)}')
        values[key] = _clean(value, key, path, text)
    paper = fields.get("paper")
    if paper is not None and paper not in PAPERS:
        raise ProfileError(f"paper must be one of {', '.join(PAPERS)}, not '{paper}'", path=path,
                           line=_line_of(text, "paper"))
    logo = _logo(fields.get("logo"), path, project_root, _line_of(text, "logo"))
    public_url = _public_url(fields.get("public_url"), path, _line_of(text, "public_url"))
    printer = _printer(fields.get("printer"), path, _line_of(text, "printer"))
    return Pharmacy(values["name"], values["address"], values["phone"], logo, paper, public_url, printer)


def _printer(value: object, path: Path, line: int | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not PRINTER_NAME.fullmatch(value) or not value.isprintable():
        raise ProfileError("printer must be the name of a CUPS printer: at most 127 characters, without spaces, "
                           "'/', '#', '\\' or quotes", path=path, line=line,
                           hint='\'lpstat -p\' lists this machine\'s printers, e.g. printer = "Front_Desk"')
    return value


def _public_url(value: object, path: Path, line: int | None) -> str | None:
    """An http(s) address with a host and nothing a patient's phone would be misled by:
    no user name or password (``https://bank@evil.example``), query or fragment."""
    from urllib.parse import urlsplit

    if value is None:
        return None
    hint = 'write the counter\'s address as patients reach it, e.g. public_url = "https://leaflets.example.org"'
    if not isinstance(value, str) or len(value) > 200 or any(not c.isprintable() or c.isspace() for c in value):
        raise ProfileError("public_url must be one web address without spaces (at most 200 characters)",
                           path=path, line=line, hint=hint)
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname or not value.isascii():
        raise ProfileError(f"public_url must start with https:// and name a host, not '{value[:60]}'", path=path,
                           line=line, hint=hint)
    if parts.username or parts.password or parts.query or parts.fragment or "@" in parts.netloc:
        raise ProfileError("public_url must have no user name, password, ?query or #fragment", path=path,
                           line=line, hint=hint)
    return value.rstrip("/")


def _clean(value: str, key: str, path: Path, text: str) -> str:
    """Spaces squeezed; an address keeps the lines it was typed on (a multi-line TOML string),
    which the leaflet prints as lines, not run together."""
    lines = [" ".join(line.split()) for line in value.splitlines() if line.strip()]
    cleaned = "\n".join(lines) if key == "address" else " ".join(lines)
    if len(cleaned) > MAX_LENGTH:
        raise ProfileError(f"field '{key}' is longer than {MAX_LENGTH} characters", path=path,
                           line=_line_of(text, key))
    if any(_unprintable(cleaned, i) and cleaned[i] != "\n" for i in range(len(cleaned))):
        raise ProfileError(f"field '{key}' contains control, invisible or direction-changing characters",
                           path=path, line=_line_of(text, key),
                           hint="type it again: it is printed exactly as typed (a U+202E would reverse a phone number)")
    return cleaned


def _unprintable(text: str, i: int) -> bool:
    from leaflet.characters import BIDI_CONTROLS, hides_text

    return unicodedata.category(text[i]) in ("Cc", "Cs", "Co", "Cn") or text[i] in BIDI_CONTROLS or hides_text(text, i)


def _logo(value: object, path: Path, project_root: Path, line: int | None) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ProfileError("logo must be a file name", path=path, line=line)
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in value):
        raise ProfileError("logo must be a file name without control characters", path=path, line=line)
    if leads_out(path.parent / value, project_root):
        raise ProfileError(f"logo '{value}' is a symbolic link to a file outside the project folder", path=path,
                           line=line, hint="replace the link with the file itself")
    logo = (path.parent / value).resolve()
    if not logo.is_relative_to(project_root.resolve()):
        raise ProfileError(f"logo '{value}' is outside the project folder", path=path, line=line,
                           hint=f"copy it into {project_root}")
    if not logo.is_file():
        raise ProfileError(f"logo '{value}' not found", path=path, line=line)
    try:
        data = read_limited(logo, MAX_LOGO_BYTES)
    except NotARegularFile as exc:
        raise ProfileError(f"logo '{value}' is {exc}", path=path, line=line,
                           hint="use a small PNG or SVG file") from None
    if not _is_image(logo, data):
        raise ProfileError(f"logo '{value}' is not a PNG or SVG image", path=path, line=line)
    outside = _svg_references(data) if logo.suffix.lower() == ".svg" else None
    if outside:
        raise ProfileError(f"logo '{value}' refers to another file or address ({outside[:60]})", path=path,
                           line=line, hint="use an SVG that embeds everything it shows, or a PNG")
    size = _png_size(data) if logo.suffix.lower() == ".png" else None
    if size and (size[0] > MAX_LOGO_PIXELS or size[1] > MAX_LOGO_PIXELS):
        raise ProfileError(f"logo '{value}' is {size[0]} x {size[1]} pixels; the limit is "
                           f"{MAX_LOGO_PIXELS} x {MAX_LOGO_PIXELS}", path=path, line=line,
                           hint="a logo prints about 2 cm wide: 600 pixels are plenty")
    return logo


def _is_image(logo: Path, data: bytes) -> bool:
    head = data[:4096].lower()
    if logo.suffix.lower() == ".png":
        return data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR"
    if logo.suffix.lower() == ".svg":
        return b"<svg" in head
    return False


_REFERENCE = re.compile(rb"""(?:href\s*=\s*["']([^"']*)["'])|(?:url\(\s*["']?([^)"']*))|(<!ENTITY)""", re.I)


def _svg_references(data: bytes) -> str | None:
    """The first thing an SVG would fetch (a link, a url(), an entity): only '#' inside it is allowed."""
    for match in _REFERENCE.finditer(data):
        target = next(group for group in match.groups() if group is not None).strip()
        if match.group(3) or not target.startswith(b"#"):
            return target.decode("utf-8", "replace")
    return None


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG header: decoding a 20000-pixel image costs gigabytes."""
    return struct.unpack(">II", data[16:24])
