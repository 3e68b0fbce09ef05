"""A plan's identity: its canonical JSON data (attrs objects tagged with their class) and its SHA-256 fingerprint.

The compiled format (idsl.io.compiled) writes this data; it lives here, below the file format, so that
a plan (idsl.semantics.model) can compute its own fingerprint. Nothing here imports the model.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

import attrs

TYPE_KEY = "$type"


def to_data(value: Any) -> Any:
    """Plain JSON data for a value: attrs objects tagged with "$type", Decimals as strings.

    >>> from idsl.frontend import ast
    >>> to_data(ast.Num(Decimal("80"), percent=True))
    {'$type': 'Num', 'percent': True, 'span': {'$type': 'Span', 'column': 0, 'end_column': 0, 'end_line': 0, 'file': '<none>', 'line': 0}, 'unit': None, 'value': '80'}
    """
    if attrs.has(type(value)):
        data = {TYPE_KEY: type(value).__name__}
        for field in attrs.fields(type(value)):
            if field.name.startswith("_"):  # a value derived from the others and cached (the fingerprint)
                continue
            if field.metadata.get("written"):  # the author's wording of the same meaning: only `idsl fmt` uses it
                continue
            if field.metadata.get("omit_default") and getattr(value, field.name) == field.default:
                continue  # a field added later, at its default: plans that do not use it keep their fingerprint
            data[field.name] = to_data(getattr(value, field.name))
        return dict(sorted(data.items()))
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, Decimal):
        return _decimal_string(value)
    if isinstance(value, (tuple, list)):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in sorted(value.items())}
    raise TypeError(f"cannot encode {type(value).__name__} in a compiled plan")


def _decimal_string(value: Decimal) -> str:
    """A Decimal as written, keeping its exponent (1.50 stays 1.50), never in E notation."""
    return format(value, "f")


def canonical_json(data: Any) -> str:
    """The one text of some JSON data that is hashed: sorted keys, compact, UTF-8 kept."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def plan_data(plan: Any) -> dict:
    """The plan's JSON data without its fingerprint (which is computed from it)."""
    return to_data(plan)


def plan_fingerprint(plan: Any) -> str:
    """SHA-256 of the canonical JSON of the plan (its fingerprint field left out, files named by content)."""
    return _sha256(identity_data(plan_data(plan)))


def identity_data(data: dict) -> dict:
    """A plan's data as its fingerprint hashes it: every source file named by the SHA-256 of its text
    instead of by its path, in the spans and in the source hashes.

    `specs/x.idsl`, `./specs/x.idsl` and `/home/…/specs/x.idsl` name the same file; what identifies the
    system is the files' content and the plan, not how a path was typed or where the files are.

    >>> data = {"$type": "Plan", "source_hashes": {"./a.idsl": "ab12"},
    ...         "span": {"$type": "Span", "file": "./a.idsl", "line": 1}}
    >>> identity_data(data)
    {'$type': 'Plan', 'source_hashes': ['ab12'], 'span': {'$type': 'Span', 'file': 'ab12', 'line': 1}}
    """
    names = _source_names(data)
    renamed = _renamed(data, names)
    if "source_hashes" in data:
        renamed["source_hashes"] = sorted(set(names.values()))
    return renamed


def _source_names(data: dict) -> dict[str, str]:
    """Path → SHA-256 of every source file, as the plan records them (empty when malformed)."""
    hashes = data.get("source_hashes")
    if not isinstance(hashes, dict) or not all(isinstance(v, str) for v in hashes.values()):
        return {}
    return hashes


def _renamed(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, dict):
        renamed = {key: _renamed(item, names) for key, item in value.items()}
        file = value.get("file")
        if value.get(TYPE_KEY) == "Span" and isinstance(file, str) and file in names:
            renamed["file"] = names[file]
        return renamed
    if isinstance(value, list):
        return [_renamed(item, names) for item in value]
    return value


def _sha256(data: Any) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()
