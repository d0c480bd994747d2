"""Sending e-mail through the deployment's SMTP server (PASSAGE_SMTP_*), for every sender in the gateway.

Handoff notifications (bot/console/notify.py) and consular referrals (bot/consular.py) share this.
The body is sent as UTF-8 in base64, so the bytes that arrive are exactly the text given: no line
re-wrapping, no added newline (a consular referral must be byte-for-byte what the user approved).
"""
from __future__ import annotations

import asyncio
import smtplib
from dataclasses import dataclass
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formatdate, make_msgid
from typing import Mapping, Sequence

from bot.settings import SettingsError

SMTP_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class SmtpConfig:
    host: str = ""
    port: int = 25
    sender: str = ""  # PASSAGE_SMTP_FROM
    user: str = ""
    password: str = ""
    starttls: bool = False

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SmtpConfig:
        get = lambda name: env.get(name, "").strip()  # noqa: E731
        port_text = get("PASSAGE_SMTP_PORT") or "25"
        if not port_text.isdigit():
            raise SettingsError(f"PASSAGE_SMTP_PORT must be a port number, got {port_text!r}")
        starttls = get("PASSAGE_SMTP_STARTTLS")
        return cls(
            host=get("PASSAGE_SMTP_HOST"),
            port=int(port_text),
            sender=get("PASSAGE_SMTP_FROM"),
            user=get("PASSAGE_SMTP_USER"),
            password=env.get("PASSAGE_SMTP_PASSWORD", ""),
            starttls=starttls == "1" if starttls else port_text == "587",
        )


def build_message(config: SmtpConfig, to: Sequence[str], subject: str, body: str) -> MIMEText:
    message = MIMEText(body, "plain", "utf-8")  # base64: the body arrives byte for byte
    message["Subject"] = Header(subject, "utf-8").encode() if not subject.isascii() else subject
    message["From"] = config.sender
    message["To"] = ", ".join(to)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=config.sender.rpartition("@")[2] or None)
    return message


def send(config: SmtpConfig, to: Sequence[str], subject: str, body: str) -> None:
    """Sends one message; raises OSError or smtplib.SMTPException when it was not accepted."""
    message = build_message(config, to, subject, body)
    with smtplib.SMTP(config.host, config.port, timeout=SMTP_TIMEOUT_S) as smtp:
        if config.starttls:
            smtp.starttls()
        if config.user:
            smtp.login(config.user, config.password)
        smtp.send_message(message, from_addr=config.sender, to_addrs=list(to))


async def send_async(config: SmtpConfig, to: Sequence[str], subject: str, body: str) -> None:
    """`send` in a worker thread, so a slow SMTP server never blocks the gateway."""
    await asyncio.get_running_loop().run_in_executor(None, send, config, list(to), subject, body)
