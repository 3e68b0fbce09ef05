"""Tree → AST, the builder's middle part: a leaf's scoring rules (分档, 趋势, 偏差, 分项, …) and its special lines."""

from __future__ import annotations

import re
from decimal import Decimal

import attrs
from lark import Token

from idsl.frontend import ast
from idsl.frontend.band_ends import hyphen_range, yield_marked_ends
from idsl.frontend.parse_exprs import CMP, COND, EXPR, ExprBuilder, Name, Points, first_of, nodes_of, text_of, tokens_of
from idsl.frontend.parse_carriers import _Applies, _OverCut, _PassMark, _Rounding
from idsl.frontend.ast_rules import GRADE_FIELD

# The words of a rounding mode (linear steps, deviations), and a checklist element's own points `（0.5分）`.
_ROUNDING = {"四舍五入取整": "half_up", "四舍五入": "half_up", "half-up": "half_up",
             "向下取整": "floor", "floor": "floor", "向上取整": "ceil", "ceil": "ceil"}
_ITEM_POINTS = re.compile(r"\s*[(（]\s*(\d+(?:\.\d+)?)\s*(?:分|pts?)\s*[)）]\s*$")
TREND_OPS = {"KW_RISE": ">", "KW_FLAT": "=", "KW_FALL": "<"}  # 提高, 持平, 下降: the difference against 0

# The node classes of a leaf's scoring rule: a leaf or part has one.
RULE_NODES = (ast.Checklist, ast.Formula, ast.Bands, ast.Compound, ast.Deviation, ast.PerFinding, ast.Choice,
              ast.Discretionary, ast.Qualitative, ast.Graded, ast.Target, ast.Intervals, ast.Parts, ast.Refine,
              ast.ByClass)


