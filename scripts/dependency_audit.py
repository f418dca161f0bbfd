"""CI's dependency audit: run pip-audit and say how many packages it really checked.

pip-audit prints "No known vulnerabilities found" even when it could check nothing (no index
reachable: every package is skipped). This prints one verdict line instead:
  dependency audit passed: N of N packages checked, no known vulnerabilities
  dependency audit PARTIAL: N of M packages checked, … not checked (reason)
  dependency audit NOT RUN: … (reason)
  dependency audit FAILED: vulnerable packages (listed above it)
Exit status 1 only for vulnerabilities; a check that could not run is reported, not passed.
"""

import json
import subprocess
import sys

TIMEOUT = 600


def verdict(report: dict) -> tuple[str, int]:
    """The verdict line and exit status for pip-audit's JSON report."""
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if "skip_reason" in d]
    checked = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in checked if d.get("vulns")]
    if vulnerable:
        lines = [f"  {d['name']} {d.get('version', '')}: {', '.join(v['id'] for v in d['vulns'])}" for d in vulnerable]
        return "\n".join(["dependency audit FAILED: vulnerable packages", *lines]), 1
    if not checked:
        reason = skipped[0]["skip_reason"] if skipped else "pip-audit listed no packages"
        return f"dependency audit NOT RUN: 0 of {len(dependencies)} packages could be checked ({reason})", 0
    if skipped:
        names = ", ".join(d["name"] for d in skipped[:10]) + (" …" if len(skipped) > 10 else "")
        return (
            f"dependency audit PARTIAL: {len(checked)} of {len(dependencies)} packages checked, no known "
            f"vulnerabilities in those; not checked: {names} ({skipped[0]['skip_reason']})",
            0,
        )
    return (
        f"dependency audit passed: {len(checked)} of {len(dependencies)} packages checked, no known vulnerabilities",
        0,
    )


def main() -> int:
    command = [sys.executable, "-m", "pip_audit", "--progress-spinner", "off", "--format", "json"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)  # noqa: S603
    except subprocess.TimeoutExpired:
        print(f"dependency audit NOT RUN: pip-audit did not finish in {TIMEOUT} s")
        return 0
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"dependency audit NOT RUN: pip-audit exited {done.returncode} without a report ({reason})")
        return 0
    line, status = verdict(report)
    print(line)
    return status


if __name__ == "__main__":
    sys.exit(main())
