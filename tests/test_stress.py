"""A sample of the personalised stress set (``make stress``, scripts/stress.py) in every run of
the suite: the cases that printed wrong before issue 24, each built and passed by its preflight."""

from __future__ import annotations

import runpy

import pytest
from conftest import REPO, pdf_text, squeeze

STRESS = runpy.run_path(str(REPO.root / "scripts" / "stress.py"), run_name="stress")


@pytest.mark.slow
@pytest.mark.parametrize("case", [
    ("ar", "diazepam", "large", "letter", 1),  # the patient's block runs on to page 2; an Arabic name, count 999
    ("ko", "zolpidem", "large", "a4", 1),  # an Arabic name on a Korean leaflet (a fallback font)
    ("my", "diazepam", "bilingual", "letter", 0),  # Burmese beside English under a long patient's block
    ("bn", "diazepam", "standard", "a4", 0),  # Bengali free directions (glyphs in another order)
    ("ur", "zolpidem", "bilingual", "a4", 0),  # the pharmacy's box may start the last page
], ids=lambda case: "-".join(map(str, case)))
def test_a_stress_leaflet_builds_and_passes_its_preflight(shared_project, tmp_path, case):
    (tmp_path / "pharmacy.toml").write_text(STRESS["PHARMACY"], encoding="utf-8")
    directions = STRESS["free_directions"](shared_project, case[0])
    assert len(directions) == 300
    name, code, said = STRESS["build_one"](case, str(tmp_path), directions, shared_project.root)
    assert code == 0, said
    text = squeeze(pdf_text(tmp_path / name))
    assert "ext.123" in text and "https://www.nhs.uk/medicines/diazepam/" in text
    patient, count = STRESS["PATIENTS"][case[4]]
    assert squeeze(patient) in text or case[0] in ("ar", "ur")  # an Arabic name reads in logical order
