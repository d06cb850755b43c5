"""Reads a store's files the way someone holding the key and a copy of the disk would: every page
of the database file and every frame of the WAL, decrypted one by one with AES, never through SQL.

SQLCipher 4 defaults, as the store uses them: 4,096-byte pages, each encrypted on its own with
AES-256-CBC; the last 80 bytes of a page are reserved (a 16-byte IV, then the HMAC-SHA512, not
checked here); page 1 starts with the file's 16-byte salt in plaintext. With a raw key
(``PRAGMA key = "x'HEX'"``) the page key is the raw key itself (no key derivation). The WAL is a
32-byte header and frames of a 24-byte header (page number first, big-endian) and one page
encrypted like the database's. Every frame in the file is read, stale or current: what matters is
what the file holds, not what SQLite would still read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE_SIZE = 4096
RESERVE = 80
IV_SIZE = 16
SALT_SIZE = 16
WAL_HEADER = 32
FRAME_HEADER = 24


def decrypt_page(key: bytes, page: bytes, pgno: int) -> bytes:
    """The plaintext of one encrypted page (without page 1's salt and without the reserve)."""
    assert len(page) == PAGE_SIZE, len(page)
    start = SALT_SIZE if pgno == 1 else 0
    iv = page[PAGE_SIZE - RESERVE : PAGE_SIZE - RESERVE + IV_SIZE]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(page[start : PAGE_SIZE - RESERVE]) + decryptor.finalize()


def database_pages(path: Path, key: bytes) -> Iterator[tuple[str, bytes]]:
    data = path.read_bytes() if path.exists() else b""
    for i in range(len(data) // PAGE_SIZE):
        yield f"{path.name} page {i + 1}", decrypt_page(key, data[i * PAGE_SIZE : (i + 1) * PAGE_SIZE], i + 1)


def wal_frames(path: Path, key: bytes) -> Iterator[tuple[str, bytes]]:
    data = path.read_bytes() if path.exists() else b""
    if len(data) < WAL_HEADER:
        return
    page_size = int.from_bytes(data[8:12], "big")
    assert page_size == PAGE_SIZE, page_size
    offset, frame = WAL_HEADER, 0
    while offset + FRAME_HEADER + PAGE_SIZE <= len(data):
        pgno = int.from_bytes(data[offset : offset + 4], "big")
        page = data[offset + FRAME_HEADER : offset + FRAME_HEADER + PAGE_SIZE]
        frame += 1
        if pgno:  # a frame never written (zeros) has no page number
            yield f"{path.name} frame {frame} (page {pgno})", decrypt_page(key, page, pgno)
        offset += FRAME_HEADER + PAGE_SIZE


def store_plaintexts(db: Path, key: bytes) -> Iterator[tuple[str, bytes]]:
    """Every decrypted page of the database and its WAL, and the raw bytes of every file beside
    (the WAL index, a rollback journal if any: they are never encrypted)."""
    yield from database_pages(db, key)
    yield from wal_frames(Path(f"{db}-wal"), key)
    for suffix in ("-shm", "-journal"):
        other = Path(f"{db}{suffix}")
        if other.exists():
            yield other.name, other.read_bytes()


def find(db: Path, key: bytes, needles: Iterable[str]) -> dict[str, list[str]]:
    """Where each needle (UTF-8) occurs in the decrypted files: {needle: [page or frame, ...]}."""
    wanted = {n: n.encode() for n in needles}
    found: dict[str, list[str]] = {n: [] for n in wanted}
    for where, plain in store_plaintexts(db, key):
        for needle, raw in wanted.items():
            if raw in plain:
                found[needle].append(where)
    return {n: w for n, w in found.items() if w}
