"""Output folders: where results go, checked before the work, written atomically.

Outputs go only where the user says (``--out``) or under ``results/``; a scenario's
name never chooses a folder outside it (``../../x`` and ``/etc/x`` become plain folder
names). A folder is checked writable before a run starts, so a long run is not lost to
a typo; each file is written under a temporary name in the same folder and then
renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from circsim.scenario.errors import CircsimError

RESULTS = Path("results")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class OutputError(CircsimError):
    """An output folder that cannot be created or written."""


def safe_name(name: str) -> str:
    """``name`` as one plain folder name: letters, digits, ``.``, ``_`` and ``-`` only,
    never ``.`` or ``..`` nor starting with a dot."""
    text = _UNSAFE.sub("_", name).strip("._") or "run"
    return text[:100]


def default_folder(*parts: str) -> Path:
    """``results/<parts joined by '-'>``, each part made safe."""
    return RESULTS / "-".join(safe_name(p) for p in parts)


def check_writable(folder: str | os.PathLike[str], option: str = "--out") -> Path:
    """Create ``folder`` if needed and prove a file can be written in it; else an
    :class:`OutputError` that names the folder, the reason and ``option``."""
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise OutputError(f"cannot write the outputs to {out}: it exists and is not a folder; "
                          f"give {option} a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".circsim-probe-"):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise OutputError(f"cannot write the outputs to {out} ({reason}); give {option} a "
                          "folder you can write to") from None
    return out


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path in ``path``'s folder; renamed to ``path`` if the block succeeds,
    removed if it fails."""
    final = Path(path)
    fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=f".{final.stem}.",
                               suffix=f"{final.suffix}")  # the suffix tells writers the format
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def rescue_folder(name: str) -> Path:
    """A fresh folder under ``results/`` for outputs that could not go where asked."""
    return default_folder(name, "unsaved", time.strftime("%Y%m%d-%H%M%S"), str(os.getpid()))
