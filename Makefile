# Glossa: `make run` serves the demo locally (with the worker that runs import jobs), `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	mkdir -p var
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo --with-users
	DEBUG=1 $(BIN)/python manage.py resume_import_jobs
	@# The worker that runs import jobs (django-tasks' database backend) runs beside the server and
	@# stops with it: a background job in make's shell ignores Ctrl-C, so the trap stops it.
	DEBUG=1 $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	  DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=. $(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Production: PostgreSQL from DATABASE_URL, DEBUG off, gunicorn (docs/DEPLOY.md). Runtime packages only.
RUNTIME := $(VENV)/.installed-runtime

$(RUNTIME): $(BIN)/python requirements.txt
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(RUNTIME)

serve: $(RUNTIME)
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
	  *) echo "make serve needs DATABASE_URL=postgres://user:password@host:5432/name (docs/DEPLOY.md)"; exit 1;; esac
	DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DEBUG=0 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DEBUG=0 $(BIN)/gunicorn --config config/gunicorn.conf.py

clean:
	rm -rf var/glossa.sqlite3* var/test-media
