"""Logging filter that stamps each record with the request id."""

import logging

from wildlife.core.context import current_facts


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_facts().request_id
        return True
