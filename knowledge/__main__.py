"""Command line: ``python -m knowledge validate|coverage|hash``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .curation import coverage, render_csv, render_html, render_table, validate
from .loader import ProfileError
from .model import english_hash

DEFAULT_PATH = "country_profiles"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge")
    sub = parser.add_subparsers(dest="command", required=True)
    p_val = sub.add_parser("validate", help="check profiles; exit 1 on errors")
    p_val.add_argument("path", nargs="?", default=DEFAULT_PATH)
    p_cov = sub.add_parser("coverage", help="facts per country and topic")
    p_cov.add_argument("path", nargs="?", default=DEFAULT_PATH)
    p_cov.add_argument("--csv", metavar="FILE")
    p_cov.add_argument("--html", metavar="FILE")
    p_cov.add_argument("--reports", metavar="FILE", help="user reports JSONL (default var/reports.jsonl)")
    p_hash = sub.add_parser("hash", help="print the en_hash of an English text")
    p_hash.add_argument("text")
    args = parser.parse_args(argv)

    if args.command == "hash":
        print(english_hash(args.text))
        return 0
    if args.command == "validate":
        report = validate(args.path)
        print(report.render())
        return 0 if report.ok else 1
    try:
        rows = coverage(args.path, reports_path=args.reports)
    except ProfileError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(render_table(rows))
    if args.csv:
        Path(args.csv).write_text(render_csv(rows), encoding="utf-8")
    if args.html:
        Path(args.html).write_text(render_html(rows), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
