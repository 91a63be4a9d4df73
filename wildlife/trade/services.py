"""Writes of online-trade monitoring: the keyword table (every change a new version), storing and scanning
listings, the review workflow (false positive, takedown letter, escalation to a case) and column mappings.

Services are keyword-only, atomic and audited; workflow steps are checked updates on the current status, so a double
submission has exactly one effect and the second one gets a ConflictError (HTTP 409).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wildlife.audit.services import audit_record
from wildlife.core.access import ensure_in_scope
from wildlife.core.crypto import blind_index
from wildlife.core.exceptions import ConflictError
from wildlife.core.services import resolve_area
from wildlife.geo.selectors import district_area
from wildlife.trade import data as seed
from wildlife.trade.choices import (
    CORE_CATEGORIES,
    ImportMode,
    ListingSource,
    ListingStatus,
    ScanKind,
    ScanStatus,
    TermCategory,
)
from wildlife.trade.importers import ListingInput
from wildlife.trade.models import (
    CollectorSource,
    ColumnMapping,
    Listing,
    ListingImage,
    Platform,
    ScanBatch,
    TakedownLetter,
    TermVersion,
    TradeTerm,
)
from wildlife.trade.scanning.normalise import normalise_term
from wildlife.trade.scanning.scanner import Scanner, ScanResult, ScanTerm

PHONE_INDEX_PURPOSE = "phone"
TITLE_TEXT_JOINER = "。"  # a clause break: no keyword spans the title and the description
STORE_CHUNK = 500
MAX_IMAGE_BYTES = 10 * 1024 * 1024
_IMAGE_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg", b"RIFF": "image/webp", b"GIF8": "image/gif"}


# --- keyword table ------------------------------------------------------------------------------------------------


def _current_version(*, lock: bool = False) -> TermVersion | None:
    queryset = TermVersion.objects.order_by("-number")
    if lock:
        queryset = queryset.select_for_update()
    return queryset.first()


def _terms_of(number: int) -> Any:
    return TradeTerm.objects.filter(since_version__lte=number).filter(Q(until_version__isnull=True) | Q(until_version__gt=number))


def _open_version(
    *,
    actor: Any,
    note: str,
    base_version: int | None,
    threshold: int | None = None,
    context_window: int | None = None,
) -> tuple[TermVersion, TermVersion | None]:
    """A new version (the next number) after checking that the table is still at `base_version` (None: any)."""
    current = _current_version(lock=True)
    current_number = current.number if current else 0
    if base_version is not None and base_version != current_number:
        raise ConflictError(
            _("关键词库已被他人修改（当前为 v%(n)d，您编辑的是 v%(b)d），请刷新后重试；您填写的内容未丢失。")
            % {"n": current_number, "b": base_version},
            code="term_version_conflict",
            current={"version": current_number},
        )
    try:
        with transaction.atomic():
            version = TermVersion.objects.create(
                number=current_number + 1,
                note=note[:300] or _("修改关键词库"),
                threshold=threshold if threshold is not None else (current.threshold if current else 50),
                context_window=context_window if context_window is not None else (current.context_window if current else 30),
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError as exc:  # another editor took the number first
        raise ConflictError(_("关键词库刚被他人修改，请刷新后重试。"), code="term_version_conflict") from exc
    return version, current


def _close_version(version: TermVersion, *, added: int = 0, changed: int = 0, removed: int = 0) -> TermVersion:
    version.added, version.changed, version.removed = added, changed, removed
    version.term_count = _terms_of(version.number).count()
    version.save(update_fields=["added", "changed", "removed", "term_count"])
    _SCANNERS.pop((version.pk, version.created_at.timestamp()), None)
    return version


def _clean_variants(variants: Iterable[str] | str | None) -> list[str]:
    if variants is None:
        return []
    items = variants.splitlines() if isinstance(variants, str) else list(variants)
    result: list[str] = []
    for item in items:
        text = str(item).strip()
        if text and text not in result:
            result.append(text[:100])
    return result[:50]


def _validate_term(*, term: str, category: str, weight: int, variants: list[str], version_number: int, exclude_lineage: Any = None, species_id: int | None = None) -> None:
    errors: dict[str, list[str]] = {}
    if category not in TermCategory.values:
        errors["category"] = [_("未知类别")]
    normalised = normalise_term(term)
    if not term.strip() or not normalised:
        errors["term"] = [_("关键词不能为空，也不能只有空格或符号")]
    elif len(term) > 100:
        errors["term"] = [_("关键词最多 100 个字")]
    if not -100 <= weight <= 100:
        errors["weight"] = [_("权重应在 -100 到 100 之间")]
    elif category in CORE_CATEGORIES and weight <= 0:
        errors["weight"] = [_("物种、行话和工具词的权重应大于 0")]
    elif category == TermCategory.CONTEXT and weight < 0:
        errors["weight"] = [_("语境词的权重不能为负数")]
    elif category == TermCategory.MITIGATING and weight > 0:
        errors["weight"] = [_("降低风险词的权重应为 0 或负数")]
    bad = [v for v in variants if not normalise_term(v)]
    if bad:
        errors["variants"] = [_("变体写法不能只有空格或符号：%(v)s") % {"v": "、".join(bad)}]
    if normalised and "term" not in errors:
        clash = _terms_of(version_number).filter(term=term.strip(), category=category, species_id=species_id)
        if exclude_lineage is not None:
            clash = clash.exclude(lineage=exclude_lineage)
        if clash.exists():
            errors["term"] = [_("词库中已有同类别的“%(t)s”") % {"t": term.strip()}]
    if errors:
        raise ValidationError(errors)


def trade_term_add(
    *,
    actor: Any,
    base_version: int | None,
    term: str,
    category: str,
    weight: int,
    variants: Iterable[str] | str | None = None,
    species: Any = None,
    enabled: bool = True,
    note: str = "",
    change_note: str = "",
) -> TradeTerm:
    """Add a keyword: a new version of the table."""
    cleaned = _clean_variants(variants)
    with transaction.atomic():
        current = _current_version()
        _validate_term(term=term, category=category, weight=weight, variants=cleaned, version_number=current.number if current else 0, species_id=getattr(species, "pk", None))
        version, _previous = _open_version(actor=actor, note=change_note or _("新增关键词“%(t)s”") % {"t": term.strip()}, base_version=base_version)
        row = TradeTerm.objects.create(
            lineage=uuid.uuid4(),
            term=term.strip(),
            category=category,
            weight=weight,
            variants=cleaned,
            species=species,
            protection=getattr(species, "protection", "") or "",
            enabled=enabled,
            note=note,
            since_version=version.number,
        )
        _close_version(version, added=1)
        audit_record(action="trade_term_add", actor=actor, obj=row, detail={"version": version.number, "category": category})
    return row


def trade_term_update(
    *,
    actor: Any,
    obj: TradeTerm,
    base_version: int | None,
    term: str,
    category: str,
    weight: int,
    variants: Iterable[str] | str | None = None,
    species: Any = None,
    enabled: bool = True,
    note: str = "",
    change_note: str = "",
    **_ignored: Any,
) -> TradeTerm:
    """Change a keyword: the old row ends at the new version and a new row (same lineage) starts there."""
    cleaned = _clean_variants(variants)
    with transaction.atomic():
        if obj.until_version is not None:
            raise ConflictError(_("该词条已不在当前版本中，请刷新后重试。"), code="term_superseded")
        current = _current_version()
        _validate_term(
            term=term, category=category, weight=weight, variants=cleaned, version_number=current.number if current else 0,
            exclude_lineage=obj.lineage, species_id=getattr(species, "pk", None),
        )
        version, _previous = _open_version(actor=actor, note=change_note or _("修改关键词“%(t)s”") % {"t": obj.term}, base_version=base_version)
        closed = TradeTerm.objects.filter(pk=obj.pk, until_version__isnull=True).update(until_version=version.number)
        if not closed:
            raise ConflictError(_("该词条刚被他人修改，请刷新后重试。"), code="term_superseded")
        row = TradeTerm.objects.create(
            lineage=obj.lineage,
            term=term.strip(),
            category=category,
            weight=weight,
            variants=cleaned,
            species=species,
            protection=(getattr(species, "protection", "") or "") if species is not None else "",
            enabled=enabled,
            note=note,
            since_version=version.number,
        )
        _close_version(version, changed=1)
        audit_record(
            action="trade_term_update",
            actor=actor,
            obj=row,
            before={"term": obj.term, "category": obj.category, "weight": obj.weight, "variants": obj.variants, "enabled": obj.enabled},
            after={"term": row.term, "category": row.category, "weight": row.weight, "variants": row.variants, "enabled": row.enabled},
            detail={"version": version.number},
        )
    return row


def trade_term_remove(*, actor: Any, obj: TradeTerm, base_version: int | None, change_note: str = "") -> TermVersion:
    """Remove a keyword from the table (a new version without it; older versions keep it)."""
    with transaction.atomic():
        version, _previous = _open_version(actor=actor, note=change_note or _("删除关键词“%(t)s”") % {"t": obj.term}, base_version=base_version)
        closed = TradeTerm.objects.filter(pk=obj.pk, until_version__isnull=True).update(until_version=version.number)
        if not closed:
            raise ConflictError(_("该词条已不在当前版本中，请刷新后重试。"), code="term_superseded")
        _close_version(version, removed=1)
        audit_record(action="trade_term_remove", actor=actor, obj=obj, detail={"version": version.number})
    return version


def term_settings_update(*, actor: Any, base_version: int | None, threshold: int, context_window: int, change_note: str = "") -> TermVersion:
    """Change the review threshold or the context window: a new version with the same words."""
    errors: dict[str, list[str]] = {}
    if not 0 <= threshold <= 100:
        errors["threshold"] = [_("阈值应在 0 到 100 之间")]
    if not 1 <= context_window <= 500:
        errors["context_window"] = [_("语境词距离应在 1 到 500 字之间")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        version, previous = _open_version(
            actor=actor,
            note=change_note or _("风险阈值 %(t)d，语境词距离 %(w)d 字") % {"t": threshold, "w": context_window},
            base_version=base_version,
            threshold=threshold,
            context_window=context_window,
        )
        _close_version(version)
        audit_record(
            action="trade_term_settings",
            actor=actor,
            obj=version,
            before={"threshold": previous.threshold, "context_window": previous.context_window} if previous else None,
            after={"threshold": threshold, "context_window": context_window},
        )
    return version


def _species_variants(term: str, protection: str) -> list[str]:
    variants = list(seed.SPECIES_VARIANTS.get(term, []))
    if protection in ("national_1", "national_2") and len(term) >= 3 and all("\u4e00" <= ch <= "\u9fff" for ch in term):
        from pypinyin import lazy_pinyin

        spelled = "".join(lazy_pinyin(term))
        # short pinyin strings turn up inside ordinary Latin text; only long ones are worth matching
        if len(spelled) >= 8:
            variants.append(spelled)
    return variants


def _species_lineage(species_id: int, term: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"wildlife-trade-species:{species_id}:{term}")


def _sync_species_rows(version_number: int) -> tuple[int, int, int]:
    """Bring the species terms of the table in line with the catalogue: new names and aliases are added, changed
    protection classes update the weight, names gone from the catalogue are removed. Manual edits of variants and
    the enabled flag are kept while the class stays the same."""
    from wildlife.species.selectors import species_term_table

    wanted: dict[uuid.UUID, Any] = {}
    for entry in species_term_table():
        text = entry.term.strip()
        if not text or not normalise_term(text):
            continue
        wanted.setdefault(_species_lineage(entry.species_id, text), entry)
    existing = {row.lineage: row for row in _terms_of(version_number - 1).filter(category=TermCategory.SPECIES, species__isnull=False)}
    added = changed = removed = 0
    new_rows: list[TradeTerm] = []
    for lineage, entry in wanted.items():
        weight = seed.PROTECTION_WEIGHTS.get(entry.protection, 10)
        row = existing.get(lineage)
        if row is None:
            cjk = [ch for ch in entry.term if "\u4e00" <= ch <= "\u9fff"]
            new_rows.append(
                TradeTerm(
                    lineage=lineage,
                    term=entry.term.strip(),
                    category=TermCategory.SPECIES,
                    weight=weight,
                    variants=_species_variants(entry.term.strip(), entry.protection),
                    species_id=entry.species_id,
                    protection=entry.protection,
                    # one-character names (狼, 獭) match inside too many ordinary words to scan by default
                    enabled=not (len(entry.term.strip()) == 1 and len(cjk) == 1),
                    note=_("来自物种名录：%(name)s") % {"name": entry.name_zh} if entry.term != entry.name_zh else "",
                    since_version=version_number,
                )
            )
            added += 1
        elif row.protection != entry.protection:
            TradeTerm.objects.filter(pk=row.pk).update(until_version=version_number)
            new_rows.append(
                TradeTerm(
                    lineage=lineage, term=row.term, category=row.category, weight=weight, variants=row.variants,
                    species_id=row.species_id, protection=entry.protection, enabled=row.enabled, note=row.note,
                    since_version=version_number,
                )
            )
            changed += 1
    TradeTerm.objects.bulk_create(new_rows, batch_size=STORE_CHUNK)
    gone = [row.pk for lineage, row in existing.items() if lineage not in wanted]
    if gone:
        TradeTerm.objects.filter(pk__in=gone).update(until_version=version_number)
        removed = len(gone)
    return added, changed, removed


def term_table_sync_species(*, actor: Any, base_version: int | None = None) -> TermVersion | None:
    """Take species names and aliases (with their protection classes) from the catalogue; a new version when
    something changed, None when the table is already in line."""
    with transaction.atomic():
        version, _previous = _open_version(actor=actor, note=_("从物种名录同步物种名称与别名"), base_version=base_version)
        added, changed, removed = _sync_species_rows(version.number)
        if not (added or changed or removed):
            transaction.set_rollback(True)
            return None
        _close_version(version, added=added, changed=changed, removed=removed)
        audit_record(action="trade_term_sync", actor=actor, obj=version, detail={"added": added, "changed": changed, "removed": removed})
    return version


def term_table_seed(*, actor: Any) -> TermVersion:
    """The first version: the starter words (slang, tools, context, mitigating, exclusions) and the species of the
    catalogue. Does nothing when the table already exists."""
    with transaction.atomic():
        current = _current_version(lock=True)
        if current is not None:
            return current
        version, _previous = _open_version(actor=actor, note=_("初始词库：交易行话、禁用猎捕工具、语境词与物种名录"), base_version=None)
        rows = [
            TradeTerm(
                lineage=uuid.uuid5(uuid.NAMESPACE_URL, f"wildlife-trade-starter:{item['category']}:{item['term']}"),
                term=item["term"],
                category=item["category"],
                weight=item["weight"],
                variants=list(item.get("variants", [])),
                note=item.get("note", ""),
                since_version=version.number,
            )
            for item in seed.starter_terms()
        ]
        TradeTerm.objects.bulk_create(rows, batch_size=STORE_CHUNK)
        added, _changed, _removed = _sync_species_rows(version.number)
        _close_version(version, added=len(rows) + added)
        audit_record(action="trade_term_seed", actor=actor, obj=version, detail={"terms": version.term_count})
    return version


# --- scanner per version ----------------------------------------------------------------------------------------

# keyed by (pk, creation time): a version is never edited after it is closed, and the time tells apart a row that
# reused a primary key (a rolled-back test database)
_SCANNERS: OrderedDict[tuple[int, float], Scanner] = OrderedDict()
_SCANNER_CACHE_SIZE = 4


def scanner_for_version(version: TermVersion) -> Scanner:
    """The automaton of a keyword-table version (built once per process and kept for the last few versions)."""
    key = (version.pk, version.created_at.timestamp())
    scanner = _SCANNERS.get(key)
    if scanner is not None:
        _SCANNERS.move_to_end(key)
        return scanner
    terms = [
        ScanTerm(
            key=pk,
            term=term,
            category=category,
            weight=weight,
            variants=tuple(variants or ()),
            species_id=species_id,
            species_name=species_name or "",
            protection=protection or "",
        )
        for pk, term, category, weight, variants, species_id, species_name, protection in _terms_of(version.number)
        .filter(enabled=True)
        .order_by("pk")
        .values_list("pk", "term", "category", "weight", "variants", "species_id", "species__name_zh", "protection")
    ]
    scanner = Scanner(terms, threshold=version.threshold, context_window=version.context_window)
    _SCANNERS[key] = scanner
    while len(_SCANNERS) > _SCANNER_CACHE_SIZE:
        _SCANNERS.popitem(last=False)
    return scanner


def scanner_current(*, actor: Any = None) -> tuple[TermVersion, Scanner]:
    """The current version and its scanner; the starter table is created on first use."""
    version = _current_version() or term_table_seed(actor=actor)
    return version, scanner_for_version(version)


def scan_text_of(title: str, text: str) -> str:
    return f"{title}{TITLE_TEXT_JOINER}{text}" if text else title


def highlight_spans(scanner: Scanner, title: str, text: str, result: ScanResult) -> list[list[Any]]:
    """[[field, start, end, category, term], ...] on the title and the description as stored."""
    spans: list[list[Any]] = []
    offset = len(title) + len(TITLE_TEXT_JOINER)
    for span in scanner.highlight(scan_text_of(title, text), result):
        if span.end <= len(title):
            spans.append(["title", span.start, span.end, span.category, span.term])
        elif span.start >= offset:
            spans.append(["text", span.start - offset, span.end - offset, span.category, span.term])
    return spans


def _apply_result(listing: Listing, *, scanner: Scanner, version: TermVersion, result: ScanResult, now: Any) -> None:
    matched = result.matched_terms()
    listing.risk_score = result.score
    listing.flagged = result.flagged
    listing.matched_terms = matched
    listing.matched_index = ("|" + "|".join(sorted({str(m["term"]) for m in matched})) + "|") if matched else ""
    listing.highlights = highlight_spans(scanner, listing.title, listing.text, result) if result.hits else []
    listing.term_version = version
    listing.scanned_at = now


# --- storing listings ---------------------------------------------------------------------------------------------


def listing_fingerprint(*, external_id: str = "", url: str = "", title: str = "", text: str = "", seller_account: str = "") -> str:
    """The natural key of a listing within its platform: the platform's id, else the URL, else the content."""
    if external_id.strip():
        basis = "id:" + external_id.strip()
    elif url.strip():
        basis = "url:" + url.strip().rstrip("/")
    else:
        basis = "text:" + "\n".join((title.strip(), text.strip(), seller_account.strip()))
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


