# Two commands: `make course` sets up and opens the course, `make test` sets up and runs the
# tests. Every target is a thin call to tools/course.py, which does the same on Windows
# without make: `py tools\course.py course`, `py tools\course.py test`.
PYTHON ?= python3
VENV ?= .venv
COURSE := $(PYTHON) tools/course.py

.PHONY: course notebook setup test lint execute navigation diagrams benchmark classroom assignments site clean

course:  ## set up .venv and open the course in JupyterLab
	$(COURSE) course --venv $(VENV)

notebook:  ## the same, in Jupyter Notebook 7 (one document per tab)
	$(COURSE) notebook --venv $(VENV)

setup:  ## only create .venv and install the learner's requirements.txt (again if it changed)
	$(COURSE) setup --venv $(VENV)

# ruff, unit tests, notebooks (strict nbval), browser suite, then the notebooks again under
# another BLAS kernel; `make test ARGS="-k lstm"` hands ARGS to pytest.
test:
	$(COURSE) test --venv $(VENV) $(ARGS)

lint:
	$(COURSE) lint --venv $(VENV)

execute:  ## re-execute every notebook in a fresh kernel and store its outputs
	$(COURSE) execute --venv $(VENV)

navigation:
	$(COURSE) navigation --venv $(VENV)

diagrams:
	$(COURSE) diagrams --venv $(VENV)

benchmark:  ## bench_sequence.py and bench_widgets.py
	$(COURSE) benchmark --venv $(VENV)

classroom:  ## start the course's JupyterHub for a class on 127.0.0.1 (classroom/README.md)
	$(COURSE) classroom $(ARGS)

assignments:  ## nbgrader assignments of the exercises in build/assignments (for instructors)
	$(COURSE) assignments $(ARGS)

site:  ## the course website in build/site/ from the stored notebooks (offline; own .venv-site)
	$(COURSE) site $(ARGS)

clean:
	$(COURSE) clean --venv $(VENV)
