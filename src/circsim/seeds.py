"""One rule for every seed circsim derives from another seed.

A run that is one of several (a replicate of a comparison, a point of a sweep, a
replicate of ``circsim calibration``) never uses ``seed + i``: neighbouring integer
seeds are not guaranteed to give independent streams. Its seed is the first 64-bit
word of ``SeedSequence(seed, spawn_key=key)``, shifted right by one bit to fit the
63-bit range of scenario seeds. ``key`` is the run's position: ``(replicate,)`` for
replicates on common random numbers, ``(point, replicate)`` otherwise. Sampled
designs draw from ``spawn_key=(DESIGN_STREAM,)``, a stream no replicate can reach.

It lives at the bottom of the package (it needs only numpy) so that every command,
whatever its layer, derives seeds the same way.
"""

from __future__ import annotations

import numpy as np

DESIGN_STREAM = 2**32  # spawn key of the design sampler: beyond any replicate index
SEED_RULE = ("seed = SeedSequence(experiment seed, spawn_key=key).generate_state(1, uint64)[0]"
             " >> 1; key = (replicate,) with common random numbers, else (point, replicate)")


def run_seed(seed: int, key: tuple[int, ...]) -> int:
    """The seed of the run at position ``key`` (see the module docstring)."""
    state = np.random.SeedSequence(seed, spawn_key=key).generate_state(1, np.uint64)[0]
    return int(state >> np.uint64(1))


def replicate_seeds(seed: int, replicates: int) -> list[int]:
    """The seeds of ``replicates`` replicates on common random numbers: key ``(r,)``."""
    return [run_seed(seed, (r,)) for r in range(replicates)]


def design_rng(seed: int) -> np.random.Generator:
    """The generator that samples an experiment's design points."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(DESIGN_STREAM,)))


#: Spawn keys of the mechanisms that draw from a stream of their own.
MECHANISM_STREAMS = {"shared_services": 2**32 + 1, "machinery": 2**32 + 2,
                     "byproduct_quality": 2**32 + 3, "symbiosis_programme": 2**32 + 4,
                     "partner_relations": 2**32 + 5, "enterprise_entry": 2**32 + 6,
                     "innovation": 2**32 + 7}


def mechanism_rng(seed: int, mechanism: str, agent: int | None = None) -> np.random.Generator:
    """A run's generator for one mechanism (a key of :data:`MECHANISM_STREAMS`), or for
    one agent's use of it (``agent``: its unique id).

    A mechanism added later draws from its own stream, so that it leaves every draw of
    the model's main generator, and thus the rest of the run, unchanged. A lever that
    adds an agent or a draw elsewhere then shifts nothing here: paired comparisons on
    common random numbers differ only through what the lever changes. Per-agent streams
    also make an agent's draws independent of the order agents act in.
    """
    key = (MECHANISM_STREAMS[mechanism],) + (() if agent is None else (agent,))
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))
