.PHONY: install check test bench eval places

install:
	pip install -e '.[dev]'

check:
	ruff check .
	ruff format --check .
	mypy bot

test:
	pytest

eval:
	python3 ../shared/eval/score.py --min 0.95

bench:
	python -m bench

places:
	python scripts/build_places.py
