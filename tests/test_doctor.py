"""leaflet doctor, the declared system requirements, the lock file and an installed (not editable) leaflet."""

import os
import re
import subprocess
import sys
import tomllib

import pytest
from conftest import REPO, run_cli
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from leaflet import doctor
from leaflet.doctor import debian_packages, declared, read_lock
from leaflet.languages import LANGUAGES

LOCK = REPO.root / "requirements.lock"
PYPROJECT = tomllib.loads((REPO.root / "pyproject.toml").read_text(encoding="utf-8"))


def test_doctor_finds_everything_on_a_set_up_machine(capsys):
    code, out, _ = run_cli(capsys, "doctor")
    lines = out.splitlines()
    assert code == 0 and lines[-1].startswith(f"{len(lines) - 1} of {len(lines) - 1} ok")
    for wanted in (r"^ok +Python babel \d", r"^ok +library Pango +1\.\d+", r"^ok +library HarfBuzz subset",
                   r"^ok +command msgfmt", r"^ok +command pdftoppm", r"^ok +fonts for Arabic \(ar, fa, ps, ur\)",
                   r"^ok +fonts for Han \(traditional\) \(zh_Hant\) +Noto Sans CJK TC"):
        assert any(re.search(wanted, line) for line in lines), wanted


@pytest.fixture
def missing_library(monkeypatch):
    """The declared list with a library no machine has, as a newcomer lacks HarfBuzz subset."""
    data = {**declared(), "library": [*declared()["library"], {
        "name": "Imaginary", "debian": "libimaginary0", "files": ["libimaginary.so.0"], "needed_by": "build"}]}
    monkeypatch.setattr(doctor, "declared", lambda: data)
    doctor._build_findings.cache_clear()
    yield
    doctor._build_findings.cache_clear()


def test_doctor_names_what_is_missing_and_how_to_install_it(capsys, missing_library):
    code, out, _ = run_cli(capsys, "doctor")
    assert code == 1
    line = next(line for line in out.splitlines() if "Imaginary" in line)
    assert re.match(r"^missing +library Imaginary +libimaginary\.so\.0 not found; "
                    r"fix: (sudo )?apt-get install -y --no-install-recommends libimaginary0$", line)
    assert out.splitlines()[-1].endswith("1 missing that a build needs")


def test_build_names_a_missing_library_before_it_starts(capsys, project, missing_library):
    code, _, err = run_cli(capsys, "--project", project.root, "build", "--lang", "es")
    assert code == 1
    assert err.strip() == ("Error: this machine lacks what a build needs: library Imaginary "
                           f"(install with: {doctor.apt_command(['libimaginary0'])}; "
                           "'leaflet doctor' checks everything)")
    assert not project.output_file("es", "diazepam").exists()


def test_doctor_reports_a_package_at_another_version_than_the_lock(tmp_path):
    (tmp_path / "requirements.lock").write_text("babel==0.0.1 \\\n    --hash=sha256:00\n", encoding="utf-8")
    [finding] = doctor.package_findings(tmp_path / "requirements.lock")
    assert not finding.ok and finding.needed_by == "build"
    assert str(finding).startswith("missing  Python babel 0.0.1  ")
    assert "is installed, the lock says 0.0.1" in str(finding)


def test_every_shipped_font_package_is_declared():
    fonts = {item["debian"] for item in declared()["fonts"]}
    assert {lang.font_package for lang in LANGUAGES.values()} <= fonts


def test_every_library_weasyprint_needs_is_declared():
    ffi = (REPO.root / ".venv/lib").glob("python3*/site-packages/weasyprint/text/ffi.py")
    source = next(ffi).read_text(encoding="utf-8")
    loaded = set(re.findall(r"'(lib[\w.+-]+\.so\.\d+)'", source))
    optional = {"libharfbuzz-vector.so.0"}  # HarfBuzz 10 and later; WeasyPrint does without it
    declared_files = {name for item in declared()["library"] for name in item["files"]}
    assert loaded - optional <= declared_files


def test_setup_script_installs_the_declared_packages():
    script = (REPO.root / "scripts/setup-system.sh").read_text(encoding="utf-8")
    assert "leaflet/system.toml" in script and "apt-get install" in script
    assert {"libharfbuzz-subset0", "poppler-utils", "gettext", "fonts-noto-cjk"} <= set(debian_packages())


# -- the lock ---------------------------------------------------------------------------

def _requirements() -> list[Requirement]:
    project = PYPROJECT["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"],
              *PYPROJECT["build-system"]["requires"]]
    return [Requirement(text) for text in wanted]


@pytest.mark.parametrize("requirement", _requirements(), ids=str)
def test_lock_pins_every_requirement_of_pyproject_within_its_range(requirement):
    pins = read_lock(LOCK)
    name = canonicalize_name(requirement.name)
    assert name in pins, f"{name} is in pyproject.toml but not in requirements.lock: run 'make lock'"
    assert requirement.specifier.contains(pins[name], prereleases=True), \
        f"requirements.lock pins {name}=={pins[name]}, pyproject.toml asks {requirement}: run 'make lock'"


def test_every_pin_has_hashes_and_nothing_floats():
    entries = re.split(r"\n(?=[a-z0-9])", LOCK.read_text(encoding="utf-8"))
    pins = [entry for entry in entries if re.match(r"[a-z0-9]", entry)]
    assert len(pins) == len(read_lock(LOCK)) > 20
    for entry in pins:
        assert "==" in entry.splitlines()[0] and "--hash=sha256:" in entry, entry.splitlines()[0]


def test_the_makefile_installs_from_the_lock_with_hashes():
    makefile = (REPO.root / "Makefile").read_text(encoding="utf-8")
    assert "install --require-hashes -r $(LOCK)" in makefile
    assert "install --no-deps --no-build-isolation -e ." in makefile


# -- leaflet installed from a wheel, not from the checkout -----------------------------------

@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(REPO.root)], check=True, capture_output=True)
    return target


def _run_installed(installed, cwd, *args):
    env = {**os.environ, "PYTHONPATH": str(installed)}
    env.pop("LEAFLET_PROJECT", None)
    return subprocess.run([sys.executable, "-m", "leaflet", *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_an_installed_leaflet_builds_a_project_it_is_given(installed, project, tmp_path):
    result = _run_installed(installed, tmp_path, "--project", str(project.root), "build", "--lang", "es", "-q")
    assert result.returncode == 0, result.stderr
    assert project.output_file("es", "diazepam").stat().st_size > 10_000
    probe = subprocess.run([sys.executable, "-c", "import leaflet; print(leaflet.__file__)"], cwd=tmp_path,
                           env={**os.environ, "PYTHONPATH": str(installed)}, capture_output=True, text=True)
    assert probe.stdout.startswith(str(installed)), "the test must run the installed copy, not the checkout"


def test_an_installed_leaflet_outside_a_project_says_what_to_pass(installed, tmp_path):
    result = _run_installed(installed, tmp_path, "build", "--lang", "es")
    assert result.returncode == 2
    assert result.stderr.strip() == ("Error: no leaflet project here (pass --project DIR (a folder with content/, "
                                     "locales/ and templates/), set LEAFLET_PROJECT, or run leaflet inside a project)")
