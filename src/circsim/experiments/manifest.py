"""What it takes to reproduce an experiment: versions, commit, file hashes and seeds.

The *identity* of an experiment (its resolved definition and the hashes of every
scenario file it reads, ``extends:`` chains included) decides whether ``--resume``
may continue a folder; the *manifest* adds the software and how each seed was made.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from circsim.seeds import DESIGN_STREAM, SEED_RULE

from .design import RunSpec
from .paths import scenario_files
from .spec import Experiment

DEPENDENCIES = ("mesa", "numpy", "pandas", "pydantic", "pyyaml", "pyarrow", "joblib",
                "SALib", "scipy", "matplotlib", "tqdm", "dask", "distributed")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def spec_dict(exp: Experiment) -> dict[str, Any]:
    """The resolved experiment as plain JSON-able data (``ensemble`` only when given, so
    that the identity of an experiment without one is what it always was)."""
    data = exp.model_dump(mode="json")
    if data.get("ensemble") is None:
        data.pop("ensemble", None)
    return data


def spec_hash(exp: Experiment) -> str:
    text = json.dumps(spec_dict(exp), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def identity(exp: Experiment) -> dict[str, Any]:
    """What must not change between a sweep and its ``--resume``."""
    files = {str(p): sha256(p) for s in exp.scenarios for p in scenario_files(s)}
    if exp.ensemble is not None:
        files[str(Path(exp.ensemble).resolve())] = sha256(Path(exp.ensemble))
    return {"experiment_sha256": spec_hash(exp), "scenario_files_sha256": files}


def _versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in DEPENDENCIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def git_commit() -> dict[str, Any] | None:
    """The commit of the circsim source tree (and whether it has local changes), if any."""
    where = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(["git", "-C", str(where), "rev-parse", "HEAD"],
                                capture_output=True, text=True, timeout=10)
        if commit.returncode != 0:
            return None
        status = subprocess.run(["git", "-C", str(where), "status", "--porcelain"],
                                capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": commit.stdout.strip(), "dirty": bool(status.stdout.strip())}


def uncertainty(exp: Experiment, plan: list[RunSpec]) -> str:
    """Which uncertainty the experiment's confidence intervals show."""
    from .ensemble import describe

    sets = {r.ensemble_set for r in plan if r.ensemble_set is not None}
    return describe(exp.ensemble, len(sets) if exp.ensemble else None)


def build(exp: Experiment, plan: list[RunSpec], *, ok: int, failed: int, backend: str,
          jobs: int, scheduler: str | None, wall_s: float) -> dict[str, Any]:
    """The manifest of a finished (or partly finished) experiment."""
    from circsim import __version__

    source = exp.source
    return {
        "circsim": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "dependencies": _versions(),
        "git": git_commit(),
        "experiment": {
            "name": exp.name,
            "file": str(source) if source else None,
            "file_sha256": sha256(source) if source else None,
            "definition_sha256": spec_hash(exp),
            "definition": spec_dict(exp),
        },
        "scenario_files": [{"path": str(p), "sha256": sha256(p)}
                           for p in dict.fromkeys(f for s in exp.scenarios
                                                  for f in scenario_files(s))],
        "seeds": {
            "experiment_seed": exp.seed,
            "common_random_numbers": exp.common_random_numbers,
            "rule": SEED_RULE,
            "design_sampler": (f"numpy Generator on SeedSequence(experiment seed, "
                               f"spawn_key=({DESIGN_STREAM},))" if exp.ranges else None),
            "runs": [{"run_id": r.run_id, "scenario": r.scenario, "point": r.point,
                      "replicate": r.replicate, "spawn_key": list(r.spawn_key), "seed": r.seed}
                     for r in plan],
        },
        "uncertainty": uncertainty(exp, plan),
        "runs": {"planned": len(plan), "succeeded": ok, "failed": failed},
        "execution": {"backend": backend, "jobs": jobs, "scheduler": scheduler,
                      "wall_time_s": round(wall_s, 3)},
    }