@dataclass
class StoreResult:
    created: list[Listing] = field(default_factory=list)
    duplicates: int = 0

    @property
    def flagged(self) -> int:
        return sum(1 for listing in self.created if listing.flagged)


def listings_store(
    *,
    actor: Any,
    platform: Platform,
    inputs: Sequence[ListingInput],
    source: str,
    scan_batch: ScanBatch | None = None,
    operation: Any = None,
) -> StoreResult:
    """Store listings read from an export, the API or a collector (district-wide), scanned with the current
    keyword version. Listings already stored for the platform (same natural key) are counted, not stored again."""
    if source not in ListingSource.values:
        raise ValidationError({"source": _("未知来源")})
    result = StoreResult()
    version, scanner = scanner_current(actor=actor)
    district = district_area()
    now = timezone.now()
    with transaction.atomic():
        prints = [
            listing_fingerprint(external_id=i.external_id, url=i.url, title=i.title, text=i.text, seller_account=i.seller_account)
            for i in inputs
        ]
        known: set[str] = set()
        for start in range(0, len(prints), STORE_CHUNK):
            known.update(
                Listing.objects.filter(platform=platform, fingerprint__in=prints[start : start + STORE_CHUNK]).values_list("fingerprint", flat=True)
            )
        fresh: list[tuple[str, ListingInput]] = []
        for fingerprint, item in zip(prints, inputs, strict=True):
            if fingerprint in known:
                result.duplicates += 1
                continue
            known.add(fingerprint)
            fresh.append((fingerprint, item))
        scans = scanner.scan_many([scan_text_of(i.title, i.text) for _fp, i in fresh], [i.price for _fp, i in fresh])
        rows: list[Listing] = []
        for (fingerprint, item), scan in zip(fresh, scans, strict=True):
            listing = Listing(
                platform=platform,
                external_id=item.external_id,
                fingerprint=fingerprint,
                url=item.url,
                title=item.title,
                text=item.text,
                seller_account=item.seller_account,
                seller_name=item.seller_name,
                seller_phone=item.seller_phone,
                seller_phone_index=blind_index(item.seller_phone, purpose=PHONE_INDEX_PURPOSE) if item.seller_phone else "",
                price=item.price,
                image_urls=item.image_urls,
                captured_at=item.captured_at or now,
                source=source,
                location_text=item.location_text,
                area=district,
                district=district,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                operation=operation,
                scan_batch=scan_batch,
            )
            _apply_result(listing, scanner=scanner, version=version, result=scan, now=now)
            rows.append(listing)
        result.created = Listing.objects.bulk_create(rows, batch_size=STORE_CHUNK)
        if rows:
            audit_record(
                action="listing_import",
                actor=actor,
                object_type="trade.listing",
                object_repr=str(platform),
                detail={
                    "platform": platform.code,
                    "source": source,
                    "created": len(rows),
                    "duplicates": result.duplicates,
                    "flagged": result.flagged,
                    "term_version": version.number,
                    "scan_batch": scan_batch.pk if scan_batch else None,
                },
            )
    return result


