"""The outputs of a fit: ``ensemble.csv``, ``sets.csv``, ``fit.json``, ``fit.png`` and the
printed summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from circsim.analysis.fit import FitResult, FitSettings, settings_dict
from circsim.analysis.history import Observed

#: with no set accepted, the ensemble holds this many of the least implausible (said so)
FALLBACK_SETS = 10


def write_outputs(out: Path, settings: FitSettings, prior: dict[str, list[float]],
                  why: dict[str, str], sets: pd.DataFrame, fitted: list[Observed],
                  checks: list[Observed], screening: pd.DataFrame | None) -> FitResult:
    """Write every output of the fit into ``out`` and return it."""
    sets.to_csv(out / "sets.csv", index=False)
    accepted = sets[sets["accepted"]]
    note = None
    if not len(accepted):
        accepted = sets.nsmallest(FALLBACK_SETS, "I_max")
        note = (f"no set passed the cutoff (I_max < {settings.cutoff:g}); the ensemble holds "
                f"the {len(accepted)} least implausible, which do not match every target")
    ensemble = accepted[list(prior)].reset_index(drop=True)
    ensemble.to_csv(out / "ensemble.csv", index=False)
    info = {
        "method": "history matching by waves (Vernon et al. 2010; Andrianakis et al. 2015), "
                  "implausibility on the simulator's replicate means, cutoff "
                  f"{settings.cutoff:g} on the largest target implausibility",
        "settings": settings_dict(settings),
        "parameters": list(prior),
        "why": why,
        "accepted": int(sets["accepted"].sum()),
        "ensemble_sets": len(ensemble),
        "ensemble_note": note,
        "sets_run": len(sets),
        "waves": [{"wave": int(k), "sets": len(g), "accepted": int(g["accepted"].sum())}
                  for k, g in sets.groupby("wave")],
        "targets": [_fit_row(t, accepted) for t in fitted],
        "checks": [_fit_row(t, accepted) for t in checks],
        "parameter_ranges": {p: {"prior": prior[p], **_posterior(ensemble[p])} for p in prior},
        "screening": None if screening is None else "screening/screening.csv",
    }
    (out / "fit.json").write_text(json.dumps(info, indent=2, default=_plain) + "\n")
    plot_fit(info, out / "fit.png")
    return FitResult(out, ensemble, info)


def _fit_row(target: Observed, accepted: pd.DataFrame) -> dict[str, Any]:
    """A target's public range beside the accepted sets' mean and 95 % range."""
    values = accepted[target.metric].dropna().to_numpy(dtype=float)
    if not len(values):
        return {"metric": target.metric, "observed": [target.low, target.high],
                "mean": None, "range95": None, "inside": False}
    low, high = np.percentile(values, [2.5, 97.5])
    mean = float(values.mean())
    return {"metric": target.metric, "observed": [target.low, target.high], "mean": mean,
            "range95": [float(low), float(high)], "inside": bool(target.low <= mean
                                                                 <= target.high)}


def _posterior(values: pd.Series) -> dict[str, Any]:
    low, high = np.percentile(values.to_numpy(dtype=float), [2.5, 97.5])
    return {"posterior": [float(values.min()), float(values.max())],
            "posterior95": [float(low), float(high)], "posterior_mean": float(values.mean())}


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON: {type(value).__name__}")


def plot_fit(info: dict[str, Any], path: Path) -> Path:
    """Left: each parameter's accepted range within its prior (scaled to 0-1). Right: each
    target's and check's accepted 95 % range and mean against its public range (scaled so
    that the public range is 0-1)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ranges = info["parameter_ranges"]
    rows = [*info["targets"], *info["checks"]]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 0.5 * max(len(ranges), len(rows)) + 2))
    for i, r in enumerate(ranges.values()):
        lo, hi = r["prior"]
        scaled = [(v - lo) / (hi - lo) for v in r["posterior"]]
        left.barh(i, 1, color="0.88")
        left.barh(i, scaled[1] - scaled[0], left=scaled[0], color="tab:blue")
        left.plot((r["posterior_mean"] - lo) / (hi - lo), i, "k|", markersize=12)
    left.set_yticks(range(len(ranges)), [n.removeprefix("households.") for n in ranges],
                    fontsize=8)
    left.set_xlim(0, 1)
    left.set_xlabel("share of the prior range")
    left.set_title(f"Accepted ranges (blue) in the prior (grey), {info['ensemble_sets']} sets")
    for i, row in enumerate(rows):
        lo, hi = row["observed"]
        right.barh(i, 1, color="0.85")
        if row["mean"] is not None:
            a, b = ((v - lo) / (hi - lo) for v in row["range95"])
            colour = "tab:green" if row["inside"] else "tab:red"
            fitted = row in info["targets"]
            right.plot([a, b], [i, i], color=colour, lw=3 if fitted else 1.5)
            right.plot((row["mean"] - lo) / (hi - lo), i, "o", color=colour)
    right.set_yticks(range(len(rows)), [f"{r['metric']}{'' if r in info['targets'] else ' (check)'}"
                                        for r in rows], fontsize=8)
    right.axvline(0, color="0.5", lw=0.5)
    right.axvline(1, color="0.5", lw=0.5)
    right.set_xlabel("scaled so that the public range is 0-1 (grey)")
    right.set_title("Ensemble mean and 95 % range")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def summary_text(result: FitResult) -> str:
    """What the fit found, in a few lines for the terminal."""
    info = result.info
    lines = [f"Fit of {info['settings']['scenario']}: {info['method']}.", "",
             f"Parameters ({len(info['parameters'])}):"]
    for p in info["parameters"]:
        r = info["parameter_ranges"][p]
        lines.append(f"  {p}: prior {_span(r['prior'])}, accepted {_span(r['posterior'])}"
                     f"  ({info['why'][p]})")
    waves = ", ".join(f"wave {w['wave']} {w['accepted']}/{w['sets']}" for w in info["waves"])
    lines += ["", f"Accepted sets: {info['accepted']} of {info['sets_run']} ({waves})"]
    if info["ensemble_note"]:
        lines.append(f"note: {info['ensemble_note']}")
    lines += ["", "Targets (fitted) and checks (not fitted): public range, ensemble mean "
              "[95 % range]"]
    for kind, rows in (("target", info["targets"]), ("check", info["checks"])):
        for row in rows:
            fit = "n/a" if row["mean"] is None else \
                f"{row['mean']:.3g} [{row['range95'][0]:.3g}, {row['range95'][1]:.3g}]"
            lines.append(f"  {kind:<6} {row['metric']:<42} {_span(row['observed'])}  {fit}  "
                         f"{'inside' if row['inside'] else 'OUTSIDE'}")
    lines += ["", f"Wrote {result.out}/ensemble.csv, fit.json, fit.png and sets.csv; use the "
              f"ensemble with: circsim compare ... --ensemble {result.out}/ensemble.csv"]
    return "\n".join(lines)


def _span(pair: list[float]) -> str:
    return f"{pair[0]:.3g}-{pair[1]:.3g}"
