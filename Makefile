# Two commands matter: `make demo` and `make test`. Everything else is a step they use.
SHELL := /bin/bash
# The main line: the newest stable ansible-core (requirements-dev.txt names its minor line, 2.21 today) on the newest
# Python this machine has, 3.12 or newer (ansible-core 2.20 and later need one on the controller), found on PATH or
# under ~/.pyenv; `make PYTHON=/path/to/python3.X ...` names another. Without one, `make demo` runs on ansible-core
# 2.19 with python3 (FALLBACK_VENV) and says so; every other target stops at the venv, naming the missing Python.
# The other lines (2.16, 2.19 on Python 3.11, 2.20, the newest pre-release) are tools/matrix.sh's.
MAIN_CORE := $(shell sed -n 's/^ansible-core>=\([0-9.]*\).*/\1/p' requirements-dev.txt)
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell tools/find_python.sh 3.14 3.13 3.12)
endif
VENV ?= .venv
BIN := $(VENV)/bin
RELEASE_VENV ?= .venv-release
BUILD := build
COLLECTIONS := $(BUILD)/collections
DEV_COLLECTIONS := $(BUILD)/dev
VERSION := $(shell sed -n 's/^version: *//p' galaxy.yml)
TARBALL := $(BUILD)/sycorr-permission_assist-$(VERSION).tar.gz
COLLECTION_FILES := $(shell git ls-files plugins extensions roles playbooks meta docs changelogs tests/config.yml galaxy.yml \
	README.md CHANGELOG.rst requirements.txt 2>/dev/null)
export ANSIBLE_COLLECTIONS_PATH := $(abspath $(COLLECTIONS))
PYTEST := $(BIN)/python -m pytest -p no:cacheprovider
# pytest-xdist: one worker per core of this 2-core machine (tools/matrix.sh does the same for each line)
PYTEST_WORKERS := -n 2 --dist worksteal

.PHONY: venv setup demo demo-run test units eda-tests java emulator-tests integration molecule sanity lint docs-lint docs release-check matrix \
	build clean emulator bench ee-context ee-check awx-collection tools-tests coverage

