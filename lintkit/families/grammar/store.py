"""The grammar family's per-paragraph cache: one SQLite database per cache folder
(``<cache>/grammar/paragraphs.sqlite3``), one row per paragraph.

Before, every paragraph was a file of its own (``<cache>/grammar/xx/<sha256>.json``):
four system calls to write one, an ``open`` to miss one, and each of them handed the
interpreter to the sixteen request threads and back. On the first 60 RFCs (2,252
paragraphs) that cost 0.4-1.3 s of system CPU, on the two cores the local LanguageTool
server needs. Here a document's look-ups are one query and its new answers one
transaction.

It is a cache: every SQLite error counts as a miss (reading) or is skipped (writing),
so a read-only, locked or full cache folder costs speed, never findings. A file that is
not a database (truncated, overwritten) is removed and made again once per process.
Several processes may share it (the CLI, the language server, pre-commit): the database
is in WAL mode where the file system allows it, and waits up to two seconds for another
writer."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger("lintkit.grammar")

SCHEMA = 1  # PRAGMA user_version of the database; another value: the table is made again
FILE = "paragraphs.sqlite3"
_CHUNK = 500  # keys per query (SQLite's oldest limit on parameters is 999)


class ParagraphStore:
    """Cached LanguageTool answers (JSON bytes) by key (a SHA-256 digest), in ``folder``."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.path = os.path.join(folder, FILE)
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._rebuilt = False  # a broken database file was replaced already (this process)

    # Reading and writing -------------------------------------------------------------

    def get_many(self, keys: list[bytes]) -> dict[bytes, bytes]:
        """The cached answers of those ``keys`` that have one."""
        found: dict[bytes, bytes] = {}
        if not keys:
            return found
        with self._lock:
            db = self._open(create=False)
            if db is None:
                return found
            try:
                for i in range(0, len(keys), _CHUNK):
                    part = keys[i:i + _CHUNK]
                    rows = db.execute(f"SELECT key, data FROM entries WHERE key IN ({','.join('?' * len(part))})",
                                      part)
                    found.update(rows)
            except sqlite3.Error as exc:
                self._failed(exc)
        return found

    def put_many(self, items: list[tuple[bytes, bytes]]) -> None:
        """Store answers by key, in one transaction (replacing what a key had)."""
        if not items:
            return
        with self._lock:
            db = self._open(create=True)
            if db is None:
                return
            try:
                with _transaction(db):
                    db.executemany("INSERT OR REPLACE INTO entries (key, data) VALUES (?, ?)", items)
            except sqlite3.Error as exc:
                self._failed(exc)

    # The database ----------------------------------------------------------------------

    def _open(self, create: bool) -> sqlite3.Connection | None:
        """The connection of this process, opened on first use; None when there is no
        database yet (and ``create`` is false) or it cannot be used."""
        if self._db is not None:
            return self._db
        if not create and not os.path.exists(self.path):
            return None
        try:
            os.makedirs(self.folder, mode=0o700, exist_ok=True)
            remove_old_entries(self.folder)
            # The entries hold the user's text, as the files did: owner-only (SQLite gives
            # its -wal and -shm files the mode of the database file).
            os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
            db = sqlite3.connect(self.path, timeout=2.0, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error):
            return None
        try:
            self._prepare(db)
        except sqlite3.Error as exc:
            db.close()
            if not self._broken_once(exc):
                return None
            _remove(self.path)
            return self._open(create)
        self._db = db
        return db

    @staticmethod
    def _prepare(db: sqlite3.Connection) -> None:
        db.execute("PRAGMA journal_mode=WAL")  # stays in its old mode where WAL is not possible
        db.execute("PRAGMA synchronous=NORMAL")  # with WAL: no fsync per transaction, never corrupt
        if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA:
            return
        with _transaction(db):  # (asked again inside: another process may have made it meanwhile)
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
                db.execute("DROP TABLE IF EXISTS entries")
                db.execute("CREATE TABLE entries (key BLOB PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID")
                db.execute(f"PRAGMA user_version={SCHEMA}")

    def _failed(self, exc: sqlite3.Error) -> None:
        """After an error in a query: a broken file is made again on the next use."""
        if self._db is not None and self._broken_once(exc):
            self._db.close()
            self._db = None
            _remove(self.path)

    def _broken_once(self, exc: sqlite3.Error) -> bool:
        """Does ``exc`` say the file is not a (whole) database, for the first time in this
        process? Then the caller removes it, to be made again; a second time, the store
        stays unused (a file that keeps breaking is not fought over)."""
        if self._rebuilt or not isinstance(exc, sqlite3.DatabaseError):
            return False
        text = str(exc).lower()
        self._rebuilt = "not a database" in text or "malformed" in text
        return self._rebuilt


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction (the connection is in autocommit mode otherwise)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


_HEX = frozenset("0123456789abcdef")
OLD_LAYOUT_BUDGET = 0.2  # seconds a process spends removing entries of the old layout


def remove_old_entries(folder: str, budget: float = OLD_LAYOUT_BUDGET) -> int:
    """Remove the entries of the earlier layout, one file per paragraph
    (``<folder>/xx/<64 hex digits>.json``, and temp files of writes cut short), and their
    folders once empty. Only names of those shapes are touched. Called whenever a process
    opens the database; it stops after ``budget`` seconds (a file takes ~0.1 ms to remove
    here, and a big old cache 18 s), so a large old cache goes over a few runs instead of
    stalling one. Returns the number of files removed."""
    removed = 0
    stop = time.perf_counter() + budget
    try:
        subs = [e for e in os.scandir(folder) if len(e.name) == 2 and _HEX.issuperset(e.name) and e.is_dir()]
    except OSError:
        return 0
    for sub in subs:
        try:
            with os.scandir(sub.path) as entries:
                for e in entries:
                    n = e.name
                    if time.perf_counter() > stop:
                        break
                    if (len(n) == 69 and n.endswith(".json") and n.startswith(sub.name) and _HEX.issuperset(n[:64])) \
                            or (n.startswith(f".{sub.name}") and n.endswith(".lintkit-tmp")):  # a write cut short
                        try:
                            os.unlink(e.path)
                            removed += 1
                        except OSError:
                            pass
            os.rmdir(sub.path)  # fails, harmlessly, if something else is in it
        except OSError:
            pass
        if time.perf_counter() > stop:
            break
    if removed:
        log.debug("removed %d cache entries of the earlier one-file-per-paragraph layout from %s", removed, folder)
    return removed


def _remove(path: str) -> None:
    for p in (path, path + "-wal", path + "-shm"):
        try:
            os.unlink(p)
        except OSError:
            pass


_STORES: dict[str, ParagraphStore] = {}
# Connections a forked child inherited: kept, never used or closed there (SQLite: a
# connection must not be carried across fork(), and closing it counts).
_INHERITED: list[sqlite3.Connection] = []


def _forget_after_fork() -> None:
    """In a forked child (a --jobs worker), every store starts again with its own
    connection and lock, as the grammar family's pools and clients do (its
    ``_forget_after_fork``)."""
    _INHERITED.extend(st._db for st in _STORES.values() if st._db is not None)
    _STORES.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


def store_in(folder: str) -> ParagraphStore:
    """The store of a cache folder (one per folder and process)."""
    s = _STORES.get(folder)
    if s is None:
        s = _STORES[folder] = ParagraphStore(folder)
    return s
