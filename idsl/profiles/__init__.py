"""Authoring profiles: the rules a national or provincial text sets on weights and points, one TOML file each."""

from __future__ import annotations

import functools
import re
import tomllib
from decimal import Decimal
from importlib import resources

import attrs

# The rule kinds a profile may use; each is checked by idsl.check.profiles.
KINDS = ("weights", "min_share", "greater", "integer_points", "level1_step", "level1_min")
_OPENING, _CLOSING = "[［(（【〔", "]］)）】〕"


@attrs.frozen
class Rule:
    """One authoring rule: its kind, the article it comes from, the article's words, and its numbers."""

    kind: str
    article: str  # 第十三条, 附5 说明1 …
    quote: str  # the article's text, verbatim
    sets: tuple[dict[str, Decimal], ...] = ()  # weights: the allowed level-1 weights, one dict per set
    optional: tuple[str, ...] = ()  # weights: categories a spec may leave out (the rest are renormalised)
    adjustable: bool = False  # weights: the article allows a declared adjustment (权重调整)
    categories: tuple[str, ...] = ()  # min_share, greater: the categories summed
    than: tuple[str, ...] = ()  # greater: the categories the sum must exceed
    percent: Decimal | None = None  # min_share: the least share of the total
    level: int = 1  # min_share: the level whose indicators are summed
    number: Decimal | None = None  # level1_step: the step; level1_min: the least points


@attrs.frozen
class Profile:
    """A named profile: its names, the text it follows, how indicators are told apart, and its rules."""

    name: str
    aliases: tuple[str, ...]
    title: str
    categories: dict[str, tuple[str, ...]]  # category → words a name contains
    rules: tuple[Rule, ...]
    file: str

    def category(self, name: str) -> str | None:
        """The category an indicator's name belongs to (the first whose word it contains)."""
        return next((c for c, words in self.categories.items() if any(w in name for w in words)), None)


def normalise(name: str) -> str:
    """A profile name compared without spaces, and with any kind of bracket around the year.

    >>> normalise("财预[2020] 10号") == normalise("财预〔2020〕10号")
    True
    """
    name = re.sub(r"\s+", "", name)
    return name.translate(str.maketrans(_OPENING + _CLOSING, "〔" * len(_OPENING) + "〕" * len(_CLOSING)))


@functools.cache
def profiles() -> tuple[Profile, ...]:
    """Every profile shipped with idsl, in file-name order."""
    folder = resources.files(__name__)
    found = sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
    return tuple(_profile(f.name, tomllib.loads(f.read_text(encoding="utf-8"))) for f in found)


def find(name: str) -> Profile | None:
    """The profile a `依据` line names, or None.

    >>> find("财预〔2020〕10号").title
    '《项目支出绩效评价管理办法》（财预〔2020〕10号）单位自评'
    >>> find("财预〔2099〕1号") is None
    True
    """
    wanted = normalise(name)
    return next((p for p in profiles() if wanted in {normalise(n) for n in (p.name, *p.aliases)}), None)


def _profile(file: str, data: dict) -> Profile:
    categories = {c: tuple(words) for c, words in data.get("categories", {}).items()}
    rules = tuple(_rule(r, file) for r in data.get("rules", ()))
    return Profile(data["name"], tuple(data.get("aliases", ())), data["title"], categories, rules, file)


def _rule(data: dict, file: str) -> Rule:
    if data["kind"] not in KINDS:  # a mistake in a shipped file: fail loudly, naming it
        raise ValueError(f"{file}: unknown rule kind {data['kind']!r}; known: {', '.join(KINDS)}")
    number = data.get("step", data.get("points"))
    return Rule(
        data["kind"], data["article"], data["quote"],
        sets=tuple({c: Decimal(str(w)) for c, w in s.items()} for s in data.get("sets", ())),
        optional=tuple(data.get("optional", ())), adjustable=bool(data.get("adjustable", False)),
        categories=tuple(data.get("categories", ())), than=tuple(data.get("than", ())),
        percent=Decimal(str(data["percent"])) if "percent" in data else None, level=int(data.get("level", 1)),
        number=Decimal(str(number)) if number is not None else None)