# Made anew (rm -rf) whenever a requirements file changes, so a move to a newer Python or ansible-core line never
# lands on an old venv; `rm -rf .venv` after installing a newer Python picks that one.
VENV_INSTALL ?= -r requirements-dev.txt
venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-docs.txt requirements-eda.txt
	@[ -n "$(PYTHON)" ] || { echo "make: ansible-core $(MAIN_CORE) (the main line) needs Python 3.12 or newer:" \
		"none found on PATH or under ~/.pyenv; install one (e.g. pyenv install 3.13) or name it with" \
		"PYTHON=/path/to/python3.13 (make demo runs on ansible-core 2.19 without one)"; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet $(VENV_INSTALL)
	touch $@

# galaxy-importer pins attrs<24 and flake8<7: it gets a venv of its own (on the main line's Python).
$(RELEASE_VENV)/.installed: requirements-release.txt
	rm -rf $(RELEASE_VENV)
	$(or $(PYTHON),python3) -m venv $(RELEASE_VENV)
	$(RELEASE_VENV)/bin/pip install --quiet --upgrade pip
	$(RELEASE_VENV)/bin/pip install --quiet -r requirements-release.txt
	touch $@

# The collection as users get it: a built tarball, installed where ansible finds it.
build: $(COLLECTIONS)/.installed
$(COLLECTIONS)/.installed: $(VENV)/.installed $(COLLECTION_FILES) galaxy.yml
	rm -rf $(COLLECTIONS) $(BUILD)/*.tar.gz
	mkdir -p $(BUILD)
	$(BIN)/ansible-galaxy collection build --force --output-path $(BUILD) .
	$(BIN)/ansible-galaxy collection install --force -p $(COLLECTIONS) $(TARBALL)
	touch $@

# awx.awx (from the Ansible community package on PyPI: Galaxy is not needed) for the checks of awx/configure_awx.yml.
AWX_COLLECTIONS := $(abspath $(BUILD))/awx
awx-collection: $(AWX_COLLECTIONS)/.installed
$(AWX_COLLECTIONS)/.installed: requirements-awx.txt $(VENV)/.installed
	rm -rf $(AWX_COLLECTIONS) && mkdir -p $(AWX_COLLECTIONS)/wheel
	$(BIN)/pip download --quiet --no-deps -r requirements-awx.txt -d $(AWX_COLLECTIONS)/wheel
	$(BIN)/python tools/awx_collection.py $(AWX_COLLECTIONS)/wheel $(AWX_COLLECTIONS)
	rm -rf $(AWX_COLLECTIONS)/wheel
	touch $@

# The demo on the main line; on a machine without Python 3.12+, on ansible-core 2.19 with python3, in a venv of its
# own with only what the demo needs (under build/, which the collection tarball and the linters leave out).
FALLBACK_VENV := $(BUILD)/venv-2.19
ifeq ($(PYTHON),)
demo:
	@echo "make demo: no Python 3.12 or newer here for ansible-core $(MAIN_CORE): running on ansible-core 2.19 with" \
		"$$(python3 --version) instead"
	@$(MAKE) --no-print-directory demo-run PYTHON=python3 VENV=$(FALLBACK_VENV) \
		VENV_INSTALL='-r requirements.txt "ansible-core>=2.19,<2.20"'
else
demo: demo-run
endif
demo-run: build
	PATH="$(abspath $(BIN)):$$PATH" ./tools/with_emulator.sh --build-seconds 15 -- ./tools/demo.sh

emulator: venv
	PYTHONPATH=emulator $(BIN)/python -m pa_emulator --port 8642

# Every stage, longest first: tools/run_stages.py runs `make setup` alone, then TEST_JOBS stages at a time (this
# machine has 2 cores; integration and each matrix line run pytest with 2 workers too), prints each stage's output whole
# when it ends, and a table of times at the end; it fails when any stage failed.
# The main line (.venv) runs every test and sanity; the matrix lines here are the oldest supported (2.16), the last on
# Python 3.11 (2.19) and the newest pre-release (2.22.0rc1 today). Not here, for the 6-minute budget on this 2-core
# machine (CPU-bound: every stage's CPU time counts), but in `make matrix`: 2.20, between the 2.19 line and the main line
# with the same templating engine (`make matrix-2.20`, about 35 CPU-seconds), and sanity on the pre-release
# (`make matrix-sanity`, about 50). ansible-navigator runs the ready
# stage playbook once (--ee false), in integration: the example of docs/docsite/rst/guide_navigator.rst.
TEST_STAGES := integration ee-image matrix-2.16 units sanity matrix-2.19 matrix-2.22 eda-tests molecule \
	release-check emulator-tests lint docs-lint docs tools-tests
TEST_JOBS ?= 2
test:
	MAKE="$(MAKE)" python3 tools/run_stages.py --setup setup --jobs $(TEST_JOBS) $(TEST_STAGES)

# What the stages need installed, made before make test's clock starts: the venvs (the main one, the release checks',
# one per matrix line, and ansible-test's own for sanity and units), awx.awx, a Java runtime, the collection built and
# installed under build/, and the EE and DE images. Each step does nothing when its result is already there.
# ansible-test units has no --prime-venvs: one small test file makes its venvs (the units stage then runs them all).
setup: venv $(RELEASE_VENV)/.installed awx-collection java build ee-build
	./tools/sanity/run.sh $(abspath $(VENV)) sanity --prime-venvs
	$(UNITS) tests/unit/test_layering.py
	./tools/matrix.sh --venvs

# The unit tests through ansible-test, as the issue asks; `$(PYTEST) tests/unit` is the quick loop.
# A state directory of its own: make test runs it beside the sanity stage, which would hold the default one's lock.
# On the main line's Python: ansible-core 2.20+ runs the controller-side unit tests only on a controller Python.
UNITS = SANITY_STATE_DIR=$${XDG_CACHE_HOME:-$$HOME/.cache}/sycorr-permission_assist-units \
	SANITY_PYTHON=$$($(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])') \
		./tools/sanity/run.sh $(abspath $(VENV)) units
units: venv
	$(UNITS)

emulator-tests: venv
	$(PYTEST) tests/emulator

# The EDA source (extensions/eda/plugins/event_source/import_events.py): its unit tests against the emulator, and the
# shipped rulebook run by the real ansible-rulebook CLI with the installed collection. ansible-rulebook needs Java.
eda-tests: build java
	$(PYTEST) tests/eda

# A Java runtime for ansible-rulebook: Debian's openjdk-17-jre-headless is installed where absent (as root), else the
# stage fails saying what to install.
java:
	./tools/eda/ensure_java.sh

# The project's own tooling (tools/): the sanity runner's preflight, ensure_java.sh and ee_image.py.
tools-tests: venv
	$(PYTEST) tests/tools

# (java: the documented rulebook examples run under ansible-rulebook.)
integration: build awx-collection java
	$(PYTEST) $(PYTEST_WORKERS) tests/e2e

# Molecule scenarios of the roles (roles/*/molecule/default), on localhost against a fresh emulator.
molecule: build
	PATH="$(abspath $(BIN)):$$PATH" ./tools/with_emulator.sh -- ./tools/molecule.sh

