# eventcoder: `make run` sets up and codes the bundled examples; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast eval bench web model location-model clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,ray]'
	$(BIN)/python -c "from eventcoder.where import get_gazetteer; get_gazetteer()"  # build the place index cache once
	touch $(STAMP)

run: install
	$(BIN)/eventcoder code examples/articles --store --recode -f table
	@if [ -t 0 ] && $(BIN)/eventcoder serve --help >/dev/null 2>&1; then \
	  echo "Serving the dashboard on http://127.0.0.1:8000 (Ctrl-C to stop)"; \
	  $(BIN)/eventcoder serve; \
	else \
	  echo "Stored in $${EVENTCODER_DB:-~/.local/share/eventcoder/events.duckdb}; 'eventcoder serve' shows the dashboard."; \
	fi

test: install
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

eval: install
	for s in plover_gsr plv_train cameo_manual conflibert_manual ipe_dev; do \
	  $(BIN)/eventcoder eval --rules-only ../shared/data/gold/$$s.jsonl; done
	$(BIN)/python benchmarks/model_cv.py

bench: install
	$(BIN)/python benchmarks/throughput.py --docs 300

model: install  ## retrain the event-type model (training/MODEL_CARD.md)
	$(BIN)/python training/train_classifier.py

location-model: install  ## retrain the event-location ranker (training/LOCATION_MODEL_CARD.md)
	$(BIN)/python training/train_location.py

web:  ## rebuild the dashboard's vendored JS libraries and country outlines (needs npm)
	cd web && npm ci && npm run build

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
