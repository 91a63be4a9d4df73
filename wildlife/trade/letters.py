"""Takedown letters (下架通知函): numbered per year, rendered to PDF with WeasyPrint and Noto CJK, kept with a
SHA-256 digest, audited. The letter is issued in the name of the issuing officer's department."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from wildlife.audit.services import audit_record
from wildlife.trade.models import LetterSequence, Listing, TakedownLetter

# the department a letter speaks for, in this order when an officer belongs to several
ISSUING_DEPARTMENTS = ("market", "cyberspace", "natural_resources", "agriculture", "police")


def issuing_department_name(actor: Any) -> str:
    from wildlife.accounts.models import Department

    departments = {d.code: d.name for d in Department.objects.filter(group__user=actor)}
    for code in ISSUING_DEPARTMENTS:
        if code in departments:
            return f"周村区{departments[code].removeprefix('区')}" if departments[code].startswith("区") else departments[code]
    return next(iter(departments.values()), _("周村区野生动物保护管理平台"))


def letter_number(year: int, seq: int) -> str:
    return _("周网交监函〔%(year)d〕%(seq)d号") % {"year": year, "seq": seq}


def _next_seq(year: int) -> int:
    sequence, _created = LetterSequence.objects.select_for_update().get_or_create(year=year)
    LetterSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    sequence.refresh_from_db()
    return int(sequence.last)


def letter_context(*, listing: Listing, number: str, reason: str, issuer: str, issued_at: Any, officer: str) -> dict[str, Any]:
    core = [m for m in listing.matched_terms if m.get("category") in ("species", "slang", "tool")]
    return {
        "listing": listing,
        "number": number,
        "reason": reason,
        "issuer": issuer,
        "issued_at": timezone.localtime(issued_at),
        "officer": officer,
        "addressee": listing.platform.operator or listing.platform.name,
        "terms": core,
    }


def letter_html(context: dict[str, Any]) -> str:
    return render_to_string("trade/pdf/takedown_letter.html", context)


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    # the letter is self-contained (fonts come from the system): nothing is fetched, listing text cannot make
    # WeasyPrint reach a URL or a local file
    raise ValueError(f"external resource refused: {url[:80]}")


def letter_document(html: str) -> Any:
    """The laid-out WeasyPrint document (pages and boxes), before it is written as PDF."""
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_refuse_fetch).render()


def document_text(document: Any) -> str:
    """The text laid out on the pages of a WeasyPrint document (what the PDF shows), page by page."""
    from weasyprint.formatting_structure import boxes

    def walk(box: Any, parts: list[str]) -> None:
        if isinstance(box, boxes.TextBox):
            parts.append(box.text)
        for child in getattr(box, "children", ()) or ():
            walk(child, parts)

    pages: list[str] = []
    for page in document.pages:
        parts: list[str] = []
        walk(page._page_box, parts)
        pages.append("".join(parts))
    return "\n".join(pages)


def takedown_letter_issue(*, actor: Any, listing: Listing, reason: str) -> TakedownLetter:
    """Number, render and store the letter for `listing` (inside the caller's transaction)."""
    issued_at = timezone.now()
    year = timezone.localtime(issued_at).year
    with transaction.atomic():
        seq = _next_seq(year)
        number = letter_number(year, seq)
        context = letter_context(
            listing=listing,
            number=number,
            reason=reason,
            issuer=issuing_department_name(actor),
            issued_at=issued_at,
            officer=getattr(actor, "display_name", "") or actor.get_username(),
        )
        pdf = letter_document(letter_html(context)).write_pdf()
        digest = hashlib.sha256(pdf).hexdigest()
        letter = TakedownLetter(
            number=number,
            year=year,
            seq=seq,
            listing=listing,
            platform=listing.platform,
            addressee=context["addressee"],
            reason=reason,
            sha256=digest,
            issued_by=actor,
            issued_at=issued_at,
        )
        letter.file.save(f"takedown-{year}-{seq:04d}.pdf", ContentFile(pdf), save=False)
        letter.save()
        audit_record(action="takedown_letter_issue", actor=actor, obj=letter, detail={"listing": listing.pk, "sha256": digest, "platform": listing.platform.code})
    return letter
