# 周村区野生动物保护管理平台 — the two set-up commands are `make run` and `make test` (see README).
.PHONY: run test lint typecheck bench lock messages

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

lint:
	.venv/bin/ruff check .

typecheck:
	.venv/bin/mypy wildlife config

bench:
	@bash scripts/bench.sh

# re-pin Python dependencies after editing requirements*.in
lock:
	.venv/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.txt requirements.in
	.venv/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links -o requirements-dev.txt requirements-dev.in

messages:
	.venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=static
