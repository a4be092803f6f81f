# AI-beleidsbouwer. `make run` serves the site, `make test` runs every check. See README.md.
SHELL := /bin/bash
PORT ?= 8000
export PORT
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTEST_WORKERS ?= 2

.PHONY: run setup install system-deps browser-deps html-checker pdf-deps bench-deps messages compilemessages test test-fast lint check bench clean

$(PY):
	python3 -m venv $(VENV)

# Reinstall only when pyproject.toml changed.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

install: system-deps $(STAMP)

# WeasyPrint needs Pango (and HarfBuzz-subset to subset fonts: fontTools, its fallback, is slower and
# deprecated); the embedded default needs Debian's redis-server. Installed when missing (as root).
system-deps:
	@if ! ldconfig -p | grep -q libpango-1.0.so.0; then \
		echo "Pango ontbreekt; installeren met apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; \
	fi
	@if ! ldconfig -p | grep -q libharfbuzz-subset.so.0; then \
		echo "HarfBuzz-subset ontbreekt (WeasyPrint verkleint er de fonts mee); installeren met apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libharfbuzz-subset0; \
	fi
	@if ! command -v redis-server >/dev/null && [ ! -x /usr/bin/redis-server ]; then \
		echo "redis-server ontbreekt; installeren met apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server; \
	fi
	@if ! command -v msgfmt >/dev/null; then \
		echo "gettext ontbreekt; installeren met apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gettext; \
	fi

# The translations (locale/en/LC_MESSAGES/*.po, Dutch msgids): `make messages` collects new and changed strings
# from the code and templates into the catalogues; translate them there; compilemessages builds the .mo files.
I18N_IGNORE := --ignore=.venv --ignore=var --ignore=node_modules --ignore=static/vendor --ignore=tests --ignore=bench
messages: install
	$(PY) manage.py makemessages -l en --no-obsolete --add-location=file $(I18N_IGNORE)
	$(PY) manage.py makemessages -d djangojs -l en --no-obsolete --add-location=file $(I18N_IGNORE)
	@$(MAKE) --no-print-directory compilemessages

compilemessages: install
	@$(PY) manage.py compilemessages -v0 $(I18N_IGNORE)

# The browser tests validate every page they see with the Nu HTML Checker (vnu-jar, pinned in package.json)
# on Java; Debian's JRE and npm are installed when missing (as root).
HTML_CHECKER := node_modules/vnu-jar/build/dist/vnu.jar
html-checker: $(HTML_CHECKER)
$(HTML_CHECKER): package.json package-lock.json
	@if ! command -v java >/dev/null; then \
		echo "Java ontbreekt; installeren met apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends default-jre-headless; \
	fi
	@if ! command -v npm >/dev/null; then \
		echo "npm ontbreekt; installeren met apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm; \
	fi
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

# The PDF tests run `qpdf --check` on the policy PDF (without qpdf they use pikepdf's check of the same library).
pdf-deps:
	@if ! command -v qpdf >/dev/null; then \
		echo "qpdf ontbreekt; installeren met apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qpdf; \
	fi

# Browser tests drive Debian's chromium (Playwright's own download does not work here).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "Chromium ontbreekt; installeren met apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	fi

setup: install compilemessages
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py load_content
	@$(PY) manage.py collectstatic --noinput -v0
	@if $(PY) manage.py help seed_demo >/dev/null 2>&1; then $(PY) manage.py seed_demo --skip-when-off; fi

# Checks first (port free, data folder writable, Redis can start: one clear line when not), then the
# supervisor in the foreground: web, worker, beat and the embedded Redis, restarted when they exit.
run: install
	@$(PY) -m policybuilder.runtime check
	@$(MAKE) --no-print-directory setup
	@exec $(PY) -m policybuilder.runtime start

lint: install
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

check: lint

test: install browser-deps html-checker pdf-deps lint compilemessages
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup -q

# The inner loop: the suite without the browser tests and the tests that start a real worker or server.
test-fast: install compilemessages
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup -q -m "not browser and not worker and not fuzz"

# poll_capacity measures with wrk (Debian's package), installed when missing.
bench-deps:
	@if ! command -v wrk >/dev/null; then \
		echo "wrk ontbreekt; installeren met apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	fi

bench: setup bench-deps
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var
