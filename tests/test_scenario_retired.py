"""Retired scenario keys: they still load, translated, with one warning naming the successor.

Tests of the mechanism register their own entries (monkeypatched); the real entries are
checked against the schema.
"""

from __future__ import annotations

import textwrap
import warnings
from pathlib import Path

import pytest

from circsim.cli import main
from circsim.experiments import load_experiment, make_experiment, plan
from circsim.experiments.design import RunSpec
from circsim.experiments.runner import load_run_scenario
from circsim.scenario import (
    RETIRED,
    Retired,
    RetiredKeyWarning,
    ScenarioError,
    load_scenario,
)
from circsim.scenario.loader import display_name

OLD = "cooperatives.bins_per_100k_residents"      # a made-up retired key: 10x the new one
NEW = "cooperatives.bins_per_10k_residents"
GONE = "households.old_habit"                      # a made-up key with no successor


@pytest.fixture
def retired(monkeypatch):
    """Register a translated key, a renamed section and a key with no replacement."""
    monkeypatch.setitem(RETIRED, OLD, Retired(NEW, "counted per 10 000 residents now",
                                              lambda v: v / 10))
    monkeypatch.setitem(RETIRED, "policies.bins", Retired("policies.collection", "renamed"))
    monkeypatch.setitem(RETIRED, GONE, Retired(None, "its mechanism was removed"))


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def load_warned(source, overrides=None):
    """Load, returning the scenario and the messages of the retired-key warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scenario = load_scenario(source, overrides)
    return scenario, [str(w.message) for w in caught if w.category is RetiredKeyWarning]


def test_retired_keys_left_the_schema_and_their_replacements_are_in_it():
    baseline = load_scenario("baseline").model_dump()
    for old, retired in RETIRED.items():
        assert not _present(baseline, old), old
        assert retired.replacement is None or _present(baseline, retired.replacement)
        assert retired.note


def test_the_keys_whose_mechanism_was_replaced_are_retired():
    assert {"cooperatives.grade_shares", "cooperatives.quality_decline_per_year",
            "cooperatives.export_reuse_share", "cooperatives.jobs_per_kt_collected",
            "recyclers.jobs_per_kt", "climate.reuse_credit_kg_per_kg"} <= set(RETIRED)
    assert issubclass(RetiredKeyWarning, FutureWarning)    # shown to users by default


def _present(data: dict, dotted: str) -> bool:
    for part in dotted.split("."):
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True


@pytest.mark.parametrize("old, names", [
    ("cooperatives.jobs_per_kt_collected", "labour section"),
    ("recyclers.jobs_per_kt", "labour.recycling_hours_per_t"),
    ("climate.reuse_credit_kg_per_kg", "climate.export_displacement_rate"),
])
def test_the_replaced_jobs_and_reuse_credit_keys_warn_once_naming_the_replacement(old, names):
    scenario, messages = load_warned("baseline", {old: 27.5})
    assert scenario.name == "baseline"
    assert len(messages) == 1 and "\n" not in messages[0]
    assert f"{old} is retired" in messages[0] and names in messages[0]


def test_a_translated_key_loads_with_a_warning_naming_file_line_and_successor(
        tmp_path, retired):
    path = write(tmp_path, "old.yaml", """
        name: old
        extends: baseline
        cooperatives:
          count: 3
          bins_per_100k_residents: 40
        """)
    scenario, messages = load_warned(path)
    assert scenario.cooperatives.bins_per_10k_residents == 4.0
    assert messages == [f"{display_name(path)}:5: {OLD} is retired; use {NEW} "
                        "(counted per 10 000 residents now)"]


def test_inherited_renamed_and_dropped_keys(tmp_path, retired):
    write(tmp_path, "parent.yaml", """
        name: parent
        extends: baseline
        households:
          old_habit: 0.3
        policies:
          bins:
            enabled: true
            bins_per_10k_residents: 9.0
        """)
    child = write(tmp_path, "child.yaml", """
        name: child
        extends: parent.yaml
        """)
    scenario, messages = load_warned(child)
    assert scenario.policies.collection.enabled
    assert scenario.policies.collection.bins_per_10k_residents == 9.0
    parent = display_name(tmp_path / "parent.yaml")
    assert messages == [
        f"{parent}:6: policies.bins is retired; use policies.collection (renamed)",
        f"{parent}:4: {GONE} is retired; it has no replacement and is ignored "
        "(its mechanism was removed)",
    ]


def test_an_error_in_a_translated_value_points_at_the_old_line(tmp_path, retired):
    path = write(tmp_path, "bad.yaml", """
        name: bad
        extends: baseline
        cooperatives:
          bins_per_100k_residents: 5000
        """)
    with pytest.raises(ScenarioError) as info, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        load_scenario(path)
    assert info.value.problems == [f"{display_name(path)}:4: {NEW}: expected a finite number >= 0 "
                                   "and <= 100, got 500.0"]
    path.write_text(path.read_text().replace("5000", "lots"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.problems[0].startswith(
        f"{display_name(path)}:4: {OLD}: cannot translate 'lots' to {NEW} (")


def test_old_and_new_together_is_an_error_with_both_lines(tmp_path, retired):
    path = write(tmp_path, "both.yaml", """
        name: both
        extends: baseline
        cooperatives:
          bins_per_10k_residents: 3
          bins_per_100k_residents: 40
        """)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    name = display_name(path)
    assert info.value.problems == [
        f"{name}:5: {OLD} is retired and {NEW} replaces it, but {NEW} is also given "
        f"(at {name}:4); give only {NEW}"]


def test_overrides_are_translated_and_conflicts_rejected(retired):
    scenario, messages = load_warned("baseline", {OLD: 70, "policies.bins": {"enabled": True}})
    assert scenario.cooperatives.bins_per_10k_residents == 7.0
    assert scenario.policies.collection.enabled
    assert messages[0] == f"<override>: {OLD} is retired; use {NEW} (counted per 10 000 " \
                          "residents now)"
    assert len(messages) == 2
    nested = {"bins": {"enabled": True}}
    load_warned("baseline", {"policies": nested})
    assert nested == {"bins": {"enabled": True}}           # the caller's value is not changed
    with pytest.raises(ScenarioError, match=f"{NEW} is also given; give only {NEW}"):
        load_scenario("baseline", {OLD: 70, NEW: 3})
    with pytest.raises(ScenarioError, match="policies.collection is also given"):
        load_scenario("baseline", {"policies.bins.enabled": True,
                                   "policies.collection.enabled": True})


def test_the_command_line_prints_one_line_per_retired_key(tmp_path, capsys, retired,
                                                          monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "old.yaml", """
        name: old
        extends: baseline
        cooperatives:
          bins_per_100k_residents: 40
        """)
    assert main(["validate", "old.yaml"]) == 0
    out, err = capsys.readouterr()
    assert out == "old.yaml: ok\n"
    assert err == (f"circsim: warning: old.yaml:4: {OLD} is retired; use {NEW} "
                   "(counted per 10 000 residents now)\n")
    write(tmp_path, "both.yaml", f"""
        name: both
        extends: old.yaml
        cooperatives:
          bins_per_100k_residents: 40
          {NEW.split('.')[1]}: 3
        """)
    assert main(["validate", "both.yaml"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"both.yaml:4: {OLD} is retired and {NEW} replaces it" in err


EXPERIMENT = f"""\
name: old-paths
scenario: baseline
months: 2
scale: 0.002
overrides:
  warmup_months: 0
  {GONE}: 0.5
  policies.bins.enabled: true
