"""The frozen console's size and its cold start to the first window, against the unbundled client.

    .venv/bin/python bench/bench_bundle.py [--bundle build/out/rakshak] [--runs 5]
        [--baseline-bundle OTHER/build/out/rakshak]

Size: every file of the one-folder bundle (apparent size, symlinks counted once as links), by part.
Baseline in the same run: what the client's Python packages occupy installed in .venv (PySide6 with
its Qt, and the rest of the client's requirements), i.e. what the bundle is cut from.

Start: the time from exec to the first visible top-level window of the process on an X server
(Xvfb, started here), found by polling ``xdotool search --onlyvisible --pid`` every 10 ms. A fresh
data folder each run, so the first window is what a new workstation shows (the sign-in dialog after
the encrypted store and its key in the keyring were created); the keyring is a real Secret Service
(gnome-keyring in a private D-Bus session). Cold: before each run the bundle's files (and, for the
baseline, the .venv's and the checkout's) are evicted from the page cache with
``posix_fadvise(DONTNEED)``, file by file; the system's own libraries are not evicted (other work
on this machine shares them). Baseline: ``python main.py`` from the checkout, measured the same way;
with ``--baseline-bundle`` also another build (e.g. of the previous commit, to measure a change to the
start path), interleaved with the others in the same runs.
Needs: xvfb, xdotool, dbus, gnome-keyring (scripts/setup.sh build installs them).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MB = 180.0
BUDGET_START_S = 1.5


def tree_bytes(root: Path) -> int:
    return sum(p.lstat().st_size for p in root.rglob("*") if p.is_file() or p.is_symlink())


def size_report(bundle: Path) -> None:
    internal = bundle / "_internal"
    parts: dict[str, int] = {}
    for p in internal.rglob("*"):
        if p.is_file() and not p.is_symlink():
            rel = p.relative_to(internal).parts
            if rel[0] == "PySide6" and len(rel) > 3:
                key = "/".join(rel[:3])
            else:
                key = rel[0] if len(rel) > 1 else "(top-level libraries)"
            parts[key] = parts.get(key, 0) + p.stat().st_size
    total = tree_bytes(bundle)
    site = Path(next(p for p in sys.path if p.endswith("site-packages")))
    pyside = sum(tree_bytes(site / d) for d in ("PySide6", "shiboken6") if (site / d).exists())
    print(f"bundle: {total / 1e6:.1f} MB in {sum(1 for _ in bundle.rglob('*'))} entries "
          f"(budget {BUDGET_MB:.0f} MB: {'within' if total / 1e6 < BUDGET_MB else 'OVER'})")
    print(f"baseline: PySide6 + shiboken6 installed in .venv: {pyside / 1e6:.1f} MB")
    for key, size in sorted(parts.items(), key=lambda kv: -kv[1])[:12]:
        print(f"  {size / 1e6:7.1f} MB  {key}")


def evict(paths: list[Path]) -> int:
    """Drop these trees' files from the page cache (clean pages only); returns how many files."""
    count = 0
    for root in paths:
        for p in [root] if root.is_file() else root.rglob("*"):
            if p.is_file() and not p.is_symlink():
                try:
                    fd = os.open(p, os.O_RDONLY)
                except OSError:
                    continue
                try:
                    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                    count += 1
                finally:
                    os.close(fd)
    return count