# Line and branch coverage of plugins/ (coverage.py, tools/coverage/coveragerc), written to build/coverage/ and
# printed. The in-process tests are measured directly. The end-to-end tests' ansible and ansible-playbook processes,
# their forked workers (action plugins) and the modules they run (AnsiballZ, from a zip under a temporary folder) are
# Python processes too: PYTHONPATH puts tools/coverage/sitecustomize.py first and COVERAGE_PROCESS_START makes each
# of them measure itself (ansible-test's own module coverage is private and changes between ansible-core lines; this
# works on every line). tools/coverage/reportrc maps every copy of the collection back to plugins/.
# `make coverage COVERAGE_TESTS=tests/unit` measures the in-process tests alone (a minute instead of six or more).
# Each folder is its own pytest run, with 2 workers (tests/eda and tests/e2e both hold a test_docs.py); the workers
# measure themselves like any other process (the figures are the same as a serial run's).
# A failed test still gets the report printed (marked as possibly undercounting), and the target fails. A process
# killed mid-save (the SIGINT/SIGTERM tests) leaves a data file combine cannot read: it is skipped with a warning.
COVERAGE_TESTS ?= tests/unit tests/e2e tests/eda
COVERAGE_DIR := $(abspath $(BUILD))/coverage
COVERAGE_RC := $(abspath tools/coverage/coveragerc)
COVERAGE_REPORT := PA_COVERAGE_ROOT=$(CURDIR) COVERAGE_RCFILE=$(abspath tools/coverage/reportrc) \
	COVERAGE_FILE=$(COVERAGE_DIR)/.coverage $(BIN)/coverage
coverage: build awx-collection java
	rm -rf $(COVERAGE_DIR) && mkdir -p $(COVERAGE_DIR)
	for tests in $(COVERAGE_TESTS); do \
		PA_COVERAGE_ROOT=$(CURDIR) COVERAGE_RCFILE=$(COVERAGE_RC) COVERAGE_PROCESS_START=$(COVERAGE_RC) \
		COVERAGE_FILE=$(COVERAGE_DIR)/.coverage PYTHONPATH=$(abspath tools/coverage)$${PYTHONPATH:+:$$PYTHONPATH} \
		$(PYTEST) $(PYTEST_WORKERS) $$tests || echo $$? > $(COVERAGE_DIR)/tests-failed; \
	done
	$(COVERAGE_REPORT) combine --quiet
	$(BIN)/python tools/coverage/summary.py touch $(COVERAGE_DIR)/.coverage plugins
	$(COVERAGE_REPORT) report --sort=cover | tee $(COVERAGE_DIR)/report.txt
	$(COVERAGE_REPORT) json --quiet -o $(COVERAGE_DIR)/coverage.json
	$(BIN)/python tools/coverage/summary.py print $(COVERAGE_DIR)/coverage.json | tee -a $(COVERAGE_DIR)/report.txt
	@if [ -f $(COVERAGE_DIR)/tests-failed ]; then \
		echo "coverage: pytest failed (exit $$(cat $(COVERAGE_DIR)/tests-failed)): the figures above may undercount"; \
		exit 1; fi

sanity: venv
	./tools/sanity/run.sh $(abspath $(VENV)) sanity

matrix: build
	./tools/matrix.sh

# One part of the matrix: matrix-2.16, matrix-2.19, matrix-2.20, matrix-2.22 or matrix-sanity (make test runs all but
# 2.20 as stages of their own).
matrix-%: build
	./tools/matrix.sh $*

