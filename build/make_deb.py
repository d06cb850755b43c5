"""Build Rakshak's Debian packages and the HQ's offline wheel folder, reproducibly.

    python build/make_deb.py console [--bundle build/out/rakshak]   rakshak_VERSION_amd64.deb (the frozen console)
    python build/make_deb.py wheels                                 rakshak-hq-wheels-VERSION/ (offline HQ install)
    python build/make_deb.py hq                                     rakshak-hq_VERSION_all.deb (carries those wheels)
    python build/make_deb.py sums                                   SHA256SUMS over every artefact in the output folder

Artefacts land in build/dist (``--out``). Run with the project's .venv (``build/make_all.sh`` runs every
step). Reproducible: every file's time is ``SOURCE_DATE_EPOCH`` (default: the last commit's time),
owners are root, modes are normalised, and dpkg-deb writes sorted archives; the HQ's wheels are the
exact versions of requirements-lock.txt, each listed with its SHA-256 so the install checks them.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata as md
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEB = ROOT / "build" / "deb"
DEFAULT_OUT = ROOT / "build" / "dist"
# The console's bundle is never extracted anywhere else: the launcher and the .desktop entry point here.
CONSOLE_PREFIX = "opt/rakshak"
HQ_PREFIX = "opt/rakshak-hq"
# What HQ imports beyond its own extra (core/ is shared with the console, but HQ uses only these of
# the console's packages): the roots of the HQ's requirement closure.
HQ_CORE_ROOTS = ("SQLAlchemy", "alembic", "platformdirs")


def version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"])


def source_date_epoch() -> int:
    """SOURCE_DATE_EPOCH if set, else the time of the last commit (so two builds of one commit agree)."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    out = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True, text=True)
    return int(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else 0


def lock_pins() -> dict[str, str]:
    """requirements-lock.txt as {normalised name: version}."""
    pins = {}
    for line in (ROOT / "requirements-lock.txt").read_text().splitlines():
        line = line.split("#", 1)[0].split(";", 1)[0].strip()
        if "==" in line:
            name, ver = line.split("==", 1)
            pins[normalise(name)] = ver.strip()
    return pins


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# Libraries the bundled Python's own extension modules link to (_ssl, _hashlib, _sqlite3, _ctypes,
# _uuid, _bz2), with their Debian 12 packages: like the Qt ones, taken from the system, not bundled.
PYTHON_RUNTIME_PACKAGES = {
    "libssl.so.3": "libssl3",
    "libcrypto.so.3": "libssl3",
    "libsqlite3.so.0": "libsqlite3-0",
    "libffi.so.8": "libffi8",
    "libuuid.so.1": "libuuid1",
    "libbz2.so.1.0": "libbz2-1.0",
}


def system_library_packages() -> dict[str, str]:
    """Every library the console takes from the system rather than its bundle, and its Debian package:
    ui/selfcheck.py's map (what the client's Qt files link to) and PYTHON_RUNTIME_PACKAGES. The spec
    leaves these libraries out of the bundle; the .deb depends on these packages."""
    sys.path.insert(0, str(ROOT))
    from ui.selfcheck import SYSTEM_LIBRARY_PACKAGES

    return {**SYSTEM_LIBRARY_PACKAGES, **PYTHON_RUNTIME_PACKAGES}


def console_depends() -> list[str]:
    """The console's Depends: every Debian package of ui/selfcheck.py's library map (the xcb plugin and
    its integrations, QtMultimedia and PulseAudio's client library, the GL, font and D-Bus libraries)
    and of the Python runtime's libraries."""
    return sorted(set(system_library_packages().values()))


def _requirement_names(dist: md.Distribution, extras: set[str]) -> list[str]:
    from packaging.requirements import Requirement

    names = []
    for raw in dist.requires or []:
        req = Requirement(raw)
        if req.marker is not None and not any(
            req.marker.evaluate({"extra": e}) for e in (extras or {""})
        ):
            continue
        names.append(req.name + (f"[{','.join(sorted(req.extras))}]" if req.extras else ""))
    return names


def hq_requirements() -> dict[str, str]:
    """The HQ's installed closure, {name: version}: its extra's packages and HQ_CORE_ROOTS with every
    dependency they have here, each pinned to its requirements-lock.txt version (ValueError otherwise)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    roots = [*project["optional-dependencies"]["hq"], *HQ_CORE_ROOTS]
    pins = lock_pins()
    seen: dict[str, str] = {}
    todo = [re.split(r"[=<>!~ ;]", r, maxsplit=1)[0] for r in roots]
    while todo:
        spec = todo.pop()
        name, _, extra_part = spec.partition("[")
        extras = set(extra_part.rstrip("]").split(",")) - {""}
        dist = md.distribution(name)
        key = normalise(dist.metadata["Name"])
        if key in seen and not extras:
            continue
        if pins.get(key) != dist.version:
            raise ValueError(f"{key} {dist.version} is installed but requirements-lock.txt pins {pins.get(key)}")
        seen[key] = dist.version
        todo.extend(_requirement_names(dist, extras))
    return dict(sorted(seen.items()))


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _normalise_tree(tree: Path, epoch: int) -> None:
    """Modes 0755 (folders, executables) or 0644, every time set to ``epoch``: the archive then depends
    only on the content."""
    for path in sorted(tree.rglob("*"), reverse=True):
        if path.is_symlink():
            os.utime(path, (epoch, epoch), follow_symlinks=False)
            continue
        mode = 0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644
        os.chmod(path, mode)
        os.utime(path, (epoch, epoch))
    os.chmod(tree, 0o755)
    os.utime(tree, (epoch, epoch))


def _installed_size_kib(tree: Path) -> int:
    return sum(-(-p.stat().st_size // 1024) for p in tree.rglob("*") if p.is_file() and not p.is_symlink()) + 1


def _dpkg_deb(tree: Path, out: Path, epoch: int) -> Path:
    _normalise_tree(tree, epoch)
    os.chmod(tree / "DEBIAN", 0o755)
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(tree), str(out)], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    return out


def _control(template: Path, tree: Path, **values: str) -> str:
    text = template.read_text()
    values.setdefault("INSTALLED_SIZE", str(_installed_size_kib(tree)))
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    if "@" in re.sub(r"<[^>]*>", "", text):
        raise ValueError(f"{template}: a placeholder is left: {text}")
    return text


def _arch() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()


def render_console_control(installed_size_kib: int = 0) -> str:
    """The console package's control file (the tests read the Depends line from it)."""
    text = (DEB / "console" / "control.in").read_text()
    for key, value in {"VERSION": version(), "ARCH": "amd64", "INSTALLED_SIZE": str(installed_size_kib),
                       "DEPENDS": ", ".join(console_depends())}.items():
        text = text.replace(f"@{key}@", value)
    return text


def build_console(bundle: Path, out_dir: Path, epoch: int) -> Path:
    if not (bundle / "rakshak").is_file():
        raise SystemExit(f"no frozen console in {bundle}: run build/build.sh first")
    tree = out_dir / "pkg-console"
    shutil.rmtree(tree, ignore_errors=True)
    src = DEB / "console"
    shutil.copytree(bundle, tree / CONSOLE_PREFIX, symlinks=True)
    _install(src / "rakshak.sh", tree / "usr/bin/rakshak", 0o755)
    _install(src / "rakshak.desktop", tree / "usr/share/applications/rakshak.desktop")
    _install(src / "rakshak.svg", tree / "usr/share/icons/hicolor/scalable/apps/rakshak.svg")
    _install(src / "policy.json", tree / "etc/rakshak/policy.json")
    _install(src / "copyright", tree / "usr/share/doc/rakshak/copyright")
    (tree / "DEBIAN").mkdir()
    control = render_console_control(_installed_size_kib(tree)).replace("amd64", _arch(), 1)
    (tree / "DEBIAN/control").write_text(control)
    (tree / "DEBIAN/conffiles").write_text("/etc/rakshak/policy.json\n")
    deb = _dpkg_deb(tree, out_dir / f"rakshak_{version()}_{_arch()}.deb", epoch)
    shutil.rmtree(tree)
    return deb


def _install(src: Path, dst: Path, mode: int = 0o644) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    os.chmod(dst, mode)


def build_wheels(out_dir: Path, epoch: int) -> Path:
    """rakshak-hq-wheels-VERSION/: a wheel of every HQ requirement at its locked version, the project's
    own wheel, requirements.txt (those, each with its SHA-256, for ``pip install --no-index
    --require-hashes``) and requirements-lock.txt."""
    folder = out_dir / f"rakshak-hq-wheels-{version()}"
    shutil.rmtree(folder, ignore_errors=True)
    wheels = folder / "wheels"
    wheels.mkdir(parents=True)
    reqs = hq_requirements()
    pinned = folder / "pins.txt"
    pinned.write_text("".join(f"{name}=={ver}\n" for name, ver in reqs.items()))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "download", "--no-deps", "--only-binary=:all:", "-d", str(wheels), "-r", str(pinned)],
                   check=True)
    # The project's wheel from the committed tree, built with the setuptools the lock pins.
    src = out_dir / "wheel-src"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", "HEAD"], capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "PIP_CONSTRAINT": str(ROOT / "requirements-lock.txt")}
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(src)], check=True, env=env)
    pinned.unlink()
    shutil.rmtree(src)
    lines = []
    by_name = {normalise(w.name.split("-")[0]): w for w in wheels.glob("*.whl")}
    for name, ver in [*reqs.items(), ("rakshak", version())]:
        wheel = by_name[name]
        lines.append(f"{name}=={ver} --hash=sha256:{sha256(wheel)}\n")
    (folder / "requirements.txt").write_text("".join(lines))
    shutil.copyfile(ROOT / "requirements-lock.txt", folder / "requirements-lock.txt")
    _normalise_tree(folder, epoch)
    return folder


