"""The notification letter to 区农业农村局 when wildlife infection is suspected (动物防疫法 第三十三条), as a PDF.

WeasyPrint with Noto CJK: the @page margin boxes name their font family explicitly, otherwise the footer falls back
to a font without Chinese glyphs.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

LETTER_TEMPLATE = "disease/letters/notification.html"
RECIPIENT = "区农业农村局"
SENDER = "区自然资源局"


def render_notification_letter(*, event: Any, number: str, reason: str, issued_at: Any = None) -> bytes:
    """The letter as PDF bytes."""
    from weasyprint import HTML

    return bytes(HTML(string=letter_html(event=event, number=number, reason=reason, issued_at=issued_at)).write_pdf())


def letter_html(*, event: Any, number: str, reason: str, issued_at: Any = None) -> str:
    """The letter as HTML (what the PDF is printed from)."""
    issued_at = issued_at or timezone.now()
    context = {
        "event": event,
        "number": number,
        "reason": reason,
        "recipient": RECIPIENT,
        "sender": SENDER,
        "issued": timezone.localtime(issued_at),
        "lines": list(event.species_lines.select_related("species")),
        "results": list(event.lab_results.select_related("sample").order_by("reported_at")),
        "samples": list(event.samples.all()),
    }
    return render_to_string(LETTER_TEMPLATE, context)