def _check_image(upload: UploadedFile) -> tuple[bytes, str]:
    if upload.size is not None and upload.size > MAX_IMAGE_BYTES:
        raise ValidationError({"images": [_("图片“%(name)s”超过 10 MB") % {"name": upload.name}]})
    content = upload.read()
    if len(content) > MAX_IMAGE_BYTES:
        raise ValidationError({"images": [_("图片“%(name)s”超过 10 MB") % {"name": upload.name}]})
    for signature, content_type in _IMAGE_SIGNATURES.items():
        if content.startswith(signature):
            if signature == b"RIFF" and content[8:12] != b"WEBP":
                continue
            return content, content_type
    raise ValidationError({"images": [_("“%(name)s”不是 PNG、JPEG、WebP 或 GIF 图片") % {"name": upload.name}]})


def listing_image_add(*, actor: Any, listing: Listing, upload: UploadedFile, caption: str = "") -> ListingImage:
    """Attach a screenshot (checked by its content, not its name) to a listing."""
    from django.core.files.base import ContentFile

    content, content_type = _check_image(upload)
    digest = hashlib.sha256(content).hexdigest()
    extension = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif"}[content_type]
    with transaction.atomic():
        image = ListingImage(listing=listing, content_type=content_type, sha256=digest, caption=caption[:200], uploaded_by=actor)
        image.file.save(f"{digest[:16]}.{extension}", ContentFile(content), save=False)
        image.save()
        audit_record(action="listing_image_add", actor=actor, obj=listing, detail={"image": image.pk, "sha256": digest})
    return image