# `ansible-lint` exactly as users and the ansible-lint GitHub action run it: at the root, no arguments; the profile
# (production), strict mode (warnings fail) and exclusions are in .ansible-lint. It installs this tree as a collection
# into $$ANSIBLE_HOME/collections and lints that copy: a home of its own under build/ (and nothing else on the path)
# keeps it off ~/.ansible, which every checkout here shares.
LINT_HOME := $(abspath $(BUILD))/lint-home
lint: venv
	ANSIBLE_HOME=$(LINT_HOME) ANSIBLE_COLLECTIONS_PATH=$(LINT_HOME)/collections $(BIN)/ansible-lint

# Module, role and extra docs (docs/docsite/) as the docsite renders them: markup, references, RST.
docs-lint: venv
	./tools/docs/lint.sh $(abspath $(VENV)) $(BUILD)/docs-lint

# The docsite of the installed collection, built offline: build/docs/build/html/index.html.
docs: build
	./tools/docs/build.sh $(VENV) $(BUILD)/docs
	@echo "docs: $(BUILD)/docs/build/html/index.html"

# What Galaxy checks on upload, run on the built tarball.
release-check: build $(RELEASE_VENV)/.installed
	./tools/release_check.sh $(RELEASE_VENV) $(TARBALL)

# The execution environment's build context (execution-environment/): the tarball of galaxy.yml's version under the
# version-free name the EE's requirements.yml names, then `ansible-builder create` into build/ee-context.
ee-context: build
	mkdir -p $(BUILD)/ee
	cp $(TARBALL) $(BUILD)/ee/sycorr-permission_assist.tar.gz
	$(BIN)/ansible-builder create -f execution-environment/execution-environment.yml --context $(BUILD)/ee-context

# Without a container engine: replay the context's collection and Python steps (tools/ee_check.py says how). Not in
# make test: the ee-image stage builds and runs the real images, which does all of this for real.
ee-check: ee-context
	$(BIN)/python tools/ee_check.py --bin $(abspath $(BIN)) --context $(abspath $(BUILD))/ee-check
	$(BIN)/python tools/ee_check.py --bin $(abspath $(BIN)) --context $(abspath $(BUILD))/de-check \
		--definition execution-environment/decision-environment.yml

# Speed and request budgets, printed (never asserted): the role against the floor and a uri loop over N applications
# (100 and 1,000 unless N is given), what a wait for 50 imports costs (list requests per poll, final reads), and
# upload throughput and peak RSS against ansible.builtin.uri (UPLOAD_MB, default 100).
bench: build
	$(BIN)/python benchmarks/stage_many.py $(or $(N),100 1000)
	$(BIN)/python benchmarks/stage_many.py 50 --wait
	$(BIN)/python benchmarks/upload.py $(or $(UPLOAD_MB),100)

clean:
	rm -rf $(BUILD) $(VENV) .venv-matrix $(RELEASE_VENV) tests/output

# The EE and DE as real images, built with podman from execution-environment/ (tools/ee_image.py says how, and which
# base: the definition's own where its registry serves it, else a local Debian base from the Debian mirror).
# ee-build (part of make setup, outside make test's clock): podman, runc and mmdebstrap installed where absent (as root,
# tools/ee_ensure_podman.sh), then each image built unless its build context and base are unchanged (a rebuild after
# a change to the definitions or the collection). Podman's storage is build/ee-image/podman (make clean removes it).
# ee-image (a make test stage): the runs inside the images against the emulator, each step timed: ansible-doc, the
# stage playbook with a wait, the cancel playbook from a stage report, ansible-navigator run with the EE, and
# ansible-rulebook in the DE reacting to a failed import. No engine that runs: one line saying why, and it fails.
# Second in TEST_STAGES, beside integration: it takes about a minute but mostly waits (for the emulator's builds, for
# Java to start), about 30 CPU-seconds in all, while integration's two workers keep both cores busy.
EE_IMAGE := $(BIN)/python tools/ee_image.py --bin $(abspath $(BIN))
.PHONY: ee-build ee-image
ee-build: build
	./tools/ee_ensure_podman.sh
	$(EE_IMAGE) build

ee-image: ee-build
	$(EE_IMAGE) run
