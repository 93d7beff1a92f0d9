"""Read a leaflet's source text: ``content/<leaflet>.md`` -> ``Leaflet``.

The first stage of the pipeline. A content file is TOML front matter between
``+++`` lines, then blocks separated by blank lines. Each block is a title
(``# ``), a section heading (``## ``), a list item (``1. `` or ``- ``), a
warning (``> ``: consecutive warnings print in one box) or a paragraph,
ends with a stable id ``{#section.name}`` that becomes the
catalog's ``msgctxt``, and may be preceded by ``#.`` translator comments.
Inline markup is ``**bold**`` and ``*emphasis*``; raw HTML is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

from leaflet.errors import ContentError
from leaflet.files import NotARegularFile, read_limited
from leaflet.source.markup import is_balanced
from leaflet.source.toml import parse_toml

FRONT_MATTER = "+++"
#: A leaflet is a few kilobytes; a megabyte is a wrong file.
MAX_CONTENT_BYTES = 1024 * 1024
_ID = re.compile(r"\{#([a-z0-9][a-z0-9._-]*)\}")
_ORDERED = re.compile(r"^\d+\.\s+")
_RAW_HTML = re.compile(r"<[A-Za-z/!?]|&[A-Za-z#][A-Za-z0-9]*;")
_KNOWN_KEYS = {"id", "revised", "source", "sources", "form", "directions", "brands"}


@dataclass(frozen=True)
class Block:
    id: str
    kind: str  # "title", "heading", "paragraph", "item" or "warning"
    text: str
    line: int
    comments: tuple[str, ...] = ()
    ordered: bool = False


#: What a list or a warning holds: the content's blocks here, translated sentences in ``leaflet.localized``.
Item = TypeVar("Item")


@dataclass(frozen=True)
class ListNode(Generic[Item]):
    ordered: bool
    items: tuple[Item, ...]
    kind: str = "list"


@dataclass(frozen=True)
class WarningBox(Generic[Item]):
    """Consecutive ``> `` blocks: one box on the page, read before what follows it."""

    items: tuple[Item, ...]
    kind: str = "box"


@dataclass
class Leaflet:
    id: str
    revised: dt.date
    path: Path
    blocks: list[Block] = field(default_factory=list)
    #: What the leaflet says comes from: front matter ``sources`` (a list) or ``source``.
    sources: tuple[str, ...] = ()
    #: The dose form its standard directions count (``tablet``; ``content/directions.toml``).
    form: str = ""
    #: The standard directions its source supports (``["bedtime"]``); empty: all of its dose form's.
    directions: tuple[str, ...] = ()
    #: Brand names the counter finds it by ("Valium"): never printed, so they add no fact to the leaflet.
    brands: tuple[str, ...] = ()

    @property
    def title(self) -> Block:
        return next(b for b in self.blocks if b.kind == "title")

    @property
    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "heading"]

    def body(self) -> Iterator[Block | ListNode[Block] | WarningBox[Block]]:
        """Blocks after the title, with consecutive list items grouped into lists and
        consecutive warnings into one box."""
        pending: list[Block] = []
        for block in self.blocks:
            if pending and (block.kind != pending[0].kind or block.ordered != pending[0].ordered):
                yield _group(pending)
                pending = []
            if block.kind in ("item", "warning"):
                pending.append(block)
            elif block.kind != "title":
                yield block
        if pending:
            yield _group(pending)


def _group(blocks: list[Block]) -> ListNode[Block] | WarningBox[Block]:
    if blocks[0].kind == "warning":
        return WarningBox(tuple(blocks))
    return ListNode(blocks[0].ordered, tuple(blocks))


def read_leaflet(path: Path) -> Leaflet:
    try:
        data = read_limited(path, MAX_CONTENT_BYTES)
        text = data.decode("utf-8")
    except FileNotFoundError:
        raise ContentError("content file not found", path=path) from None
    except NotARegularFile as exc:
        raise ContentError(f"the content file is {exc}", path=path,
                           hint="a leaflet's text is a few kilobytes") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError("not UTF-8 text", path=path, line=line, hint="save it as UTF-8") from None
    return parse_leaflet(text, path)


def parse_leaflet(text: str, path: Path) -> Leaflet:
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    meta, first_body_line = _parse_front_matter(lines, path)
    blocks = list(_parse_blocks(lines, first_body_line, path))
    sources = meta.get("sources", [meta["source"]] if meta.get("source") else [])
    leaflet = Leaflet(id=meta["id"], revised=meta["revised"], path=path, blocks=blocks, sources=tuple(sources),
                      form=meta.get("form", ""), directions=tuple(meta.get("directions", ())),
                      brands=tuple(meta.get("brands", ())))
    _check_structure(leaflet)
    return leaflet


def _parse_front_matter(lines: list[str], path: Path) -> tuple[dict[str, Any], int]:
    if not lines or lines[0].strip() != FRONT_MATTER:
        raise ContentError("missing front matter", path=path, line=1,
                           hint=f"start the file with '{FRONT_MATTER}', id and revised, then '{FRONT_MATTER}'")
    try:
        end = lines.index(FRONT_MATTER, 1)
    except ValueError:
        raise ContentError("front matter is not closed", path=path, line=1,
                           hint=f"add a line '{FRONT_MATTER}' after it") from None
    meta = parse_toml("\n".join(lines[1:end]), path, ContentError, part="front matter", first_line=2,
                      hint='the front matter is TOML: id = "name", revised = YYYY-MM-DD')
    _check_front_matter(meta, path)
    return meta, end + 1


def _check_front_matter(meta: dict[str, Any], path: Path) -> None:
    unknown = set(meta) - _KNOWN_KEYS
    if unknown:
        raise ContentError(f"unknown front matter key '{sorted(unknown)[0]}'", path=path, line=2,
                           hint="known keys: " + ", ".join(sorted(_KNOWN_KEYS)))
    if meta.get("id") != path.stem:
        raise ContentError(f"front matter id must be '{path.stem}', the file's name", path=path, line=2)
    if not isinstance(meta.get("revised"), dt.date):
        raise ContentError("front matter needs 'revised = YYYY-MM-DD'", path=path, line=2)
    if not isinstance(meta.get("form", ""), str):
        raise ContentError("front matter 'form' is the dose form, as a string", path=path, line=2,
                           hint='form = "tablet"')
    allowed = meta.get("directions", [])
    if not isinstance(allowed, list) or not all(isinstance(item, str) and item.strip() for item in allowed):
        raise ContentError("front matter 'directions' lists the standard directions its source supports",
                           path=path, line=2, hint='directions = ["bedtime"]')
    brands = meta.get("brands", [])
    if not isinstance(brands, list) or not all(isinstance(item, str) and item.strip() for item in brands):
        raise ContentError("front matter 'brands' is a list of the brand names the counter finds it by",
                           path=path, line=2, hint='brands = ["Valium"]')
    listed = meta.get("sources", [])
    if not isinstance(listed, list) or not all(isinstance(item, str) and item.strip() for item in listed):
        raise ContentError("front matter 'sources' is a list of strings", path=path, line=2,
                           hint='sources = ["US FDA Medication Guide ...", "..."]')


def _parse_blocks(lines: list[str], start: int, path: Path) -> Iterator[Block]:
    comments: list[str] = []
    chunk: list[str] = []
    chunk_line = 0
    for number, raw in enumerate(lines[start:] + [""], start=start + 1):
        line = raw.strip()
        if line.startswith("#.") and not chunk:
            comments.append(line[2:].strip())
        elif line:
            chunk_line = chunk_line or number
            chunk.append(line)
        elif chunk:
            yield _make_block(chunk, chunk_line, tuple(comments), path)
            comments, chunk, chunk_line = [], [], 0
    if comments:
        raise ContentError("translator comment '#.' is not followed by a block", path=path, line=len(lines))


def _make_block(chunk: list[str], line: int, comments: tuple[str, ...], path: Path) -> Block:
    warning = chunk[0].startswith("> ")
    if warning:  # each line of a warning may start with "> ", as in Markdown
        chunk = [part[1:].strip() if part.startswith(">") else part for part in chunk]
    text, block_id = _split_id(" ".join(chunk), path, line)
    kind, ordered = "paragraph", False
    if warning:
        kind = "warning"
    elif text.startswith("## "):
        kind, text = "heading", text[3:]
    elif text.startswith("# "):
        kind, text = "title", text[2:]
    elif text.startswith("- "):
        kind, text = "item", text[2:]
    elif _ORDERED.match(text):
        kind, ordered, text = "item", True, _ORDERED.sub("", text, count=1)
    return _checked(Block(block_id, kind, text.strip(), line, comments, ordered), path)


def _split_id(text: str, path: Path, line: int) -> tuple[str, str]:
    """The text and the id that ends it. Only the last '{#' can start that id: searching
    from every position would rescan a long run of spaces or '{#' once per character."""
    text = text.rstrip()
    start = text.rfind("{#")
    match = _ID.fullmatch(text, start) if start >= 0 else None
    if match is None:
        loose = start >= 0 and text.endswith("}") and "}" not in text[start:-1]
        hint = "ids use a-z, 0-9, '.', '_' and '-'" if loose else "end the block with an id such as {#uses.insomnia}"
        raise ContentError("block has no valid id", path=path, line=line, hint=hint)
    return text[:start].rstrip(), match.group(1)


def _checked(block: Block, path: Path) -> Block:
    if not block.text:
        raise ContentError(f"block '{block.id}' has no text", path=path, line=block.line)
    if block.text.startswith("#"):
        raise ContentError("only '# ' (title) and '## ' (section) headings exist", path=path, line=block.line)
    if _RAW_HTML.search(block.text):
        raise ContentError("raw HTML is not allowed in content", path=path, line=block.line,
                           hint="use **bold** or *emphasis* only")
    if not is_balanced(block.text):
        raise ContentError("unbalanced '*' markup", path=path, line=block.line,
                           hint="close every **bold** and *emphasis*")
    return block


def _check_structure(leaflet: Leaflet) -> None:
    seen: dict[str, int] = {}
    for block in leaflet.blocks:
        if block.id in seen:
            raise ContentError(f"duplicate id '{block.id}' (first used on line {seen[block.id]})",
                               path=leaflet.path, line=block.line)
        seen[block.id] = block.line
    titles = [b for b in leaflet.blocks if b.kind == "title"]
    if len(titles) != 1:
        line = titles[1].line if titles else 1
        raise ContentError("a leaflet needs exactly one '# ' title", path=leaflet.path, line=line)


def read_names(path: Path) -> tuple[str, ...]:
    """The medicine names that are never hyphenated (``content/names.toml``); none without the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ()
    except UnicodeDecodeError:
        raise ContentError("not UTF-8 text", path=path, hint="save it as UTF-8") from None
    table = parse_toml(text, path, ContentError)
    names = table.get("names", [])
    if not isinstance(names, list) or not all(isinstance(n, str) and re.fullmatch(r"\w+", n) for n in names):
        raise ContentError("'names' must be a list of single words", path=path,
                           hint='names = ["diazepam", "Valium"]')
    return tuple(names)


def extract_babel(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                  options: dict[str, Any]) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel extraction method ``leaflet_content``: one ``pgettext(block id, text)`` per block."""
    name = getattr(fileobj, "name", "content.md")
    leaflet = parse_leaflet(fileobj.read().decode("utf-8"), Path(name))
    for block in leaflet.blocks:
        yield block.line, "pgettext", (block.id, block.text), list(block.comments)
