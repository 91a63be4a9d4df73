#!/usr/bin/env bash
# make test: install what the tests need, then run the whole suite on SpatiaLite and again on PostGIS.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

apt_install "${RUNTIME_PACKAGES[@]}" chromium
ensure_venv
pip_install dev requirements.txt requirements-dev.txt
build_assets
export WILDLIFE_CHROMIUM="${WILDLIFE_CHROMIUM:-/usr/bin/chromium}" WILDLIFE_REQUIRE_E2E=1
PYTEST=("$VENV/bin/python" -m pytest -q -n "${TEST_WORKERS:-2}" --dist loadfile "$@")

PG_HOST="${WILDLIFE_PG_HOST:-127.0.0.1}" PG_PORT="${WILDLIFE_PG_PORT:-5432}" PG_USER="${WILDLIFE_PG_USER:-postgres}"
PG_DB="${WILDLIFE_PG_DB:-wildlife}"
pg_up() { "$VENV/bin/python" - "$PG_HOST" "$PG_PORT" "$PG_USER" <<'PY' 2>/dev/null
import sys, psycopg
psycopg.connect(host=sys.argv[1], port=sys.argv[2], user=sys.argv[3], dbname="postgres", connect_timeout=3).close()
PY
}
postgis=0
if pg_up || ls /etc/postgresql/*/main >/dev/null 2>&1; then
  # PostGIS for the local server's major version; installing it may restart (or stop) the cluster
  major="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)"
  if [ -n "$major" ]; then apt_install "postgresql-$major-postgis-3"; fi
  if ! pg_up && [ -n "$major" ]; then
    warn "PostgreSQL 未响应，尝试启动 (starting cluster $major/main)"
    as_root pg_ctlcluster --skip-systemctl-redirect "$major" main start || true
    for _ in $(seq 1 20); do pg_up && break; sleep 1; done
  fi
  if pg_up; then
    postgis=1
    "$VENV/bin/python" - "$PG_HOST" "$PG_PORT" "$PG_USER" "$PG_DB" <<'PY'
import sys, psycopg
host, port, user, db = sys.argv[1:]
with psycopg.connect(host=host, port=port, user=user, dbname="postgres", autocommit=True) as c:
    if not c.execute("SELECT 1 FROM pg_database WHERE datname=%s", (db,)).fetchone():
        c.execute(f'CREATE DATABASE "{db}"')
with psycopg.connect(host=host, port=port, user=user, dbname=db, autocommit=True) as c:
    c.execute("CREATE EXTENSION IF NOT EXISTS postgis")
PY
  fi
fi

say "代码检查 (ruff)"
"$VENV/bin/ruff" check .
say "类型检查 (mypy strict on services/selectors/access)"
"$VENV/bin/mypy" wildlife config

say "测试 1/2: SpatiaLite"
WILDLIFE_DATABASE_URL="spatialite:///var/test-default.sqlite3" "${PYTEST[@]}"

if [ "$postgis" = 1 ]; then
  say "测试 2/2: PostgreSQL $major + PostGIS ($PG_HOST:$PG_PORT/$PG_DB)"
  WILDLIFE_DATABASE_URL="postgis://$PG_USER@$PG_HOST:$PG_PORT/$PG_DB" "${PYTEST[@]}"
else
  printf '\n\033[1;41m  !!! 没有可连接的 PostgreSQL 服务器：只在 SpatiaLite 上运行了测试 (NO PostgreSQL reachable at %s:%s — PostGIS run SKIPPED) !!!  \033[0m\n\n' "$PG_HOST" "$PG_PORT" >&2
  if [ -n "${CI:-}" ]; then die "CI 必须在两种数据库上运行 (CI requires PostGIS)"; fi
fi
say "全部通过 (all passed)"
