# The two commands of the README. Both install what they need and can be run again.
#   make demo   local stack (Kafka, FerretDB, Prometheus, the four services) + demo scenario
#   make test   lint, type-check, local stack, the whole test suite
SHELL := /bin/bash
VENV := .venv/bin
STACK_ENV := KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 MONGO_URL=mongodb://127.0.0.1:27017/

.PHONY: setup demo test lint test-tools stack-down

setup:
	scripts/setup.sh

demo: setup
	$(VENV)/andina stack up
	$(VENV)/andina demo

lint: setup
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	$(VENV)/mypy contract/src shared/src deploy/src services/*/src tests bench

test-tools:
	scripts/test-tools.sh

test: lint test-tools
	$(VENV)/andina stack up
	$(STACK_ENV) $(VENV)/python -m pytest -p no:cacheprovider

stack-down:
	$(VENV)/andina stack down
