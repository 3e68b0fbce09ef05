"""A cache on disk of parsed sources (and of check results), so that unchanged files are not parsed again.

Each entry is named by what it is about (a file's path, and for check results the working directory)
and holds everything its value was computed from: the texts read and a stamp of the code that
computed it (idsl's files and the lark, attrs and rich installed). An entry is used only when all of
these are still the same, so a hit gives exactly what computing afresh would give. The cache lives in
$XDG_CACHE_HOME/idsl (by default ~/.cache/idsl); IDSL_NO_CACHE=1 switches it off, and a folder that
cannot be written is passed over silently.
"""

from __future__ import annotations

import os
import pickle
import sys
import zlib
from importlib.util import find_spec
from pathlib import Path

from idsl.frontend.source import Source

LIMIT = 256  # entries kept in each folder; the ones used longest ago are removed first
_PACKAGE = Path(__file__).resolve().parent.parent
_stamp: tuple | None = None


def parse_cached(source: Source, units: frozenset[str] = frozenset(), names: frozenset[str] = frozenset()):
    """What `idsl.frontend.parse.parse` returns for `source` (its imports declaring `units` and `names`), from the
    cache when it holds this text read with these units and names."""
    entry = entry_path("parsed", source.path)
    identity = (code_stamp(), source.path, source.text, tuple(sorted(units)), tuple(sorted(names)))
    found = read_entry(entry, identity)
    if found is not None:
        return found
    from idsl.frontend.parse import parse  # the parser (and lark) is imported only on a miss

    result = parse(source, units, names)
    write_entry(entry, identity, result)
    return result


def entry_path(kind: str, *names: str) -> Path | None:
    """The file an entry about `names` is kept in, or None when caching is switched off."""
    folder = _cache_root()
    if folder is None:
        return None
    name = "\0".join(names).encode("utf-8", "surrogatepass")
    return folder / kind / f"{zlib.crc32(name):08x}{zlib.adler32(name):08x}.pickle"


def _cache_root() -> Path | None:
    if os.environ.get("IDSL_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "idsl"


def code_stamp() -> tuple:
    """Size and modification time of every file of idsl and of the libraries a result depends on."""
    global _stamp
    if _stamp is None:
        files = sorted(_files(_PACKAGE, (".py", ".lark"))) + [_PACKAGE.parent / "grammar" / "idsl.lark"]
        _stamp = (sys.version, tuple(_file_stamp(path) for path in files),
                  tuple(_library_stamp(name) for name in ("lark", "attr", "rich")))
    return _stamp


def _files(folder: Path, suffixes: tuple[str, ...]):
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
            yield from _files(Path(entry.path), suffixes)
        elif entry.name.endswith(suffixes):
            yield Path(entry.path)


def _file_stamp(path: Path) -> tuple:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), None)
    return (str(path), stat.st_size, stat.st_mtime_ns)


def _library_stamp(name: str) -> tuple:
    """Where a library is installed and when its files were written, without importing it."""
    module = sys.modules.get(name)
    origin = getattr(module, "__file__", None)
    if origin is None:
        try:
            origin = find_spec(name).origin
        except (ImportError, AttributeError, ValueError):
            return (name, None)
    return _file_stamp(Path(origin))


def read_entry(entry: Path | None, identity: tuple):
    """The value stored for `identity`, or None when the entry is absent, unreadable or about other inputs."""
    if entry is None:
        return None
    try:
        with open(entry, "rb") as stream:
            if pickle.load(stream) != identity:
                return None
            found = pickle.load(stream)
        os.utime(entry)  # recently used entries are the last to be removed
    except Exception:  # noqa: BLE001 - a missing, corrupt or stale entry only costs the computation
        return None
    return found


def write_entry(entry: Path | None, identity: tuple, value) -> None:
    """Store a value with what it was computed from; written to a temporary file and renamed, so
    readers never see half of it."""
    if entry is None:
        return
    import tempfile  # imported on a miss only: a check answered from the cache writes nothing

    try:
        data = pickle.dumps(identity, protocol=pickle.HIGHEST_PROTOCOL)
        data += pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=entry.parent)
    except (OSError, pickle.PicklingError, RecursionError):
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, entry)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        return
    _prune(entry.parent)


def _prune(folder: Path) -> None:
    """Keep the LIMIT entries used last."""
    entries = list(folder.glob("*.pickle"))
    if len(entries) <= LIMIT:
        return
    entries.sort(key=_modified)
    for old in entries[: len(entries) - LIMIT]:
        try:
            old.unlink()
        except OSError:
            pass


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
