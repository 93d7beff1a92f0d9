"""Reviews bound to the words reviewed: one leaflet's catalogs in a language -> ``reviews/<leaflet>/<lang>.json``.

A translation nobody has reviewed is a draft, and the product says so
wherever it shows it. A review covers one leaflet in one language: its own
catalog and the shared ones it prints with (the frame, the directions), so
changing zolpidem's Spanish never voids diazepam's Spanish review, and
changing the shared frame voids both. A review is not a header a translator can type
(``X-Reviewed-By`` counts for nothing): ``record_review`` stores, outside
the catalogs, the reviewer, the date and a snapshot of every entry reviewed
(context, English, translation, flags) with its SHA-256 digest.
``review_status`` compares that digest with the catalogs as they are now:
any change voids the review on every page, in ``stats`` and in the build
note ("changed since review"), and putting the reviewed words back restores
it. Where the project keeps ``reviews/allowed_signers`` (OpenSSH format), a
review counts only with a valid ``ssh-keygen -Y sign`` signature by a listed
reviewer over the review statement, so editing files cannot forge one.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leaflet.catalogs.pofile import read_catalog_cached
from leaflet.errors import CatalogError, LeafletError, LinkOutsideProject, UsageError
from leaflet.files import write_atomic
from leaflet.project import Project

NAMESPACE = "leaflet-review"
REVIEWS_DIR = "reviews"
ALLOWED_SIGNERS = "allowed_signers"


@dataclass(frozen=True)
class ReviewStatus:
    reviewer: str = ""
    date: str = ""
    #: A review was recorded, but the words are no longer the ones reviewed.
    changed: bool = False
    #: Why a recorded review does not count (a bad or missing signature).
    refused: str = ""

    @property
    def reviewed(self) -> bool:
        return bool(self.reviewer) and not self.changed and not self.refused

    @property
    def text(self) -> str:
        if self.reviewed:
            return f"reviewed by {self.reviewer} on {self.date}"
        if self.changed:
            return f"changed since review by {self.reviewer} on {self.date}"
        if self.refused:
            return f"not reviewed ({self.refused})"
        return "not reviewed"


class ReviewError(LeafletError):
    """A review that cannot be recorded: bad name, date or key."""


# -- what was reviewed -------------------------------------------------------------------

def snapshot(project: Project, lang: str, leaflet: str) -> list[dict[str, Any]]:
    """Every live entry of the leaflet's catalogs in the language, in a stable order, with what it
    means: the Plural-Forms header decides which text a count prints, so it is part of it."""
    entries = []
    for domain in project.leaflet_domains(leaflet):
        try:
            catalog = read_catalog_cached(project.po_file(lang, domain))
        except (CatalogError, LinkOutsideProject):  # missing, broken or refused: nothing reviewable
            continue
        entries.append({"domain": domain, "plural_forms": catalog.po.metadata.get("Plural-Forms", "")})
        for entry in catalog.entries():
            entries.append({
                "domain": domain, "msgctxt": entry.msgctxt or "", "msgid": entry.msgid,
                "msgid_plural": entry.msgid_plural or "", "msgstr": entry.msgstr,
                "msgstr_plural": {str(k): v for k, v in sorted(entry.msgstr_plural.items())},
                "flags": sorted(entry.flags),
            })
    return entries


def digest(entries: list[dict[str, Any]]) -> str:
    canonical = json.dumps(entries, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def statement(leaflet: str, lang: str, reviewer: str, date: str, words: str) -> bytes:
    """What a reviewer signs: who, when, which leaflet and language, and exactly which words."""
    return (f"leaflet review\nleaflet: {leaflet}\nlanguage: {lang}\nreviewer: {reviewer}\ndate: {date}\n"
            f"digest: {words}\n").encode()


# -- recording and reading reviews ------------------------------------------------------------

def review_file(project: Project, lang: str, leaflet: str) -> Path:
    return project.root / REVIEWS_DIR / leaflet / f"{lang}.json"


def signers_file(project: Project) -> Path:
    return project.root / REVIEWS_DIR / ALLOWED_SIGNERS


def record_review(project: Project, lang: str, leaflet: str, reviewer: str, date: str | None = None,
                  key: Path | None = None) -> Path:
    reviewer = _clean_name(reviewer)
    day = _clean_date(date)
    entries = snapshot(project, lang, leaflet)
    if not any("msgid" in e and e["domain"] == leaflet for e in entries):
        raise UsageError(f"'{leaflet}' has no catalog in '{lang}' to review")
    words = digest(entries)
    record: dict[str, Any] = {"leaflet": leaflet, "language": lang, "reviewer": reviewer, "date": day,
                              "digest": words}
    if key is not None:
        record["signature"] = sign(statement(leaflet, lang, reviewer, day, words), key)
    elif signers_file(project).exists():
        raise UsageError(f"this project accepts only signed reviews ({_shown(signers_file(project), project)})",
                         hint="pass --key with the reviewer's SSH private key")
    record["entries"] = entries
    path = review_file(project, lang, leaflet)
    write_atomic(path, (json.dumps(record, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return path


def read_review(project: Project, lang: str, leaflet: str) -> dict[str, Any] | None:
    path = review_file(project, lang, leaflet)
    if path.is_symlink() or not path.is_file():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(record, dict) or (record.get("language"), record.get("leaflet")) != (lang, leaflet):
        return None
    return record


def review_status(project: Project, lang: str, leaflet: str) -> ReviewStatus:
    record = read_review(project, lang, leaflet)
    if record is None:
        return ReviewStatus()
    reviewer, date = str(record.get("reviewer", "")), str(record.get("date", ""))
    if not reviewer:
        return ReviewStatus()
    if signers_file(project).exists():
        why = _signature_problem(project, lang, leaflet, record)
        if why:
            return ReviewStatus(reviewer, date, refused=why)
    changed = record.get("digest") != digest(snapshot(project, lang, leaflet))
    return ReviewStatus(reviewer, date, changed=changed)


def changed_entries(project: Project, lang: str,
                    leaflet: str) -> list[tuple[dict[str, Any] | None, dict[str, Any] | None]]:
    """(as reviewed, as now) for every entry that differs; None where one side has no such entry.
    Each names its catalog: a change to the shared frame shows as the frame's."""
    record = read_review(project, lang, leaflet) or {}
    before = {_key(e): e for e in record.get("entries", []) if "msgid" in e}
    after = {_key(e): e for e in snapshot(project, lang, leaflet) if "msgid" in e}
    return [(before.get(k), after.get(k)) for k in dict.fromkeys([*after, *before]) if before.get(k) != after.get(k)]


