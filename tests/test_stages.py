"""The package's layout is its pipeline: each stage imports only the stages before it.

source -> catalogs -> render -> builder, with the shared base under them and the front
ends (cli, doctor, proofs, counter) on top. Imports inside functions count too: a lazy
import of a later stage is still an upward dependency.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "leaflet"

#: Every module's layer; a module may import its own layer or a lower one, never a higher one.
LAYERS = {
    "leaflet": 0, "leaflet.errors": 0, "leaflet.files": 0, "leaflet.characters": 0, "leaflet.languages": 0,
    "leaflet.project": 0, "leaflet.verdicts": 0, "leaflet.coverage": 0,
    "leaflet.source": 1,
    "leaflet.catalogs": 2,
    "leaflet.localized": 3,
    "leaflet.render": 4,
    "leaflet.editions": 5,  # made from the localized leaflet beside the print (render's helpers)
    "leaflet.builder": 5, "leaflet.printer": 5,  # sends built PDFs to CUPS
    "leaflet.cli": 6, "leaflet.__main__": 6, "leaflet.doctor": 6, "leaflet.proofs": 6, "leaflet.counter": 6,
}
STAGES = ["leaflet.source", "leaflet.catalogs", "leaflet.localized", "leaflet.render", "leaflet.editions",
          "leaflet.builder", "leaflet.proofs", "leaflet.counter"]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


class NoLayer(KeyError):
    pass


def layer_of(module: str) -> int:
    """The layer of a module: its own entry, else its stage package's (``leaflet.render`` for
    ``leaflet.render.pdf``). Never the bare ``leaflet`` entry: a new package must be placed."""
    parts = module.split(".")
    for length in range(len(parts), 1, -1):
        if (name := ".".join(parts[:length])) in LAYERS:
            return LAYERS[name]
    if module in LAYERS:
        return LAYERS[module]
    raise NoLayer(f"{module} is in no layer: add it, or its package, to LAYERS in tests/test_stages.py")


def imports_of(path: Path, *, top_level_only: bool = False) -> set[str]:
    """The leaflet modules a file imports (``from x import y`` counts ``x.y`` when that is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    if top_level_only:  # imports under `if TYPE_CHECKING:` never run
        nodes = [n for n in nodes if not isinstance(n, ast.If)]
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "leaflet"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "leaflet":
            assert node.level == 0, f"{path}: relative import; leaflet imports by full name"
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in MODULES else node.module)
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_has_a_layer(module):
    assert layer_of(module) in range(7)


def test_a_new_package_has_no_layer_until_it_is_placed():
    with pytest.raises(NoLayer, match="leaflet.signs.video is in no layer"):
        layer_of("leaflet.signs.video")
    assert layer_of("leaflet.render.pdf") == LAYERS["leaflet.render"]


def test_every_stage_is_a_package():
    assert set(STAGES) <= set(MODULES)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_a_later_stage(module):
    # ``leaflet/__init__`` is the facade: it names leaflet.build for type checkers and imports it on first use.
    imported = imports_of(MODULES[module], top_level_only=module == "leaflet")
    upward = sorted(m for m in imported if layer_of(m) > layer_of(module))
    assert not upward, f"{module} (layer {layer_of(module)}) imports later stages: {upward}"


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules around it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node], _ = 1, path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node], _ = 2, path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_find_cycle_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycle_between_modules():
    graph = {m: {i for i in imports_of(p, top_level_only=True) if i in MODULES and i != m} for m, p in MODULES.items()}
    # A package's __init__ is imported before any module in it: that edge is not an import cycle.
    graph = {m: {i for i in deps if not m.startswith(i + ".")} for m, deps in graph.items()}
    assert find_cycle(graph) is None


def test_no_import_cycle_between_stages():
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        stage = next((s for s in STAGES if module == s or module.startswith(s + ".")), None)
        if stage:
            graph.setdefault(stage, set()).update(
                s for i in imports_of(path) for s in STAGES if (i == s or i.startswith(s + ".")) and s != stage)
    assert find_cycle(graph) is None


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_imports_on_its_own_and_loads_no_later_stage(stage):
    later = [s for s in STAGES if layer_of(s) > layer_of(stage)]
    code = (f"import sys, {stage}\n"
            f"loaded = [s for s in {later!r} if s in sys.modules]\n"
            "print(','.join(loaded))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          cwd=PACKAGE.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"importing {stage} loaded {done.stdout.strip()}"


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_says_what_goes_in_and_what_comes_out(stage):
    docstring = ast.get_docstring(ast.parse((PACKAGE / stage.split(".")[1] / "__init__.py").read_text()))
    assert docstring and len(docstring.split()) >= 20, f"{stage}/__init__.py needs a docstring: what in, what out"


def test_importing_leaflet_loads_no_stage():
    code = "import sys, leaflet; print(sorted(m for m in sys.modules if m.startswith('leaflet.')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=PACKAGE.parent)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


def test_the_wheel_finds_every_package():
    """pyproject.toml finds packages instead of listing them: a new stage is never left out."""
    import tomllib

    from setuptools import find_packages

    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    found = set(find_packages(str(PACKAGE.parent), **config["tool"]["setuptools"]["packages"]["find"]))
    packages = {module_name(p) for p in PACKAGE.rglob("__init__.py")}
    assert found == packages
