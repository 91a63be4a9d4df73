"""Official documents of a case as PDF (WeasyPrint with Noto CJK)."""

from __future__ import annotations

from django.template.loader import render_to_string

from wildlife.enforcement.models import Case


def transfer_letter_pdf(case: Case) -> bytes:
    """The transfer letter (涉嫌犯罪案件移送书) of a transferred case: masked parties, items, values and thresholds.
    Never the informant: a tip-off origin is named only as "举报"."""
    from weasyprint import HTML

    html = render_to_string(
        "enforcement/pdf/transfer_letter.html",
        {
            "case": case,
            "parties": list(case.parties.order_by("pk")),
            "items": list(case.items.select_related("species").order_by("pk")),
            "evidence": list(case.evidence.order_by("pk")),
            "assessment": case.assessment or None,
        },
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
