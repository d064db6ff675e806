.PHONY: install lock lock-upgrade check test bench eval places

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
	mypy bot

test:
	pytest

eval:
	python3 ../shared/eval/score.py --min 0.95

bench:
	python -m bench

places:
	python scripts/build_places.py
