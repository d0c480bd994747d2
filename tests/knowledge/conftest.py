"""Small fixture profiles written to tmp_path."""
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from knowledge.model import english_hash

EN_ONE = "Fixture fact one."
EN_TWO = "Fixture fact two."
H1 = english_hash(EN_ONE)
H2 = english_hash(EN_TWO)

SOURCES = """\
sources:
  - id: brief
    title: A research brief
    publisher: A think tank
    kind: research
    published: "2021"
  - id: ngo_report
    title: An NGO report
    publisher: An NGO
    kind: ngo_civil_society
    published: 2020-05-01
  - id: ministry
    title: A ministry page
    publisher: A ministry
    kind: origin_government
    accessed: 2021-04-02
  - id: io_report
    title: An IO report cited by the brief
    publisher: An international organisation
    kind: international_organisation
    published: "2020"
    known_through: brief
"""

PROFILE = f"""\
country: SN
name:
  en: Senegal
facts:
  reintegration:
    - id: sn-one
      text:
        en: "{EN_ONE}"
        fr:
          text: "Fait un."
          state: machine_translated
          en_hash: "{H1}"
      sources:
        - {{id: brief, locator: "section 1"}}
      last_verified: 2026-11-22
      review_by: 2027-05-22
    - id: sn-two
      text:
        en: "{EN_TWO}"
      sources: [brief, ngo_report]
      last_verified: 2026-10-01
      review_by: 2027-05-22
  jobs:
    - id: sn-three
      text:
        en: "Only the ministry says this."
      sources: [ministry]
      last_verified: 2026-05-01
      review_by: 2026-11-21
"""


def write_tree(root: Path, files: dict) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def make_tree(tmp_path):
    """Write a profile directory; ``files`` overrides or adds to the valid baseline."""

    def make(files=None, base=True):
        content = {"sources.yml": SOURCES, "SN.yml": PROFILE} if base else {}
        content.update(files or {})
        return write_tree(tmp_path / "profiles", content)

    return make


@pytest.fixture
def texts():
    """The baseline fixture texts, for tests that edit them (tests never import conftest)."""
    return SimpleNamespace(SOURCES=SOURCES, PROFILE=PROFILE, EN_ONE=EN_ONE, H1=H1)
