from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Throttle counters and the cached security policy must not leak between tests (or into other apps' tests)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def chain(db: Any) -> list[Any]:
    """Ten chained events."""
    from wildlife.audit.services import audit_record

    return [audit_record(action="test_event", username=f"user{i}", detail={"n": i, "note": "演示"}) for i in range(1, 11)]
