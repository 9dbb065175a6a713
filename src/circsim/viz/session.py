"""One browser session's simulation: the live model, its baseline and its recent flows.

Why a class apart from the page: it holds everything the dashboard needs without any
UI, so it can be tested and timed on its own, and each session builds its own (a model
shared between browser tabs would advance for everyone).

Three caches keep building and resetting quick. Scenarios are read from YAML once per
(file, modification time, scale). The spin-up (``warmup_months``) runs without levers,
so it is the same for every scenario that differs only in its policies: it is run once
per (parameters, seed) and kept pickled; a new run unpickles it (about ten times
quicker than ``copy.deepcopy`` of the model). The baseline (the same
scenario with no levers, same seed) is one shared, read-only tape that any session
extends up to the month it has reached; sessions only read it.
"""

from __future__ import annotations

import copy
import functools
import pickle
import threading
import time
from collections import OrderedDict, deque
from typing import Any

from circsim.model import TextileEconomy
from circsim.policies import active_levers, conditions_at
from circsim.scenario import Scenario, load_scenario
from circsim.scenario.loader import bundled_names, resolve_source
from circsim.viz.defaults import DEMO_SCALE
from circsim.viz.levers import FieldSpec, clean_value, lever_fields, levers_off, with_levers

FLOW_WINDOW = 12       # months of ledger flows kept for the flow picture
CACHE_SIZE = 8         # spun-up models and baseline tapes kept (one per parameter set)

_lock = threading.Lock()
_warm: OrderedDict[str, bytes] = OrderedDict()
_tapes: OrderedDict[str, BaselineTape] = OrderedDict()


def _key(scenario: Scenario, seed: int) -> str:
    """What a spin-up and a baseline depend on: parameters and seed (not names, levers)."""
    ignored = {"name", "description", "sources", "policies", "months"}
    return f"{seed}|{scenario.model_dump_json(exclude=ignored)}"


def _remember(cache: OrderedDict, key: str, value: Any) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > CACHE_SIZE:
        cache.popitem(last=False)


def warm_model(scenario: Scenario, seed: int) -> TextileEconomy:
    """A new model of ``scenario`` at month 0, after its spin-up (built once, then copied)."""
    key = _key(scenario, seed)
    with _lock:
        template = _warm.get(key)
        if template is None:
            built = TextileEconomy(levers_off(scenario), seed=seed)
            template = pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL)
            _remember(_warm, key, template)
    model = pickle.loads(template)
    model.scenario = scenario       # levers act only through conditions_at(model.scenario)
    return model


class BaselineTape:
    """The no-lever run of a scenario, stepped on demand and shared by sessions."""

    def __init__(self, scenario: Scenario, seed: int) -> None:
        self.model = warm_model(levers_off(scenario), seed)
        self.lock = threading.Lock()

    def records(self, months: int) -> list[dict]:
        """The first ``months`` monthly records (stepping the baseline if needed)."""
        with self.lock:
            while self.model.month < months:
                self.model.step()
            return self.model.records[:months]


def baseline_tape(scenario: Scenario, seed: int) -> BaselineTape:
    """The shared baseline tape of ``scenario`` and ``seed``."""
    key = _key(scenario, seed)
    with _lock:
        tape = _tapes.get(key)
    if tape is None:
        tape = BaselineTape(scenario, seed)
        with _lock:
            tape = _tapes.setdefault(key, tape)
            _remember(_tapes, key, tape)
    return tape


def demo_scenario(source: str, scale: float = DEMO_SCALE) -> Scenario:
    """A scenario (bundled name or path) at the demo's scale (read again if its file
    changed)."""
    path = resolve_source(source)
    return _read_scenario(str(path), path.stat().st_mtime_ns, scale)


@functools.lru_cache(maxsize=32)
def _read_scenario(path: str, mtime_ns: int, scale: float) -> Scenario:
    return load_scenario(path, overrides={"scale": scale}, override_label="demo")


@functools.lru_cache(maxsize=1)
def demo_scenario_names() -> tuple[str, ...]:
    """The bundled scenarios (read once: they do not change while the server runs)."""
    return tuple(bundled_names())