def build_hq(out_dir: Path, epoch: int) -> Path:
    wheels = out_dir / f"rakshak-hq-wheels-{version()}"
    if not (wheels / "requirements.txt").is_file():
        wheels = build_wheels(out_dir, epoch)
    tree = out_dir / "pkg-hq"
    shutil.rmtree(tree, ignore_errors=True)
    src = DEB / "hq"
    shutil.copytree(wheels / "wheels", tree / HQ_PREFIX / "wheels")
    _install(wheels / "requirements.txt", tree / HQ_PREFIX / "requirements.txt")
    _install(wheels / "requirements-lock.txt", tree / HQ_PREFIX / "requirements-lock.txt")
    _install(src / "rakshak-hq", tree / "usr/bin/rakshak-hq", 0o755)
    _install(src / "rakshak-hq.service", tree / "lib/systemd/system/rakshak-hq.service")
    _install(src / "rakshak-hq-tipline-relay.service", tree / "lib/systemd/system/rakshak-hq-tipline-relay.service")
    _install(src / "hq.env", tree / "etc/rakshak-hq/hq.env")
    _install(src / "copyright", tree / "usr/share/doc/rakshak-hq/copyright")
    _install(ROOT / "docs/DEPLOY.md", tree / "usr/share/doc/rakshak-hq/DEPLOY.md")
    (tree / "DEBIAN").mkdir()
    for script in ("postinst", "prerm", "postrm"):
        _install(src / script, tree / "DEBIAN" / script, 0o755)
    (tree / "DEBIAN/control").write_text(
        _control(src / "control.in", tree, VERSION=version(), ARCH=_arch())
    )
    (tree / "DEBIAN/conffiles").write_text("/etc/rakshak-hq/hq.env\n")
    deb = _dpkg_deb(tree, out_dir / f"rakshak-hq_{version()}_{_arch()}.deb", epoch)
    shutil.rmtree(tree)
    return deb


def write_sums(out_dir: Path) -> Path:
    """SHA256SUMS (``sha256sum -c`` format) of every .deb, .exe and wheel-folder file in ``out_dir``."""
    files = sorted(
        p for p in out_dir.rglob("*")
        if p.is_file() and p.name != "SHA256SUMS" and "pkg-" not in p.parts[len(out_dir.parts)]
    )
    sums = out_dir / "SHA256SUMS"
    sums.write_text("".join(f"{sha256(p)}  {p.relative_to(out_dir)}\n" for p in files))
    return sums


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("what", choices=["console", "wheels", "hq", "sums"])
    parser.add_argument("--bundle", type=Path, default=ROOT / "build/out/rakshak")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    epoch = source_date_epoch()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    if args.what == "console":
        result = build_console(args.bundle.resolve(), out, epoch)
    elif args.what == "wheels":
        result = build_wheels(out, epoch)
    elif args.what == "hq":
        result = build_hq(out, epoch)
    else:
        result = write_sums(out)
    print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
