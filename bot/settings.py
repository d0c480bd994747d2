"""Gateway settings, all from environment variables, checked at start-up.

Every variable is optional for the embedded default (`make run`): secrets that are missing are
generated once and kept in var/ (mode 0600) so pseudonyms stay stable across restarts.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class SettingsError(RuntimeError):
    """A setting is missing or malformed; the message names the variable and what to do."""


def _persistent_secret(path: Path) -> str:
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    path.write_text(value)
    path.chmod(0o600)
    return value


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from error


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    data_dir: Path = ROOT / "var"
    database_url: str = ""
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_urls: tuple[str, ...] = ()  # several Rasa servers (scale-out); empty: rasa_url alone
    redis_url: str = ""  # shared state and pub/sub between several gateways
    rasa_token: str = ""
    pseudonym_secret: str = ""
    organisation: str = "the Passage project (demo deployment)"
    max_message_chars: int = 4000
    rasa_timeout_s: float = 30.0
    rate_limit_per_minute: int = 20
    retention_days: int = 30
    inbox_retry_s: float = 5.0

    office_hours_file: Path = ROOT / "bot" / "data" / "office_hours.yml"

    def office_hours(self) -> dict[str, str]:
        """Per-language office hours shown to users waiting for a counsellor."""
        import yaml

        if not self.office_hours_file.exists():
            raise SettingsError(f"PASSAGE_OFFICE_HOURS_FILE points to {self.office_hours_file}, which does not exist")
        return {str(k): str(v) for k, v in (yaml.safe_load(self.office_hours_file.read_text(encoding="utf-8")) or {}).items()}

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(os.environ.get("PASSAGE_DATA_DIR", ROOT / "var"))
        token = os.environ.get("PASSAGE_RASA_TOKEN") or _persistent_secret(data_dir / "rasa_token")
        return cls(
            host=os.environ.get("PASSAGE_HOST", "127.0.0.1"),
            port=_int("PASSAGE_PORT", 8080),
            data_dir=data_dir,
            database_url=os.environ.get("PASSAGE_DATABASE_URL") or f"sqlite+aiosqlite:///{data_dir / 'passage.db'}",
            rasa_url=os.environ.get("PASSAGE_RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
            rasa_urls=tuple(u.strip().rstrip("/") for u in os.environ.get("PASSAGE_RASA_URLS", "").split(",") if u.strip()),
            redis_url=os.environ.get("PASSAGE_REDIS_URL", ""),
            rasa_token=token,
            pseudonym_secret=os.environ.get("PASSAGE_PSEUDONYM_SECRET") or _persistent_secret(data_dir / "pseudonym.key"),
            organisation=os.environ.get("PASSAGE_ORGANISATION", "the Passage project (demo deployment)"),
            max_message_chars=_int("PASSAGE_MAX_MESSAGE_CHARS", 4000),
            rate_limit_per_minute=_int("PASSAGE_RATE_LIMIT_PER_MINUTE", 20),
            retention_days=_int("PASSAGE_RETENTION_DAYS", 30),
            office_hours_file=Path(os.environ.get("PASSAGE_OFFICE_HOURS_FILE", ROOT / "bot" / "data" / "office_hours.yml")),
        )