def _key(entry: dict[str, Any]) -> tuple[str, str, str]:
    return entry["domain"], entry["msgctxt"], entry["msgid"] if not entry["msgctxt"] else ""


# -- signatures ------------------------------------------------------------------------------

def sign(message: bytes, key: Path) -> str:
    if not key.is_file():
        raise ReviewError(f"no such key file: {key}", hint="pass the path of an SSH private key")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "review"
        path.write_bytes(message)
        result = _ssh_keygen(["-Y", "sign", "-f", str(key), "-n", NAMESPACE, str(path)])
        if result.returncode != 0:
            raise ReviewError(f"ssh-keygen could not sign with {key}: {_first_line(result.stderr)}")
        return path.with_suffix(".sig").read_text(encoding="ascii")


def _signature_problem(project: Project, lang: str, leaflet: str, record: dict[str, Any]) -> str:
    signature = record.get("signature")
    if not isinstance(signature, str) or not signature.strip():
        return "unsigned, and this project requires signed reviews"
    message = statement(leaflet, lang, str(record["reviewer"]), str(record.get("date", "")),
                        str(record.get("digest", "")))
    return _verify(signers_file(project).read_bytes(), message, signature)


@functools.lru_cache(maxsize=64)
def _verify(signers: bytes, message: bytes, signature: str) -> str:
    """'' when a listed reviewer signed exactly this statement, else why not."""
    with tempfile.TemporaryDirectory() as folder:
        allowed, sig = Path(folder) / "allowed_signers", Path(folder) / "review.sig"
        allowed.write_bytes(signers)
        sig.write_text(signature, encoding="ascii", errors="replace")
        found = _ssh_keygen(["-Y", "find-principals", "-s", str(sig), "-f", str(allowed)])
        principals = found.stdout.split() if found.returncode == 0 else []
        if not principals:
            return "signed by nobody in reviews/allowed_signers"
        check = _ssh_keygen(["-Y", "verify", "-f", str(allowed), "-I", principals[0], "-n", NAMESPACE,
                             "-s", str(sig)], message)
        return "" if check.returncode == 0 else "its signature does not match what it claims"


def _ssh_keygen(args: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(["ssh-keygen", *args], input=stdin, capture_output=True, timeout=30, check=False)
    except FileNotFoundError:
        raise ReviewError("ssh-keygen is not installed",
                          hint="install it with: apt-get install openssh-client") from None
    return subprocess.CompletedProcess(result.args, result.returncode, result.stdout.decode(errors="replace"),
                                       result.stderr.decode(errors="replace"))


# -- input --------------------------------------------------------------------------------------

def _clean_name(reviewer: str) -> str:
    name = " ".join(reviewer.split())
    if not name:
        raise UsageError("--by needs the reviewer's name")
    if len(name) > 100 or any(unicodedata.category(c)[0] == "C" for c in name):
        raise UsageError("--by: the reviewer's name has control or format characters or is over 100 characters",
                         hint="type the name as it should be printed")
    return name


def _clean_date(date: str | None) -> str:
    day = date or dt.date.today().isoformat()
    try:
        parsed = dt.date.fromisoformat(day)
    except ValueError:
        raise UsageError(f"--date: '{day}' is not a date", hint="use YYYY-MM-DD") from None
    if not 2000 <= parsed.year <= dt.date.today().year + 1:
        raise UsageError(f"--date: {day} is not a plausible review date", hint="use the day the review was done")
    return parsed.isoformat()


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or ["no message"])[0]


def _shown(path: Path, project: Project) -> str:
    return str(path.relative_to(project.root)) if path.is_relative_to(project.root) else str(path)
