"""The compiled spec: a Plan as canonical JSON, and back.

    {"idsl_compiled": 1,
     "fingerprint": "<sha256 of the canonical JSON of the plan, files named by their sha256>",
     "sources": {"specs/001_….idsl": "<sha256 of the source text>"},
     "plan": {"$type": "Plan", …}}

Canonical JSON: keys sorted, UTF-8 kept (ensure_ascii=False), no insignificant whitespace in
what is hashed, Decimals written as strings, every attrs object tagged with its class name in
"$type" so decoding rebuilds exactly the same objects. The fingerprint hashes the plan with each
source file named by the SHA-256 of its text instead of by its path, so it does not depend on how
the spec's path was typed or where its files are. A compiled file is recognised by its content (a
JSON object), not by its name. The schema is documented in docs/compiled-schema.md.
"""

from __future__ import annotations

import json
import os
import types
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator, Union

import attrs

from idsl.frontend import ast, source
from idsl.semantics import model
from idsl.semantics.identity import (TYPE_KEY, _sha256, canonical_json, identity_data, plan_data,  # noqa: F401
                                     plan_fingerprint, to_data)
from idsl.semantics.domains import MAX_LEVELS, MAX_NESTING, number_problem, places_problem, points_problem

SCHEMA_VERSION = 1
# The deepest JSON a plan may nest: a spec nested MAX_NESTING deep writes about 45 more levels; the
# engines recurse once per level and fail a little beyond twice that.
MAX_DEPTH = MAX_NESTING + 60
# The largest compiled file read: a spec of the largest size read (8 MB, idsl.frontend.source) compiles to
# about 26 times its size (a 20,000-leaf spec of 3.9 MB to 104 MB). Checked before the file is parsed.
MAX_BYTES = 256 * 2**20

# Every class that may appear in a plan, by the name written in "$type". A class counts where it is
# defined; `ast` gathers the classes its parts define (ast_exprs, ast_rules, ast_spec), hence the prefix.
_CLASSES: dict[str, type] = {}
for _module in (ast, model, source):
    for _name, _cls in vars(_module).items():
        if isinstance(_cls, type) and attrs.has(_cls) and _cls.__module__.startswith(_module.__name__) and not _name.startswith("_"):
            _CLASSES[_name] = _cls


class CompiledError(Exception):
    """A compiled file that cannot be used: unknown schema version, edited by hand, or malformed."""


# ---------------------------------------------------------------- encoding (idsl.semantics.identity)


def dumps(plan: model.Plan) -> str:
    """The compiled file's text: readable (indented), keys sorted, ending in a newline."""
    document = {
        "idsl_compiled": SCHEMA_VERSION,
        "fingerprint": plan.fingerprint,
        "sources": dict(sorted(plan.source_hashes.items())),
        "plan": plan_data(plan),
    }
    return json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1) + "\n"


# ---------------------------------------------------------------- decoding


