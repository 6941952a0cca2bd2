"""Outgoing SMS: one interface, a default that writes the message to the log.

A gateway (MSG91, Twilio, ...) plugs in by implementing `SmsSender.send`.
"""

from __future__ import annotations

from typing import Protocol

import structlog

log = structlog.get_logger("haat.sms")


class SmsSender(Protocol):
    async def send(self, phone_e164: str, text: str) -> None:
        """Deliver ``text`` to ``phone_e164``; raise on a delivery failure."""
        ...


class LogSmsSender:
    """Writes each message to the log instead of sending it (development and demos)."""

    async def send(self, phone_e164: str, text: str) -> None:
        log.info("sms.sent", to=phone_e164, text=text)
