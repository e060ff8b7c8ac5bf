"""What identifies the running qbank's code, for its caches.

The version string stays the same from one commit to the next (users install qbank from a
git commit, developers edit a checkout), so a parse or a lint result stored by other code
would be reused. The sizes and times of the package's Python files tell them apart; reading
them costs about a millisecond.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from qbank import __version__

PACKAGE = Path(__file__).resolve().parent


@functools.cache
def code_identity() -> str:
    digest = hashlib.blake2b(digest_size=12)
    for path in sorted(_python_files(str(PACKAGE))):
        stat = os.stat(path)
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return f"{__version__}+{digest.hexdigest()}"


def _python_files(folder: str) -> list[str]:
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                found.extend(_python_files(entry.path))
            elif entry.name.endswith(".py"):
                found.append(entry.path)
    return found
