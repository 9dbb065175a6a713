"""Fuzzing the inputs: scenario files, experiment files and command-line options.

Every property asserts the same contract: a clean error (exit code 2, a message on
stderr, no traceback) or a valid result, never a traceback, never a write outside
the output folder, within a time bound. Commands are a table: adding one is one line
in ``COMMANDS`` (how to call it with a scenario file and options) and, if it has
options of its own, one line in ``OPTIONS``.

Size: ``EXAMPLES`` examples per property (about 50 s in all on two busy cores; CI must
stay under 15 minutes). Valid runs are tiny (2 months, a few hundred households).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from circsim.cli import main
from circsim.scenario import CircsimError, scenario_dir

#: Examples per property (valid runs cost seconds each, so run has the fewest).
EXAMPLES = {"validate": 40, "run": 12, "experiment": 30}
#: A hard bound on one example (a hang fails the test instead of stalling CI).
EXAMPLE_TIMEOUT_S = 120

TINY = {"extends": "baseline", "name": "baseline", "months": 2, "scale": 0.0003}

#: How each command is called with a scenario file and its options (the output folder is
#: ``out``). The lead adds a command here.
COMMANDS: dict[str, Callable[[str, list[str]], list[str]]] = {
    "run": lambda scenario, options: ["run", scenario, *options],
    "validate": lambda scenario, options: ["validate", scenario, *options],
}

#: Option name -> values to try (strings as typed on a command line), per command.
RUN_OPTIONS = {
    "--months": ["-3", "0", "1", "2", "1201", "twelve", "2.5", "9" * 30],
    "--scale": ["0", "-1", "nan", "inf", "2", "0.0003", "1e-12", "x"],
    "--seed": ["-1", "0", "7", "9" * 30, "x"],
    "--out": ["out", "out/sub", "", "../outside", "afile"],
}
OPTIONS: dict[str, dict[str, list[str]]] = {"run": RUN_OPTIONS, "validate": {}}

HOSTILE_VALUES = st.one_of(
    st.sampled_from([float("nan"), float("inf"), float("-inf"), -1, 0, 0.5, 1e308, -1e-300,
                     10**30, -(10**30), 10**400, None, True, "", "x\x00y", "a\x1b[2J",
                     "../../etc", [], {}, [1, 2], {"a": 1}]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
    st.integers(), st.floats(),
)


def _leaves(data: dict, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for key, value in data.items():
        if isinstance(value, dict) and value and key not in ("sources", "uncertainty"):
            yield from _leaves(value, (*prefix, str(key)))
        else:
            yield (*prefix, str(key))


LEAVES = sorted(_leaves(yaml.safe_load((scenario_dir() / "baseline.yaml").read_text())))
#: Keys whose valid values would make a run long (horizon, size): not mutated for ``run``.
COSTLY = {("months",), ("scale",), ("population", "households"), ("warmup_months",)}


def _nest(changes: dict[tuple[str, ...], object]) -> dict:
    out: dict = dict(TINY)
    for path, value in changes.items():
        node = out
        for part in path[:-1]:
            node = node.setdefault(part, {}) if isinstance(node.get(part, {}), dict) else {}
        node[path[-1]] = value
    return out


#: YAML a hostile file may add to a valid one (aliases, cycles, tags, nesting, big numbers).
HOSTILE_YAML = [
    "policies: &p\n  epr: *p\n", "sources: &s [*s]\n", "description: !!python/object:os.system x\n",
    "description: " + "[" * 3000 + "]" * 3000 + "\n", "seed: " + "9" * 5000 + "\n",
    "a: &a [1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e]\n",
    "months: 2\n", "extends: /dev/zero\n", "<<: *undefined\n", "\t- broken\n",
]


def scenario_texts(leaves: list[tuple[str, ...]]) -> st.SearchStrategy[bytes]:
    """A tiny valid scenario with up to three keys set to hostile values, a hostile YAML
    addition, or raw bytes."""
    mutated = st.dictionaries(st.sampled_from(leaves), HOSTILE_VALUES, max_size=3).map(
        lambda changes: yaml.safe_dump(_nest(changes), allow_unicode=True).encode())
    tiny = "".join(f"{k}: {v}\n" for k, v in TINY.items())
    added = st.sampled_from(HOSTILE_YAML).map(lambda extra: (tiny + extra).encode())
    raw = st.one_of(st.binary(max_size=200),
                    st.text(max_size=200).map(lambda t: t.encode("utf-8", "replace")))
    return st.one_of(mutated, mutated, added, raw)


@contextlib.contextmanager
def time_bound(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging) if the block takes longer than ``seconds``."""
    def expire(signum, frame):  # noqa: ANN001
        raise TimeoutError(f"took longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


def call(argv: list[str], files: dict[str, bytes], folders: dict[str, Path] | None = None,
         extra_outputs: tuple[str, ...] = ()) -> tuple[int, str, set[Path]]:
    """Run ``circsim argv`` in a fresh folder holding ``files`` (and copies of the files
    and folders ``folders`` names); return the exit code, stderr and every path it
    created outside its output folders (``--out``, ``results``, and ``extra_outputs``: a
    results folder a command writes its report into)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cwd = root / "work"
        cwd.mkdir()
        (cwd / "afile").write_text("not a folder")
        for name, content in files.items():
            (cwd / name).write_bytes(content)
        for name, path in (folders or {}).items():
            (shutil.copytree if path.is_dir() else shutil.copy2)(path, cwd / name)
        before = _files(root)
        err = io.StringIO()
        old = Path.cwd()
        os.chdir(cwd)
        try:
            with time_bound(EXAMPLE_TIMEOUT_S), contextlib.redirect_stderr(err), \
                    contextlib.redirect_stdout(io.StringIO()):
                try:
                    code = main(argv)
                except SystemExit as exit_:        # argparse: a bad option
                    code = exit_.code if isinstance(exit_.code, int) else 2
        finally:
            os.chdir(old)
        given = [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--out" and argv[i + 1]]
        given += [a for a in extra_outputs if a]
        allowed = (cwd / "out", cwd / "results", *((cwd / g).resolve() for g in given))
        stray = {p for p in {q.resolve() for q in _files(root) - before}
                 if not any(p == a or a in p.parents or _beside(p, a) for a in allowed)}
        return code, err.getvalue(), stray


def _beside(path: Path, named: Path) -> bool:
    """A file written beside one the user named, as its translation (``report.it.html``
    beside ``report.html``, ``x.it`` beside ``x``)."""
    return path.parent == named.parent and path.name.startswith(named.stem + ".")


def assert_clean(code: int, stderr: str, stray: set[Path]) -> None:
    event(f"exit code {code}")
    assert "Traceback" not in stderr, stderr
    assert code in (0, 2), (code, stderr)
    if code == 2:
        assert stderr.strip(), "an error must say what is wrong"
    assert not stray, f"wrote outside the output folder: {sorted(map(str, stray))}"


def options_for(command: str) -> st.SearchStrategy[list[str]]:
    table = OPTIONS[command]
    pairs = st.dictionaries(st.sampled_from(sorted(table)) if table else st.nothing(),
                            st.just(""), max_size=len(table))
    return pairs.flatmap(lambda chosen: st.tuples(*(
        st.sampled_from(table[name]).map(lambda v, n=name: [n, v]) for name in chosen
    )).map(lambda parts: [x for part in parts for x in part]))


def fuzz(examples: int) -> settings:
    """Settings of every property: reproducible, no example database, no deadline (a
    valid run takes seconds; :func:`time_bound` bounds each example instead)."""
    return settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_commands_on_fuzzed_scenarios(command: str) -> None:
    leaves = [p for p in LEAVES if command != "run" or p not in COSTLY]

    @fuzz(EXAMPLES[command])
    @given(text=scenario_texts(leaves), options=options_for(command))
    def check(text: bytes, options: list[str]) -> None:
        if command == "run" and "--out" not in options:
            options = [*options, "--out", "out"]
        assert_clean(*call(COMMANDS[command]("fuzz.yaml", options), {"fuzz.yaml": text}))

    check()


EXPERIMENT_KEYS = {
    "replicates": st.sampled_from([0, 1, 2, -1, 10**9, 2.5, "x", None]),
    "months": st.sampled_from([0, 2, 1201, float("inf"), "x"]),
    "scale": st.sampled_from([0.0003, 0, 2, float("nan"), float("inf")]),
    "seed": st.sampled_from([0, -1, 2**64, "x"]),
    "max_runs": st.sampled_from([0, 1, 10, 10**12]),
    "name": st.sampled_from(["ok", "", "../../x", "/abs", "a\x00b", "x" * 200]),
    "grid": st.dictionaries(
        st.sampled_from(["policies.collection.bins_per_10k_residents", "firms.durability",
                         "no.such.key", "months"]),
        st.lists(HOSTILE_VALUES, max_size=4) | st.integers(0, 20_000).map(
            lambda n: list(range(n))), max_size=3),
    "sensitivity": st.fixed_dictionaries({
        "method": st.sampled_from(["sobol", "morris", "other"]),
        "n": st.sampled_from([2, 3, 4, 2**20, 2**40, -1]),
        "ranges": st.sampled_from(["uncertainty", {"firms.durability": [0.5, 2.0]},
                                   {"firms.durability": [2.0, 0.5]},
                                   {"firms.durability": [float("-inf"), 1.0]}])}),
    "overrides": st.dictionaries(st.sampled_from(["firms.price_eur_per_kg", "bad.key"]),
                                 HOSTILE_VALUES, max_size=2),
}


@fuzz(EXAMPLES["experiment"])
@given(data=st.fixed_dictionaries({"scenario": st.just("baseline")},
                                  optional=EXPERIMENT_KEYS))
def test_fuzzed_experiment_files(data: dict) -> None:
    """An experiment file loads into a plan of bounded size, or is a clean error."""
    from circsim.experiments import load_experiment
    from circsim.experiments.design import plan

    data = {"name": "fuzz", "months": 2, "scale": 0.0003, **data}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "exp.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True))
        with time_bound(EXAMPLE_TIMEOUT_S):
            try:
                exp = load_experiment(path)
            except CircsimError as err:
                assert str(err).strip()
                event("refused")
                return
            event("valid")
            runs = plan(exp)
        assert len(runs) <= exp.max_runs
