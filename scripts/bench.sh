#!/usr/bin/env bash
# make bench: benchmarks on a scratch SpatiaLite database (and on PostGIS when reachable), ratios against raw baselines
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_venv
pip_install dev requirements.txt requirements-dev.txt
export DJANGO_SETTINGS_MODULE=config.settings.local WILDLIFE_DEMO_MODE=true
rm -f var/bench.sqlite3*
WILDLIFE_DATABASE_URL="spatialite:///var/bench.sqlite3" "$VENV/bin/python" -m bench.run "$@" || status=$?
if "$VENV/bin/python" -c "import psycopg; psycopg.connect(host='127.0.0.1', user='postgres', dbname='postgres', connect_timeout=3).close()" 2>/dev/null; then
  "$VENV/bin/python" - <<'PY'
import psycopg
with psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True) as c:
    c.execute("DROP DATABASE IF EXISTS wildlife_bench")
    c.execute("CREATE DATABASE wildlife_bench")
with psycopg.connect(host="127.0.0.1", user="postgres", dbname="wildlife_bench", autocommit=True) as c:
    c.execute("CREATE EXTENSION postgis")
PY
  WILDLIFE_DATABASE_URL="postgis://postgres@127.0.0.1:5432/wildlife_bench" "$VENV/bin/python" -m bench.run "$@" || status=$?
fi
exit "${status:-0}"
