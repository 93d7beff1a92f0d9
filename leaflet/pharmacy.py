"""A pharmacy's profile: ``pharmacy.toml`` -> ``Pharmacy``.

Takes the TOML file a pharmacy keeps (name, address, phone, an optional logo
inside the project folder, a default paper size) and gives a validated
``Pharmacy``, or a ``ProfileError`` naming the file, line and field. Every
field is untrusted text typed at a counter: the templates escape it, and the
logo is the only file it can make WeasyPrint read. Neither the profile nor the
logo may be a symbolic link out of the project.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import ProfileError
from .project import leads_out, refuse_link_out

REQUIRED = ("name", "address", "phone")
OPTIONAL = ("logo", "paper")
MAX_LENGTH = 300
PAPERS = ("a4", "letter")


@dataclass(frozen=True)
class Pharmacy:
    name: str
    address: str
    phone: str
    logo: Path | None = None
    paper: str | None = None

    @property
    def logo_url(self) -> str:
        return self.logo.as_uri() if self.logo else ""

    def text(self) -> str:
        """Everything of the profile that is printed, for the font coverage check."""
        return " ".join((self.name, self.address, self.phone))


def read_pharmacy(path: Path, project_root: Path) -> Pharmacy:
    try:
        text = refuse_link_out(path, project_root).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProfileError("pharmacy profile not found", path=path,
                           hint="see pharmacy.example.toml for the fields") from None
    except UnicodeDecodeError:
        raise ProfileError("pharmacy profile is not UTF-8 text", path=path, hint="save it as UTF-8") from None
    except OSError as exc:
        raise ProfileError(f"cannot read the pharmacy profile: {exc.strerror}", path=path) from None
    try:
        fields = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+)", str(exc))
        raise ProfileError(f"not valid TOML: {str(exc).split(' (at')[0]}", path=path,
                           line=int(where.group(1)) if where else None,
                           hint='write fields as name = "..."') from None
    return _validated(fields, text, path, project_root)


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return None


def _validated(fields: dict, text: str, path: Path, project_root: Path) -> Pharmacy:
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
    return Pharmacy(values["name"], values["address"], values["phone"], logo, paper)


def _clean(value: str, key: str, path: Path, text: str) -> str:
    cleaned = " ".join(value.split())
    if len(cleaned) > MAX_LENGTH:
        raise ProfileError(f"field '{key}' is longer than {MAX_LENGTH} characters", path=path,
                           line=_line_of(text, key))
    return cleaned


def _logo(value: object, path: Path, project_root: Path, line: int | None) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ProfileError("logo must be a file name", path=path, line=line)
    if leads_out(path.parent / value, project_root):
        raise ProfileError(f"logo '{value}' is a symbolic link to a file outside the project folder", path=path,
                           line=line, hint="replace the link with the file itself")
    logo = (path.parent / value).resolve()
    if not logo.is_relative_to(project_root.resolve()):
        raise ProfileError(f"logo '{value}' is outside the project folder", path=path, line=line,
                           hint=f"copy it into {project_root}")
    if not logo.is_file():
        raise ProfileError(f"logo '{value}' not found", path=path, line=line)
    if not _is_image(logo):
        raise ProfileError(f"logo '{value}' is not a PNG or SVG image", path=path, line=line)
    return logo


def _is_image(logo: Path) -> bool:
    head = logo.read_bytes()[:512]
    if logo.suffix.lower() == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if logo.suffix.lower() == ".svg":
        return b"<svg" in head.lower() or (head.lstrip().startswith(b"<?xml") and b"<svg" in logo.read_bytes()[:4096].lower())
    return False
