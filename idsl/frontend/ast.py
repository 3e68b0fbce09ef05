"""The idsl abstract syntax tree, one namespace over its parts: frozen attrs classes, spans kept out of equality."""

from __future__ import annotations

from idsl.frontend.ast_exprs import (
    BinOp, BoolLit, BoolOp, Call, Compare, Cond, Expr, Neg, Num, Otherwise, PointsRef, Range, Ref, Subject,
)
from idsl.frontend.ast_rules import (
    Band, Bands, Checklist, ChecklistItem, Compound, CompoundBand, Choice, ChoiceOption, Derived, Deviation, Discretionary, Fixed,
    Formula, GradeTier, Graded, Input, Intervals, LeafBody, Linear, Outcome, Part, Parts, PerFinding, Qualitative, Questionnaire,
    Refine, Rule, ScoreAdjust, ScoreFloor, ScorePlaces, Series, Special, Target, TierEnd,
)
from idsl.frontend.ast_rules import ByClass, ClassBranch, NoData
from idsl.frontend.ast_spec import (
    COLUMN_KINDS, FORM_FIELDS, FORM_STYLES, FUNDS_COLUMNS, STYLE_ANNEX, STYLE_XIANJIE, FUNDS_ROWS, OUTCOME_WORDS, ROW_KINDS, Adjustments, Basis, Column, Example, ExampleExpect,
    ExampleSet, Form, FundsCell, FundsRow, GradeBand, Import, Indicator, Layout, Pool, Refinement, RescaleTotal,
    ShareSiblings, Spec, SummaryName, Value, Veto,
)
from idsl.frontend.ast_spec import CLASS_INPUT, Classes
from idsl.frontend.ast_limits import Consequence, GradeLimit, ResultBand

# Everything here is an AST node, a union of them or the layout vocabulary: io.compiled decodes
# "$type" by looking classes up in this namespace.
__all__ = [
    # expressions and conditions (ast_exprs)
    "Num", "Subject", "BoolLit", "Ref", "PointsRef", "BinOp", "Neg", "Call", "Expr",
    "Compare", "Range", "BoolOp", "Otherwise", "Cond",
    # declarations, rules and a leaf's body (ast_rules)
    "Input", "Series", "Derived", "Questionnaire", "ChecklistItem", "Checklist", "Formula", "Fixed", "Linear", "Outcome",
    "Band", "Bands", "Compound", "CompoundBand", "Deviation", "PerFinding", "ChoiceOption", "Choice", "Discretionary", "Qualitative", "TierEnd", "GradeTier", "Graded", "Target",
    "Intervals", "Part", "Parts", "Refine", "Rule", "Special", "ScoreAdjust", "ScoreFloor", "ScorePlaces", "LeafBody",
    # indicators, layout, examples and the spec (ast_spec)
    "Indicator", "Pool", "Refinement", "Adjustments", "GradeBand", "Column", "COLUMN_KINDS", "ROW_KINDS", "Layout", "SummaryName", "ExampleSet",
    "ExampleExpect", "Example", "Value", "Basis", "Import", "Veto", "RescaleTotal", "ShareSiblings", "Spec", "FUNDS_ROWS",
    "FUNDS_COLUMNS", "FORM_FIELDS", "FORM_STYLES", "STYLE_ANNEX", "STYLE_XIANJIE", "OUTCOME_WORDS", "FundsCell",
    "FundsRow", "Form",
    # 单位类别 and 按类别
    "ByClass", "ClassBranch", "Classes", "CLASS_INPUT",
    # 等级不高于 (ast_limits)
    "GradeLimit", "Consequence", "ResultBand",
    # 无数据时
    "NoData",
]
