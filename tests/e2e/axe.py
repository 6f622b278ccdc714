"""axe-core (web/node_modules, pinned in web/package-lock.json) run inside Chromium on a page or a frame.

Reusable by any browser test: `assert_accessible(page, "the event page")` fails with the serious and critical
violations axe finds, each with the elements it names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Frame, Page

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
# Rules axe ships switched off (experimental) that the audit of issue 19 relied on.
EXTRA_RULES = ("label-content-name-mismatch",)

RUN_AXE = """async (extraRules) => {
  const rules = Object.fromEntries(extraRules.map((id) => [id, { enabled: true }]));
  const results = await window.axe.run(document, { resultTypes: ["violations"], rules });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.slice(0, 5).map((node) => node.target.join(" ")),
  }));
}"""


def axe_violations(target: Page | Frame) -> list[dict[str, Any]]:
    """Every violation axe-core finds in the page or frame (its whole document), with impact and elements."""
    if not AXE_SCRIPT.is_file():
        raise AssertionError(f"{AXE_SCRIPT} is missing: run `make install build` (npm ci in web/)")
    if not target.evaluate("() => typeof window.axe === 'object'"):
        target.add_script_tag(path=str(AXE_SCRIPT))
    violations: list[dict[str, Any]] = target.evaluate(RUN_AXE, list(EXTRA_RULES))
    return violations


def assert_accessible(target: Page | Frame, what: str) -> None:
    """No serious or critical axe-core violation in `target` (a page, or the frame of an embed)."""
    blocking = [v for v in axe_violations(target) if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{what}: " + "; ".join(
        f"{v['id']} ({v['impact']}: {v['help']}) at {', '.join(v['targets'])}" for v in blocking
    )