class DemoRun:
    """A live run one can step, reset and steer with levers, beside its baseline.

    Args:
        source: bundled scenario name or YAML path.
        seed: random seed (default: the scenario's); the baseline uses the same.
        scale: share of households simulated.
    """

    def __init__(self, source: str, seed: int | None = None, scale: float = DEMO_SCALE) -> None:
        self.source = source
        self.scenario = demo_scenario(source, scale)
        self.seed = self.scenario.seed if seed is None else seed
        self.levers: dict[str, dict[str, Any]] = self.scenario.policies.model_dump()
        self.fields: dict[str, list[FieldSpec]] = lever_fields(self.scenario)
        self.lock = threading.RLock()
        self.tape = baseline_tape(self.scenario, self.seed)
        self.last_step_ms = float("nan")
        self.model: TextileEconomy
        self.acted: list[str] = []
        self.flows: deque[dict[tuple[str, str, str], float]]
        self.reset()

    # -- state ------------------------------------------------------------------------
    @property
    def month(self) -> int:
        return self.model.month

    @property
    def months(self) -> int:
        return self.scenario.months

    @property
    def done(self) -> bool:
        return self.model.month >= self.months

    @property
    def scale(self) -> float:
        return self.scenario.scale

    @property
    def start_year(self) -> int:
        return self.scenario.start_year

    # -- actions ----------------------------------------------------------------------
    def reset(self) -> None:
        """Back to month 0 (after the spin-up), with the levers as currently set."""
        model = warm_model(with_levers(self.scenario, self.levers), self.seed)
        with self.lock:
            self.model = model
            self.flows = deque(maxlen=FLOW_WINDOW)
            self.acted = []
            self.last_step_ms = float("nan")

    def step(self) -> float:
        """Advance one month (and the baseline to it); returns the time taken in ms."""
        with self.lock:
            if self.done:
                return 0.0
            start = time.perf_counter()
            self.model.step()
            self.acted = active_levers(self.model.scenario, self.model.month)
            self.flows.append(dict(self.model.ledger.last_month))
            self.tape.records(self.model.month)
            self.last_step_ms = (time.perf_counter() - start) * 1000
            return self.last_step_ms

    def spec(self, lever: str, name: str) -> FieldSpec:
        return next(s for s in self.fields[lever] if s.name == name)

    def set_lever(self, lever: str, name: str, value: Any) -> None:
        """Change one lever setting; it acts from the next month (validated first)."""
        new = copy.deepcopy(self.levers)
        new[lever][name] = clean_value(self.spec(lever, name), value)
        with_levers(self.scenario, new)        # raises if the schema refuses it
        with self.lock:
            self.levers = new
            self.model.scenario = with_levers(self.model.scenario, new)

    def load_levers(self, levers: dict[str, dict[str, Any]]) -> None:
        """Replace every lever setting (validated first) and start again from month 0."""
        with_levers(self.scenario, levers)        # raises if the schema refuses them
        with self.lock:
            self.levers = copy.deepcopy(levers)
        self.reset()

    # -- what the page shows ------------------------------------------------------------
    def records(self) -> list[dict]:
        with self.lock:
            return list(self.model.records)

    def baseline(self) -> list[dict]:
        return self.tape.records(self.month)

    def acting_levers(self) -> list[str]:
        """Levers that acted in the month just simulated (none before the first month)."""
        with self.lock:
            return list(self.acted)

    def flow_means_t(self) -> tuple[dict[tuple[str, str, str], float], int]:
        """Ledger flows over the recent months, tonnes per month for the whole metro."""
        with self.lock:
            months = list(self.flows)
        total: dict[tuple[str, str, str], float] = {}
        for flows in months:
            for key, kg in flows.items():
                total[key] = total.get(key, 0.0) + kg
        n = max(len(months), 1)
        return {k: v / n / self.scale / 1000 for k, v in total.items()}, len(months)

    def bins_per_10k(self) -> float:
        """Collection bins per 10 000 residents in the month just simulated (or the next)."""
        with self.lock:
            if self.month == 0:
                return conditions_at(self.model.scenario, 1).bins_per_10k_residents
            return float(self.model.conditions.bins_per_10k_residents)


def prewarm(source: str, seed: int | None = None, scale: float = DEMO_SCALE) -> None:
    """Build the spin-up and baseline caches ahead of the first browser session."""
    scenario = demo_scenario(source, scale)
    seed = scenario.seed if seed is None else seed
    baseline_tape(scenario, seed).records(min(12, scenario.months))
