"""Regenerate tests/data/baseline_pin.json: the baseline summary that speed work must not change.

Run it only with a stated reason (a deliberate change to the model's behaviour), and say
why in the commit message: ``python tests/pin_baseline.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

from circsim import load_scenario, run_scenario

PIN = Path(__file__).parent / "data" / "baseline_pin.json"
OVERRIDES = {"scale": 0.003, "months": 24, "warmup_months": 12}
SEED = 2024


def pinned_summary() -> dict:
    summary = run_scenario(load_scenario("baseline", overrides=OVERRIDES), seed=SEED).summary
    return {k: v for k, v in summary.items() if isinstance(v, int | float) and k != "runtime_s"}


if __name__ == "__main__":
    PIN.write_text(json.dumps(pinned_summary(), indent=2, sort_keys=True) + "\n")
    print(f"wrote {PIN}")
