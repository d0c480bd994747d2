import csv
import io
import json
from datetime import date

from knowledge.__main__ import main
from knowledge.curation import (
    count_reports,
    coverage,
    render_csv,
    render_html,
    render_table,
)

TODAY = date(2026, 11, 22)


def rows_by_key(rows):
    return {(r.country, r.topic): r for r in rows}


def test_coverage_has_every_country_topic_pair(make_tree):
    rows = coverage(make_tree(), today=TODAY)
    assert len(rows) == 10
    by = rows_by_key(rows)
    reint = by[("SN", "reintegration")]
    assert (reint.facts, reint.corroborated_share, reint.stale) == (2, 0.5, 0)
    assert reint.translation_coverage == 1 / 8  # one current translation out of 2 facts x 4 languages
    jobs = by[("SN", "jobs")]
    assert (jobs.facts, jobs.stale, jobs.corroborated_share) == (1, 1, 0.0)
    assert by[("SN", "health")].facts == 0


def test_open_reports_are_counted_per_country_and_topic(make_tree, tmp_path):
    reports = tmp_path / "reports.jsonl"
    lines = [
        {"fact_id": "sn-one", "country": "SN", "topic": "reintegration", "text": "wrong", "at": "2026-11-01"},
        {"fact_id": "sn-two", "country": "sn", "topic": "reintegration", "text": "old", "at": "2026-11-02"},
        {"fact_id": None, "country": "SN", "topic": "health", "text": "none here", "at": "2026-11-03"},
    ]
    reports.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n\n", encoding="utf-8")
    by = rows_by_key(coverage(make_tree(), today=TODAY, reports_path=reports))
    assert by[("SN", "reintegration")].open_reports == 2
    assert by[("SN", "health")].open_reports == 1
    assert by[("SN", "jobs")].open_reports == 0


def test_missing_reports_file_counts_zero(tmp_path):
    assert count_reports(tmp_path / "absent.jsonl") == {}


def test_renderers(make_tree):
    rows = coverage(make_tree(), today=TODAY)
    table = render_table(rows)
    assert table.splitlines()[0].split() == ["country", "topic", "facts", "corroborated", "%", "translated",
                                             "%", "stale", "reports"]
    parsed = list(csv.DictReader(io.StringIO(render_csv(rows))))
    assert parsed[6]["topic"] == "reintegration" and parsed[6]["corroborated_share"] == "0.50"
    page = render_html(rows, title="<Coverage>")
    assert page.startswith("<!DOCTYPE html>")
    assert "&lt;Coverage&gt;" in page
    assert "<script" not in page and "http" not in page.replace('lang="en"', "")


def test_cli_validate_exit_status(make_tree, texts, capsys):
    good = make_tree()
    assert main(["validate", str(good)]) == 0
    (good / "SN.yml").write_text(texts.PROFILE.replace("  jobs:", "  weather:"), encoding="utf-8")
    assert main(["validate", str(good)]) == 1
    assert "SN.yml:23: error: facts.weather" in capsys.readouterr().out


def test_cli_coverage_writes_csv_and_html(make_tree, tmp_path, capsys):
    out_csv, out_html = tmp_path / "c.csv", tmp_path / "c.html"
    assert main(["coverage", str(make_tree()), "--csv", str(out_csv), "--html", str(out_html)]) == 0
    assert "reintegration" in capsys.readouterr().out
    assert out_csv.read_text(encoding="utf-8").startswith("country,topic,facts")
    assert "<table>" in out_html.read_text(encoding="utf-8")


def test_cli_coverage_fails_on_errors(make_tree, texts, capsys):
    root = make_tree({"SN.yml": texts.PROFILE.replace("  jobs:", "  weather:")})
    assert main(["coverage", str(root)]) == 1
    assert "facts.weather" in capsys.readouterr().err


def test_cli_hash(texts, capsys):
    assert main(["hash", texts.EN_ONE]) == 0
    assert capsys.readouterr().out.strip() == texts.H1