def listing_capture(
    *,
    actor: Any,
    platform: Platform,
    title: str,
    text: str = "",
    url: str = "",
    external_id: str = "",
    seller_account: str = "",
    seller_name: str = "",
    seller_phone: str = "",
    price: Decimal | None = None,
    captured_at: Any = None,
    location_text: str = "",
    location: Point | None = None,
    images: Iterable[UploadedFile] = (),
    operation: Any = None,
    **_ignored: Any,
) -> Listing:
    """Manual capture of one listing (URL, title, text, seller, price, screenshots), scanned at once."""
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("标题不能为空")]
    phone = "".join((seller_phone or "").split()).replace("-", "")
    if phone and not (phone.lstrip("+").isdigit() and 5 <= len(phone.lstrip("+")) <= 20):
        errors["seller_phone"] = [_("不是有效的电话号码")]
    if price is not None and price < 0:
        errors["price"] = [_("价格不能为负数")]
    if errors:
        raise ValidationError(errors)
    fingerprint = listing_fingerprint(external_id=external_id, url=url, title=title, text=text, seller_account=seller_account)
    existing = Listing.objects.filter(platform=platform, fingerprint=fingerprint).first()
    if existing is not None:
        field_name = "external_id" if external_id.strip() else ("url" if url.strip() else "title")
        raise ValidationError({field_name: [_("该商品信息已登记（编号 %(id)d）") % {"id": existing.pk}]})
    images = list(images)
    for upload in images:
        _check_image(upload)
        upload.seek(0)
    version, scanner = scanner_current(actor=actor)
    now = timezone.now()
    with transaction.atomic():
        if location is not None:
            town, district = resolve_area(actor=actor, point=location)
        else:
            district = district_area()
            town = district
        listing = Listing(
            platform=platform,
            external_id=external_id.strip(),
            fingerprint=fingerprint,
            url=url.strip(),
            title=title,
            text=(text or "").strip(),
            seller_account=(seller_account or "").strip(),
            seller_name=(seller_name or "").strip(),
            seller_phone=phone,
            seller_phone_index=blind_index(phone, purpose=PHONE_INDEX_PURPOSE) if phone else "",
            price=price,
            captured_at=captured_at or now,
            source=ListingSource.MANUAL,
            location_text=(location_text or "").strip(),
            location=location,
            area=town,
            district=district,
            created_by=actor,
            operation=operation,
        )
        scan = scanner.scan(scan_text_of(listing.title, listing.text), price)
        _apply_result(listing, scanner=scanner, version=version, result=scan, now=now)
        listing.save()
        ensure_in_scope(listing, actor, action="add")
        for upload in images:
            listing_image_add(actor=actor, listing=listing, upload=upload)
        audit_record(
            action="listing_capture",
            actor=actor,
            obj=listing,
            detail={"risk_score": listing.risk_score, "flagged": listing.flagged, "term_version": version.number},
        )
    return listing


