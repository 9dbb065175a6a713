"""One writer per experiment folder: a second sweep writing to the same ``--out`` is refused.

The lock is an operating-system file lock (``filelock``: ``flock`` on POSIX) on
``OUT/.circsim.lock``, so it is released by the kernel the moment its holder dies,
however it dies: a lock left by a killed sweep is simply taken over by the next one.
Who holds it (pid, host, start time, command) is written beside it in
``OUT/.circsim.lock.json``, so that the refusal can name the holder, and removed on
release; finding that file when the lock is free means the last holder died.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from circsim.scenario import CircsimError
from circsim.scenario.errors import CircsimWarning

LOCK_NAME = ".circsim.lock"
HOLDER_NAME = ".circsim.lock.json"


class FolderBusyError(CircsimError):
    """Another process is writing to the experiment folder."""


def _holder() -> dict[str, object]:
    return {"pid": os.getpid(), "host": socket.gethostname(),
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": " ".join(sys.argv)[:300]}


def _read_holder(path: Path) -> dict[str, object]:
    try:
        found = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _describe(holder: dict[str, object]) -> str:
    if not holder:
        return "another process (its details are not recorded yet)"
    return (f"process {holder.get('pid')} on {holder.get('host')}, started "
            f"{holder.get('started')} ({holder.get('command')})")


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the write lock of ``folder`` (created if needed) for the duration of the block.

    Raises :class:`FolderBusyError` at once, naming the holder, when another process
    holds it. A lock whose holder died is taken over, with a one-line warning.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise CircsimError(f"{folder}: cannot create the output folder "
                           f"({err.strerror or err})") from None
    lock = FileLock(folder / LOCK_NAME, timeout=0)
    holder_file = folder / HOLDER_NAME
    try:
        lock.acquire()
    except Timeout:
        raise FolderBusyError(
            f"{folder} is being written by {_describe(_read_holder(holder_file))}; wait for "
            "it to finish or choose another --out (two sweeps writing to one folder would "
            "mix their runs)") from None
    except OSError as err:
        raise CircsimError(f"{folder}: cannot lock the output folder "
                           f"({err.strerror or err})") from None
    try:
        stale = _read_holder(holder_file)
        if stale:
            warnings.warn(f"{folder}: took over the lock left by {_describe(stale)}, which "
                          "is no longer running", CircsimWarning, stacklevel=3)
        tmp = holder_file.with_name(f".{HOLDER_NAME}.{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps(_holder()) + "\n")
            os.replace(tmp, holder_file)
        except OSError:
            tmp.unlink(missing_ok=True)   # a full disk: the store's own writes will say so
        yield
    finally:
        holder_file.unlink(missing_ok=True)
        lock.release()
