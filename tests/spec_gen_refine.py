"""The equivalence generator's 细化 (an imported leaf refined into a subtree; grammar/README.md §14), with its oracle.

`refine_cases()` draws a spec with tests/spec_gen.py as the imported file, picks one of its leaves (not an
alternative of 择一/任选/取最高) and writes a second file that imports it and refines that leaf into two or three
children of their own rules, worth together the leaf's points — now and then not (E109, the points checked
across the files). The oracle's model is the merged tree: the leaf, its rule, inputs and leaf lines gone, a
branch of the same name and points over the children; units are drawn for that tree.
"""

from __future__ import annotations

from fractions import Fraction as F

from hypothesis import assume
from hypothesis import strategies as st

import spec_gen
from spec_gen import Branch, Case, Leaf, Names, SpecModel, fmt, leaf_body, pick, written_name

BASE_FILE = "框架.idsl"  # the imported file's name, beside the refining one
CHILD_NAMES = ["培训人次完成率", "覆盖乡镇完成率", "数量指标一", "数量指标二", "质量指标一", "时效指标一",
               "本地特色指标", "群众受益率"]


class RefineCase(Case):
    """A case of two files: `base` (imported) and the spec's text (the refining file); `off` when the children's
    points do not add up to the refined leaf's (the checker must say E109)."""

    def __init__(self, spec: SpecModel, units: list, base: str, off: bool):
        super().__init__(spec, units)
        self.base = base
        self.off = off

    def __repr__(self) -> str:
        return f"RefineCase(imported {BASE_FILE}:\n{self.base}\n" + super().__repr__()


def _candidates(model: SpecModel) -> list[tuple[list, int]]:
    """(the list holding it, its index) of every leaf that may be refined: not an alternative of a pool."""
    found: list[tuple[list, int]] = []

    def walk(nodes: list, pooled: bool) -> None:
        for i, node in enumerate(nodes):
            if isinstance(node, Leaf) and not pooled:
                found.append((nodes, i))
            elif isinstance(node, Branch):
                walk(node.children, node.pool is not None)

    walk(model.tree, False)
    return found


def _split(draw, points: F, grain: F, count: int) -> list[F]:
    """`count` positive shares of `points`, each a multiple of `grain`."""
    steps = int(points / grain)
    cuts = sorted(draw(st.lists(st.integers(1, steps - 1), min_size=count - 1, max_size=count - 1, unique=True)))
    edges = [0] + cuts + [steps]
    return [grain * (edges[i + 1] - edges[i]) for i in range(count)]


def _child(draw, model: SpecModel, parent: tuple[str, ...], name: str, points: F, include: frozenset) -> Leaf:
    taken = {n for n in (model.shared.name, model.shared.quantity) if n} if model.shared is not None else set()
    body = leaf_body(draw, Names(draw, taken), points, include, model.shared)
    na = draw(st.sampled_from([None, None, "exclude", "full"]))
    return Leaf(parent + (name,), name, points, body, na, reason_below=draw(st.integers(0, 5)) == 0)


def _lines(draw, leaf: Leaf, depth: int) -> list[str]:
    """A child as written under 细化: its heading, 解释, leaf lines and body."""
    pad = "  " * (depth + 1)
    lines = ["  " * depth + written_name(leaf.name) + pick(draw, "（", " (") + fmt(leaf.points) + pick(draw, "）", ")"),
             f"{pad}{pick(draw, '解释', '说明')} 考察{leaf.name}的情况。"]
    if leaf.na:
        lines.append(f"{pad}不适用{pick(draw, ' ', '：')}{'剔除' if leaf.na == 'exclude' else '得满分'}")
    if leaf.reason_below:
        lines.append(f"{pad}扣分须说明理由")
    return lines + [pad + line for line in leaf.body.lines(draw)]


@st.composite
def refine_cases(draw, include: frozenset = spec_gen.NOTHING) -> RefineCase:
    model = draw(spec_gen.specs(include))
    base = model.text
    candidates = _candidates(model)
    assume(candidates)  # every leaf an alternative of 择一/任选/取最高: nothing to refine
    siblings, index = draw(st.sampled_from(candidates))
    leaf = siblings[index]
    # children's points no finer than the header's 小数 (E307), nor than the least the rules are drawn for
    grain = F(1, 4) if model.places >= 2 else F(1, 2) if model.places == 1 else F(1)
    if (leaf.points / grain).denominator != 1:  # points finer than 小数 (coarse_places): the checker says E307
        grain = F(1, 4)
    count = min(draw(st.integers(2, 3)), int(leaf.points / grain))
    off = count < 2 or draw(st.integers(0, 9)) == 0
    shares = _split(draw, leaf.points, grain, count) if count >= 2 else [leaf.points]
    if off:  # the children do not add up to the imported leaf's points
        shares[0] += grain * draw(st.sampled_from([1, 2]))
    used = {n.name for n in model.leaves()} | set(leaf.path)
    names = draw(st.lists(st.sampled_from([n for n in CHILD_NAMES if n not in used]), min_size=len(shares),
                          max_size=len(shares), unique=True))
    children = [_child(draw, model, leaf.path, name, p, include) for name, p in zip(names, shares)]
    lines = [f'{pick(draw, "引用", "import")} "{BASE_FILE}"']
    if draw(st.booleans()):
        lines.append('体系 "某省细化体系"')
    lines.append("")
    lines += ["  " * depth + written_name(name) for depth, name in enumerate(leaf.path[:-1])]
    depth = len(leaf.path) - 1
    lines.append("  " * depth + f"{pick(draw, '细化', 'refines')} {written_name(leaf.name)}")
    for child in children:
        lines += _lines(draw, child, depth + 1)
    siblings[index] = Branch(leaf.path, leaf.name, leaf.points, children)
    model.text = "\n".join(lines) + "\n"
    units = draw(spec_gen.units_for(model, include)) if not off else []
    return RefineCase(model, units, base, off)


__all__ = ["BASE_FILE", "RefineCase", "refine_cases"]