def listing_rescan(*, actor: Any, listing: Listing) -> Listing:
    """Scan one listing again with the current keyword version (open listings only: closed reviews stand)."""
    if not listing.is_open:
        raise ConflictError(_("该商品信息已审核完毕，不再重新扫描。"), code="listing_closed", current={"status": listing.status})
    version, scanner = scanner_current(actor=actor)
    with transaction.atomic():
        scan = scanner.scan(scan_text_of(listing.title, listing.text), listing.price)
        _apply_result(listing, scanner=scanner, version=version, result=scan, now=timezone.now())
        listing.save(update_fields=["risk_score", "flagged", "matched_terms", "matched_index", "highlights", "term_version", "scanned_at", "updated_at"])
        audit_record(action="listing_rescan", actor=actor, obj=listing, detail={"risk_score": listing.risk_score, "term_version": version.number})
    return listing


def listings_rescan_chunk(*, actor: Any, listing_ids: Sequence[int], version: TermVersion) -> int:
    """Rescan a chunk of open listings with `version` (the re-scan job); returns how many were flagged."""
    scanner = scanner_for_version(version)
    now = timezone.now()
    flagged = 0
    with transaction.atomic():
        listings = list(Listing.objects.filter(pk__in=listing_ids, status__in=(ListingStatus.NEW, ListingStatus.REVIEWING)).order_by("pk"))
        scans = scanner.scan_many([scan_text_of(x.title, x.text) for x in listings], [x.price for x in listings])
        for listing, scan in zip(listings, scans, strict=True):
            _apply_result(listing, scanner=scanner, version=version, result=scan, now=now)
            flagged += listing.flagged
        Listing.objects.bulk_update(
            listings, ["risk_score", "flagged", "matched_terms", "matched_index", "highlights", "term_version", "scanned_at"], batch_size=STORE_CHUNK
        )
    return flagged


# --- review workflow ----------------------------------------------------------------------------------------------


def _require(actor: Any, permission: str) -> None:
    if getattr(actor, "is_admin_role", False) or not actor.has_perm(permission):
        raise PermissionDenied(_("您没有执行此操作的权限"))