def cpu_s(pid: int) -> float:
    """User + system CPU seconds the process has used so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_window_s(cmd: list[str], env: dict[str, str], timeout_s: float = 90.0) -> tuple[float, float]:
    """Wall seconds from exec to the process's first visible window, and the CPU seconds the process
    used until then (a figure a busy machine stretches far less); the process is then killed."""
    with tempfile.TemporaryDirectory(prefix="rakshak-bench-") as data:
        t0 = time.perf_counter()
        proc = subprocess.Popen([*cmd, "--data-dir", data], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        try:
            while time.perf_counter() - t0 < timeout_s:
                found = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(proc.pid), "--name", "."],
                                       env=env, capture_output=True, text=True)
                if found.stdout.strip():
                    return time.perf_counter() - t0, cpu_s(proc.pid)
                if proc.poll() is not None:
                    raise RuntimeError(f"{cmd[0]} exited {proc.returncode} before a window: "
                                       f"{proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
                time.sleep(0.01)
            raise RuntimeError(f"no window from {cmd[0]} in {timeout_s} s")
        finally:
            proc.kill()
            proc.wait()


def start_report(bundle: Path, runs: int, warm: bool = False, other: Path | None = None) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert xvfb.stdout is not None
        env["DISPLAY"] = ":" + xvfb.stdout.readline().decode().strip()
        frozen = [str(bundle / "rakshak")]
        unbundled = [str(ROOT / ".venv/bin/python"), str(ROOT / "main.py")]
        venv_site = Path(next(p for p in sys.path if p.endswith("site-packages")))
        source = [ROOT / d for d in ("core", "sync", "ui", "resources", "main.py")]
        results: dict[str, list[float]] = {"bundle (frozen)": [], "baseline: python main.py": []}
        if other is not None:
            results[f"baseline bundle {other}"] = []
        cpu: dict[str, list[float]] = {name: [] for name in results}
        for _ in range(runs):  # interleaved, so a busy moment hits all sides alike
            if not warm:
                evict([bundle])
            wall, used = first_window_s(frozen, env)
            results["bundle (frozen)"].append(wall)
            cpu["bundle (frozen)"].append(used)
            if other is not None:
                if not warm:
                    evict([other])
                wall, used = first_window_s([str(other / "rakshak")], env)
                results[f"baseline bundle {other}"].append(wall)
                cpu[f"baseline bundle {other}"].append(used)
            if not warm:
                evict([venv_site, *source])
            wall, used = first_window_s(unbundled, env)
            results["baseline: python main.py"].append(wall)
            cpu["baseline: python main.py"].append(used)
            print("run: " + ", ".join(f"{name} {values[-1]:.2f} s ({cpu[name][-1]:.2f} s CPU)"
                                      for name, values in results.items()), flush=True)
        kind = "warm" if warm else "cold"
        for name, values in results.items():
            print(f"start to first window, {name}: median {statistics.median(values):.2f} s, "
                  f"min {min(values):.2f} s, max {max(values):.2f} s over {len(values)} {kind} runs; "
                  f"CPU used until then: median {statistics.median(cpu[name]):.2f} s")
        median = statistics.median(results["bundle (frozen)"])
        print(f"budget {BUDGET_START_S} s: {'within' if median < BUDGET_START_S else 'OVER'}")
    finally:
        xvfb.kill()
        xvfb.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "build/out/rakshak")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size-only", action="store_true")
    parser.add_argument("--warm", action="store_true", help="do not evict the files from the page cache first")
    parser.add_argument("--baseline-bundle", type=Path, default=None,
                        help="another one-folder build to start in the same runs (e.g. the previous commit's)")
    args = parser.parse_args()
    for bundle in (args.bundle, args.baseline_bundle):
        if bundle is not None and not (bundle / "rakshak").is_file():
            print(f"no bundle in {bundle}: run build/build.sh first", file=sys.stderr)
            return 2
    if os.environ.get("RAKSHAK_BENCH_IN_SESSION"):
        start_report(args.bundle, args.runs, args.warm, args.baseline_bundle)
        return 0
    size_report(args.bundle)
    if args.size_only:
        return 0
    for tool in ("Xvfb", "xdotool", "dbus-run-session", "gnome-keyring-daemon"):
        if shutil.which(tool) is None:
            print(f"{tool} is missing: scripts/setup.sh build installs it", file=sys.stderr)
            return 2
    # Again, inside a private D-Bus session with an unlocked gnome-keyring (the client keeps its store key there).
    inner = ("echo -n bench-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null && "
             'RAKSHAK_BENCH_IN_SESSION=1 exec "$@"')
    return subprocess.call(["dbus-run-session", "--", "sh", "-c", inner, "sh", sys.executable, *sys.argv])


if __name__ == "__main__":
    sys.exit(main())
