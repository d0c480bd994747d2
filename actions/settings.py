"""Deployment settings the action server reads from the environment (documented in the README)."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def organisation() -> str:
    """Who runs this deployment, named in the greeting (PASSAGE_ORGANISATION)."""
    return os.environ.get("PASSAGE_ORGANISATION", "the Passage project (demo deployment)")


def profiles_dir() -> Path:
    """Where the country profiles live (PASSAGE_PROFILES_DIR)."""
    return Path(os.environ.get("PASSAGE_PROFILES_DIR", ROOT / "country_profiles"))


def reports_file() -> Path:
    """Where users' reports of outdated facts are appended for curators (PASSAGE_REPORTS_FILE)."""
    return Path(os.environ.get("PASSAGE_REPORTS_FILE", ROOT / "var" / "reports.jsonl"))


def plans_dir() -> Path:
    """Where return preparation plans (PDF) are written for the gateway to serve as /plans/<token>.pdf
    (PASSAGE_PLANS_DIR)."""
    return Path(os.environ.get("PASSAGE_PLANS_DIR", ROOT / "var" / "plans"))


def fonts_dir() -> Path:
    """Noto fonts for the plan PDF: Debian's fonts-noto-core (PASSAGE_FONTS_DIR)."""
    return Path(os.environ.get("PASSAGE_FONTS_DIR", "/usr/share/fonts/truetype/noto"))