def _transition(*, listing: Listing, allowed: Sequence[str], to: str, **fields: Any) -> None:
    updated = Listing.objects.filter(pk=listing.pk, status__in=allowed).update(status=to, version=F("version") + 1, updated_at=timezone.now(), **fields)
    if not updated:
        listing.refresh_from_db()
        raise ConflictError(
            _("该商品信息当前状态为“%(status)s”，不能执行此操作（可能已被他人处理）。") % {"status": listing.get_status_display()},
            code="listing_state",
            current={"status": listing.status},
        )
    listing.refresh_from_db()


def listing_review_start(*, actor: Any, listing: Listing) -> Listing:
    """A reviewer takes the listing (待审核 → 审核中)."""
    _require(actor, "trade.review_listing")
    with transaction.atomic():
        _transition(listing=listing, allowed=(ListingStatus.NEW,), to=ListingStatus.REVIEWING, reviewer=actor, review_started_at=timezone.now())
        audit_record(action="listing_review_start", actor=actor, obj=listing)
    return listing


def listing_mark_false_positive(*, actor: Any, listing: Listing, note: str = "") -> Listing:
    """Not an offence (误报): the listing leaves the queue with the reviewer's reason."""
    _require(actor, "trade.review_listing")
    if not note.strip():
        raise ValidationError({"note": [_("请填写误报理由")]})
    with transaction.atomic():
        _transition(
            listing=listing,
            allowed=(ListingStatus.NEW, ListingStatus.REVIEWING),
            to=ListingStatus.FALSE_POSITIVE,
            reviewer=actor,
            reviewed_at=timezone.now(),
            review_note=note.strip(),
        )
        audit_record(action="listing_false_positive", actor=actor, obj=listing, detail={"risk_score": listing.risk_score})
    return listing


def listing_reopen(*, actor: Any, listing: Listing, note: str) -> Listing:
    """A false positive that was one after all goes back to the queue."""
    _require(actor, "trade.review_listing")
    if not note.strip():
        raise ValidationError({"note": [_("请填写重新审核的理由")]})
    with transaction.atomic():
        _transition(listing=listing, allowed=(ListingStatus.FALSE_POSITIVE,), to=ListingStatus.NEW, reviewer=None, reviewed_at=None, review_note=note.strip())
        audit_record(action="listing_reopen", actor=actor, obj=listing)
    return listing


def listing_request_takedown(*, actor: Any, listing: Listing, reason: str) -> TakedownLetter:
    """Ask the platform to take the listing down: a numbered letter (PDF) is issued and the listing is closed."""
    from wildlife.trade.letters import takedown_letter_issue

    _require(actor, "trade.request_takedown")
    if not reason.strip():
        raise ValidationError({"reason": [_("请填写下架理由")]})
    with transaction.atomic():
        _transition(
            listing=listing,
            allowed=(ListingStatus.NEW, ListingStatus.REVIEWING),
            to=ListingStatus.TAKEDOWN_REQUESTED,
            reviewer=actor,
            reviewed_at=timezone.now(),
            review_note=reason.strip(),
        )
        letter = takedown_letter_issue(actor=actor, listing=listing, reason=reason.strip())
        _trace_seller(actor=actor, listing=listing)
        audit_record(action="listing_takedown_requested", actor=actor, obj=listing, detail={"letter": letter.number})
    return letter


def _listing_label(listing: Listing) -> str:
    return _("商品信息 #%(id)d %(platform)s “%(title)s”") % {"id": listing.pk, "platform": listing.platform.name, "title": listing.title[:40]}


def _trace_seller(*, actor: Any, listing: Listing) -> None:
    """Register the seller's account and phone with the tracing graph (the same account or phone in a case links
    the two)."""
    from wildlife.enforcement.services import trace_link

    label = _listing_label(listing)
    if listing.seller_account:
        trace_link(kind="account", value=f"{listing.platform.name}:{listing.seller_account}", source_type="listing", source_id=listing.pk, label=label, role="seller", actor=actor)
    if listing.seller_phone:
        trace_link(kind="phone", value=listing.seller_phone, source_type="listing", source_id=listing.pk, label=label, role="seller", actor=actor)


def listing_escalate(*, actor: Any, listing: Listing, title: str, note: str = "") -> Listing:
    """Escalate to a case (立案): the enforcement app opens the case from this listing; one case per listing."""
    from wildlife.enforcement.services import case_open

    _require(actor, "trade.review_listing")
    if not title.strip():
        raise ValidationError({"title": [_("请填写案件名称")]})
    with transaction.atomic():
        _transition(
            listing=listing,
            allowed=(ListingStatus.NEW, ListingStatus.REVIEWING),
            to=ListingStatus.ESCALATED,
            reviewer=actor,
            reviewed_at=timezone.now(),
            review_note=note.strip(),
        )
        try:
            case = case_open(
                actor=actor,
                origin="listing",
                origin_ref=str(listing.pk),
                origin_label=_listing_label(listing),
                title=title.strip()[:200],
                area=listing.area,
                location=listing.location,
                summary=note.strip(),
                offence_date=timezone.localtime(listing.captured_at).date(),
                offence_type="trade",
                operation=listing.operation,
            )
            case_id, case_no, case_url = case.pk, str(case.case_no), str(case.get_absolute_url())
        except ConflictError as exc:
            if exc.code != "case_exists":
                raise
            # a case was already opened from this listing (e.g. escalated, reopened by mistake, escalated again)
            from wildlife.enforcement.selectors import case_for_origin

            existing = case_for_origin(user=actor, origin="listing", origin_ref=str(listing.pk))
            if existing is None:
                raise
            case_id, case_no, case_url = existing.pk, str(existing.case_no), str(existing.get_absolute_url())
        Listing.objects.filter(pk=listing.pk).update(case_id=case_id, case_no=case_no, case_url=case_url)
        listing.refresh_from_db()
        _trace_seller(actor=actor, listing=listing)
        audit_record(action="listing_escalated", actor=actor, obj=listing, detail={"case_no": case_no})
    return listing


