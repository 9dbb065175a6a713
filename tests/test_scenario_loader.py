"""Loading scenarios: extends, overrides, YAML pitfalls and the messages users see."""

from __future__ import annotations

import pickle
import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from circsim.scenario import (
    LEVERS,
    CircsimError,
    Scenario,
    ScenarioError,
    bundled_scenarios,
    load_scenario,
    resolve_source,
    scenario_dir,
    validate_files,
)
from circsim.scenario.loader import display_name
from circsim.scenario.yamlio import parse_scalar, parse_yaml

BASELINE_TEXT = (scenario_dir() / "baseline.yaml").read_text(encoding="utf-8")


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def label(path: Path) -> str:
    """How messages name ``path`` (absolute, or relative to the working directory)."""
    return display_name(path)


def line_of(path: Path, pattern: str) -> int:
    """1-based number of the first line of ``path`` matching ``pattern``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if re.search(pattern, line):
            return number
    raise AssertionError(f"{pattern!r} not in {path}")


def problems_of(source: str | Path, overrides: dict[str, object] | None = None) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(source, overrides)
    assert info.value.problems, "a ScenarioError must name at least one problem"
    return info.value.problems


def only_problem(source: str | Path, overrides: dict[str, object] | None = None) -> str:
    problems = problems_of(source, overrides)
    assert len(problems) == 1, problems
    return problems[0]


# -- bundled scenarios ------------------------------------------------------------------


def test_baseline_loads_by_name() -> None:
    scenario = load_scenario("baseline")
    assert isinstance(scenario, Scenario)
    assert scenario.name == "baseline"
    assert scenario.months == 120
    assert scenario.firms.count == 200
    assert not scenario.policies.epr.enabled


def test_baseline_loads_by_path_and_bundled_list_starts_with_it() -> None:
    path = scenario_dir() / "baseline.yaml"
    assert load_scenario(path) == load_scenario("baseline")
    assert resolve_source("baseline") == path
    listed = bundled_scenarios()
    assert listed[0].name == "baseline"
    assert listed[0].path == path
    assert "Milan" in listed[0].description
    assert "epr" in LEVERS


def test_missing_source_names_path_and_bundled_scenarios(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    with pytest.raises(ScenarioError) as info:
        load_scenario(missing)
    message = str(info.value)
    assert "nowhere.yaml" in message
    assert "baseline" in message
    with pytest.raises(ScenarioError, match="bundled scenarios: baseline"):
        load_scenario("basline")


# -- extends ----------------------------------------------------------------------------


def test_overlay_changes_one_policy_and_keeps_the_rest(tmp_path: Path) -> None:
    overlay = write(
        tmp_path,
        "epr.yaml",
        """
        extends: baseline
        name: epr
        policies:
          epr:
            enabled: true
            fee_eur_per_kg: 0.2
        """,
    )
    scenario = load_scenario(overlay)
    baseline = load_scenario("baseline")
    assert scenario.name == "epr"
    assert scenario.policies.epr.enabled is True
    assert scenario.policies.epr.fee_eur_per_kg == pytest.approx(0.2)
    # untouched values of the same lever, of other levers and of the parameters survive
    assert scenario.policies.epr.durability_bonus == baseline.policies.epr.durability_bonus
    assert scenario.policies.collection == baseline.policies.collection
    assert scenario.households == baseline.households
    assert scenario.months == baseline.months
    assert scenario.sources == baseline.sources


def test_extends_relative_path_chain_and_list_replacement(tmp_path: Path) -> None:
    write(tmp_path, "mid.yaml", "extends: baseline\nname: mid\nmonths: 24\n")
    sub = tmp_path / "sub"
    sub.mkdir()
    top = write(
        sub,
        "top.yaml",
        """
        extends: ../mid.yaml
        policies:
          destruction_ban: {enabled: true, firm_sizes: [medium]}
        """,
    )
    scenario = load_scenario(top)
    assert scenario.name == "mid"
    assert scenario.months == 24
    assert scenario.policies.destruction_ban.firm_sizes == ["medium"]


def test_missing_extends_target_points_at_the_extends_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", "name: bad\nextends: basline\n")
    problem = only_problem(path)
    assert problem.startswith(f"{label(path)}:2: extends:")
    assert "'basline'" in problem
    assert "baseline" in problem.split("'basline'")[1]  # the bundled names are listed


def test_cycle_in_extends_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "extends: b.yaml\nname: a\n")
    write(tmp_path, "b.yaml", "name: b\nextends: a.yaml\n")
    problem = only_problem(tmp_path / "a.yaml")
    assert "cycle" in problem
    assert re.search(r"a\.yaml -> .*b\.yaml -> .*a\.yaml", problem), problem
    assert ":2: extends" in problem  # the line of b.yaml's extends


def test_error_inherited_from_base_points_at_base_file(tmp_path: Path) -> None:
    base_text = BASELINE_TEXT.replace("months: 120", "months: 0").replace(
        "  count: 200", "  count: 0"
    )
    base = write(tmp_path, "base.yaml", base_text)
    overlay = write(
        tmp_path,
        "overlay.yaml",
        """
        extends: base.yaml
        name: overlay
        policies:
          epr: {enabled: true, fee_eur_per_kg: -1.0}
        firms:
          count: 0
        """,
    )
    problems = problems_of(overlay)
    months = [p for p in problems if ": months:" in p]
    assert months == [
        f"{label(base)}:{line_of(base, '^months:')}: months: "
        "expected an integer >= 1 and <= 1200, got 0"
    ]
    fee = [p for p in problems if "fee_eur_per_kg" in p]
    assert len(fee) == 1 and fee[0].startswith(f"{label(overlay)}:4: policies.epr.fee_eur_per_kg:")
    count = [p for p in problems if "firms.count" in p]
    assert len(count) == 1 and count[0].startswith(f"{label(overlay)}:6: firms.count:")


# -- validation messages ----------------------------------------------------------------


def test_typo_in_policy_name_gives_line_and_suggestion(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "typo.yaml",
        """
        extends: baseline
        name: typo
        policies:
          destuction_ban:
            enabled: true
        """,
    )
    problem = only_problem(path)
    assert problem.startswith(f"{label(path)}:4: policies.destuction_ban: unknown key")
    assert "did you mean 'destruction_ban'?" in problem
    assert "valid keys: epr, destruction_ban," in problem


def test_wrong_type_names_key_and_expectation(tmp_path: Path) -> None:
    path = write(tmp_path, "t.yaml", "extends: baseline\nmonths: twelve\n")
    problem = only_problem(path)
    assert problem == f"{label(path)}:2: months: expected an integer >= 1 and <= 1200, got 'twelve'"


def test_out_of_range_value(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", "extends: baseline\nscale: 2\n")
    assert only_problem(path) == (
        f"{label(path)}:2: scale: expected a finite number > 0 and <= 1, got 2")


def test_missing_required_key_names_section_and_file(tmp_path: Path) -> None:
    text = BASELINE_TEXT.replace("  residents: 3242448\n", "")
    path = write(tmp_path, "m.yaml", text)
    problem = only_problem(path)
    section_line = line_of(path, "^population:")
    assert problem.startswith(f"{label(path)}:{section_line}: population.residents: required key")
    assert "section 'population'" in problem


def test_section_validator_message_is_kept(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "g.yaml",
        """
        extends: baseline
        policies:
          awareness_campaign: {enabled: true, start_month: 12, end_month: 6}
        """,
    )
    problem = only_problem(path)
    expected = (f"{label(path)}:3: policies.awareness_campaign: end_month (6) is before "
                "start_month (12)")
    assert problem.startswith(expected)


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "n", "Yes", "ON"])
def test_yaml11_booleans_are_rejected_not_coerced(tmp_path: Path, word: str) -> None:
    path = write(tmp_path, "b.yaml", f"extends: baseline\npolicies:\n  epr:\n    enabled: {word}\n")
    assert only_problem(path) == (
        f"{label(path)}:4: policies.epr.enabled: expected true or false, got '{word}'"
    )


@pytest.mark.parametrize("word, value", [("true", True), ("False", False), ("TRUE", True)])
def test_true_and_false_in_any_case_are_booleans(tmp_path: Path, word: str, value: bool) -> None:
    path = write(tmp_path, "b.yaml", f"extends: baseline\npolicies:\n  epr:\n    enabled: {word}\n")
    assert load_scenario(path).policies.epr.enabled is value


def test_exponent_numbers_are_floats(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "f.yaml",
        "extends: baseline\npolicies:\n  epr:\n    fee_eur_per_kg: 1e-3\n",
    )
    fee = load_scenario(path).policies.epr.fee_eur_per_kg
    assert isinstance(fee, float) and fee == pytest.approx(0.001)
    data = parse_yaml("a: 1E6\nb: .5\nc: 012\nd: 2026-01-01\ne: +3\nf: 3.\n", "x").data
    assert data == {"a": 1e6, "b": 0.5, "c": 12, "d": "2026-01-01", "e": 3, "f": 3.0}
    assert type(data["a"]) is float and type(data["c"]) is int


def test_dates_stay_text(tmp_path: Path) -> None:
    path = write(tmp_path, "d.yaml", "extends: baseline\nname: 2026-01-01\n")
    assert load_scenario(path).name == "2026-01-01"


# -- malformed files --------------------------------------------------------------------


def test_malformed_yaml_gives_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "m.yaml", "extends: baseline\nname: m\nmonths: [12\nseed: 3\n")
    problem = only_problem(path)
    assert re.match(rf"{re.escape(label(path))}:\d+: malformed YAML: ", problem), problem
    assert "line 3" in problem  # where the unclosed bracket opens


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "dup.yaml",
        """
        extends: baseline
        policies:
          epr:
            enabled: true
          epr:
            enabled: false
        """,
    )
    problem = only_problem(path)
    assert problem.startswith(f"{label(path)}:5: policies.epr: duplicate key")
    assert "line 3" in problem


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "empty"),
        ("# only a comment\n", "empty"),
        ("- a\n- b\n", "top level must be a mapping"),
        ("just text\n", "top level must be a mapping"),
        ("a: 1\n---\nb: 2\n", "malformed YAML"),
        ("a: !!int twelve\n", "malformed YAML"),
        ("a: !!python/object:os.system x\n", "malformed YAML"),
        ("a:\n\t- b\n", "malformed YAML"),
    ],
)
def test_unusable_files_are_scenario_errors(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "u.yaml"
    path.write_text(text, encoding="utf-8")
    assert expected in only_problem(path)


def test_directory_and_non_utf8_are_scenario_errors(tmp_path: Path) -> None:
    folder = tmp_path / "dir.yaml"
    folder.mkdir()
    assert "directory" in only_problem(folder)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"name: caf\xe9\n")
    assert "UTF-8" in only_problem(latin)


# -- overrides --------------------------------------------------------------------------


def test_overrides_apply_after_merging() -> None:
    scenario = load_scenario("baseline", {"months": 12, "policies.collection.enabled": True})
    assert scenario.months == 12
    assert scenario.policies.collection.enabled is True
    assert scenario.policies.collection.bins_per_10k_residents == pytest.approx(6.0)
    assert scenario.population.residents == 3242448


def test_overrides_are_validated() -> None:
    problems = problems_of("baseline", {"months": 0, "policies.epr.enabeld": True})
    assert "<override>: months: expected an integer >= 1 and <= 1200, got 0" in problems
    typo = [p for p in problems if "enabeld" in p]
    assert len(typo) == 1 and "did you mean 'enabled'?" in typo[0]
    assert typo[0].startswith("<override>: policies.epr.enabeld: unknown key")


def test_override_label_and_parsed_values() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario("baseline", {"scale": parse_scalar("2")}, override_label="--set scale")
    assert info.value.problems == [
        "--set scale: scale: expected a finite number > 0 and <= 1, got 2"]
    assert parse_scalar("1e-3") == pytest.approx(0.001)
    assert parse_scalar("yes") == "yes"
    assert parse_scalar("[large, medium]") == ["large", "medium"]


# -- the error object -------------------------------------------------------------------


def test_error_is_one_paragraph_without_traceback_or_urls(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "many.yaml",
        "extends: baseline\nmonths: 0\nscale: 2\nseed: x\npolicies:\n  epr: {enabled: yes}\n",
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    error = info.value
    assert isinstance(error, CircsimError)
    text = str(error)
    lines = text.splitlines()
    assert lines[0] == f"Scenario {label(path)} is not valid:"
    assert len(lines) == 1 + len(error.problems) == 5
    assert all(line.startswith("  ") and line.strip() for line in lines[1:])
    for forbidden in ("Traceback", "pydantic", "http", "Input should be", "[type="):
        assert forbidden not in text
    assert pickle.loads(pickle.dumps(error)).problems == error.problems


def test_long_error_lists_are_cut_short() -> None:
    error = ScenarioError("x.yaml", [f"x.yaml:{n}: a: bad" for n in range(1, 31)])
    lines = str(error).splitlines()
    assert len(lines) == 1 + 20 + 1
    assert lines[-1] == "  and 10 more problems"


def test_validate_files_reports_each_file(tmp_path: Path) -> None:
    good = write(tmp_path, "good.yaml", "extends: baseline\nname: good\n")
    bad = write(tmp_path, "bad.yaml", "extends: baseline\nmonths: 0\n")
    results = validate_files([good, bad, "baseline"])
    assert [name for name, _ in results] == [str(good), str(bad), "baseline"]
    assert results[0][1] is None and results[2][1] is None
    assert isinstance(results[1][1], ScenarioError)
    assert "months" in results[1][1].problems[0]


# -- robustness: whatever the file holds, the loader answers with a ScenarioError -------

BASELINE_LINES = BASELINE_TEXT.splitlines(keepends=True)


@st.composite
def mutated_baseline(draw: st.DrawFn) -> str:
    lines = list(BASELINE_LINES)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        kind = draw(st.sampled_from(["delete", "swap", "replace", "insert"]))
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        line = lines[index]
        if kind == "delete":
            del lines[index]
        elif kind == "swap" and len(line) >= 2:
            i = draw(st.integers(min_value=0, max_value=len(line) - 2))
            lines[index] = line[:i] + line[i + 1] + line[i] + line[i + 2 :]
        elif kind == "replace" and ":" in line:
            key = line.split(":", 1)[0]
            lines[index] = f"{key}: {draw(st.text(max_size=12))}\n"
        else:
            lines.insert(index, draw(st.text(max_size=30)) + "\n")
        if not lines:
            break
    return "".join(lines)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=mutated_baseline())
def test_mutated_baseline_gives_scenario_or_scenario_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "mutant.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        scenario = load_scenario(path)
    except ScenarioError as error:
        message = str(error)
        assert message.startswith("Scenario ") or message.startswith("Cannot ")
        assert error.problems and all("\n" not in p for p in error.problems)
        assert "Traceback" not in message
    else:
        assert isinstance(scenario, Scenario)


# -- uncertainty: plausible ranges of parameters ------------------------------------------


def test_baseline_declares_valid_ranges_around_its_values() -> None:
    from circsim.scenario.uncertainty import numeric_parameters, schema_bounds

    baseline = load_scenario("baseline")
    values = numeric_parameters(baseline)
    assert len(baseline.uncertainty) > 50
    for path, (low, high) in baseline.uncertainty.items():
        floor, ceiling = schema_bounds(path)
        assert floor <= low <= values[path] <= high <= ceiling, path


@pytest.mark.parametrize("entry, expected", [
    ("firms.nothing: [0.1, 0.2]", "uncertainty.firms.nothing: not a numeric parameter"),
    ("months: [12, 24]", "uncertainty.months: a run setting"),
    ("firms.unsold_share: [0.3, 0.25]", "low (0.3) must not exceed high (0.25)"),
    ("firms.unsold_share: [0.2, 0.95]", "leaves the allowed range [0, 0.9]"),
    ("firms.unsold_share: [0.25, 0.3]", "the value 0.21 lies outside its range [0.25, 0.3]"),
    ("firms.unsold_share: [0.2]", "uncertainty.firms.unsold_share"),
])
def test_bad_uncertainty_entry_points_at_its_line(tmp_path: Path, entry: str,
                                                   expected: str) -> None:
    path = write(tmp_path, "s.yaml", f"""
        name: s
        extends: baseline
        uncertainty:
          {entry}
        """)
    problem = only_problem(path)
    assert problem.startswith(f"{label(path)}:4: ") and expected in problem, problem


def test_an_override_may_leave_the_plausible_range() -> None:
    scenario = load_scenario("baseline", {"firms.unsold_share": 0.5})
    assert scenario.firms.unsold_share == 0.5
