# Two commands for a fresh machine:
#   make report   set up .venv and write reports/s400.md, reports/s400.json and reports/s400.html
#   make test     set up .venv and run the tests
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# torch first, and the CPU build: here `torch==2.13.0` is a local CPU wheel. Elsewhere a bare "torch" from
# PyPI pulls GBs of CUDA packages on Linux; choose the CPU build explicitly:
#   make report TORCH=torch TORCH_INDEX=https://download.pytorch.org/whl/cpu
TORCH ?= torch==2.13.0
TORCH_INDEX ?=

.PHONY: setup openvino report test reports evaluate scorer clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 11) else f"discrepancy needs Python >= 3.11; $(PYTHON) is {v.major}.{v.minor} (try: make PYTHON=python3.11 ...)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "$(TORCH)" $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

# The optional OpenVINO encoder (docs/performance.md). torch stays the build installed above; torchvision,
# which optimum-intel pulls in, is built for another torch and is removed.
openvino: setup
	$(PY) -m pip install --quiet -e ".[openvino]" "$(TORCH)" $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX))
	$(PY) -m pip uninstall --quiet -y torchvision

report: setup
	$(VENV)/bin/discrepancy check corpus/s400 -o reports/s400.md --json reports/s400.json --html reports/s400.html

# Every committed sample report.
reports: report
	for c in ferry election quake holdout-fire holdout-protest; do \
		$(VENV)/bin/discrepancy check corpus/$$c -o reports/$$c.md --json reports/$$c.json; done

# The README's figures: leave one corpus out (fit the scorer on all other corpora, score the one left out),
# on corpus/ and, when ../shared/realnews is beside the repository, its eight real events too.
REALNEWS := $(wildcard ../shared/realnews/*/)
evaluate: setup
	@$(if $(REALNEWS),echo "with the real-news events in ../shared/realnews",echo "note: ../shared/realnews is not here: corpus/ only")
	$(VENV)/bin/discrepancy evaluate corpus/*/ $(REALNEWS) --loo --markdown

# Refit the scorer shipped in the package (discrepancy/models/slot_scorer.json) on every labeled corpus.
scorer: setup
	@$(if $(REALNEWS),,echo "note: ../shared/realnews is not here: fitting on corpus/ only")
	$(VENV)/bin/discrepancy tune corpus/*/ $(REALNEWS) --no-reviews -o discrepancy/models/slot_scorer.json

test: setup
	$(PY) -m pytest

clean:
	rm -rf $(VENV) corpus/*/.discrepancy
