# Shared helpers for the set-up scripts (sourced, not run).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMPS="$ROOT/var/stamps"
mkdir -p "$STAMPS"

say()  { printf '\033[1;32m==> %s\033[0m\n' "$*"; }
warn() { printf '\033[1;33m!!  %s\033[0m\n' "$*" >&2; }
die()  { printf '\033[1;31mxx  %s\033[0m\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "需要 root 权限安装系统软件包 (run as root or install sudo): $*"; fi
}

# apt_install PKG... : installs the packages that are not installed yet (one apt-get update at most)
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "安装系统软件包 (installing): ${missing[*]}"
    command -v apt-get >/dev/null || die "找不到 apt-get：请在 Debian 12 / Ubuntu 上运行，或手动安装: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
}

# a stamp changes when the content of the given files changes: skip work that is already done
stamp_ok() { local name="$1"; shift; local sum; sum="$(cat "$@" | sha256sum | cut -c1-32)"; [ -f "$STAMPS/$name" ] && [ "$(cat "$STAMPS/$name")" = "$sum" ]; }
stamp_set() { local name="$1"; shift; cat "$@" | sha256sum | cut -c1-32 > "$STAMPS/$name"; }

RUNTIME_PACKAGES=(python3 python3-venv python3-dev gcc gdal-bin libsqlite3-mod-spatialite libgeos-c1v5 fonts-noto-cjk
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext ca-certificates)

ensure_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    apt_install nodejs npm
  fi
}

# find a Python >= 3.11 whose sqlite3 can load extensions (SpatiaLite); Debian's /usr/bin/python3 can
find_python() {
  local candidates=("${WILDLIFE_PYTHON:-}" /usr/bin/python3 /usr/bin/python3.11 /usr/bin/python3.12 "$(command -v python3 || true)")
  for py in "${candidates[@]}"; do
    [ -n "$py" ] && [ -x "$py" ] || continue
    if "$py" - <<'PY' 2>/dev/null
import sqlite3, sys
assert sys.version_info >= (3, 11)
sqlite3.connect(":memory:").enable_load_extension(True)
PY
    then echo "$py"; return 0; fi
  done
  return 1
}

ensure_venv() {
  local py
  py="$(find_python)" || die "没有找到可以加载 SQLite 扩展的 Python 3.11+ (no Python >= 3.11 with sqlite3.enable_load_extension).
    SpatiaLite 需要它。修复方法 (fix): apt-get install python3 python3-venv 并使用 Debian 的 /usr/bin/python3，
    或设置 WILDLIFE_PYTHON=/path/to/python3 (pyenv 编译的 Python 常缺少 --enable-loadable-sqlite-extensions)。"
  if [ -x "$VENV/bin/python" ] && ! "$VENV/bin/python" -c 'import sqlite3; sqlite3.connect(":memory:").enable_load_extension(True)' 2>/dev/null; then
    warn "现有虚拟环境的 Python 不能加载 SQLite 扩展，重新创建 (recreating .venv)"
    rm -rf "$VENV"; rm -f "$STAMPS"/pip-*
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    say "创建虚拟环境 (venv) from $py"
    "$py" -m venv "$VENV"
  fi
}

pip_install() { # pip_install NAME REQUIREMENTS...
  local name="$1"; shift
  if ! stamp_ok "pip-$name" "$@"; then
    say "安装 Python 依赖 (pip install -r $*)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
    local args=(); for f in "$@"; do args+=(-r "$f"); done
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "${args[@]}"
    stamp_set "pip-$name" "$@"
  fi
}

build_assets() {
  ensure_node
  if [ ! -d "$ROOT/node_modules" ] || ! stamp_ok npm "$ROOT/package-lock.json"; then
    say "安装前端依赖 (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
    stamp_set npm "$ROOT/package-lock.json"
  fi
  (cd "$ROOT" && npm run --silent build)
  (cd "$ROOT" && "$VENV/bin/python" manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules)
}