# --- mappings and platforms ---------------------------------------------------------------------------------------


def column_mapping_save(*, actor: Any, platform: Platform, mapping: dict[str, str], name: str = "默认") -> ColumnMapping:
    """Save (or replace) a platform's column mapping so the next export of that platform is pre-mapped."""
    from wildlife.trade.importers import FIELD_NAMES

    cleaned = {k: v for k, v in mapping.items() if k in FIELD_NAMES and v}
    if "title" not in cleaned:
        raise ValidationError({"title": [_("必须指定标题对应的列")]})
    with transaction.atomic():
        saved, created = ColumnMapping.objects.update_or_create(
            platform=platform, name=name or "默认", defaults={"mapping": cleaned, "updated_by": actor}
        )
        audit_record(action="trade_mapping_save", actor=actor, obj=saved, detail={"created": created, "fields": sorted(cleaned)})
    return saved


def platform_save(*, actor: Any, obj: Platform | None = None, code: str, name: str, operator: str = "", address: str = "", contact: str = "", is_active: bool = True, **_ignored: Any) -> Platform:
    """Create or edit a platform (the addressee of takedown letters)."""
    with transaction.atomic():
        clash = Platform.objects.filter(code=code)
        if obj is not None:
            clash = clash.exclude(pk=obj.pk)
        if clash.exists():
            raise ValidationError({"code": [_("代码“%(c)s”已被使用") % {"c": code}]})
        if obj is None:
            obj = Platform.objects.create(code=code, name=name, operator=operator, address=address, contact=contact, is_active=is_active)
            audit_record(action="trade_platform_create", actor=actor, obj=obj)
        else:
            before = {"name": obj.name, "operator": obj.operator, "address": obj.address, "contact": obj.contact, "is_active": obj.is_active}
            obj.code, obj.name, obj.operator, obj.address, obj.contact, obj.is_active = code, name, operator, address, contact, is_active
            obj.save()
            audit_record(action="trade_platform_update", actor=actor, obj=obj, before=before, after={"name": name, "operator": operator, "address": address, "contact": contact, "is_active": is_active})
    return obj


# --- scans: uploads, the mapping step, API batches, re-scans, collector runs -------------------------------------


def _queue(*, actor: Any, batch: ScanBatch, kind: str, params: dict[str, Any] | None = None) -> ScanBatch:
    from wildlife.jobs.services import job_start

    job = job_start(actor=actor, kind=kind, title=batch.title, params={"batch": batch.pk, **(params or {})})
    ScanBatch.objects.filter(pk=batch.pk).update(job=job, status=ScanStatus.QUEUED)
    batch.job, batch.status = job, ScanStatus.QUEUED
    audit_record(action="trade_scan_start", actor=actor, obj=batch, detail={"kind": batch.kind, "job": str(job.pk)})
    return batch


