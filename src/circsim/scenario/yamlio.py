"""Reading scenario YAML without PyYAML's YAML 1.1 surprises, remembering key lines.

PyYAML's ``SafeLoader`` follows YAML 1.1: ``no`` (Norway), ``on`` and ``y`` are
booleans, ``1e-3`` is a string, ``012`` is octal 10 and ``2026-01-01`` becomes a
date. Scenario authors should not need to know any of that, so this loader uses
the YAML 1.2 core rules instead: only ``true``/``false`` are booleans, numbers
look like numbers, and dates stay text. Duplicate keys are errors (PyYAML keeps
the last one silently), and every key's line is recorded so that validation
errors can point at ``file:line``.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import ScenarioError, show_value
from .limits import FILE_BYTES, YAML_NODES

#: A key's position in the document: the keys (and list indices) leading to it.
KeyPath = tuple[str, ...]

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
_BOOL = re.compile(r"^(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")

_TAG = "tag:yaml.org,2002:"


class ScenarioYamlLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core scalars: no yes/no/on/off booleans, no dates, no octal."""

    yaml_implicit_resolvers: dict[Any, list[tuple[str, re.Pattern[str]]]] = {}

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        """Build a value; a value the tag cannot hold (``!!int abc``) is a YAML error."""
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
            tag = node.tag.removeprefix(_TAG)
            raise ConstructorError(
                None, None, f"cannot read {show_value(node.value)} as {tag}", node.start_mark
            ) from None

    def construct_yaml_bool(self, node: Node) -> bool:  # type: ignore[override]
        value = str(self.construct_scalar(node)).lower()  # type: ignore[arg-type]
        if value not in ("true", "false"):
            raise ConstructorError(
                None, None, f"expected true or false, got {value!r}", node.start_mark
            )
        return value == "true"

    def construct_yaml_int(self, node: Node) -> int:  # type: ignore[override]
        text = str(self.construct_scalar(node))  # type: ignore[arg-type]
        return int(text, 10) if _INT.match(text) else int(text, 0)

    def construct_yaml_float(self, node: Node) -> float:  # type: ignore[override]
        text = str(self.construct_scalar(node)).strip()  # type: ignore[arg-type]
        if _SPECIAL_FLOAT.match(text):
            sign = -1.0 if text.startswith("-") else 1.0
            return float("nan") if "nan" in text.lower() else sign * float("inf")
        return float(text)


for _tag, _regexp, _first in (
    ("bool", _BOOL, "tTfF"),
    ("int", _INT, "-+0123456789"),
    ("float", _FLOAT, "-+0123456789."),
    ("float", _SPECIAL_FLOAT, "-+."),
    ("null", _NULL, ["~", "n", "N", ""]),
):
    ScenarioYamlLoader.add_implicit_resolver(_TAG + _tag, _regexp, list(_first))
for _tag, _method in (
    ("bool", ScenarioYamlLoader.construct_yaml_bool),
    ("int", ScenarioYamlLoader.construct_yaml_int),
    ("float", ScenarioYamlLoader.construct_yaml_float),
):
    ScenarioYamlLoader.add_constructor(_TAG + _tag, _method)


@dataclass(frozen=True)
class YamlDocument:
    """A parsed scenario file: its top-level mapping and the line of every key."""

    label: str
    data: dict[str, Any]
    lines: dict[KeyPath, int] = field(default_factory=dict)


def dotted(path: KeyPath | tuple[object, ...]) -> str:
    """``("policies", "epr", "enabled")`` -> ``"policies.epr.enabled"``."""
    return ".".join(str(part) for part in path) or "(top level)"


