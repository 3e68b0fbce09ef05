"""The folder `idsl serve` works in: which spec files it may read and write, and saving without losing text."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from idsl.io.files import write_atomic

SUFFIX = ".idsl"
MAX_SPEC_BYTES = 4 * 1024 * 1024  # a spec larger than this is not opened (the largest seed is ≈ 40 KB)
MAX_FILES = 2000  # files listed; a folder with more is cut (the page says so)
MAX_DEPTH = 6  # sub-folders searched below DIR


class WorkspaceError(Exception):
    """A request the workspace refuses; `status` is the HTTP status that says why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def text_hash(text: str) -> str:
    """The hash the page sends back on save, to tell whether the file changed meanwhile.

    >>> text_hash("")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Workspace:
    """The spec files under one folder; every path is given relative to it and checked."""

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root).resolve()

    def resolve(self, name: object) -> Path:
        """The file a relative name means, refused (403) when it leaves the folder or is not a spec."""
        if not isinstance(name, str) or not name.strip():
            raise WorkspaceError(400, "缺少文件名（path）。")
        if "\x00" in name or len(name) > 1000:
            raise WorkspaceError(400, "文件名不合法。")
        relative = Path(name.replace("\\", "/"))
        if relative.is_absolute() or ".." in relative.parts:
            raise WorkspaceError(403, f"“{name}”不在工作目录内，不能读写。")
        target = (self.root / relative).resolve()
        if target != self.root and self.root not in target.parents:  # a symbolic link pointing out
            raise WorkspaceError(403, f"“{name}”不在工作目录内，不能读写。")
        if target.suffix != SUFFIX:
            raise WorkspaceError(403, f"只能打开和保存 {SUFFIX} 文件：“{name}”。")
        return target

    def relative(self, path: str | os.PathLike[str]) -> str:
        """A path as the page shows it: relative to the folder when it is inside."""
        resolved = Path(path).resolve()
        try:
            return resolved.relative_to(self.root).as_posix()
        except ValueError:
            return Path(path).as_posix()

    def files(self) -> tuple[list[str], bool]:
        """The spec files under the folder (sorted), and whether the list was cut at MAX_FILES."""
        found: list[str] = []
        for folder, subfolders, names in os.walk(self.root):
            depth = len(Path(folder).relative_to(self.root).parts)
            subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and depth < MAX_DEPTH)
            for name in sorted(names):
                if name.endswith(SUFFIX):
                    found.append(self.relative(Path(folder) / name))
                    if len(found) >= MAX_FILES:
                        return sorted(found), True
        return sorted(found), False

    def read(self, name: object) -> tuple[str, str]:
        """A spec's text (newlines as \\n) and its hash; 404 when it does not exist."""
        target = self.resolve(name)
        if not target.is_file():
            raise WorkspaceError(404, f"没有这个文件：“{name}”。")
        if target.stat().st_size > MAX_SPEC_BYTES:
            raise WorkspaceError(413, f"“{name}”太大（超过 {MAX_SPEC_BYTES // 1024 // 1024} MB），不能在这里打开。")
        raw = target.read_bytes()
        try:
            text = _lf(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as err:
            raise WorkspaceError(422, f"“{name}”不是 UTF-8 文本（{err.reason}）。") from err
        return text, text_hash(text)

    def save(self, name: object, text: object, expected: object) -> str:
        """Write a spec atomically and return its new hash.

        `expected` is the hash of the text the page opened (None for a new file). The save is
        refused (409) when the file on disk is no longer that text: writing would lose what someone
        else wrote meanwhile. The file keeps its own line ends: the page edits with \\n, a CRLF file is
        written back with CRLF.
        """
        target = self.resolve(name)
        if not isinstance(text, str):
            raise WorkspaceError(400, "缺少要保存的文本（text）。")
        if len(text.encode("utf-8")) > MAX_SPEC_BYTES:
            raise WorkspaceError(413, "文本太大，不能保存。")
        if expected is not None and not isinstance(expected, str):
            raise WorkspaceError(400, "hash 应是打开时得到的字符串，新文件写 null。")
        current = self._current_hash(target)
        if expected is None and current is not None:
            raise WorkspaceError(409, f"“{name}”已经存在，没有覆盖。请先打开它再编辑。")
        if expected is not None and current != expected:
            what = "已被删除" if current is None else "在磁盘上已被修改"
            raise WorkspaceError(409, f"“{name}”{what}（在你打开之后），为免丢失内容，没有保存。"
                                      "请把你的修改另存为新文件，或重新打开后再改。")
        if not target.parent.is_dir():
            raise WorkspaceError(404, f"文件夹不存在：“{self.relative(target.parent)}”。")
        text = _lf(text)
        write_atomic(target, text.replace("\n", _line_end(target)).encode("utf-8"))
        return text_hash(text)

    def _current_hash(self, target: Path) -> str | None:
        if not target.exists():
            return None
        try:
            return text_hash(_lf(target.read_bytes().decode("utf-8-sig")))
        except UnicodeDecodeError:
            return "（不是 UTF-8）"


def _lf(text: str) -> str:
    """Text with every line end as \\n, as the page edits it."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _line_end(target: Path) -> str:
    """The line end a saved file keeps: its own first one (a Windows author's file stays CRLF), \\n for a new file."""
    raw = target.read_bytes() if target.is_file() else b""
    first = raw.find(b"\n")
    return "\r\n" if first > 0 and raw[first - 1:first] == b"\r" else "\n"
