"""择一 / 任选 k 项 / 取最高 k 项: which alternatives of a pool count, and the words for them, read by both engines,
the readers and the tables."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Sequence

from idsl.frontend import ast
from idsl.semantics.numbers import format_points

NOT_CHOSEN = "未选用"  # how the tables show an alternative left out (its status is not_applicable)

# The fields of a leaf's input object that do not make it "given": the evaluator's reason and note.
UNGIVEN_FIELDS = ("理由", "备注")


CHOSEN = "选用"  # the 择一 parent's field: the alternative the unit uses, named


def states_choice(node: Any) -> bool:
    """择一: the parent has a 选用 field (optional where every alternative has cells of its own)."""
    pool = getattr(node, "pool", None)
    return pool is not None and pool.kind == "one" and bool(getattr(node, "children", ()))


def own_cells(leaf: Any) -> bool:
    """Whether an alternative has a cell of its own to fill (an input, an element, a score, a part's), so that
    giving it says it is chosen; one without needs its parent's 选用."""
    if leaf is None:
        return False
    if leaf.own_inputs or leaf.own_questionnaires:
        return True
    if isinstance(leaf.rule, (ast.Checklist, ast.Discretionary)):
        return True
    return any(own_cells(part.leaf) for part in leaf.parts)


def choice_required(node: Any) -> bool:
    """择一 with an alternative that has no cell of its own: only 选用 can say it is the one scored."""
    return states_choice(node) and not all(own_cells(child.leaf) for child in node.children)


def unknown_choice(names: Sequence[str]) -> str:
    return "“选用”应是" + "、".join(f"“{n}”" for n in names) + "中的一项。"


def chose_start(named: str) -> str:
    """The start of the error of a 选用 the inputs contradict: 选用“竣工验收”，却给了“阶段性验收”的输入。"""
    return f"选用“{named}”，却给了"


def chose_not_given(named: str) -> str:
    return f"选用“{named}”，却没有给“{named}”的输入。"


def choice_missing(pool: ast.Pool, n: int) -> str:
    return f"{title(pool, n)}，须在“选用”中写明评哪一项（有的备选指标没有自己的输入）。"


CHOICE_HINT = "“选用”写评的那一项，只给它的输入；其余的输入不写、留空。"


def chosen_by_giving(node: Any) -> bool:
    """A pool whose alternatives count where the evaluator gives their inputs (择一, 任选 k 项); 取最高 k 项
    scores every alternative."""
    pool = getattr(node, "pool", None)
    return pool is not None and pool.kind != "best"


def given(raw: Any) -> bool:
    """Whether a leaf's input object gives anything (an alternative left out has no object, or an empty one)."""
    if raw is None:
        return False
    if isinstance(raw, dict):
        return any(key not in UNGIVEN_FIELDS and value is not None for key, value in raw.items())
    return True


def best_of(scores: Sequence[Decimal], count: int) -> list[int]:
    """The indices of the `count` highest scores; of equal scores the one written first wins (as the SQL's
    rank: 1 + the alternatives above it, or equal and written before it)."""
    def rank(i: int) -> int:
        return 1 + sum(1 for j, other in enumerate(scores) if other > scores[i] or (other == scores[i] and j < i))
    return [i for i in range(len(scores)) if rank(i) <= count]


def title(pool: ast.Pool, n: int) -> str:
    """How the table names the pool beside its parent: 二者择其一, 3项任选2项, 3项取得分最高的2项."""
    if pool.kind == "one":
        return "二者择其一" if n == 2 else f"{n}项择其一"
    if pool.kind == "any":
        return f"{n}项任选{pool.count}项"
    return f"{n}项取得分最高的{pool.count}项"


def _many(pool: ast.Pool) -> str:
    return "一项" if pool.count == 1 else f"{pool.count}项"


def standard_line(pool: ast.Pool, names: Sequence[str], own: str) -> str:
    """The sentence closing an alternative's 评分标准."""
    others = "、".join(f"“{n}”" for n in names if n != own)
    if pool.kind == "one" and len(names) == 2:
        return f"本指标与{others}二者择其一，只评其中适用的一项，未选用的不评分。"
    if pool.kind == "best":
        return f"本指标与{others}共{len(names)}项，取得分最高的{pool.count}项计入。"
    return f"本指标与{others}共{len(names)}项，任选{_many(pool)}评价，未选用的不评分。"


def too_many_start(pool: ast.Pool, n: int) -> str:
    return f"{title(pool, n)}，只能评其中{_many(pool)}，却给了"


def too_few_start(pool: ast.Pool, n: int) -> str:
    return f"{title(pool, n)}，须评其中{_many(pool)}，只给了"


def none_given(pool: ast.Pool, n: int) -> str:
    return f"{title(pool, n)}，须评其中{_many(pool)}，没有给任何一项的输入。"


GIVEN_END = "的输入。"


def count_message(pool: ast.Pool, names: Sequence[str], chosen: Sequence[str]) -> str | None:
    """The input error of a pool given more or fewer alternatives than it counts; None when right."""
    if len(chosen) == pool.count:
        return None
    if not chosen:
        return none_given(pool, len(names))
    start = too_many_start if len(chosen) > pool.count else too_few_start
    return start(pool, len(names)) + "".join(f"“{n}”" for n in chosen) + GIVEN_END


def count_hint(pool: ast.Pool, few: bool = False) -> str:
    where = "（输入文件中写它的对象，批量表中填它的格子）"
    if few:
        return f"给出选用的{_many(pool)}的输入{where}。"
    return f"只给选用的{_many(pool)}的输入{where}，其余的不写、留空。"


def not_chosen(pool: ast.Pool, n: int, chosen: Sequence[str]) -> str:
    """The reason of an alternative left out."""
    names = "、".join(f"“{c}”" for c in chosen)
    return f"{NOT_CHOSEN}（{title(pool, n)}，评{names}），不参与评分。"


def not_counted(pool: ast.Pool, n: int) -> str:
    """Appended to the reason of an alternative scored but outside the best k."""
    return f"（{title(pool, n)}：本项未计入。）"


def parent_reason(pool: ast.Pool, n: int, counted: Sequence[tuple[str, Decimal]], score: Decimal) -> str:
    """The parent's reason: which alternatives count, with their scores."""
    pieces = "、".join(f"“{name}”{format_points(s)}分" for name, s in counted)
    verb = "计入" if pool.kind == "best" else "评"
    if len(counted) == 1:
        return f"{title(pool, n)}，{verb}{pieces}。"
    return f"{title(pool, n)}，{verb}{pieces}，合计{format_points(score)}分。"


__all__ = ["CHOICE_HINT", "CHOSEN", "chose_not_given", "chose_start", "choice_missing", "choice_required", "own_cells",
           "states_choice", "unknown_choice", "GIVEN_END", "NOT_CHOSEN", "UNGIVEN_FIELDS", "best_of", "chosen_by_giving", "count_hint", "count_message", "given",
           "none_given", "not_chosen", "not_counted", "parent_reason", "standard_line", "title", "too_few_start",
           "too_many_start"]