def read_yaml(path: Path, label: str) -> YamlDocument:
    """Read and parse one scenario file; ``label`` is how messages name it.

    Only a regular file under the size limit is read (a FIFO, a device or a huge file
    is refused before a byte is read, so nothing hangs or fills memory).
    """
    raw = read_limited(path, label)
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ScenarioError(label, [f"{label}:1: the file is UTF-16 text; save it as UTF-8"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(label, [f"{label}:{line}: the file is not UTF-8 text"]) from None
    return parse_yaml(text, label)


def read_limited(path: Path, label: str) -> bytes:
    """The bytes of a regular file of at most the file-size limit; a :class:`ScenarioError`
    for anything else (a folder, a FIFO, a device, a file too large, unreadable)."""
    limit = FILE_BYTES.value()
    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or "invalid path"
        raise ScenarioError(label, [f"{label}: cannot read the file ({reason})"]) from None
    if stat.S_ISDIR(info.st_mode):
        raise ScenarioError(label, [f"{label}: is a directory, not a YAML file"])
    if not stat.S_ISREG(info.st_mode):
        raise ScenarioError(label, [f"{label}: is not a regular file (a pipe, a device or a "
                                    "socket); expected a YAML file"])
    if info.st_size > limit:
        raise ScenarioError(label, [_too_large(label, info.st_size, limit)])
    try:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise ScenarioError(label, [f"{label}: cannot read the file ({exc.strerror})"]) from None
    if len(raw) > limit:       # it grew after the check
        raise ScenarioError(label, [_too_large(label, len(raw), limit)])
    return raw


def _too_large(label: str, size: int, limit: int) -> str:
    return (f"{label}: the file is too large ({size:,} bytes; the limit is {limit:,} bytes, "
            f"{FILE_BYTES.how_to_raise()})")


def parse_yaml(text: str, label: str) -> YamlDocument:
    """Parse scenario YAML text: a single document whose top level is a mapping."""
    loader: ScenarioYamlLoader | None = None
    try:
        loader = ScenarioYamlLoader(text)
        node = loader.get_single_node()
        if node is None:
            raise ScenarioError(label, [f"{label}: the file is empty; expected a mapping of keys"])
        if not isinstance(node, MappingNode):
            line = node.start_mark.line + 1
            found = _node_kind(node)
            raise ScenarioError(
                label,
                [f"{label}:{line}: the top level must be a mapping of keys to values, got {found}"],
            )
        _check_expanded_size(node, label)
        lines: dict[KeyPath, int] = {}
        problems: list[str] = []
        _index(node, (), lines, problems, label, set())
        if problems:
            raise ScenarioError(label, problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise ScenarioError(label, [_malformed(label, exc)]) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        problem = f"unacceptable character #x{exc.character:04x} ({exc.reason})"
        raise ScenarioError(label, [f"{label}:{line}: malformed YAML: {problem}"]) from None
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ScenarioError(label, [f"{label}: malformed YAML: {first}"]) from None
    except RecursionError:
        raise ScenarioError(label, [f"{label}: malformed YAML: nested too deeply"]) from None
    finally:
        if loader is not None:
            loader.dispose()
    return YamlDocument(label, data, lines)


def parse_scalar(text: str) -> object:
    """Read a command-line value (``12``, ``1e-3``, ``true``, ``[large, medium]``) as YAML."""
    try:
        return yaml.load(text, Loader=ScenarioYamlLoader)
    except (yaml.YAMLError, RecursionError):
        return text


def _malformed(label: str, exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    where = f"{label}:{mark.line + 1}" if mark is not None else label
    problem = exc.problem or exc.context or "cannot parse"
    if exc.context and exc.problem:
        context = exc.context
        if exc.context_mark is not None and exc.context_mark.line != getattr(mark, "line", None):
            context += f" that starts at line {exc.context_mark.line + 1}"
        problem += f" ({context})"
    return f"{where}: malformed YAML: {problem}"


def _node_kind(node: Node) -> str:
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, ScalarNode):
        return "a single value"     # never its text: the file may not be a scenario at all
    return "a mapping"


def _check_expanded_size(root: Node, label: str) -> None:
    """Refuse a document whose values, aliases expanded, exceed the limit (an alias bomb).

    Each node's expanded size is counted once (memoised), so the check itself takes
    time in proportion to the file, not to its expansion.
    """
    limit = YAML_NODES.value()
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()     # being counted: meeting one again is a cycle

    def size(node: Node) -> int:
        if id(node) in open_nodes:
            line = node.start_mark.line + 1
            raise ScenarioError(label, [
                f"{label}:{line}: an alias refers to a value that contains it (a cycle); "
                "expected a value that ends"])
        known = sizes.get(id(node))
        if known is not None:
            return known
        open_nodes.add(id(node))
        if isinstance(node, MappingNode):
            total = 1 + sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, SequenceNode):
            total = 1 + sum(size(item) for item in node.value)
        else:
            total = 1
        open_nodes.discard(id(node))
        sizes[id(node)] = min(total, limit + 1)
        return sizes[id(node)]

    found = size(root)
    if found > limit:
        raise ScenarioError(label, [
            f"{label}: the document expands to more than {limit:,} values (aliases such as "
            f"*name repeat what they point at); the limit is {limit:,}, "
            f"{YAML_NODES.how_to_raise()}"])


def _index(
    node: Node,
    path: KeyPath,
    lines: dict[KeyPath, int],
    problems: list[str],
    label: str,
    seen: set[int],
) -> None:
    """Record each key's line under its path, and report duplicate keys.

    A node reached a second time (a YAML alias) is not walked again: its keys
    have no lines of their own, and errors in them point at the alias.
    """
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, MappingNode):
        first_line: dict[tuple[str, str], int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                continue
            line = key_node.start_mark.line + 1
            identity = (key_node.tag, key_node.value)
            child = (*path, key_node.value)
            if identity in first_line:
                problems.append(
                    f"{label}:{line}: {dotted(child)}: duplicate key (first given at line "
                    f"{first_line[identity]}); each key may appear only once"
                )
                continue
            first_line[identity] = line
            lines[child] = line
            _index(value_node, child, lines, problems, label, seen)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, str(index))
            lines.setdefault(child, item.start_mark.line + 1)
            _index(item, child, lines, problems, label, seen)
