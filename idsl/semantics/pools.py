"""择一 / 任选 k 项 / 取最高 k 项: which alternatives of a pool count, and the words for them, read by both engines,
the readers and the tables."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Protocol, Sequence

from idsl.frontend import ast
from idsl.semantics.numbers import format_points

NOT_CHOSEN = "未选用"  # how the tables show an alternative left out (its status is not_applicable)

# The fields of a leaf's input object that do not make it "given": the evaluator's reason and note.
UNGIVEN_FIELDS = ("理由", "备注")


CHOSEN = "选用"  # the 择一 / 任选 parent's field: the alternatives the unit uses, named
SEPARATORS = "、,，"  # between the names a 任选's 选用 cell gives: the tables' 、, or a comma


def states_choice(node: Any) -> bool:
    """择一, 任选 k 项: the parent has a 选用 field (optional where every alternative has cells of its own)."""
    pool = getattr(node, "pool", None)
    return pool is not None and pool.kind in ("one", "any") and bool(getattr(node, "children", ()))


def names_several(node: Any) -> bool:
    """任选 k 项: 选用 names k alternatives (a list in JSON, names separated by 、 in a cell); 择一's names one."""
    return states_choice(node) and node.pool.kind == "any"


def own_cells(leaf: Any) -> bool:
    """Whether an alternative has a cell of its own the evaluator must fill (an input, an element, a score, a
    part's), so that giving it says it is chosen; one without (its inputs 共用, or each 可缺) needs its parent's 选用."""
    if leaf is None:
        return False
    if any(not _may_be_blank(decl) for decl in leaf.own_inputs) or leaf.own_questionnaires:
        return True
    if isinstance(leaf.rule, (ast.Checklist, ast.Discretionary)):
        return True
    return any(own_cells(part.leaf) for part in leaf.parts)


def _may_be_blank(decl: ast.Input) -> bool:
    """An input a unit may leave blank: 可缺 (无数据时 scores it), 缺失取平均 (the mean), a blank read as 0."""
    return decl.optional or decl.fill_mean or decl.blank_zero


def choice_required(node: Any) -> bool:
    """A pool with an alternative that has no cell of its own: only 选用 can say it is one of those scored."""
    return states_choice(node) and not all(own_cells(child.leaf) for child in node.children)


def read_choice(pool: ast.Pool, names: Sequence[str], value: Any) -> tuple[tuple[str, ...] | None, str | None]:
    """选用 as written: the alternatives it names, in the spec's order (None: left blank), or what is wrong with it.
    择一's names one; 任选 k 项's exactly k distinct ones, as a list or as one text separated by 、 (or a comma)."""
    if pool.kind == "one":
        text = "" if value is None else str(value).strip()
        if not text:
            return None, None
        return ((text,), None) if text in names else (None, unknown_choice(names))
    pieces = _pieces(names, value)
    if not pieces:
        return None, None
    unknown = next((p for p in pieces if p not in names), None)
    if unknown is not None:
        return None, f"“选用”里的“{unknown}”不是备选的一项：应从{_quoted(names, '、')}中选{_many(pool)}。"
    twice = next((p for i, p in enumerate(pieces) if p in pieces[:i]), None)
    if twice is not None:
        return None, f"“选用”里“{twice}”写了不止一次。"
    if len(pieces) != pool.count:
        return None, f"{title(pool, len(names))}，“选用”须写{_many(pool)}，却写了{len(pieces)}项：{_quoted(pieces)}。"
    return tuple(n for n in names if n in pieces), None


def written_choice(node: Any, value: ast.Value) -> Any:
    """What `设 X.选用 = …` gives 选用, as an input file would: 择一's one name, 任选's list (`A、B` is one row of two)."""
    items = [str(getattr(item, "value", item)) for row in value.rows for item in row]
    return items if names_several(node) else "、".join(items)


def _pieces(names: Sequence[str], value: Any) -> list[str]:
    """The names a 任选's 选用 gives: a list's items, or a text cut at its separators (a name holding one kept whole)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [text for item in value if item is not None and (text := str(item).strip())]
    text, found = str(value).strip(), []
    while text:
        name = max((n for n in names if text.startswith(n) and text[len(n):][:1] in ("", *SEPARATORS)), key=len,
                   default=None)
        piece = name if name is not None else re.split(f"[{SEPARATORS}]", text, maxsplit=1)[0]
        if piece.strip():
            found.append(piece.strip())
        text = text[len(piece):].lstrip(SEPARATORS + " \u3000\t")
    return found


def choice_text(names: Sequence[str]) -> str:
    """选用 as a cell writes it: the names in the spec's order, separated by 、 (what `read_choice` reads back)."""
    return "、".join(names)