class RuleBuilder(ExprBuilder):
    """The scoring rules of a leaf or part and its special lines (特殊情形, 无数据时, 门槛, 适用 若)."""

    def item(self, meta, children):
        text = str(tokens_of(children, "TEXT")[0]).strip()
        found = _ITEM_POINTS.search(text)
        if found:
            return ast.ChecklistItem(text[: found.start()].rstrip(), Decimal(found.group(1)), span=self._span(meta))
        return ast.ChecklistItem(text, None, span=self._span(meta))

    def checklist(self, meta, children):
        each = first_of(children, Decimal)
        return ast.Checklist(tuple(nodes_of(children, ast.ChecklistItem)), each,
                             bool(tokens_of(children, "KW_PARTIAL")), bool(tokens_of(children, "QMARK")),
                             equal=bool(tokens_of(children, "KW_EQUAL_SPLIT")), span=self._span(meta))

    def formula(self, meta, children):
        return ast.Formula(first_of(children, *EXPR), span=self._span(meta))

    def fixed_points(self, meta, children):
        points = first_of(children, Decimal)
        return ast.Fixed(points, span=self._span(meta), figures=points == 0)

    def fixed_full(self, meta, children):
        return ast.Fixed(None, span=self._span(meta))

    def fixed_zero(self, meta, children):
        return ast.Fixed(Decimal(0), span=self._span(meta))

    def fixed_deduct(self, meta, children):
        return ast.Fixed(None, span=self._span(meta), deduct=first_of(children, Decimal))

    def fixed_no_deduct(self, meta, children):
        return ast.Fixed(None, span=self._span(meta), deduct=Decimal(0))

    def rounding(self, meta, children):
        return _Rounding(_ROUNDING[str(tokens_of(children, "ROUNDING")[0])])

    def linear(self, meta, children):
        direction = "down" if tokens_of(children, "KW_DOWN") else "up"
        numbers = nodes_of(children, Decimal)
        rounding = first_of(children, _Rounding)
        return ast.Linear(direction, first_of(children, ast.Num), numbers[0],
                          rounding.mode if rounding else None, numbers[1] if len(numbers) > 1 else None,
                          bool(tokens_of(children, "KW_UNTIL_ZERO")), span=self._span(meta))

    def outcome(self, meta, children):
        return children[0]

    def band(self, meta, children):
        return ast.Band(first_of(children, *COND), first_of(children, ast.Fixed, ast.Linear), span=self._span(meta))

    def bands(self, meta, children):
        written = nodes_of(children, ast.Band)
        conds = yield_marked_ends([hyphen_range(band.cond) for band in written])
        bands = tuple(attrs.evolve(band, cond=cond) for band, cond in zip(written, conds))
        return ast.Bands(first_of(children, *EXPR), bands, span=self._span(meta))

    def compound(self, meta, children):
        """分档 a、b: bands over two subjects; a bare word in a band (是, 否, an option) is `subject = word`."""
        first, second = nodes_of(children, *EXPR)[:2]
        written = nodes_of(children, ast.CompoundBand)
        firsts, seconds = (yield_marked_ends([hyphen_range(getattr(b, side)) for b in written])
                           for side in ("first", "second"))
        bands = tuple(attrs.evolve(b, first=_as_word(one, first), second=_as_word(two, second))
                      for b, one, two in zip(written, firsts, seconds))
        return ast.Compound((first, second), bands, span=self._span(meta))

    def compound_band(self, meta, children):
        first, second = nodes_of(children, *COND)[:2]
        return ast.CompoundBand(first, second, first_of(children, ast.Fixed, ast.Linear), span=self._span(meta))

    def compound_rest(self, meta, children):
        """否则 … alone: every combination no other band covers."""
        span = self._span(meta)
        return ast.CompoundBand(ast.Otherwise(span=span), ast.Otherwise(span=span),
                                first_of(children, ast.Fixed, ast.Linear), span=span)

    def trend(self, meta, children):
        """趋势 a 较 b: 分档 over a - b, one band per direction (提高 > 0, 持平 = 0, 下降 < 0)."""
        now, before = (ast.Ref(str(t), span=self._token_span(t)) for t in tokens_of(children, "NAME"))
        subject = ast.BinOp("-", now, before, span=self._span(meta))
        return ast.Bands(subject, tuple(nodes_of(children, ast.Band)), span=self._span(meta),
                         trend=(now.name, before.name))

    def trend_band(self, meta, children):
        op = TREND_OPS[next(t.type for t in children if isinstance(t, Token) and t.type in TREND_OPS)]
        span = self._span(meta)
        cond = ast.Compare((ast.Subject(span=span), ast.Num(Decimal(0), span=span)), (op,), span=span)
        return ast.Band(cond, first_of(children, ast.Fixed), span=span)

    def deviation(self, meta, children):
        subject, target = nodes_of(children, *EXPR)[:2]
        steps = nodes_of(children, ast.Num)
        step = [s for s in steps if s is not subject and s is not target]
        numbers = nodes_of(children, Decimal)
        rounding = first_of(children, _Rounding)
        limit = step[1] if len(step) > 1 else None
        beyond = numbers[1] if len(numbers) > 1 and numbers[1] != 0 else None  # `超过 10% 得 N 分`
        return ast.Deviation(subject, target, step[0], numbers[0], rounding.mode if rounding else None,
                             limit, beyond_points=beyond, until_zero=bool(tokens_of(children, "KW_UNTIL_ZERO")),
                             span=self._span(meta))

    def per_finding(self, meta, children):
        numbers = nodes_of(children, Decimal)
        return ast.PerFinding(str(tokens_of(children, "NAME")[0]), numbers[0],
                              numbers[1] if len(numbers) > 1 else None, span=self._span(meta))

    def choice_option(self, meta, children):
        points = Decimal(0) if tokens_of(children, "KW_ZERO") else first_of(children, Decimal)  # 不得分 is 0 分
        return ast.ChoiceOption(str(tokens_of(children, "LABEL")[0]).strip(), points, span=self._span(meta),
                                figures=points == 0 and not tokens_of(children, "KW_ZERO"))

    def choice(self, meta, children):
        return ast.Choice(str(tokens_of(children, "NAME")[0]), tuple(nodes_of(children, ast.ChoiceOption)),
                          span=self._span(meta))

    def discretionary(self, meta, children):
        numbers = nodes_of(children, Decimal)
        low, high = (numbers[0], numbers[1]) if len(numbers) >= 2 else (None, None)
        return ast.Discretionary(low, high, span=self._span(meta))

    def qualitative(self, meta, children):
        return ast.Qualitative(tier=str(tokens_of(children, "NAME")[0]), span=self._span(meta))

    def tier_end(self, meta, children):
        return ast.TierEnd(first_of(children, Decimal), bool(tokens_of(children, "PERCENT")),
                           bool(tokens_of(children, "INCLUDED")), fen=bool(tokens_of(children, "FEN")))

    def grade_tier(self, meta, children):
        first, second = nodes_of(children, ast.TierEnd)
        return ast.GradeTier(str(tokens_of(children, "NAME")[0]), first, second, span=self._span(meta))

    def graded(self, meta, children):
        return ast.Graded(tier=GRADE_FIELD, tiers=tuple(nodes_of(children, ast.GradeTier)),
                          reason=bool(tokens_of(children, "KW_NEED_REASON")), span=self._span(meta))

    def target(self, meta, children):
        names = tokens_of(children, "NAME")
        unit = str(names[1]) if len(names) > 1 else None
        placeholder = bool(tokens_of(children, "QMARK"))  # `≥ ？`: the value is still to fill
        value = Decimal(0) if placeholder else first_of(children, Decimal)
        target = ast.Num(value, bool(tokens_of(children, "PERCENT")), unit,
                         span=self._target_figure_span(children, value, placeholder))
        marks = [c for c in children if isinstance(c, _PassMark)]
        cuts = [c for c in children if isinstance(c, _OverCut)]
        return ast.Target(str(names[0]), CMP[str(tokens_of(children, "CMP")[0])], target,
                          bool(tokens_of(children, "KW_ALL_OR_NOTHING")), marks[0].value if marks else None,
                          placeholder, span=self._span(meta), over_cut=cuts[0].value if cuts else None)

    def _target_figure_span(self, children, value: Decimal, placeholder: bool):
        """The target figure's own span (in `≥ 41.94 万人`, from 41.94 to 万人), so that a diagnostic about the
        figure underlines it and not the whole rule; the number's text is its value's (NUMBER has no exponent)."""
        text, start = self.source.text, tokens_of(children, "CMP")[0].end_pos
        while start < len(text) and text[start] in " \t\u3000":
            start += 1
        end = tokens_of(children, "QMARK")[0].end_pos if placeholder else start + len(str(value))
        after = tokens_of(children, "PERCENT") + tokens_of(children, "NAME")[1:]
        return self.lines.span(start, max([end] + [token.end_pos for token in after]))

    def refine(self, meta, children):
        return ast.Refine(text_of(children) or None, span=self._span(meta))

    def over_cut(self, meta, children):
        return _OverCut(first_of(children, Decimal))

    def intervals(self, meta, children):
        rate, completed = (str(t) for t in tokens_of(children, "NAME")[:2])
        return ast.Intervals(rate, completed, span=self._span(meta))

    def pass_mark(self, meta, children):
        return _PassMark(first_of(children, Decimal))

    def part(self, meta, children):
        name = first_of(children, Name)
        points = first_of(children, Points)
        body = self._leaf_body(children, meta)
        return ast.Part(name.text, points.value, body, span=self._span(meta))

    def parts(self, meta, children):
        return ast.Parts(tuple(nodes_of(children, ast.Part)), span=self._span(meta))

    def by_class(self, meta, children):
        return ast.ByClass(tuple(nodes_of(children, ast.ClassBranch)), span=self._span(meta))

    def class_branch(self, meta, children):
        names = tuple(c for c in children if isinstance(c, str) and not isinstance(c, Token))
        return ast.ClassBranch(names, nodes_of(children, *RULE_NODES)[0], span=self._span(meta))

    def classes(self, meta, children):
        names = tuple(c for c in children if isinstance(c, str) and not isinstance(c, Token))
        return ast.Classes(names, span=self._span(meta))

    def applies(self, meta, children):
        return _Applies(first_of(children, *COND), self._span(meta))

    def special(self, meta, children):
        if tokens_of(children, "KW_FULL"):
            points = None
        elif tokens_of(children, "KW_ZERO"):
            points = Decimal(0)
        else:
            points = first_of(children, Decimal)
        return ast.Special(first_of(children, *COND), points, span=self._span(meta))

    def nodata(self, meta, children):
        if tokens_of(children, "KW_NA"):
            return ast.NoData(None, span=self._span(meta), outcome="na")
        if tokens_of(children, "KW_DISCRETION"):
            low, high = nodes_of(children, Decimal)[:2]
            return ast.NoData(None, span=self._span(meta), outcome="discretion", low=low, high=high)
        points = None if tokens_of(children, "KW_FULL") else Decimal(0) if tokens_of(children, "KW_ZERO") else \
            first_of(children, Decimal)
        return ast.NoData(points, span=self._span(meta))

    def gate(self, meta, children):
        points = first_of(children, Decimal) if not tokens_of(children, "KW_ZERO") else None
        return ast.Special(first_of(children, *COND), points if points is not None else Decimal(0),
                           span=self._span(meta), gate=True)


def _as_word(cond, subject):
    """A compound band's bare word read against its subject: `是` is `subject = 是`, the subject's own name `subject = 是`."""
    if isinstance(cond, ast.BoolOp):  # 良 或 差
        return attrs.evolve(cond, parts=tuple(_as_word(part, subject) for part in cond.parts))
    if not isinstance(cond, ast.Compare) or cond.ops or not isinstance(cond.operands[0], (ast.BoolLit, ast.Ref)):
        return cond
    word = cond.operands[0]
    if word == subject:  # 按期完成，≥ 95% …: the yes/no input named alone is its 是
        word = ast.BoolLit(True, span=word.span)
    return ast.Compare((ast.Subject(span=cond.span), word), ("=",), span=cond.span)
