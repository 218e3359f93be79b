# Two commands for a fresh machine:
#   make report   set up .venv and write reports/s400.md + reports/s400.json
#   make test     set up .venv and run the tests
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup report test reports evaluate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first and pinned: this machine has a local CPU wheel; a bare "torch" pulls GBs of CUDA.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

report: setup
	$(VENV)/bin/discrepancy check corpus/s400 -o reports/s400.md --json reports/s400.json

# Every committed sample report.
reports: report
	for c in ferry election quake holdout-fire holdout-protest; do \
		$(VENV)/bin/discrepancy check corpus/$$c -o reports/$$c.md --json reports/$$c.json; done

# The README's evaluation table: one --summary row per labeled corpus.
evaluate: setup
	@echo "| corpus | labels | flagged | TP | FP | FN | precision | recall | F1 | must-have recall |"
	@echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	@for c in s400 ferry election quake holdout-fire holdout-protest; do \
		$(VENV)/bin/discrepancy evaluate corpus/$$c --labels corpus/$$c/labels.jsonl --summary; done

test: setup
	$(PY) -m pytest

clean:
	rm -rf $(VENV) corpus/*/.discrepancy