def _quoted(names: Sequence[str], between: str = "") -> str:
    return between.join(f"“{n}”" for n in names)


def unknown_choice(names: Sequence[str]) -> str:
    return "“选用”应是" + _quoted(names, "、") + "中的一项。"


# The errors of a 选用 the inputs contradict, in pieces the SQL puts together as the interpreter does:
# 选用“竣工验收”，却给了“阶段性验收”的输入。 / 选用“社会效益”“经济效益”，却没有给“经济效益”的输入。
CHOSE = "选用"
BUT_GIVEN = "，却给了"
BUT_NOT_GIVEN = "，却没有给"


def chose_others(named: Sequence[str], others: Sequence[str]) -> str:
    return CHOSE + _quoted(named) + BUT_GIVEN + _quoted(others) + GIVEN_END


def chose_not_given(named: Sequence[str], missing: Sequence[str]) -> str:
    return CHOSE + _quoted(named) + BUT_NOT_GIVEN + _quoted(missing) + GIVEN_END


def choice_missing(pool: ast.Pool, n: int) -> str:
    return f"{title(pool, n)}，须在“选用”中写明评哪{_many(pool)}（有的备选指标没有自己的输入）。"


CHOICE_HINT = "“选用”写评的那一项，只给它的输入；其余的输入不写、留空。"


def choice_hint(pool: ast.Pool) -> str:
    """What to write in 选用: 择一's one name; 任选's k names separated by 、."""
    if pool.kind == "one":
        return CHOICE_HINT
    return f"“选用”写评的{_many(pool)}，名称之间用“、”隔开，只给它们的输入；其余的输入不写、留空。"


def parent_fields(pool: ast.Pool) -> str:
    """The error of a pool's parent given fields other than 选用."""
    return f"{'择一' if pool.kind == 'one' else '任选'}的上级指标只写“选用”：评哪{_many(pool)}。"


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


class Logic(Protocol):
    """How an engine joins its truth values: Python's bool in the interpreter, conditions in the SQL."""

    def both(self, a: Any, b: Any) -> Any: ...

    def either(self, a: Any, b: Any) -> Any: ...

    def negate(self, a: Any) -> Any: ...

    def choose(self, cond: Any, then: Any, otherwise: Any) -> Any: ...


class _Truth:
    """The interpreter's Logic: plain booleans."""

    def both(self, a: bool, b: bool) -> bool:
        return a and b

    def either(self, a: bool, b: bool) -> bool:
        return a or b

    def negate(self, a: bool) -> bool:
        return not a

    def choose(self, cond: bool, then: bool, otherwise: bool) -> bool:
        return then if cond else otherwise


TRUTH = _Truth()


def counted_where(logic: Logic, stated: Any, named: Any, given: Any, enough: Any) -> Any:
    """Where an alternative of 择一 / 任选 counts (else it is 未选用): with 选用 written, where 选用 names it; with
    选用 blank, where it is given, or wherever too few are (then the parent's error, or 未评 with allow_missing).
    `enough`: at least k alternatives given."""
    return logic.choose(stated, named, logic.either(given, logic.negate(enough)))


def scored_where(logic: Logic, leaf: Any, stated: Any, named: Any, given: Any, enough: Any,
                 allow_missing: bool) -> Any:
    """Where an alternative that counts is also scored, so that its failures are the unit's: named by 选用 and
    given, or named with no cell of its own to give; with 选用 blank, where given, or, too few given and scoring
    with allow_missing, every one with cells of its own (未评 where they are blank). Elsewhere it is 未评 or the
    parent's error says what is wrong, and an alternative not chosen reports nothing."""
    by_name = logic.both(named, given) if own_cells(leaf) else named
    by_giving = logic.either(given, logic.negate(enough)) if allow_missing and own_cells(leaf) else given
    return logic.choose(stated, by_name, by_giving)


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


__all__ = ["BUT_GIVEN", "BUT_NOT_GIVEN", "CHOICE_HINT", "CHOSE", "CHOSEN", "GIVEN_END", "Logic", "NOT_CHOSEN",
           "SEPARATORS", "TRUTH", "UNGIVEN_FIELDS", "best_of", "choice_hint", "choice_missing", "choice_required",
           "choice_text", "chose_not_given", "chose_others", "chosen_by_giving", "count_hint", "count_message",
           "counted_where", "given", "names_several", "none_given", "not_chosen", "not_counted", "own_cells",
           "parent_fields", "parent_reason", "read_choice", "scored_where", "standard_line", "states_choice", "title",
           "too_few_start", "too_many_start", "unknown_choice", "written_choice"]
