"""The README's notebook example runs as written (in a temporary folder)."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_notebook_example_runs(tmp_path, monkeypatch):
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- notebook-example[^>]*-->\n```python\n(.*?)```", text, re.S)
    assert block, "the README's notebook example is missing"
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(block.group(1), "README notebook example", "exec"), namespace)
    result = namespace["result"]
    assert set(result.runs["scenario"]) == {"baseline", "milan_programme"}
    assert "version" in result.runs and "date" in result.monthly
    assert (tmp_path / "results/notebook/report.html").exists()
    assert (tmp_path / "results/notebook/report.it.html").exists()
