"""Per-file pass/skip/fail counts of the protocol compliance suites, printed at the end."""

from __future__ import annotations

from typing import Any

import pytest

from .suites import FILES, file_of_test_id

_MARK = "test_protocols.py::test_case["
_OUTCOMES: dict[str, str] = {}  # test id -> passed / skipped / failed


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    nodeid = report.nodeid
    start = nodeid.find(_MARK)
    if start < 0 or not nodeid.endswith("]"):
        return
    test_id = nodeid[start + len(_MARK):-1]
    if report.failed:
        _OUTCOMES[test_id] = "failed"
    elif report.skipped and report.when == "setup":
        _OUTCOMES[test_id] = "skipped"
    elif report.passed and report.when == "call":
        _OUTCOMES.setdefault(test_id, "passed")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _OUTCOMES:
        return
    counts: dict[str, dict[str, int]] = {f: {"passed": 0, "skipped": 0, "failed": 0} for f, _ in FILES}
    for test_id, outcome in _OUTCOMES.items():
        counts.setdefault(file_of_test_id(test_id), {"passed": 0, "skipped": 0, "failed": 0})[outcome] += 1
    terminalreporter.section("protocol compliance")
    for name, c in counts.items():
        if sum(c.values()):
            terminalreporter.write_line(f"{name}: {c['passed']} passed, {c['skipped']} skipped, {c['failed']} failed")
