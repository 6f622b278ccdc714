"""axe-core (the npm package pinned in web/package.json) run inside a page Chromium has open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = frozenset({"serious", "critical"})


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Every WCAG 2.x A/AA violation axe finds on the page as it is now (run it after the page settled)."""
    assert AXE_SCRIPT.exists(), f"{AXE_SCRIPT} is missing: run `make install`"
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    result: dict[str, Any] = page.evaluate(
        """() => axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
            resultTypes: ['violations'],
        })"""
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def assert_no_serious_violations(page: Page) -> None:
    """Fails with each serious or critical violation and the elements it was found on."""
    blocking = [v for v in axe_violations(page) if v.get("impact") in BLOCKING_IMPACTS]
    report = [
        f"{v['id']} ({v['impact']}): {v['help']} -> " + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in blocking
    ]
    assert not report, "\n".join(report)
