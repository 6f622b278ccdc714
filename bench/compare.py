"""Ours against a baseline checkout in one run: a bench script run in both, alternately, its figures side by side.

The machines are noisy, so the two checkouts take turns (baseline, ours, baseline, ...) and each figure is the
median of its rounds; `change` is ours / baseline for throughputs and ratios (above 1 is better) and baseline /
ours for latencies (the same reading). Each checkout runs its own copy of the script with its own virtualenv.
Prints one JSON line.
Usage: .venv/bin/python bench/compare.py --baseline ../base [--rounds 2] admission.py [script arguments...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
from pathlib import Path
from typing import Any

OURS = Path(__file__).resolve().parent.parent
# the leaves compared: throughputs and ratios (higher is better), latencies (lower is better)
HIGHER_IS_BETTER = ("rps", "ratio_to_livez", "ratio_to_trivial")
LOWER_IS_BETTER = ("mean_ms", "p50_ms", "p99_ms", "p50_us", "p99_us")


def run_bench(checkout: Path, script: str, arguments: list[str]) -> dict[str, Any]:
    command = [str(checkout / ".venv/bin/python"), str(checkout / "bench" / script), *arguments]
    done = subprocess.run(command, cwd=checkout, capture_output=True, text=True, check=True, timeout=3600)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def figures(result: dict[str, Any], prefix: str = "") -> dict[str, float]:
    """The compared leaves of a bench's JSON, by dotted path."""
    found: dict[str, float] = {}
    for key, value in result.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            found |= figures(value, f"{path}.")
        elif isinstance(value, int | float) and key in HIGHER_IS_BETTER + LOWER_IS_BETTER:
            found[path] = float(value)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", type=Path, required=True, help="a checkout (git worktree) with its .venv")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("script")
    parser.add_argument("arguments", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    baseline: Path = args.baseline.resolve()
    rounds: dict[str, list[dict[str, float]]] = {"baseline": [], "ours": []}
    for _ in range(args.rounds):
        for name, checkout in (("baseline", baseline), ("ours", OURS)):
            rounds[name].append(figures(run_bench(checkout, args.script, args.arguments)))
    lines: dict[str, dict[str, float]] = {}
    for path in rounds["ours"][0]:
        if any(path not in taken for taken in rounds["baseline"] + rounds["ours"]):
            continue  # a figure only one side reports
        base = statistics.median(taken[path] for taken in rounds["baseline"])
        ours = statistics.median(taken[path] for taken in rounds["ours"])
        lower_is_better = path.rsplit(".", 1)[-1] in LOWER_IS_BETTER
        change = (base / ours if lower_is_better else ours / base) if base and ours else 0.0
        lines[path] = {"baseline": base, "ours": ours, "change": round(change, 3)}
    print(json.dumps({"bench": args.script, "rounds": args.rounds, "baseline": str(baseline), "lines": lines}))


if __name__ == "__main__":
    main()
