#!/usr/bin/env bash
# make run: install, migrate, load the 周村区 demo data, start web server + worker on http://127.0.0.1:8000
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

apt_install "${RUNTIME_PACKAGES[@]}"
ensure_venv
pip_install runtime requirements.txt
build_assets

ENV_FILE="$ROOT/.env.local"
if [ ! -f "$ENV_FILE" ]; then
  say "生成本机密钥与演示密码 (.env.local, kept out of git)"
  "$VENV/bin/python" - > "$ENV_FILE" <<'PY'
import base64, secrets, string
alphabet = string.ascii_letters + string.digits
pw = "Zc-" + "".join(secrets.choice(alphabet) for _ in range(10)) + "-9a"
print(f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}")
print(f"WILDLIFE_AUDIT_KEY={secrets.token_hex(32)}")
print(f"WILDLIFE_FIELD_KEYS={base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}")
print(f"WILDLIFE_DEMO_PASSWORD={pw}")
PY
  chmod 600 "$ENV_FILE"
fi
set -a; source "$ENV_FILE"; set +a
export DJANGO_SETTINGS_MODULE=config.settings.local WILDLIFE_DEMO_MODE=true
PORT="${PORT:-8000}"
mkdir -p var

PY="$VENV/bin/python"
"$PY" manage.py collectstatic --noinput -v0
say "迁移数据库 (SpatiaLite: var/wildlife.sqlite3)"
"$PY" manage.py migrate --noinput -v0
say "加载周村区演示数据 (load_demo; idempotent)"
"$PY" manage.py load_demo

pids=()
cleanup() { trap - INT TERM EXIT; say "停止服务 (stopping)"; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup INT TERM EXIT
"$VENV/bin/gunicorn" config.wsgi --bind "127.0.0.1:$PORT" --workers "${WEB_WORKERS:-2}" --threads 4 --timeout 120 --access-logfile - &
pids+=($!)
"$PY" manage.py jobs_worker --queue-name default --interval 1 &
pids+=($!)
sleep 2
cat <<MSG

  野生动物保护管理平台已启动 (platform running):  http://127.0.0.1:$PORT/
  演示账号 (demo accounts), 密码 (password): $WILDLIFE_DEMO_PASSWORD
    demo_district  区自然资源局 · 全区          demo_agri    区农业农村局 · 全区
    demo_market    区市场监管局 · 全区          demo_police  区公安分局 · 全区
    demo_town      王村镇                        demo_town2   北郊镇
    demo_sysadmin / demo_secadmin / demo_auditor  三员：登录后还需输入 TOTP 动态码（把上面打印的密钥加入身份验证器 App）
  按 Ctrl-C 停止 (Ctrl-C stops the web server and the worker).

MSG
wait -n "${pids[@]}"