grid:
  {OLD}: [30, 60]
"""


def test_experiment_paths_are_translated_before_planning(tmp_path, retired):
    path = write(tmp_path, "exp.yaml", EXPERIMENT)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exp = load_experiment(path)
    messages = {str(w.message) for w in caught if w.category is RetiredKeyWarning}
    name = display_name(path)
    assert messages == {
        f"{name}:7: {GONE} is retired; it has no replacement and is ignored "
        "(its mechanism was removed)",
        f"{name}:8: policies.bins is retired; use policies.collection (renamed)",
        f"{name}:10: {OLD} is retired; use {NEW} (counted per 10 000 residents now)"}
    assert exp.overrides == {"warmup_months": 0, "policies.collection.enabled": True}
    assert exp.grid == {NEW: [3.0, 6.0]}
    runs = plan(exp)
    assert [r.overrides[NEW] for r in runs] == [3.0, 6.0]


def test_experiment_ranges_translate_both_ends_and_conflicts_fail(tmp_path, retired):
    ranges = f"sample:\n  n: 4\n  ranges:\n    {OLD}: [20, 80]\n"
    base = EXPERIMENT.split("grid:")[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exp = load_experiment(write(tmp_path, "s.yaml", base + ranges))
        assert exp.ranges == {NEW: [2.0, 8.0]}
        clash = base + ranges + f"    {NEW}: [2, 3]\n"
        with pytest.raises(ScenarioError, match=f"{NEW} is also given"):
            load_experiment(write(tmp_path, "c.yaml", clash))
        across = base + f"  {NEW}: 3\n" + ranges
        with pytest.raises(ScenarioError, match=f"{NEW}: also set in `overrides`"):
            load_experiment(write(tmp_path, "a.yaml", across))


def test_python_experiments_translate_too(retired):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exp = make_experiment(name="py", scenarios=["baseline"], overrides={OLD: 30})
    assert exp.overrides == {NEW: 3.0}
    assert [str(w.message) for w in caught if w.category is RetiredKeyWarning] == [
        f"py: {OLD} is retired; use {NEW} (counted per 10 000 residents now)"]


def test_the_runner_fast_path_uses_the_loader_merge(retired):
    overrides = {"scale": 0.002, "policies.collection": {"enabled": True},
                 "policies.destruction_ban.firm_sizes": ["small"], OLD: 50}
    spec = RunSpec(run_id=0, scenario="baseline", source="baseline", point=0, replicate=0,
                   seed=1, spawn_key=(0,), overrides=overrides, fingerprint="x")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fast = load_run_scenario(spec)
    assert not [w for w in caught if w.category is RetiredKeyWarning]   # planning warned
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        slow = load_scenario("baseline", overrides)
    assert fast == slow
    assert fast.cooperatives.bins_per_10k_residents == 5.0
    assert fast.policies.collection.enabled
