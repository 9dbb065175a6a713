"""Classic hostile inputs and faults, one test each: a clean error naming file, key and
expectation, bounded time and memory, nothing written outside the output folder."""

from __future__ import annotations

import errno
import os
import warnings
from pathlib import Path

import pytest

from circsim.cli import main
from circsim.scenario import CircsimWarning, ScenarioError, load_scenario

TINY = "extends: baseline\nname: {name}\nmonths: 2\nscale: 0.0003\n"


def scenario(tmp_path: Path, extra: str = "", name: str = "t") -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(TINY.format(name=name) + extra)
    return path


def problems(path: Path | str, **kw) -> str:
    with pytest.raises(ScenarioError) as err:
        load_scenario(path, **kw)
    return str(err.value)


def cli(argv: list[str], capsys) -> tuple[int, str]:
    code = main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


# -- hostile YAML --------------------------------------------------------------------------


def test_alias_bomb_is_refused_without_expanding(tmp_path: Path) -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\nname: *j\n")
    msg = problems(path)
    assert "expands to more than" in msg and "CIRCSIM_MAX_YAML_NODES" in msg


@pytest.mark.parametrize("text", ["name: " + "[" * 50_000 + "]" * 50_000,
                                  "".join(" " * i + f"k{i}:\n" for i in range(600))])
def test_very_deep_nesting(tmp_path: Path, text: str) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(text)
    msg = problems(path)
    assert "deep.yaml" in msg


@pytest.mark.parametrize("body", ["policies: &p\n  epr: *p\n", "sources: &p [*p]\n"])
def test_an_alias_cycle_is_refused(tmp_path: Path, body: str) -> None:
    assert "a cycle" in problems(scenario(tmp_path, body))


def test_binary_bytes(tmp_path: Path) -> None:
    path = tmp_path / "bin.yaml"
    path.write_bytes(bytes(range(256)) * 4)
    assert "not UTF-8 text" in problems(path)


def test_utf16_says_so(tmp_path: Path) -> None:
    path = tmp_path / "u16.yaml"
    path.write_bytes((TINY.format(name="u")).encode("utf-16"))
    assert "UTF-16" in problems(path)


def test_language_specific_tags_are_not_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = scenario(tmp_path, f'description: !!python/object/apply:os.system ["touch {marker}"]\n')
    assert "malformed YAML" in problems(path)
    assert not marker.exists()


@pytest.mark.parametrize("digits", [40, 5000])
def test_enormous_integers(tmp_path: Path, digits: int) -> None:
    msg = problems(scenario(tmp_path, f"seed: {'9' * digits}\n"))
    assert "s.yaml:5" in msg and len(msg) < 1000


# -- files ---------------------------------------------------------------------------------


def test_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert "not a regular file" in problems(fifo)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused(device: str) -> None:
    assert "not a regular file" in problems(device)


def test_a_50_mb_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)        # sparse: no disk used
    msg = problems(path)
    assert "too large" in msg and "CIRCSIM_MAX_FILE_BYTES" in msg


def test_the_size_limit_can_be_raised(tmp_path: Path, monkeypatch) -> None:
    path = scenario(tmp_path)
    monkeypatch.setenv("CIRCSIM_MAX_FILE_BYTES", "10")
    assert "too large" in problems(path)
    monkeypatch.setenv("CIRCSIM_MAX_FILE_BYTES", "100000")
    assert load_scenario(path).name == "t"


