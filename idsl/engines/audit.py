"""The audit: recorded scores (and the grade) compared with the scores the rules give."""

from __future__ import annotations

from decimal import Decimal

import attrs

from idsl.engines.result import AuditDifference, NodeResult, Result
from idsl.io.columns import GRADE, GRADE_KEYS, SUBTOTAL_KEYS, grade_problem, unknown_recorded
from idsl.io.inputfile import BLANKS
from idsl.io.inputs import InputError, unknown_key_error
from idsl.io.points_words import read_score
from idsl.semantics.model import Plan
from idsl.semantics.program import TOTAL_NAMES


def audit(plan: Plan, result: Result, recorded: dict) -> tuple[list[AuditDifference], list[InputError]]:
    """Every recorded score (or grade) that differs from the computed one, in table order."""
    differences: list[tuple[int, AuditDifference]] = []
    errors: list[InputError] = []
    rows = {row.path: row for row in result.nodes}
    for block in result.blocks:
        for item in block.items:
            rows[item.path] = item
    order = {path: i for i, path in enumerate(rows)}
    blocks = {block.name: block for block in result.blocks}
    end = len(order)
    for key in sorted(recorded):
        value = recorded[key]
        if key in GRADE_KEYS:
            grade = str(value).strip(BLANKS)
            problem = grade_problem(grade, [band.grade for band in plan.grades])
            if problem is not None:
                errors.append(InputError(GRADE, "recorded", *problem))
            elif result.grade is not None and grade != result.grade:
                differences.append((end + 3, AuditDifference("等级", grade, result.grade, None, None)))
            continue
        if unknown_recorded(plan, key):  # what it names first, as a batch's column naming no indicator
            errors.append(attrs.evolve(unknown_key_error(plan, key), field="recorded"))
            continue
        number, problem = read_score(value, judged=False)  # 30分: 30, as every reader reads it
        if number is None:  # under the indicator's full path, as a workbook's or a batch's 记录得分
            node = plan.find(key)
            errors.append(InputError(node.key if node is not None else key, "recorded", *problem))
            continue
        if key in TOTAL_NAMES:
            _compare_recorded(differences, end + 2, "总分", number, result.total, None)
            continue
        if key in SUBTOTAL_KEYS:
            _compare_recorded(differences, end + 1, key, number, result.subtotal, None)
            continue
        if key in blocks:
            block = blocks[key]
            _compare_recorded(differences, end, key, abs(number), block.total, None)
            continue
        node = plan.find(key)
        assert node is not None  # (unknown_recorded)
        row = rows[node.path]
        if row.kind == "item":
            number = abs(number)
        _compare_recorded(differences, order[node.path], row.key, number, row.score, _rule_reason(row))
    differences.sort(key=lambda pair: (pair[0], pair[1].key))
    return [d for _, d in differences], errors


def _rule_reason(row: NodeResult) -> str | None:
    """A row's reason without the evaluator's note: what the rule says, for the audit."""
    reason, note = row.reason, (row.note or "").strip()
    if reason and note and reason.endswith(note) and len(reason) > len(note):
        return reason[: -len(note)]
    return reason


def _compare_recorded(out: list, position: int, key: str, recorded: Decimal, computed: Decimal | None,
                      reason: str | None) -> None:
    if computed is None:
        out.append((position, AuditDifference(key, recorded, None, None, reason)))
    elif recorded != computed:
        out.append((position, AuditDifference(key, recorded, computed, recorded - computed, reason)))

