"""Fixtures of the store's fault tests."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def small_fs() -> Iterator[Path]:
    """Mounts a tmpfs of the given size for the data folder (call it with the size; again to remount)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs for the data folder needs root")
    mount = Path(tempfile.mkdtemp(prefix="rakshak-fullfs-"))
    mounted: list[str] = []

    def mount_fs(size: str) -> Path:
        if mounted:
            subprocess.run(["umount", str(mount)], check=True)
            mounted.clear()
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
        mounted.append(size)
        return mount

    yield mount_fs  # type: ignore[misc]
    if mounted:
        subprocess.run(["umount", str(mount)], check=False)
    mount.rmdir()
