.PHONY: install check test test-fast bench eval places

install:
	pip install -e '.[dev]'

check:
	ruff check .
	ruff format --check .
	mypy bot adapters $$(test -d app && echo app)
	mypy --strict scripts

# The whole suite, in parallel (pytest-xdist, from addopts): what CI runs.
test:
	pytest

# The inner loop: everything but the tests marked slow (processes, kills, benchmarks).
test-fast:
	pytest -m "not slow"

eval:
	python3 ../shared/eval/score.py --min 0.95

bench:
	python -m bench

places:
	python -m scripts.places