def loads(text: str, origin: str = "<compiled>") -> model.Plan:
    """The Plan of a compiled file's text; refuses unknown versions and hand-edited files."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise CompiledError(f"{origin}：不是 idsl 编译文件（第 {err.lineno} 行不是有效的 JSON：{err.msg}）") from None
    except RecursionError:
        raise CompiledError(f"{origin}：不是 idsl 编译文件（JSON 嵌套太深）") from None
    if not isinstance(document, dict) or "idsl_compiled" not in document:
        raise CompiledError(f"{origin}：不是 idsl 编译文件（没有 \"idsl_compiled\" 键）")
    version = document["idsl_compiled"]
    if version != SCHEMA_VERSION:
        raise CompiledError(
            f"{origin}：编译文件的格式版本 {version!r} 不受支持（此版本 idsl 读取版本 {SCHEMA_VERSION}）；"
            f"请用此版本 idsl 重新编译体系。")
    if _depth(document) > MAX_DEPTH:
        raise CompiledError(f"{origin}：编译文件嵌套超过 {MAX_DEPTH} 层，不是 idsl 写出的；请从体系文件重新编译。")
    data = document.get("plan")
    recorded = document.get("fingerprint")
    if not isinstance(data, dict) or not isinstance(recorded, str):
        raise CompiledError(f"{origin}：编译文件缺少体系内容或指纹")
    actual = _sha256(identity_data(data))
    if actual != recorded and _sha256(data) != recorded:  # the second: files compiled before paths were left out
        raise CompiledError(
            f"{origin}：体系内容与指纹不符（记录的 {recorded[:12]}…，算出的 {actual[:12]}…）：文件在编译后被改过。"
            f"请重新编译体系；不要手工修改编译文件。")
    if document.get("sources") != data.get("source_hashes"):
        raise CompiledError(f"{origin}：\"sources\" 中的哈希与体系内容不符：文件被手工改过；请重新编译体系。")
    try:
        plan = from_data(data, model.Plan)
    except (KeyError, TypeError, ValueError, ArithmeticError) as err:
        raise CompiledError(f"{origin}：编译文件的体系内容有误（{err}）；请重新编译体系。") from None
    except RecursionError:
        raise CompiledError(f"{origin}：编译文件嵌套太深，不是 idsl 写出的；请重新编译体系。") from None
    problem = plan_problem(plan)
    if problem is not None:  # the fingerprint proves no origin: a crafted file is checked as a spec is
        raise CompiledError(f"{origin}：{problem.rstrip('。')}；请从体系文件重新编译。")
    return attrs.evolve(plan, fingerprint=recorded)


def plan_problem(plan: model.Plan) -> str | None:
    """Why a plan read from a file holds what no checked spec can (小数 1000000000 位, 1e999999999,
    points finer than the places), else None: the same limits as the parser and the checker."""
    problem = places_problem(plan.places) if isinstance(plan.places, int) else "小数位数不是整数"
    if problem is not None:
        return f"编译文件的{problem}"
    for value in _decimals(plan):
        problem = number_problem(value)
        if problem is not None:
            return f"编译文件中的数 {value:.6g} 超出范围：{problem}"
    for node in plan.walk():
        problem = points_problem(node.points, plan.places)
        if node.level > MAX_LEVELS:
            problem = f"指标层级超过 {MAX_LEVELS} 级"
        if problem is not None:
            return f"编译文件中“{node.name}”的{problem}"
    return None


def _depth(data: Any) -> int:
    """How deep JSON data nests, found without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _decimals(value: Any) -> Iterator[Decimal]:
    """Every Decimal in a plan, found without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Decimal):
            yield item
        elif attrs.has(type(item)):
            stack.extend(getattr(item, field.name) for field in attrs.fields(type(item)))
        elif isinstance(item, (tuple, list)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())


def load(path: str | Path) -> model.Plan:
    """Read a compiled file: at most MAX_BYTES, UTF-8 (CompiledError otherwise, before anything is parsed)."""
    with open(path, "rb") as stream:
        size = os.fstat(stream.fileno()).st_size  # a regular file's size, known before a byte is read
        data = stream.read(MAX_BYTES + 1) if size <= MAX_BYTES else b""
    if size > MAX_BYTES or len(data) > MAX_BYTES:
        raise CompiledError(f"{path}：编译文件超过 {MAX_BYTES // 2**20} MB，不是 idsl 写出的"
                            f"（最大的体系文件编译后约 {MAX_BYTES * 5 // 6 // 2**20} MB）；请从体系文件重新编译。")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise CompiledError(f"{path}：不是 idsl 编译文件（第 {err.start} 个字节不是 UTF-8）") from None
    return loads(text, str(path))


def is_compiled(path: str | Path) -> bool:
    """Whether a file holds a compiled spec rather than a spec's source, judged by its first characters.

    A compiled file is a JSON object, whatever its name (x.compiled.json, x.compiled, x.json); a spec's
    source starts with a keyword, a name or a comment, never with "{". A file named .json that is not
    a JSON object is neither: CompiledError says so. Raises OSError when the file cannot be read.
    """
    with open(path, "rb") as stream:
        head = stream.read(256).decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if head.startswith("{"):
        return True
    if Path(path).suffix.lower() == ".json":
        raise CompiledError(f"{path}：既不是 idsl 编译文件（编译文件是一个 JSON 对象），也不是体系文件（.idsl）")
    return False


def from_data(data: Any, hint: Any = Any) -> Any:
    """Rebuild a value from its JSON data, guided by the type hint of the field it fills."""
    if isinstance(data, dict) and TYPE_KEY in data:
        return _from_tagged(data)
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (Union, types.UnionType):
        if data is None:
            return None
        if isinstance(data, str) and Decimal in args:
            return Decimal(data)
        return from_data(data, next((a for a in args if a is not type(None) and _accepts(a, data)), Any))
    if hint is Decimal:
        if not isinstance(data, str):
            raise TypeError(f"expected a decimal string, got {data!r}")
        return Decimal(data)
    if origin is tuple:
        if not isinstance(data, list):
            raise TypeError(f"expected a list, got {type(data).__name__}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_data(item, args[0]) for item in data)
        if args:
            return tuple(from_data(item, arg) for item, arg in zip(data, args, strict=True))
        return tuple(from_data(item) for item in data)
    if origin is dict:
        value_hint = args[1] if args else Any
        return {k: from_data(v, value_hint) for k, v in data.items()}
    if isinstance(data, list):
        return tuple(from_data(item) for item in data)
    return data


def _accepts(hint: Any, data: Any) -> bool:
    """Whether a member of a Union can hold this JSON value."""
    origin = typing.get_origin(hint) or hint
    if origin is tuple:
        return isinstance(data, list)
    if origin is dict:
        return isinstance(data, dict)
    if hint is Decimal:
        return isinstance(data, str)
    if hint in (str, bool, int):
        return type(data) is hint
    if isinstance(hint, type) and attrs.has(hint):
        return isinstance(data, dict)
    return True


def _from_tagged(data: dict) -> Any:
    name = data[TYPE_KEY]
    cls = _CLASSES.get(name)
    if cls is None:
        raise ValueError(f"unknown object type {name!r}")
    hints = _hints(cls)
    kwargs = {}
    for field in attrs.fields(cls):
        if field.name not in data:
            continue  # a field added later with a default
        kwargs[field.name] = from_data(data[field.name], hints.get(field.name, Any))
    unknown = set(data) - {TYPE_KEY} - {f.name for f in attrs.fields(cls)}
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)} in {name}")
    return cls(**kwargs)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        namespace = {**vars(ast), **vars(model), **vars(source), "Decimal": Decimal}
        _HINTS[cls] = typing.get_type_hints(cls, globalns=namespace)
    return _HINTS[cls]


__all__ = [
    "CompiledError",
    "SCHEMA_VERSION",
    "canonical_json",
    "dumps",
    "from_data",
    "identity_data",
    "is_compiled",
    "load",
    "loads",
    "plan_data",
    "plan_fingerprint",
    "to_data",
]