def scan_upload_create(*, actor: Any, platform: Platform, upload: UploadedFile, mode: str = ImportMode.VALID_ROWS, operation: Any = None) -> ScanBatch:
    """Step 1 of an import: keep the uploaded export and read its headers and first rows for the mapping step."""
    from django.conf import settings

    from wildlife.trade.importers import ExportFileError, detect_format, preview

    try:
        fmt = detect_format(upload.name or "")
    except ExportFileError as exc:
        raise ValidationError({"file": [str(exc)]}) from exc
    limit = int(getattr(settings, "WILDLIFE_MAX_UPLOAD_MB", 200)) * 1024 * 1024
    if upload.size is not None and upload.size > limit:
        raise ValidationError({"file": [_("文件超过 %(n)d MB") % {"n": limit // (1024 * 1024)}]})
    if mode not in ImportMode.values:
        raise ValidationError({"mode": [_("未知的导入方式")]})
    with transaction.atomic():
        batch = ScanBatch(
            kind=ScanKind.IMPORT,
            status=ScanStatus.DRAFT,
            title=_("导入 %(platform)s · %(name)s") % {"platform": platform.name, "name": (upload.name or "")[:120]},
            platform=platform,
            original_name=(upload.name or "")[:255],
            file_format=fmt,
            mode=mode,
            operation=operation,
            created_by=actor,
        )
        batch.file.save(upload.name or f"export.{fmt}", upload, save=False)
        try:
            headers, sample = preview(batch.file.path, fmt)
        except ExportFileError as exc:
            batch.file.delete(save=False)
            raise ValidationError({"file": [str(exc)]}) from exc
        batch.headers, batch.sample = headers, sample
        saved = ColumnMapping.objects.filter(platform=platform).order_by("name").first()
        from wildlife.trade.importers import guess_mapping

        batch.mapping = guess_mapping(headers, saved.mapping if saved else None)
        batch.save()
        audit_record(action="trade_upload", actor=actor, obj=batch, detail={"format": fmt, "name": batch.original_name, "columns": len(headers)})
    return batch


def scan_mapping_submit(*, actor: Any, batch: ScanBatch, mapping: dict[str, str], mode: str, save_mapping: bool = False) -> ScanBatch:
    """Step 2: the user's column mapping; the import-and-scan job starts. A second submission is refused (409)."""
    from wildlife.trade.importers import validate_mapping
    from wildlife.trade.jobs import SCAN_IMPORT

    cleaned = validate_mapping(mapping, list(batch.headers))
    if mode not in ImportMode.values:
        raise ValidationError({"mode": [_("未知的导入方式")]})
    with transaction.atomic():
        moved = ScanBatch.objects.filter(pk=batch.pk, status=ScanStatus.DRAFT).update(mapping=cleaned, mode=mode, status=ScanStatus.QUEUED)
        if not moved:
            raise ConflictError(_("该文件已提交导入，请勿重复提交。"), code="scan_already_started")
        batch.refresh_from_db()
        if save_mapping and batch.platform is not None:
            column_mapping_save(actor=actor, platform=batch.platform, mapping=cleaned)
        _queue(actor=actor, batch=batch, kind=SCAN_IMPORT)
    return batch


def scan_api_submit(*, actor: Any, platform: Platform, items: list[dict[str, Any]], mode: str = ImportMode.VALID_ROWS, operation: Any = None) -> ScanBatch:
    """A batch of listings sent to the API (JSON objects with the listing field names) → a scan job."""
    import json

    from django.core.files.base import ContentFile

    from wildlife.trade.collector import IDENTITY_MAPPING
    from wildlife.trade.jobs import SCAN_IMPORT

    if not items:
        raise ValidationError({"listings": [_("至少提交一条商品信息")]})
    if len(items) > 50_000:
        raise ValidationError({"listings": [_("一次最多提交 50,000 条；更多请上传文件")]})
    headers = sorted({key for item in items for key in item if key in IDENTITY_MAPPING})
    if "title" not in headers and "text" not in headers:
        raise ValidationError({"listings": [_("每条商品信息至少应有 title（标题）或 text（描述）")]})
    with transaction.atomic():
        batch = ScanBatch(
            kind=ScanKind.API,
            status=ScanStatus.QUEUED,
            title=_("接口提交 %(platform)s · %(n)d 条") % {"platform": platform.name, "n": len(items)},
            platform=platform,
            original_name="api.json",
            file_format="json",
            headers=headers,
            mapping={k: v for k, v in IDENTITY_MAPPING.items() if k in headers},
            mode=mode,
            operation=operation,
            created_by=actor,
        )
        batch.file.save("api.json", ContentFile(json.dumps(items, ensure_ascii=False, default=str).encode("utf-8")), save=False)
        batch.save()
        _queue(actor=actor, batch=batch, kind=SCAN_IMPORT)
    return batch


def term_rescan_start(*, actor: Any) -> ScanBatch:
    """Scan every open listing again with the current keyword version (a job)."""
    from wildlife.trade.jobs import RESCAN

    version, _scanner = scanner_current(actor=actor)
    with transaction.atomic():
        batch = ScanBatch.objects.create(
            kind=ScanKind.RESCAN,
            status=ScanStatus.QUEUED,
            title=_("按词库 v%(n)d 重新扫描待审商品信息") % {"n": version.number},
            term_version=version,
            created_by=actor,
        )
        _queue(actor=actor, batch=batch, kind=RESCAN)
    return batch


def collector_source_run(*, actor: Any, source: CollectorSource) -> ScanBatch:
    """Run a collector source now (a job)."""
    from wildlife.trade.jobs import COLLECT

    with transaction.atomic():
        batch = ScanBatch.objects.create(
            kind=ScanKind.COLLECTOR,
            status=ScanStatus.QUEUED,
            title=_("采集 %(name)s") % {"name": source.name},
            platform=source.platform,
            created_by=actor,
        )
        _queue(actor=actor, batch=batch, kind=COLLECT, params={"source": source.pk})
    return batch


def collector_source_save(
    *,
    actor: Any,
    obj: CollectorSource | None = None,
    name: str,
    platform: Platform,
    parser: str,
    urls: str,
    config: dict[str, Any] | None = None,
    enabled: bool = True,
    interval_minutes: int = 24 * 60,
    **_ignored: Any,
) -> CollectorSource:
    """Create or edit a collector source; every URL must be on an allowed host."""
    from wildlife.trade.collector import allowed_hosts, host_allowed

    lines = [line.strip() for line in (urls or "").splitlines() if line.strip()]
    errors: dict[str, list[str]] = {}
    if not lines:
        errors["urls"] = [_("至少填写一个采集地址")]
    refused = [line for line in lines if not host_allowed(line)]
    if refused:
        hosts = "、".join(sorted(allowed_hosts())) or _("（未配置）")
        errors["urls"] = [_("以下地址的主机不在允许名单（%(hosts)s）中：%(urls)s") % {"hosts": hosts, "urls": "；".join(refused[:5])}]
    if config is not None and not isinstance(config, dict):
        errors["config"] = [_("解析配置应为 JSON 对象")]
    if interval_minutes < 5:
        errors["interval_minutes"] = [_("间隔不能少于 5 分钟")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        clash = CollectorSource.objects.filter(name=name)
        if obj is not None:
            clash = clash.exclude(pk=obj.pk)
        if clash.exists():
            raise ValidationError({"name": [_("名称已被使用")]})
        if obj is None:
            obj = CollectorSource(created_by=actor)
        obj.name, obj.platform, obj.parser, obj.urls = name, platform, parser, "\n".join(lines)
        obj.config, obj.enabled, obj.interval_minutes = config or {}, enabled, interval_minutes
        obj.save()
        audit_record(action="trade_collector_save", actor=actor, obj=obj, detail={"urls": len(lines), "parser": parser})
    return obj


def collect_due() -> list[int]:
    """Periodic task: queue a run of every enabled source whose interval has passed (as its creator)."""
    now = timezone.now()
    started: list[int] = []
    for source in CollectorSource.objects.filter(enabled=True, created_by__isnull=False).select_related("created_by"):
        if source.last_run_at and source.last_run_at + dt.timedelta(minutes=source.interval_minutes) > now:
            continue
        collector_source_run(actor=source.created_by, source=source)
        started.append(source.pk)
    return started
