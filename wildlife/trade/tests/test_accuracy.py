"""Scanner accuracy on the labelled set (tests/labelled_listings.py) with the starter keyword table and the demo
species catalogue, at the default threshold. Prints precision and recall with the misses."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from wildlife.trade.tests.labelled_listings import LABELLED, NEGATIVES, POSITIVES

MIN_PRECISION = 0.85
MIN_RECALL = 0.90


def test_the_labelled_set_is_large_and_balanced() -> None:
    assert len(LABELLED) >= 200
    assert len(POSITIVES) >= 90 and len(NEGATIVES) >= 90
    assert len({(t, d) for t, d, _p, _l in LABELLED}) == len(LABELLED)  # no duplicates


@pytest.mark.django_db
def test_precision_and_recall_at_the_default_threshold(catalogue_terms: Any) -> None:
    from wildlife.trade.services import scan_text_of, scanner_for_version

    scanner = scanner_for_version(catalogue_terms)
    assert scanner.threshold == 50
    texts = [scan_text_of(title, text) for title, text, _price, _label in LABELLED]
    prices = [Decimal(price) if price is not None else None for _t, _d, price, _label in LABELLED]
    results = scanner.scan_many(texts, prices)
    true_pos = false_pos = false_neg = true_neg = 0
    misses: list[str] = []
    for (title, text, _price, label), result in zip(LABELLED, results, strict=True):
        if result.flagged and label:
            true_pos += 1
        elif result.flagged:
            false_pos += 1
            misses.append(f"  误报 {result.score:3d} {title}｜{text}  {[h.term.term for h in result.hits]}")
        elif label:
            false_neg += 1
            misses.append(f"  漏报 {result.score:3d} {title}｜{text}  {[h.term.term for h in result.hits]}")
        else:
            true_neg += 1
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    print(f"\n扫描准确率（阈值 {scanner.threshold}，{len(LABELLED)} 条：正例 {len(POSITIVES)}，负例 {len(NEGATIVES)}）")
    print(f"  precision {precision:.3f}  recall {recall:.3f}  (TP {true_pos}, FP {false_pos}, FN {false_neg}, TN {true_neg})")
    print("\n".join(misses))
    assert precision >= MIN_PRECISION, f"precision {precision:.3f}"
    assert recall >= MIN_RECALL, f"recall {recall:.3f}"
