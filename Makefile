# Passage — two commands matter: `make run` (start everything) and `make test` (run every test).
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/passage.tar.gz
# rasa_ext/ also holds what only the running server uses (channel, tracker store, speed-ups): no retraining for those.
SERVER_ONLY := rasa_ext/gateway_channel.py rasa_ext/tracker_erasure.py rasa_ext/cached_tracker_store.py rasa_ext/serve.py \
	rasa_ext/lock_store.py rasa_ext/graph_runner.py
TRAINING_INPUTS := config.yml domain.yml $(filter-out $(SERVER_ONLY),$(shell find data rasa_ext -name '*.yml' -o -name '*.py' 2>/dev/null | sort))
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 3
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: help run test lint validate train rasa-test pytest bench-nlu bench-nlu-dev bench-load lock clean

help:
	@echo "make run    start Passage locally (installs and trains when needed)"
	@echo "make test   run every test"

$(VENV)/.installed: requirements.lock
	@echo "==> Creating the Python 3.10 environment in $(VENV)"
	@PYBIN=$$(scripts/find-python.sh) && { [ -x $(PY) ] || $$PYBIN -m venv $(VENV); }
	@$(PY) -m pip install --quiet --upgrade "pip<25" >/dev/null
	@echo "==> Installing pinned dependencies (first time: several minutes)"
	@$(PY) -m pip install --progress-bar on -r requirements.lock
	@touch $@

# Retrains only when the training data, domain, config or custom NLU components change.
$(MODEL): $(VENV)/.installed $(TRAINING_INPUTS)
	@echo "==> Training the Rasa model (only because training inputs changed)"
	@$(RASA) train --config config.yml --domain domain.yml --data data --out models --fixed-model-name passage --quiet
	@touch $@

train: $(MODEL)

run: $(MODEL)
	@$(PY) -m bot run

lint: $(VENV)/.installed
	@echo "==> Lint"
	@$(VENV)/bin/ruff check bot actions knowledge rasa_ext tests scripts

validate: $(VENV)/.installed
	@echo "==> Validating country profiles and Rasa training data"
	@$(PY) -m bot validate
	@$(RASA) data validate --domain domain.yml --data data --config config.yml --fail-on-warnings --quiet

rasa-test: $(MODEL)
	@echo "==> Rasa test stories (every intent in every language)"
	@$(RASA) test core --model $(MODEL) --stories tests/stories --fail-on-prediction-errors --out var/results/core --quiet

pytest: $(MODEL)
	@echo "==> pytest"
	@$(PY) -m pytest; rc=$$?; \
	 if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure here" >&2; exit 1; fi; exit $$rc

test: lint validate rasa-test pytest
	@echo "==> All tests passed"

bench-nlu: $(MODEL)
	@$(PY) -m scripts.bench_nlu

# The development set: what training data and language cues are tuned against (lists the errors).
bench-nlu-dev: $(MODEL)
	@$(PY) -m scripts.bench_nlu --split dev --errors

bench-load: $(MODEL)
	@$(PY) -m scripts.bench_load

lock:
	@(echo "# Full pinned dependency set for Python 3.10 (regenerate with: make lock)"; $(VENV)/bin/pip freeze --exclude-editable) > requirements.lock

clean:
	rm -rf models var/results
