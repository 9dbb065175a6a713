"""Fuzzing every command's arguments: the same contract as ``test_fuzz_inputs`` (a clean
error with exit code 2, or a valid result; never a traceback, never a write outside the
output folder, bounded time), over the positional arguments and options of each command
the parser registers.

The commands are read from the parser itself, so a command added later without a line
in ``ARGUMENTS`` fails :func:`test_every_command_is_fuzzed`. Valid runs stay tiny: the
scenario files hold 2 months at a few hundred households, the experiment files a couple
of runs, and each option's values are chosen so that a value that is accepted costs
seconds. Commands that start a server or a benchmark (``demo``, ``bench``) are parsed and
checked but not run when their arguments are valid.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import event, given
from hypothesis import strategies as st

from circsim.cli import build_parser, main
from test_fuzz_inputs import TINY, assert_clean, call, fuzz

#: Examples per command (about 1-3 s each; CI must stay under 15 minutes).
EXAMPLES = 8

TINY2 = {**TINY, "name": "tiny_lever", "policies": {"collection": {"enabled": True}}}
EXPERIMENT = {"name": "fuzz_sweep", "scenario": "tiny.yaml", "replicates": 1, "seed": 3,
              "months": 2, "scale": 0.0003, "metrics": ["residual_waste_t", "co2e_t"],
              "grid": {"policies.collection.bins_per_10k_residents": [3.0, 6.0]}}
SEARCH = {"name": "fuzz_search", "scenario": "tiny.yaml", "replicates": 1, "seed": 3,
          "months": 2, "scale": 0.0003,
          "search": {"levers": {"policies.collection.bins_per_10k_residents": [3.0, 9.0]},
                     "objectives": {"residual_waste_t": "minimise"},
                     "population": 2, "generations": 1}}

#: Strings any option may be given: wrong types, signs, sizes, paths and empty values.
HOSTILE = ["-1", "0", "x", "", "nan", "inf", "9" * 30, "../outside", "/abs/path", "afile",
           "a\x1b[2J"]
PATHS = ["tiny.yaml", "missing.yaml", "afile", "results", "../outside.yaml", "", "\x00"]
SAFE_OUT = ["out", "out/sub", "afile", "../outside", ""]

#: Per command: pools for its positional arguments (a list of pools, one per argument)
#: and the values to try for each option (besides ``HOSTILE``), chosen so that a valid
#: run stays tiny; ``base`` options come first, so a fuzzed option given again wins;
#: ``writes_into``: the positional argument naming a results folder the command writes
#: into by design (the report beside the runs).
ARGUMENTS: dict[str, dict] = {
    "run": {"pos": [PATHS], "opts": {"--months": ["2"], "--scale": ["0.0003"],
                                      "--seed": ["7"], "--out": SAFE_OUT}},
    "validate": {"pos": [PATHS, PATHS], "opts": {}},
    "scenarios": {"pos": [], "opts": {}},
    "outcomes": {"pos": [], "opts": {"--format": ["text", "md", "csv", "xml"],
                                     "--lang": ["en", "it", "xx"]}},
    "calibration": {"pos": [PATHS], "opts": {"--months": ["2"], "--scale": ["0.0003"],
                                             "--seed": ["7"], "--replicates": ["1", "2"],
                                             "--out": SAFE_OUT}},
    "compare": {"pos": [PATHS, ["tiny2.yaml", *PATHS]],
                "opts": {"--replicates": ["1", "2"], "--months": ["2"],
                         "--scale": ["0.0003"], "--seed": ["7"], "--out": SAFE_OUT,
                         "--jobs": ["1", "2"], "--backend": ["loky", "x"], "--scheduler": [],
                         "--resume": None, "--ensemble": ["bad.csv", "missing.csv"]},
                "base": ["--jobs", "1"]},
    "sweep": {"pos": [["exp.yaml", "missing.yaml", "afile", "tiny.yaml", "search.yaml"]],
              "opts": {"--out": SAFE_OUT, "--jobs": ["1"], "--backend": ["loky", "x"],
                       "--scheduler": [],
                       "--resume": None, "--ensemble": ["bad.csv", "missing.csv"]},
              "base": ["--jobs", "1"]},
    "report": {"pos": [["cmp", "sweep", "missing", "afile", "."]], "writes_into": 0,
               "opts": {"--lang": ["en", "it", "xx"], "--out": ["out/r.html", "afile",
                                                               "../outside.html"]}},
    "discover": {"pos": [["sweep", "cmp", "missing", "afile"]], "writes_into": 0,
                 "opts": {"--outcome": ["residual_waste_t", "co2e_t", "nope"],
                          "--target": ["<= 1e12", ">= 0", "== 3", "<= x", "<="],
                          "--threshold": ["0.8", "2"], "--peel-alpha": ["0.05", "0.9"],
                          "--min-mass": ["0.05", "1.5"], "--per-run": None,
                          "--out": SAFE_OUT}},
    "search": {"pos": [["search.yaml", "exp.yaml", "missing.yaml", "afile"]],
               "opts": {"--out": SAFE_OUT, "--jobs": ["1"], "--resume": None,
                        "--scale": ["0.0003"], "--months": ["2"], "--replicates": ["1"],
                        "--population": ["2"], "--generations": ["1"]},
               "base": ["--jobs", "1"]},
    "fit": {"pos": [PATHS],
            "opts": {"--out": SAFE_OUT, "--resume": None, "--jobs": ["1"],
                     "--scale": ["0.0003"], "--months": ["2"], "--seed": ["7"],
                     "--parameters": ["households.beta_attitude", "no.such.key"],
                     "--candidates": ["households.", "nothing."], "--waves": ["1"],
                     "--sets": ["2"], "--replicates": ["1"], "--trajectories": ["1"]},
            "base": ["--out", "out", "--jobs", "1", "--scale", "0.0003", "--months", "2",
                     "--parameters", "households.beta_attitude", "--waves", "1",
                     "--sets", "2", "--replicates", "1"]},
    "network": {"pos": [PATHS], "opts": {"--against": ["tiny2.yaml", "missing.yaml"],
                                         "--month": ["1", "2"], "--seed": ["7"],
                                         "--scale": ["0.0003"], "--out": SAFE_OUT,
                                         "--name": ["n.png", "../../n.png", "/abs/n.png",
                                                    "sub/n.png"]},
                "base": ["--month", "1"]},
    "oat": {"pos": [["sweep", "cmp", "missing", "afile"]],
            "opts": {"--metrics": ["residual_waste_t", "nope"],
                     "--out": ["out/oat.png", "afile", "../outside.png"]}},
    "bench": {"pos": [], "opts": {"--quick": None, "--demo": None,
                                  "--only": ["exchange", "x"], "--repeats": ["1"],
                                  "--out": SAFE_OUT}, "parse_only": True},
    "demo": {"pos": [PATHS], "opts": {"--port": ["8765", "70000"], "--lang": ["en", "xx"],
                                      "--seed": ["7"], "--scale": ["0.0003"],
                                      "--host": ["127.0.0.1", "example.com"],
                                      "--no-browser": None, "--offline": None},
             "parse_only": True},
}


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_is_fuzzed():
    """A command the parser registers but this table does not know fails here: add it."""
    assert sorted(_subcommands()) == sorted(ARGUMENTS)
    for name, sub in _subcommands().items():
        options = {s for a in sub._actions for s in a.option_strings if s.startswith("--")}
        assert options - {"--help"} == set(ARGUMENTS[name]["opts"]), name


def argv_for(command: str) -> st.SearchStrategy[list[str]]:
    """Positional arguments from their pools, then any subset of the options, each with
    a value from its pool or from ``HOSTILE``."""
    spec = ARGUMENTS[command]
    positional = st.tuples(*(st.sampled_from(pool) for pool in spec["pos"]))
    names = sorted(spec["opts"])

    def option(name: str) -> st.SearchStrategy[list[str]]:
        values = spec["opts"][name]
        if values is None:
            return st.just([name])
        return st.sampled_from([*values, *HOSTILE]).map(lambda v: [name, v])

    chosen = st.lists(st.sampled_from(names), unique=True, max_size=4) if names \
        else st.just([])
    options = chosen.flatmap(lambda picked: st.tuples(*map(option, picked)))
    return st.tuples(positional, options).map(
        lambda t: [command, *t[0], *spec.get("base", []), *(x for o in t[1] for x in o)])


@pytest.fixture(scope="module")
def inputs() -> dict[str, Path]:
    """Tiny scenario, experiment and ensemble files, and a finished comparison and sweep
    to give the commands that read results."""
    root = Path(tempfile.mkdtemp(prefix="circsim-fuzz-"))
    files = {"tiny.yaml": TINY, "tiny2.yaml": TINY2, "exp.yaml": EXPERIMENT,
             "search.yaml": SEARCH}
    for name, data in files.items():
        (root / name).write_text(yaml.safe_dump(data))
    (root / "bad.csv").write_text("no.such.key,households.beta_attitude\n1,x\n")
    quiet = contextlib.redirect_stdout(io.StringIO())
    with contextlib.chdir(root), quiet, contextlib.redirect_stderr(io.StringIO()):
        assert main(["compare", "tiny.yaml", "tiny2.yaml", "--replicates", "2", "--jobs", "1",
                     "--out", "cmp"]) == 0
        assert main(["sweep", "exp.yaml", "--jobs", "1", "--out", "sweep"]) == 0
    yield {p.name: p for p in root.iterdir()}
    shutil.rmtree(root, ignore_errors=True)


def _parses(argv: list[str]) -> bool:
    """Whether the parser accepts ``argv`` (a refusal must be a clean exit code 2)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            build_parser().parse_args(argv)
        except SystemExit as exit_:
            assert exit_.code == 2 and "Traceback" not in err.getvalue(), err.getvalue()
            return False
    return True


@pytest.mark.parametrize("command", sorted(ARGUMENTS))
def test_fuzzed_command_arguments(command: str, inputs: dict[str, Path]) -> None:
    @fuzz(EXAMPLES)
    @given(argv=argv_for(command))
    def check(argv: list[str]) -> None:
        if ARGUMENTS[command].get("parse_only") and _parses(argv):
            event("valid, not run (a server or a benchmark)")
            return
        into = ARGUMENTS[command].get("writes_into")      # a results folder written into
        extra = () if into is None else (argv[1 + into],)
        assert_clean(*call(argv, {}, folders=inputs, extra_outputs=extra))   # time-bounded

    check()
