"""Size limits on what circsim reads and builds, each with the way to raise it.

A limit protects the machine from a mistake (a 50 MB file, a billion households, a
design of millions of runs) by refusing at once, before reading or allocating, with
a message that says the limit and how to raise it. Limits on files and households are
raised with an environment variable; the limit on an experiment's runs is its
``max_runs:`` key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """A size limit: its default and the environment variable that raises it."""

    name: str
    default: int
    env: str

    def value(self) -> int:
        """The limit in force: the environment variable if it holds a positive integer."""
        text = os.environ.get(self.env, "").strip().replace("_", "")
        return int(text) if text.isdigit() and int(text) > 0 else self.default

    def how_to_raise(self) -> str:
        return f"set the environment variable {self.env} to raise it"


#: Bytes of one scenario or experiment file (bundled baseline.yaml is about 70 kB).
FILE_BYTES = Limit("file size", 2_000_000, "CIRCSIM_MAX_FILE_BYTES")
#: YAML nodes of one file once aliases are expanded (an alias bomb expands to billions).
YAML_NODES = Limit("YAML values", 200_000, "CIRCSIM_MAX_YAML_NODES")
#: Households simulated (``population.households * scale``); the whole metro is 1.6 million.
SIMULATED_HOUSEHOLDS = Limit("simulated households", 20_000_000, "CIRCSIM_MAX_HOUSEHOLDS")
#: Runs of one experiment unless its file sets ``max_runs:``.
EXPERIMENT_RUNS = 100_000
