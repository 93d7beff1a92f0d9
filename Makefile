# leaflet: build printable patient leaflets.
#
#   make pdf LANG=es     build every leaflet in Spanish (output/es/<leaflet>.pdf)
#   make pdf LANG=es LEAFLET=zolpidem   one medicine
#   make pdf             build every leaflet in every language
#   make pdf LANG=ar PHARMACY=pharmacy.example.toml PAPER=letter LARGE_PRINT=1 BILINGUAL=1
#   make editions        standard, large-print and bilingual editions of everything
#   make preflight       check every PDF in output/ page by page (fonts, page flow, margins, type, text layer)
#   make stress          build the personalised stress set (right-to-left, bn, my, ko; long names, mixed text)
#   make test            lint (ruff), types (mypy --strict), then the test suite
#   make check / stats   check the catalogs / show what is left to translate
#   make proofs          output/proofs/contact-sheet-<leaflet>.png, one per leaflet (ALL=1 for every page)
#   make proof LANG=es   output/es/diazepam.review.pdf, for a translation's reviewer
#   make preview LANG=es output/es/html/diazepam.html, the print layout in a browser (for translators)
#   make audio LANG=es   output/es/diazepam.mp3, the leaflet read aloud (espeak-ng)
#   make braille LANG=es output/es/diazepam.brf, braille for an embosser (liblouis)
#   make html LANG=es    output/es/diazepam.html, the accessible web page
#   make epi LANG=es     output/es/diazepam.epi.json, the leaflet as a FHIR R5 ePI document Bundle
#   make doctor          is this machine ready? one line per requirement, ok or missing
#   make conformance     read every Django and Sphinx catalog as GNU msgfmt does (downloads them once)
#   make lock            refresh requirements.lock on purpose (UPGRADE=1 or UPGRADE=babel)
#   make serve           the pharmacy counter on http://127.0.0.1:8000/ (PORT=8080 PHARMACY=file.toml)
#   make bench-serve     load-test the counter (also part of make bench); docs/benchmarks.md
#   make bench-startup   whole-process leaflet build vs bare WeasyPrint (also part of make bench)
#
# Both set themselves up on a fresh machine: a .venv from requirements.lock (hashes),
# and (as root) the Debian packages in leaflet/system.toml through apt-get.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
LOCK_VENV := .venv-lock
PIP_TOOLS := 7.6.2
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check
SYSTEM_STAMP := $(VENV)/.system-ok

# `make pdf LANG=es` exports LANG=es to every command, and "es" is no POSIX
# locale: run the tools under C.UTF-8 and pass the language as an argument.
# A LANG inherited from the shell (en_US.UTF-8) must not pick a language.
export LC_ALL := C.UTF-8
#
# Values typed on the command line (LANG, PAPER, PHARMACY) reach the commands
# through the environment, as "$$LANG", never pasted into the shell's text:
# LANG='`touch x`' or PHARMACY='$$(touch x)' stay plain strings.
ifeq ($(origin LANG),command line)
  LANG_ARGS := --lang "$$LANG"
  LANG_ARG := "$$LANG"
  LANG_ARG_VALUE := $(LANG)
else
  LANG_ARGS :=
  LANG_ARG :=
endif
CLI := $(BIN)/leaflet
# LEAFLET=zolpidem: one medicine (default: every leaflet in content/).
ifeq ($(origin LEAFLET),command line)
  LEAFLET_ARGS := --leaflet "$$LEAFLET"
else
  LEAFLET_ARGS :=
endif
export LEAFLET
# Optional: LEAFLET=name, PAPER=a4|letter, PHARMACY=file.toml, LARGE_PRINT=1, BILINGUAL=1, PORT=8000, FILES=a.pdf
export PAPER PHARMACY PORT FILES
BUILD_ARGS := $(LEAFLET_ARGS) $(if $(PAPER),--paper "$$PAPER") $(if $(PHARMACY),--pharmacy "$$PHARMACY") \
              $(if $(LARGE_PRINT),--large-print) $(if $(BILINGUAL),--bilingual)


.PHONY: conformance doctor lock fuzz stress bench bench-startup bench-serve serve html audio braille epi preview proof pdf editions preflight draft test check stats pot po init-po langs proofs setup clean help

help:
	@sed -n 's/^#   //p' Makefile

# One line per requirement (locked packages, libraries, commands, fonts), each ok or missing with its fix.
doctor: $(STAMP)
	$(CLI) doctor

pdf: $(STAMP) $(SYSTEM_STAMP)
	$(CLI) build $(LANG_ARGS) $(BUILD_ARGS)

# Every edition: standard, large print and bilingual (with English), every language; English has
# no bilingual edition (English beside English), so LANG=en makes the other two.
editions: $(STAMP) $(SYSTEM_STAMP)
	$(CLI) build -q $(LANG_ARGS) $(BUILD_ARGS)
	$(CLI) build -q --large-print $(LANG_ARGS) $(BUILD_ARGS)
	$(if $(filter en,$(LANG_ARG_VALUE)),,$(CLI) build -q --bilingual $(LANG_ARGS) $(BUILD_ARGS))

# The leaflets most likely to print wrong, personalised (issue 24): every right-to-left language and bn, my, ko,
# long names in two scripts, a three-line address, 300 characters of mixed free directions; into a temporary
# folder, each checked by its build's preflight; prints each refusal and the figures (LANG=ar for one language).
stress: $(STAMP) $(SYSTEM_STAMP)
	$(BIN)/python scripts/stress.py $(LANG_ARG)

