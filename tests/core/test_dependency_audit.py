"""The CI dependency audit never reports a pass for packages it could not check."""

from scripts.dependency_audit import verdict

SKIP = "Dependency not found on PyPI and could not be audited: django (5.2.19)"


def test_nothing_checked_is_not_run_with_the_reason():
    line, status = verdict({"dependencies": [{"name": "django", "skip_reason": SKIP}] * 3})
    assert line.startswith("dependency audit NOT RUN: 0 of 3 packages") and SKIP in line
    assert "passed" not in line and status == 0


def test_an_empty_report_is_not_run():
    line, _status = verdict({"dependencies": []})
    assert line.startswith("dependency audit NOT RUN")


def test_some_skipped_is_partial_and_names_them():
    report = {
        "dependencies": [{"name": "django", "version": "5.2", "vulns": []}, {"name": "weasyprint", "skip_reason": SKIP}]
    }
    line, status = verdict(report)
    assert line.startswith("dependency audit PARTIAL: 1 of 2 packages checked") and "weasyprint" in line
    assert status == 0


def test_all_checked_and_clean_passes_with_the_count():
    line, status = verdict({"dependencies": [{"name": "django", "version": "5.2", "vulns": []}]})
    assert (line, status) == ("dependency audit passed: 1 of 1 packages checked, no known vulnerabilities", 0)


def test_a_vulnerability_fails_and_is_named():
    report = {"dependencies": [{"name": "django", "version": "5.2", "vulns": [{"id": "PYSEC-2026-1"}]}]}
    line, status = verdict(report)
    assert status == 1 and "django 5.2: PYSEC-2026-1" in line
