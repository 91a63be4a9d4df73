"""Run every bench/bench_*.py module against a migrated database and print figures with ratios.

    WILDLIFE_DATABASE_URL=spatialite:///var/bench.sqlite3 python -m bench.run [name ...]
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import time


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.common import machine

    call_command("migrate", verbosity=0)
    import bench

    names = [m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")]
    if argv:
        names = [n for n in names if any(a in n for a in argv)]
    print(f"# benchmarks on {connection.vendor} — {machine()} — {time.strftime('%Y-%m-%d %H:%M')}")
    below = 0
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        started = time.perf_counter()
        for figure in module.run():
            print(figure.line(), flush=True)
            if figure.target is not None and figure.ratio < figure.target:
                below += 1
        print(f"  ({name}: {time.perf_counter() - started:.1f} s)")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
