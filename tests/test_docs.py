"""Every ``leaflet`` command, ``make`` target and HTTP route is documented (as sqlite-utils' test_docs.py).

The docs are README.md and docs/*.md. A command or target is documented when
``leaflet <command>`` or ``make <target>`` appears in code there: an inline
code span or a fenced code block (``.venv/bin/leaflet history`` counts). A
route is documented when ``METHOD /path``, as Starlette spells the path,
appears in code in docs/http-api.md.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from conftest import REPO

DOCS = [REPO.root / "README.md", *sorted((REPO.root / "docs").glob("*.md"))]
HTTP_API = REPO.root / "docs" / "http-api.md"
_FENCED = re.compile(r"^```[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)
_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.DOTALL)


def cli_commands() -> list[str]:
    """Every command path under the ``leaflet`` group, subcommands of groups included."""
    import click

    from leaflet.cli import cli

    def walk(group: click.Group, prefix: str) -> list[str]:
        found = []
        for name, command in sorted(group.commands.items()):
            found.append(prefix + name)
            if isinstance(command, click.Group):
                found += walk(command, f"{prefix}{name} ")
        return found

    return walk(cli, "")


def makefile() -> str:
    return (REPO.root / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")


def phony_targets() -> list[str]:
    return [name for line in re.findall(r"^\.PHONY:(.*)$", makefile(), re.MULTILINE) for name in line.split()]


def make_targets() -> list[str]:
    """Every target the Makefile names (the ones people type; $(STAMP) and other files are variables)."""
    rules = re.findall(r"^([A-Za-z0-9][\w-]*(?: +[A-Za-z0-9][\w-]*)*)\s*:(?!=)", makefile(), re.MULTILINE)
    return sorted({target for rule in rules for target in rule.split()})  # "audio braille html epi:" is four


def test_every_phony_target_has_a_rule():
    assert sorted(set(phony_targets()) - set(make_targets())) == []


def http_routes() -> list[str]:
    """``METHOD /path`` for every route of the counter (HEAD comes with GET)."""
    import tempfile

    from leaflet.counter import Settings, create_app

    with tempfile.TemporaryDirectory() as data:  # the counter opens its print history there, not in the repository
        routes = create_app(REPO, Settings(data_dir=Path(data))).routes
    return sorted({f"{method} {route.path}" for route in routes
                   for method in getattr(route, "methods", None) or () if method != "HEAD"})


@functools.cache
def code_in(*paths) -> str:
    """The fenced blocks and code spans of these files; a span broken over two lines is joined."""
    pieces = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        pieces += _FENCED.findall(text)
        pieces += [re.sub(r"\s+", " ", span) for _, span in _SPAN.findall(_FENCED.sub("", text))]
    return "\n".join(pieces)


def named(prefix: str, name: str, code: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(prefix + name)}(?![\w/{{.-])", code) is not None


def test_the_lists_are_read():
    assert {"build", "serve", "history"} <= set(cli_commands())
    assert {"pdf", "test", "serve"} <= set(make_targets())
    assert {"GET /healthz", "POST /leaflets/{leaflet}/{lang}.pdf"} <= set(http_routes())


@pytest.mark.parametrize("command", cli_commands())
def test_every_command_is_documented(command):
    assert named("leaflet ", command, code_in(*DOCS)), (
        f"'leaflet {command}' is not documented: name it in code (`leaflet {command}`) in README.md or docs/*.md")


@pytest.mark.parametrize("target", make_targets())
def test_every_make_target_is_documented(target):
    assert named("make ", target, code_in(*DOCS)), (
        f"'make {target}' is not documented: name it in code (`make {target}`) in README.md or docs/*.md")


@pytest.mark.parametrize("route", http_routes())
def test_every_http_route_is_documented(route):
    assert named("", route, code_in(HTTP_API)), (
        f"'{route}' is not documented: name it in code (`{route}`) in docs/http-api.md, with a curl example")
