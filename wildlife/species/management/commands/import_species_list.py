"""Import an official protection list (JSON, CSV or Excel) into a list version, for operators.

    manage.py import_species_list national-key-wildlife-2021.json --version-code national-key-2021 \
        --kind national_key --effective-from 2021-02-05 --name "国家重点保护野生动物名录（2021）" \
        --document "国家林业和草原局 农业农村部公告2021年第3号" --mode valid_rows --report report.xlsx
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wildlife.species.choices import ImportMode, ListKind
from wildlife.species.importers import ImportFileError, ImportRejected, VersionSpec, build_report, import_species_list


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value}") from exc


class Command(BaseCommand):
    help = "导入保护名录文件（JSON/CSV/Excel）到指定名录版本，冲突与错误写入报告而不覆盖已有数据"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--version-code", required=True)
        parser.add_argument("--kind", required=True, choices=ListKind.values)
        parser.add_argument("--effective-from", help="新建版本时必填，YYYY-MM-DD")
        parser.add_argument("--effective-to", help="YYYY-MM-DD")
        parser.add_argument("--name", default="", help="名录名称（新建版本时使用）")
        parser.add_argument("--document", default="", help="发布文件，如 公告2021年第3号")
        parser.add_argument("--mode", default=ImportMode.VALID_ROWS, choices=ImportMode.values)
        parser.add_argument("--report", help="把报告写入此 .xlsx 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        spec = VersionSpec(
            code=options["version_code"],
            kind=options["kind"],
            effective_from=_date(options["effective_from"]) if options.get("effective_from") else None,
            effective_to=_date(options["effective_to"]) if options.get("effective_to") else None,
            name=options["name"],
            document=options["document"],
        )
        rejected = False
        try:
            result = import_species_list(actor=None, path=path, spec=spec, mode=options["mode"])
        except ImportRejected as exc:
            result, rejected = exc.result, True
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        for issue in result.issues:
            self.stdout.write(f"[{issue.severity}] {issue.text}")
        if options.get("report"):
            Path(options["report"]).write_bytes(build_report(result))
            self.stdout.write(f"报告：{options['report']}")
        self.stdout.write(result.summary_text())
        if rejected:
            raise CommandError("未写入任何数据（全部或全不）")
