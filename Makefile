# 郑州市建设劳务服务平台
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run dev prod test lint venv worker clean distclean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

# The demo: DEBUG off (the error pages users see), SMS to the outbox (console and /dev/sms/).
run: $(STAMP)
	mkdir -p var
	$(BIN)/python manage.py dev_keys
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py prepare_demo
	$(BIN)/python manage.py rebuild_arrears
	@echo "短信不会真正发出：见控制台输出，或 http://127.0.0.1:$(PORT)/dev/sms/"
	LOG_FORMAT=$${LOG_FORMAT:-text} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Development: the same with DEBUG on (Django's error pages with tracebacks) and autoreload.
dev: $(STAMP)
	mkdir -p var
	$(BIN)/python manage.py dev_keys
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py createcachetable
	DJANGO_DEBUG=1 $(BIN)/python manage.py prepare_demo
	DJANGO_DEBUG=1 $(BIN)/python manage.py rebuild_arrears
	@echo "短信不会真正发出：见控制台输出，或 http://127.0.0.1:$(PORT)/dev/sms/"
	DJANGO_DEBUG=1 LOG_FORMAT=$${LOG_FORMAT:-text} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production server (gunicorn, several workers) with the environment of .env.example
# (read from .env when present): collectstatic, migrate, then serve on PORT.
prod: $(STAMP)
	$(BIN)/python -m config.serve

test: $(STAMP)
	mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

worker: $(STAMP)
	$(BIN)/celery -A config worker -B --loglevel=info

# Start again from empty data (database, uploads, collected static files); keeps the venv.
clean:
	rm -rf var

distclean: clean
	rm -rf $(VENV)