def test_extends_refuses_other_files_and_never_echoes_them(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:top-secret-line\n")
    path = tmp_path / "s.yaml"
    for target in (str(secret), "/dev/zero", os.path.relpath("/etc/hostname", tmp_path)):
        path.write_text(f"extends: {target}\nname: x\n")
        msg = problems(path)
        assert "not a scenario" in msg and "top-secret" not in msg
    other = tmp_path / "other.yaml"
    other.write_text("root:x:0:0:top-secret-line\n")
    path.write_text("extends: other.yaml\nname: x\n")
    assert "top-secret" not in problems(path)


def test_extends_still_takes_bundled_names_and_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    parent = tmp_path / "sub" / "parent.yaml"
    parent.write_text(TINY.format(name="parent"))
    child = tmp_path / "child.yml"
    child.write_text("extends: sub/parent.yaml\nname: child\n")
    assert load_scenario(child).months == 2


def test_experiment_files_must_be_regular(tmp_path: Path, capsys) -> None:
    fifo = tmp_path / "exp.yaml"
    os.mkfifo(fifo)
    code, err = cli(["sweep", str(fifo), "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and "not a regular file" in err


# -- values --------------------------------------------------------------------------------


@pytest.mark.parametrize(("extra", "expected"), [
    ("firms:\n  size_shares: {small: -0.5, medium: 0.5, large: 1.0}\n",
     "s.yaml:6: firms.size_shares: each share must be between 0 and 1"),
    ("firms:\n  size_shares: {small: .nan, medium: 0.5, large: 0.5}\n",
     "firms.size_shares.small: expected a finite number"),
    ("firms:\n  size_shares: {small: 0.5, medium: 0.5, large: 0.5}\n", "must sum to 1"),
    ("symbiosis:\n  fibre_mix: {cotton: 0.9, polyester: 0.9, wool: 0, blend: 0}\n",
     "symbiosis.fibre_mix: the shares must sum to 1"),
    ("firms:\n  price_eur_per_kg: .inf\n", "firms.price_eur_per_kg: expected a finite number"),
    ("cooperatives:\n  bin_capacity_kg_month: .inf\n", "bin_capacity_kg_month: expected a finite"),
    ("policies:\n  enterprise_support:\n    coop_sorting_grant_t_month: .inf\n",
     "coop_sorting_grant_t_month: expected a finite number"),
    ("waste:\n  landfill_fee_eur_per_t: -.inf\n", "landfill_fee_eur_per_t: expected a finite"),
    ("policies:\n  epr:\n    start_month: 5\n    end_month: 2\n", "end_month (2) is before"),
    ("population:\n  households: 1000000000000\n", "CIRCSIM_MAX_HOUSEHOLDS"),
    ("population:\n  households: 1e12\n", "population.households: expected an integer"),
])
def test_bad_values(tmp_path: Path, extra: str, expected: str) -> None:
    assert expected in problems(scenario(tmp_path, extra))


def test_household_limit_says_the_limit_and_how_to_raise_it(tmp_path: Path, monkeypatch) -> None:
    path = scenario(tmp_path, "population:\n  households: 1000000000000\n")
    msg = problems(path)
    assert "limit is 20,000,000" in msg and "lower `scale`" in msg
    monkeypatch.setenv("CIRCSIM_MAX_HOUSEHOLDS", str(10**12))
    assert load_scenario(path).population.households == 10**12


@pytest.mark.parametrize("name", ['"a\\0b"', '"a\\x1b[2Jb"', '"two\\nlines"'])
def test_names_without_control_characters(tmp_path: Path, name: str) -> None:
    assert "name: control characters are not allowed" in problems(scenario(tmp_path, name=name))


def test_a_lever_after_the_horizon_is_a_warning(tmp_path: Path) -> None:
    path = scenario(tmp_path, "policies:\n  epr:\n    enabled: true\n    start_month: 50\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_scenario(path)
    text = [str(w.message) for w in caught if issubclass(w.category, CircsimWarning)]
    assert any("s.yaml:8: policies.epr.start_month" in t and "no effect" in t for t in text)


# -- command-line options ------------------------------------------------------------------


@pytest.mark.parametrize(("months", "shown"), [("-3", "-3"), ("twelve", "'twelve'")])
def test_options_do_not_excuse_the_files_own_values(tmp_path: Path, capsys, months: str,
                                                    shown: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(f"extends: baseline\nname: s\nmonths: {months}\nscale: 0.0003\n")
    for argv in (["validate", str(path)], ["run", str(path), "--months", "2", "--out",
                                          str(tmp_path / "o")]):
        code, err = cli(argv, capsys)
        assert code == 2 and "s.yaml:3: months: expected an integer" in err and shown in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(("option", "value"), [("--months", "-1"), ("--scale", "inf"),
                                               ("--scale", "5"), ("--seed", "9" * 30)])
def test_options_are_named(tmp_path: Path, capsys, option: str, value: str) -> None:
    code, err = cli(["run", str(scenario(tmp_path)), option, value, "--out",
                     str(tmp_path / "o")], capsys)
    assert code == 2 and f"command line: {option}: expected" in err


# -- output folders ------------------------------------------------------------------------


def test_out_pointing_at_a_file_is_refused_before_running(tmp_path: Path, capsys) -> None:
    afile = tmp_path / "afile"
    afile.write_text("keep me")
    for out in (afile, afile / "sub"):
        code, err = cli(["run", str(scenario(tmp_path)), "--out", str(out)], capsys)
        assert code == 2 and "cannot write the outputs to" in err
    assert afile.read_text() == "keep me"


def test_an_unwritable_folder_is_refused(tmp_path: Path, monkeypatch) -> None:
    import tempfile

    from circsim.outdir import OutputError, check_writable

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    with pytest.raises(OutputError, match="Permission denied.*--out"):
        check_writable(tmp_path / "ro")


@pytest.mark.parametrize("name", ["../../escaped", "/tmp/abs_escaped", ".", ".."])
def test_a_scenario_name_never_chooses_a_folder_outside_results(name: str) -> None:
    from circsim.outdir import default_folder

    folder = default_folder(name, "seed42")
    assert folder.parent == Path("results") and ".." not in folder.parts
    assert not folder.name.startswith(".")


def test_atomic_writes_leave_no_temporary_files(tmp_path: Path) -> None:
    from circsim.outdir import atomic_path

    with pytest.raises(RuntimeError), atomic_path(tmp_path / "x.csv") as tmp:
        tmp.write_text("half")
        raise RuntimeError("fails mid-write")
    assert list(tmp_path.iterdir()) == []
    with atomic_path(tmp_path / "x.csv") as tmp:
        tmp.write_text("whole")
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]


def test_a_run_that_cannot_be_written_is_kept(tmp_path: Path, capsys, monkeypatch) -> None:
    """The folder breaks after the check (disk full): the finished run goes to results/."""
    import circsim.run

    monkeypatch.chdir(tmp_path)
    real = circsim.run.write_parquet
    out = tmp_path / "o"

    def full(frame, path, metadata):
        if Path(path).parent == out:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(frame, path, metadata)

    monkeypatch.setattr(circsim.run, "write_parquet", full)
    path = tmp_path / "s.yaml"
    path.write_text(TINY.format(name="baseline"))     # no second, comparison run
    code, err = cli(["run", str(path), "--out", str(out)], capsys)
    assert code == 2 and "No space left on device" in err and "written to results" in err
    rescued = list((tmp_path / "results").glob("baseline-unsaved-*"))
    assert len(rescued) == 1 and (rescued[0] / "summary.json").is_file()
    assert not list(out.glob("*.parquet"))


# -- experiment sizes ----------------------------------------------------------------------


def _experiment(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "e.yaml"
    path.write_text("name: e\nscenario: baseline\nmonths: 2\nscale: 0.0003\n" + body)
    return path


def test_a_grid_of_10_to_the_8_points_is_refused_at_once(tmp_path: Path) -> None:
    from circsim.experiments import ExperimentError, load_experiment

    values = "[" + ", ".join(str(i / 10_000) for i in range(10_000)) + "]"
    path = _experiment(tmp_path, f"grid:\n  firms.durability: {values}\n"
                                 f"  policies.awareness_campaign.effect: {values}\n")
    with pytest.raises(ExperimentError, match=r"100,000,000 runs.*limit is 100,000.*max_runs"):
        load_experiment(path)


def test_a_sobol_design_of_millions_of_runs_is_refused(tmp_path: Path) -> None:
    from circsim.experiments import ExperimentError, load_experiment

    path = _experiment(tmp_path, "sensitivity:\n  method: sobol\n  n: 524288\n  ranges:\n"
                                 "    firms.durability: [0.5, 2]\n"
                                 "    policies.epr.fee_eur_per_kg: [0, 1]\n")
    with pytest.raises(ExperimentError, match=r"2,097,152 runs"):
        load_experiment(path)


def test_max_runs_raises_the_limit(tmp_path: Path) -> None:
    from circsim.experiments import ExperimentError, load_experiment

    grid = "grid:\n  firms.durability: [0.8, 1.0, 1.2]\nreplicates: 4\n"
    with pytest.raises(ExperimentError, match="12 runs"):
        load_experiment(_experiment(tmp_path, grid + "max_runs: 10\n"))
    assert load_experiment(_experiment(tmp_path, grid + "max_runs: 12\n")).max_runs == 12


def test_an_internal_error_says_how_to_report_it(monkeypatch, capsys) -> None:
    import circsim.cli

    def broken(args):  # noqa: ANN001
        raise RuntimeError("a bug")

    monkeypatch.setattr(circsim.cli, "cmd_scenarios", broken)
    assert main(["scenarios"]) == 1
    err = capsys.readouterr().err
    assert "RuntimeError: a bug" in err and "this is a bug in circsim" in err


def test_grid_values_are_finite(tmp_path: Path) -> None:
    from circsim.experiments import ExperimentError, load_experiment

    path = _experiment(tmp_path, "grid:\n  firms.price_eur_per_kg: [25.0, .inf]\n")
    with pytest.raises(ExperimentError, match=r"e.yaml:5: grid: firms.price_eur_per_kg: every "
                                              r"value must be a finite number, got inf"):
        load_experiment(path)