# Every build checks its own PDF; this checks the files already in output/ (or FILES="a.pdf b.pdf").
preflight: $(STAMP) $(SYSTEM_STAMP)
	$(CLI) preflight $$FILES

draft: $(STAMP) $(SYSTEM_STAMP)
	$(CLI) build --draft $(LANG_ARGS) $(BUILD_ARGS)

# Lint and types first (quiet when clean; mypy reads its settings from pyproject.toml), then the tests,
# offline, one process per core (pytest-xdist; a test file stays in one process, so its builds are shared),
# with the 15 slowest listed (the slow groups are marked: slow, browser, fuzz; pytest -m 'not slow').
test: $(STAMP) $(SYSTEM_STAMP)
	@$(BIN)/ruff check --quiet leaflet tests scripts benchmarks
	@$(BIN)/mypy --no-error-summary
	$(BIN)/python -m pytest -q -n auto --dist loadfile --durations=15

check: $(STAMP)
	$(CLI) check $(LANG_ARG)

stats: $(STAMP)
	$(CLI) stats

pot: $(STAMP)
	$(CLI) extract

po: $(STAMP)
	$(CLI) update

init-po: $(STAMP)
	@$(if $(LANG_ARG),:,echo "usage: make init-po LANG=xx" >&2; exit 2)
	$(CLI) init $(LANG_ARG)

langs: $(STAMP)
	@$(CLI) langs

# Many more random inputs than CI runs: 10,000 command lines, profiles, content and catalog
# files (2,500 each), 1,000 requests to the counter's API and 200 leaflets printed with random text.
fuzz: $(STAMP) $(SYSTEM_STAMP)
	FUZZ_INPUT_EXAMPLES=2500 FUZZ_EXAMPLES=100 FUZZ_RANDOM=1 $(BIN)/python -m pytest -q -p no:cacheprovider \
	  tests/test_fuzz_input.py tests/test_fuzz_api.py tests/test_fuzz.py --hypothesis-show-statistics

# leaflet's .po reader against GNU msgfmt on every catalog of pinned Django and Sphinx releases,
# downloaded once (checked against pinned SHA-256) into $LEAFLET_CONFORMANCE_CACHE or /tmp/leaflet-conformance;
# make test then reads the whole corpus too (offline it reads the sample in tests/data/conformance-sample).
conformance: $(STAMP) $(SYSTEM_STAMP)
	$(BIN)/python scripts/conformance.py

# Speed and memory against bare WeasyPrint: prints a table, writes docs/benchmarks.md;
# then the counter under load (500 requests, 4 at a time, on 127.0.0.1), added to the same file.
bench: $(STAMP) $(SYSTEM_STAMP)
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/bench_serve.py

bench-startup: $(STAMP) $(SYSTEM_STAMP)
	$(BIN)/python benchmarks/bench.py startup

bench-serve: $(STAMP) $(SYSTEM_STAMP)
	$(BIN)/python benchmarks/bench_serve.py

# The pharmacy counter: a page and an HTTP API on 127.0.0.1 (PORT=8000 by default; PHARMACY=file.toml).
serve: $(STAMP) $(SYSTEM_STAMP)
	$(CLI) serve $(if $(PORT),--port "$$PORT") $(if $(PHARMACY),--pharmacy "$$PHARMACY")

# The editions for patients who cannot read print, made from the same translated leaflet
# (every language that has one without LANG; PHARMACY=file.toml adds the pharmacy).
audio braille html epi: $(STAMP) $(SYSTEM_STAMP)
	$(CLI) build --edition $@ $(LANG_ARGS) $(LEAFLET_ARGS) $(if $(PHARMACY),--pharmacy "$$PHARMACY")

# For translators: an HTML preview of the print with its CSS and fonts; a review proof (English | translation).
preview: $(STAMP) $(SYSTEM_STAMP)
	@$(if $(LANG_ARG),:,echo "usage: make preview LANG=xx" >&2; exit 2)
	$(CLI) preview $(LANG_ARG)

proof: $(STAMP) $(SYSTEM_STAMP)
	@$(if $(LANG_ARG),:,echo "usage: make proof LANG=xx" >&2; exit 2)
	$(CLI) proof $(LANG_ARG) $(if $(PAPER),--paper "$$PAPER") $(if $(SINCE_REVIEW),--since-review)

# Pictures of the first page of every leaflet (ALL=1: every page) and a contact sheet.
proofs: pdf
	$(CLI) proofs $(if $(ALL),--all-pages)

setup: $(STAMP) $(SYSTEM_STAMP)

# Exact versions and hashes from the lock (pip refuses anything else), then leaflet itself.
$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes -r $(LOCK)
	$(PIP) install --no-deps --no-build-isolation -e .
	@touch $@

# Refresh the lock on purpose: keeps every pin that still satisfies pyproject.toml;
# UPGRADE=1 takes the newest of everything, UPGRADE=babel only Babel. Review, then make test.
lock:
	@test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && \
	  $(LOCK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check pip-tools==$(PIP_TOOLS); }
	$(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --all-build-deps --extra=test \
	  --no-strip-extras --no-emit-index-url --no-emit-find-links --output-file=$(LOCK) \
	  $(if $(filter 1,$(UPGRADE)),--upgrade,$(foreach p,$(UPGRADE),--upgrade-package=$(p))) pyproject.toml

$(SYSTEM_STAMP): scripts/setup-system.sh leaflet/system.toml
	@mkdir -p $(VENV)
	PYTHON=$(PYTHON) bash scripts/setup-system.sh
	@touch $@

clean:
	rm -rf output
