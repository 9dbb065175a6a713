"""Start-up stays light: the command line's help and ``validate`` load no heavy library.

Each check runs in a fresh interpreter and lists the modules it imported (``sys.modules``);
nothing here is timed (the start-up time is measured by ``circsim bench``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[1] / "src")
#: libraries that the help text and a scenario check must not load
HEAVY = ("pandas", "scipy", "matplotlib", "mesa", "solara", "babel", "dask", "numba",
         "pyarrow", "joblib", "SALib", "networkx")


def _imported(code: str) -> set[str]:
    """Top-level package names imported by ``code`` in a fresh interpreter."""
    probe = (f"{code}\nimport json, sys\n"
             "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env=env, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def _cli(*argv: str) -> str:
    return ("import sys\nfrom circsim.cli import main\n"
            f"try:\n    main({list(argv)!r})\nexcept SystemExit:\n    pass")


@pytest.mark.parametrize("argv", [("--help",), ("validate", "baseline"), ("run", "--help")])
def test_help_and_validate_load_no_heavy_library(argv):
    loaded = _imported(_cli(*argv))
    assert "circsim" in loaded                    # the probe did run the command line
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_import_circsim_loads_names_on_first_use():
    assert _imported("import circsim").isdisjoint({*HEAVY, "numpy", "pydantic"})
    loaded = _imported("import circsim\ncircsim.load_scenario")
    assert "pydantic" in loaded and loaded.isdisjoint(HEAVY)


def test_a_run_loads_neither_matplotlib_nor_the_dashboard():
    loaded = _imported("from circsim import load_scenario, run_scenario\n"
                       "run_scenario(load_scenario('baseline', overrides={'scale': 0.0005,"
                       " 'months': 1, 'warmup_months': 0}))")
    assert "mesa" in loaded                       # it did build and run the model
    assert loaded.isdisjoint({"matplotlib", "solara", "babel", "dask"})


def test_the_model_skips_the_init_of_mesa_and_scipy_spatial_yet_shares_their_classes():
    code = ("import sys\nimport circsim.model, circsim.partners\n"
            "skipped = 'mesa' not in sys.modules and 'scipy.spatial' not in sys.modules\n"
            "import mesa, scipy.spatial\n"
            "assert skipped and mesa.Agent is circsim.model.Agent\n"
            "assert mesa.Model is circsim.model.Model\n"
            "assert scipy.spatial.cKDTree is circsim.partners.cKDTree")
    loaded = _imported(code)
    assert {"mesa", "scipy", "networkx"} <= loaded     # the real packages, imported after
