#!/usr/bin/env bash
# Regenerate the initial migration from every table on adapters.store.db.metadata.
#
#   scripts/make_migration.sh            # rewrite 0001_initial (before the first release)
#   scripts/make_migration.sh "message"  # add a new migration on top (after a release)
#
# It autogenerates against a throwaway empty SQLite database, so nothing local is touched.
set -euo pipefail
cd "$(dirname "$0")/.."
versions=adapters/store/migrations/versions
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export DATABASE_URL="sqlite:///$scratch/scratch.db"

if [ $# -eq 0 ]; then
  rm -f "$versions"/0001_*.py
  alembic -c alembic.ini revision --autogenerate --rev-id 0001 -m "initial"
else
  alembic -c alembic.ini upgrade head
  next=$(printf '%04d' $(( $(ls "$versions" | grep -c '^[0-9]\{4\}_') + 1 )))
  alembic -c alembic.ini revision --autogenerate --rev-id "$next" -m "$1"
fi
ruff format "$versions" >/dev/null 2>&1 || true
echo "wrote: $(ls -t "$versions"/*.py | head -n 1)"
