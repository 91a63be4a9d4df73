"""Pluggable SMS and e-mail senders.

`settings.WILDLIFE_MESSAGE_SENDERS` maps a channel ("sms", "email") to the dotted path of a sender class; both
default to ConsoleSender, which writes the message to the log and keeps it in `ConsoleSender.outbox` (tests read it).
A production SMS gateway is one class with `send()`; EmailSender uses Django's configured e-mail backend.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("wildlife.disease.senders")

DEFAULT_SENDERS = {"sms": "wildlife.disease.senders.ConsoleSender", "email": "wildlife.disease.senders.ConsoleSender"}


class SendError(Exception):
    """The sender could not hand the message over (the reason is recorded on the OutboundMessage)."""


@dataclass(frozen=True)
class SentMessage:
    channel: str
    to: str
    subject: str
    body: str
    provider_id: str


class MessageSender(Protocol):
    def send(self, *, channel: str, to: str, subject: str, body: str) -> str:
        """Hand the message over; return the provider's id for it. Raise SendError when it cannot be sent."""


class ConsoleSender:
    """Writes messages to the log and keeps them in memory; for development and tests."""

    outbox: ClassVar[list[SentMessage]] = []
    _ids = itertools.count(1)

    def send(self, *, channel: str, to: str, subject: str, body: str) -> str:
        provider_id = f"console-{next(self._ids)}"
        ConsoleSender.outbox.append(SentMessage(channel, to, subject, body, provider_id))
        logger.info("[%s] to %s: %s %s", channel, to, subject, body)
        return provider_id


class EmailSender:
    """E-mail through Django's configured backend (EMAIL_HOST etc.)."""

    def send(self, *, channel: str, to: str, subject: str, body: str) -> str:
        from django.core.mail import send_mail

        try:
            sent = send_mail(subject or body[:40], body, None, [to], fail_silently=False)
        except Exception as exc:  # the backend's own errors (SMTP, socket) become a recorded failure
            raise SendError(f"{exc.__class__.__name__}: {exc}") from exc
        if not sent:
            raise SendError("邮件未被接收")
        return f"email-{to}"


class FailingSender:
    """Always fails; lets tests and operators check that failures are recorded and nothing else breaks."""

    def send(self, *, channel: str, to: str, subject: str, body: str) -> str:
        raise SendError("发送通道不可用")


def sender_for(channel: str) -> Any:
    configured: dict[str, str] = {**DEFAULT_SENDERS, **getattr(settings, "WILDLIFE_MESSAGE_SENDERS", {})}
    return import_string(configured[channel])()
