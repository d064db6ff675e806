.PHONY: install lock lock-upgrade check test test-fast bench eval places

# Exactly the locked versions, hash-checked (what CI installs).
install:
	pip install --require-hashes -r requirements/dev.txt
	pip install --no-deps --no-build-isolation -e .

# Re-lock after changing dependencies in pyproject.toml: keeps every other pin as it is.
# Runtime first; the dev lock is constrained by it, so both agree on shared packages.
LOCK = pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links
lock:
	$(LOCK) $(LOCK_FLAGS) --output-file requirements/runtime.txt pyproject.toml
	$(LOCK) $(LOCK_FLAGS) --extra dev --constraint requirements/runtime.txt \
		--output-file requirements/dev.txt pyproject.toml

# The same, moving every package to its newest allowed version.
lock-upgrade:
	$(MAKE) lock LOCK_FLAGS=--upgrade

check:
	ruff check .
	ruff format --check .
	mypy --strict bot adapters app
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
