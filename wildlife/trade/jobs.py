"""Background jobs of online-trade monitoring: scanning an uploaded export (or an API batch), re-scanning open
listings with a new keyword version, and a collector run. Each keeps its ScanBatch in step with the job."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from wildlife.core.excel import build_workbook
from wildlife.jobs.context import JobContext, JobError
from wildlife.jobs.registry import job_handler
from wildlife.trade.choices import ImportMode, ListingSource, ListingStatus, ScanKind, ScanStatus
from wildlife.trade.importers import ExportFileError, ListingInput, RowError, read_rows, row_to_input
from wildlife.trade.models import Listing, ScanBatch, TermVersion

SCAN_IMPORT = "trade.scan_import"
RESCAN = "trade.rescan"
COLLECT = "trade.collect"
CHUNK = 2000


def _batch(ctx: JobContext) -> ScanBatch:
    try:
        return ScanBatch.objects.select_related("platform").get(pk=ctx.params["batch"])
    except (ScanBatch.DoesNotExist, KeyError) as exc:
        raise JobError(_("扫描任务记录不存在")) from exc


def _run(ctx: JobContext, body: Callable[[ScanBatch], None]) -> None:
    batch = _batch(ctx)
    ScanBatch.objects.filter(pk=batch.pk).update(status=ScanStatus.RUNNING)
    try:
        body(batch)
    except Exception as exc:
        message = exc.message if isinstance(exc, JobError) else "；".join(exc.messages) if isinstance(exc, ValidationError) else _("扫描失败")
        ScanBatch.objects.filter(pk=batch.pk).update(status=ScanStatus.FAILED, message=message[:1000], finished_at=timezone.now())
        raise
    ScanBatch.objects.filter(pk=batch.pk).update(status=ScanStatus.SUCCEEDED, finished_at=timezone.now())


def _report(errors: list[RowError]) -> bytes:
    return build_workbook(
        title="错误报告",
        headers=["行号", "字段", "原因", "说明"],
        rows=([e.row, e.field, e.message, e.text()] for e in errors),
        note=_("共 %(n)d 处错误；行号与表格中显示的一致（第 1 行为表头）") % {"n": len(errors)},
    )


@job_handler(SCAN_IMPORT, label=_("商品信息导入与扫描"), resumable=True)
def scan_import(ctx: JobContext) -> None:
    """Read the mapped export, store new listings in chunks (each committed with a checkpoint), scan them with the
    current keyword version and queue the hits. All-or-nothing stores nothing when any row is bad."""

    def body(batch: ScanBatch) -> None:
        from wildlife.trade.services import listings_store, scanner_current

        platform = batch.platform
        if not batch.file or platform is None:
            raise JobError(_("没有可导入的文件"))
        try:
            _headers, rows = read_rows(batch.file.path, batch.file_format)
        except ExportFileError as exc:
            raise JobError(str(exc)) from exc
        # first pass: validate every row, so all-or-nothing can refuse before anything is written
        errors: list[RowError] = []
        total = 0
        for number, row in rows:
            total += 1
            _item, problems = row_to_input(row, batch.mapping, number)
            errors.extend(problems)
        ctx.progress(0, total, force=True)
        if errors:
            ctx.add_errors(len(errors))
            ctx.save_report("listing-import-errors.xlsx", _report(errors))
        if errors and batch.mode == ImportMode.ALL_OR_NOTHING:
            ScanBatch.objects.filter(pk=batch.pk).update(total=total, error_count=len(errors))
            raise JobError(
                _("%(n)d 处错误（首个：%(first)s），按“全部或全不”未写入任何数据；请下载错误报告修改后重新导入。")
                % {"n": len(errors), "first": errors[0].text()}
            )
        version, _scanner = scanner_current(actor=ctx.actor)
        ScanBatch.objects.filter(pk=batch.pk).update(total=total, error_count=len(errors), term_version=version)
        state = ctx.resume_state
        done = int(state.get("row_index", 0))
        created = int(state.get("created", 0))
        duplicates = int(state.get("duplicates", 0))
        flagged = int(state.get("flagged", 0))
        if done:
            ctx.log(_("从第 %(n)d 条继续") % {"n": done + 1})
        _headers, rows = read_rows(batch.file.path, batch.file_format)
        chunk: list[ListingInput] = []
        index = 0

        def flush() -> None:
            nonlocal created, duplicates, flagged, chunk
            if not chunk:
                return
            stored = listings_store(actor=ctx.actor, platform=platform, inputs=chunk, source=batch_source(batch), scan_batch=batch, operation=batch.operation)
            created += len(stored.created)
            duplicates += stored.duplicates
            flagged += stored.flagged
            chunk = []
            ScanBatch.objects.filter(pk=batch.pk).update(created_count=created, duplicate_count=duplicates, scanned_count=created, flagged_count=flagged)
            ctx.progress(index, total)
            ctx.checkpoint(row_index=index, created=created, duplicates=duplicates, flagged=flagged)

        for number, row in rows:
            index += 1
            if index <= done:
                continue
            item, problems = row_to_input(row, batch.mapping, number)
            if item is not None:
                chunk.append(item)
            if len(chunk) >= CHUNK:
                flush()
        flush()
        ctx.progress(total, total, force=True)
        ctx.set_summary(**{"行数": total, "新增": created, "重复": duplicates, "错误": len(errors), "命中待审": flagged, "词库版本": f"v{version.number}"})
        ctx.log(_("完成：新增 %(c)d 条，重复 %(d)d 条，错误 %(e)d 处，命中待审 %(f)d 条") % {"c": created, "d": duplicates, "e": len(errors), "f": flagged})

    _run(ctx, body)


def batch_source(batch: ScanBatch) -> str:
    sources: dict[str, str] = {ScanKind.API: ListingSource.API, ScanKind.COLLECTOR: ListingSource.COLLECTOR}
    return sources.get(batch.kind, ListingSource.EXPORT)


@job_handler(RESCAN, label=_("按新词库重新扫描"), resumable=True)
def rescan(ctx: JobContext) -> None:
    """Scan every open listing (待审核/审核中) again with the given keyword version."""

    def body(batch: ScanBatch) -> None:
        from wildlife.trade.services import listings_rescan_chunk

        try:
            if batch.term_version_id is None:
                raise TermVersion.DoesNotExist
            version = TermVersion.objects.get(pk=batch.term_version_id)
        except TermVersion.DoesNotExist as exc:
            raise JobError(_("关键词库版本不存在")) from exc
        ids = list(Listing.objects.filter(status__in=(ListingStatus.NEW, ListingStatus.REVIEWING)).order_by("pk").values_list("pk", flat=True))
        total = len(ids)
        state = ctx.resume_state
        start = int(state.get("index", 0))
        flagged = int(state.get("flagged", 0))
        ctx.progress(start, total, force=True)
        for offset in range(start, total, CHUNK):
            flagged += listings_rescan_chunk(actor=ctx.actor, listing_ids=ids[offset : offset + CHUNK], version=version)
            done = min(total, offset + CHUNK)
            ScanBatch.objects.filter(pk=batch.pk).update(total=total, scanned_count=done, flagged_count=flagged)
            ctx.progress(done, total)
            ctx.checkpoint(index=done, flagged=flagged)
        ScanBatch.objects.filter(pk=batch.pk).update(total=total, scanned_count=total, flagged_count=flagged)
        ctx.progress(total, total, force=True)
        ctx.set_summary(**{"扫描": total, "命中待审": flagged, "词库版本": f"v{version.number}"})

    _run(ctx, body)


@job_handler(COLLECT, label=_("采集源抓取"))
def collect(ctx: JobContext) -> None:
    """Fetch a configured source, store and scan what it lists."""

    def body(batch: ScanBatch) -> None:
        from wildlife.trade.collector import collector_run

        outcome = collector_run(actor=ctx.actor, source_id=int(ctx.params["source"]), scan_batch=batch)
        ctx.progress(outcome.items, outcome.items, force=True)
        if outcome.errors:
            ctx.add_errors(len(outcome.errors))
            for line in outcome.errors[:20]:
                ctx.log(line)
        ctx.set_summary(**{"页面": outcome.pages, "条目": outcome.items, "新增": outcome.created, "重复": outcome.duplicates, "命中待审": outcome.flagged})

    _run(ctx, body)
