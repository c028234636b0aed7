# Two commands: `make course` sets up and opens the course, `make test` sets up and runs the tests.
PYTHON ?= python3
VENV ?= .venv
STAMP := $(VENV)/.installed

.PHONY: course notebook test lint execute navigation diagrams benchmark assignments clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

course: $(STAMP)  ## set up and open the course in JupyterLab
	$(VENV)/bin/jupyter lab notebooks/00-Start-Here.ipynb

notebook: $(STAMP)  ## the same, in the classic Notebook 7 interface
	$(VENV)/bin/jupyter notebook notebooks/00-Start-Here.ipynb

test: $(STAMP)  ## set up and run every test: ruff, unit tests, notebooks (nbval), browser
	VENV=$(VENV) tools/test.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .

execute: $(STAMP)  ## re-execute every notebook in a fresh kernel and store its outputs
	$(VENV)/bin/python tools/execute.py

navigation: $(STAMP)
	$(VENV)/bin/python tools/navigation.py

diagrams: $(STAMP)
	$(VENV)/bin/python images/make_diagrams.py

benchmark: $(STAMP)
	$(VENV)/bin/python benchmarks/bench_sequence.py

assignments:  ## nbgrader assignments of the exercises in build/assignments (for instructors)
	$(PYTHON) grading/build.py

clean:
	rm -rf $(VENV)
