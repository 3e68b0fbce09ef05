"""Tree → AST, the builder's last part: indicators and their bodies, the self-evaluation form, the header, layout
and examples, and the whole spec."""

from __future__ import annotations

import re
from decimal import Decimal

from lark import Token
from rich.cells import cell_len

from idsl.frontend import ast
from idsl.diagnostics import Diagnostic
from idsl.frontend.parse_exprs import (
    CMP, COND, EXPR, Inputs, Name, Points, first_of, nodes_of, text_of, tokens_of, unquote,
)
from idsl.frontend.shape import ShapeError
from idsl.frontend.form import fit_funds, form_leaf, form_style
from idsl.frontend.parse_carriers import (
    _TotalCap, _PointsPlaceholder, _Adjust, _RankTotal, _ReasonBelow, _Applies, _Explain, _Standard,
    _NotApplicable, _System, _Places, _Grades, _LayoutTitle, _LayoutRows, _LayoutLabels, _FormField,
    _Funds, _Goals, _Row,
)
from idsl.frontend.parse_rules import RULE_NODES, RuleBuilder
from idsl.frontend.source import Span
from idsl.limits import places_problem

# A line like 酌情扣分 or 酌情给分 under a leaf: the seeds' phrase for the 酌情 rule, not an indicator.
_DISCRETION_PHRASE = re.compile(r"(?:可)?酌情[扣给加评打减]分.{0,6}")
# The form's header fields and funds rows, by keyword.
_FORM_FIELDS = {"KW_PROJECT": "project", "KW_DEPARTMENT": "department", "KW_IMPLEMENTER": "implementer"}
_FUNDS_ROWS = dict(zip(("KW_ROW_TOTAL", "KW_ROW_GRANT", "KW_ROW_CARRIED", "KW_ROW_OTHER"), ast.FUNDS_ROWS))


class AstBuilder(RuleBuilder):
    """The whole builder: a spec's parse tree becomes its ast.Spec (see ExprBuilder for how it runs)."""

    # -- indicators

    def explain(self, meta, children):
        return _Explain(text_of(children))

    def standard(self, meta, children):
        return _Standard(text_of(children))

    def not_applicable(self, meta, children):
        return _NotApplicable("exclude" if tokens_of(children, "KW_EXCLUDE") else "full")

    def adjust_discretion(self, meta, children):
        cap = first_of(children, Decimal)
        if cap is None:  # the seeds' bare 酌情扣分 line: the 酌情 rule, or a cut without its bound
            raise ShapeError(Diagnostic(
                "E104", "“酌情扣分”要写明最多扣几分。", self._span(meta),
                hint="只由评价人给分的规则写“酌情”（或“酌情 0～3 分”）；在公式、分档等规则之后再酌情扣分，写"
                     " 酌情扣分 最多 1 分，须说明理由；说明文字写在“评分标准”的同一行。"))
        return ast.ScoreAdjust("discretion", cap, span=self._span(meta))

    def adjust_count(self, meta, children):
        each, cap = nodes_of(children, Decimal)[:2]
        kind = "add" if tokens_of(children, "KW_ALSO_ADD") else "deduct"
        return ast.ScoreAdjust(kind, cap, str(tokens_of(children, "NAME")[0]), each, span=self._span(meta))

    def adjust_until_zero(self, meta, children):
        """`另扣 问题数 每项 0.5 分，扣完为止`: no cap but the score before the line, so it stops at 0."""
        each = first_of(children, Decimal)
        return ast.ScoreAdjust("deduct", None, str(tokens_of(children, "NAME")[0]), each, span=self._span(meta))

    def reason_below(self, meta, children):
        return _ReasonBelow(True)

    def pool_one(self, meta, children):
        return ast.Pool("one", 1, span=self._span(meta))

    def pool_k(self, meta, children):
        kind = "best" if tokens_of(children, "KW_POOL_BEST") else "any"
        word = tokens_of(children, "NAME")
        if word and str(word[0]) not in ("项", "item", "items"):
            raise ShapeError(Diagnostic(
                "E101", f"“{'取最高' if kind == 'best' else '任选'}”后面是项数，这里多了“{word[0]}”。", self._span(meta),
                hint="写成 任选 2 项 或 取最高 2 项。"))
        return ast.Pool(kind, int(str(tokens_of(children, "INT")[0])), span=self._span(meta))

    def score_floor(self, meta, children):
        return ast.ScoreFloor(first_of(children, Decimal), span=self._span(meta))

    def score_places(self, meta, children):
        return ast.ScorePlaces(self.places(meta, children).places, span=self._span(meta))

    def _leaf_body(self, children, meta) -> ast.LeafBody | None:
        inputs = tuple(i for group in nodes_of(children, Inputs) for i in group.inputs)
        derived = tuple(nodes_of(children, ast.Derived))
        questionnaires = tuple(nodes_of(children, ast.Questionnaire))
        specials = tuple(nodes_of(children, ast.Special))
        rules = nodes_of(children, *RULE_NODES)
        applies = first_of(children, _Applies)
        adjusts = tuple(nodes_of(children, ast.ScoreAdjust))
        floors, places = nodes_of(children, ast.ScoreFloor), nodes_of(children, ast.ScorePlaces)
        nodata = nodes_of(children, ast.NoData)
        if not (inputs or derived or questionnaires or specials or rules or applies or adjusts or floors or places
                or nodata):
            return None
        for extra in floors[1:] + places[1:]:
            self.diagnostics.append(Diagnostic(
                "E428", "一个指标只能写一行“最低”和一行“小数”，这里出现了第二行。", extra.span,
                hint="删去多余的一行。"))
        for extra in nodata[1:]:
            self.diagnostics.append(Diagnostic(
                "E411", "一个指标只能有一行“无数据时”，这里出现了第二行。", extra.span, hint="把多余的一行删去。"))
        for extra in rules[1:]:
            self.diagnostics.append(Diagnostic(
                "E411", "一个指标只能有一条评分规则，这里出现了第二条。", extra.span,
                hint="把多余的规则删去；几部分之和请用“分项”。"))
        return ast.LeafBody(inputs, derived, questionnaires, specials, rules[0] if rules else None,
                            span=self._span(meta), applies=applies.cond if applies else None, adjusts=adjusts,
                            floor=floors[0] if floors else None, places=places[0] if places else None,
                            nodata=nodata[0] if nodata else None)

    def points_placeholder(self, meta, children):
        return _PointsPlaceholder(self._span(meta))

    def indicator(self, meta, children):
        name = first_of(children, Name)
        points = first_of(children, Points) or first_of(children, _PointsPlaceholder)
        body = self._leaf_body(children, meta)
        if points is None and body is None and not nodes_of(children, ast.Indicator):
            self._discretion_phrase(name)
        explain = first_of(children, _Explain)
        standard = first_of(children, _Standard)
        not_applicable = first_of(children, _NotApplicable)
        refines = tokens_of(children, "KW_REFINES")
        first = self._token_span(refines[0]) if refines else name.span  # the heading starts at 细化
        start = (first.line, first.column)
        heading = Span(self.source.path, *start,
                       points.span.end_line if points else name.span.end_line,
                       points.span.end_column if points else name.span.end_column)
        weight = points.value if getattr(points, "weight", False) else None
        pools = nodes_of(children, ast.Pool)
        for extra in pools[1:]:
            self.diagnostics.append(Diagnostic(
                "E444", "一个指标只能写一行“择一”“任选”或“取最高”，这里出现了第二行。", extra.span,
                hint="删去多余的一行。"))
        return ast.Indicator(
            name.text, None if weight is not None else getattr(points, "value", None),
            explain.text if explain else None, standard.text if standard else None,
            not_applicable.mode if not_applicable else None,
            tuple(nodes_of(children, ast.Indicator)), body,
            span=heading, points_span=points.span if points else name.span,
            points_placeholder=isinstance(points, _PointsPlaceholder),
            reason_below=bool(nodes_of(children, _ReasonBelow)), weight=weight, pool=pools[0] if pools else None,
            refines=bool(refines))

    def _discretion_phrase(self, name: Name) -> None:
        """E104 for 酌情扣分 (unquoted) written as a line of its own: read as an indicator it would bring
        E301 and E406 about a child nobody meant; the rule is 酌情, the phrase belongs in 评分标准."""
        quoted = name.span.end_column - name.span.column != cell_len(name.text)
        if quoted or not _DISCRETION_PHRASE.fullmatch(name.text):
            return
        raise ShapeError(Diagnostic(
            "E104", f"“{name.text}”不是关键字，这样写会被当成一个没有分值的下级指标。", name.span,
            hint=f"酌情评分的规则写“酌情”（或“酌情 0～3 分”）；“{name.text}”这样的说明文字写在“评分标准”的同一行。"))

    def adjustments(self, meta, children):
        keyword = children[0]
        kind = "bonus" if keyword.type == "KW_BONUS" else "penalty"
        name = first_of(children, Name)
        points = first_of(children, Points)
        return ast.Adjustments(kind, name.text if name else str(keyword),
                               abs(points.value) if points else None,
                               tuple(nodes_of(children, ast.Indicator)), span=self._token_span(keyword))

    # -- the self-evaluation form

    def form_field(self, meta, children):
        return _FormField(_FORM_FIELDS[children[0].type], text_of(children), self._span(meta))

    def form_style(self, meta, children):
        return _FormField("style", text_of(children), self._span(meta))

    def fund_figure(self, meta, children):
        return ast.FundsCell(first_of(children, Decimal), span=self._span(meta))

    def fund_blank(self, meta, children):
        return ast.FundsCell(span=self._span(meta))

    def fund_fill(self, meta, children):
        return ast.FundsCell(fill=True, span=self._span(meta))

    def funds_row(self, meta, children):
        row = next(t for t in tokens_of(children, *_FUNDS_ROWS) if t)
        return ast.FundsRow(_FUNDS_ROWS[row.type], tuple(nodes_of(children, ast.FundsCell)), span=self._span(meta),
                            among=bool(tokens_of(children, "KW_AMONG")))

    def funds(self, meta, children):
        unit = tokens_of(children, "NAME")
        return _Funds(str(unit[0]) if unit else "万元", tuple(nodes_of(children, ast.FundsRow)))

    def goal_line(self, meta, children):
        field = "expected" if children[0].type == "KW_EXPECTED" else "achieved"
        return _FormField(field, text_of(children), self._span(meta))

    def goals(self, meta, children):
        return _Goals(tuple(nodes_of(children, _FormField)))

    def form(self, meta, children):
        written = [*nodes_of(children, _FormField), *(f for goals in nodes_of(children, _Goals) for f in goals.lines)]
        styles = [(f.text.strip(), f.span) for f in written if f.field == "style"]
        written = [f for f in written if f.field != "style"]
        style = form_style(styles, self.diagnostics)
        fields = {f.field: f.text for f in written}
        to_fill = tuple((ast.FORM_FIELDS[f.field], f.span) for f in written if f.text.strip() in ("？", "?"))
        funds = first_of(children, _Funds)
        leaves = nodes_of(children, ast.Indicator)
        span = self._span(meta)
        for extra in leaves[1:]:
            self.diagnostics.append(Diagnostic("E421", "自评表里只有一个指标：预算执行率。", extra.span,
                                               hint="把其他指标写在自评表之外，作为一级指标。"))
        return ast.Form(fields.get("project"), fields.get("department"), fields.get("implementer"),
                        funds.unit if funds else "万元",
                        fit_funds(funds.rows, style, not styles or style is not None, self.diagnostics) if funds else (),
                        leaves[0] if leaves else None, fields.get("expected"), fields.get("achieved"),
                        span=Span(span.file, span.line, span.column, span.line, span.column + 3), to_fill=to_fill,
                        style=style)

    # -- header, layout, examples

    def basis_adjust(self, meta, children):
        return _Adjust(text_of(children))

    def basis(self, meta, children):
        adjust = first_of(children, _Adjust)
        return ast.Basis(text_of(children), adjust.text if adjust else None, span=self._span(meta))

    def system(self, meta, children):
        title = first_of(children, Name)
        if not title.text.strip():  # the Word table's heading and every output would be blank
            self.diagnostics.append(Diagnostic("E308", "体系的标题是空的。", title.span,
                                               hint='写上评分表的标题，如 体系 "2024年度某单位部门整体支出绩效评价" 总分 100。'))
        return _System(title.text, first_of(children, Decimal))

    def total_line(self, meta, children):
        return _System(None, first_of(children, Decimal))

    def places(self, meta, children):
        token = tokens_of(children, "INT")[0]
        places = int(str(token)) if len(token) <= 9 else 10 ** 9
        problem = places_problem(places)
        if problem is not None:  # 小数 1000000000 位 would make every rounding step take forever
            self.diagnostics.append(Diagnostic("E108", problem, self._token_span(token),
                                               hint="得分一般保留 2 位小数：写 小数 2 位。"))
        return _Places(places)

    def rank_total(self, meta, children):
        return _RankTotal(True)

    def na_total(self, meta, children):
        return ast.RescaleTotal(span=self._span(meta))

    def na_share(self, meta, children):
        return ast.ShareSiblings(span=self._span(meta))

    def grade(self, meta, children):
        cond = first_of(children, *COND)
        return ast.GradeBand(first_of(children, Name).text, cond or ast.Otherwise(span=self._span(meta)),
                             span=self._span(meta))

    def grades(self, meta, children):
        return _Grades(tuple(nodes_of(children, ast.GradeBand)))

    def total_cap(self, meta, children):
        return _TotalCap(first_of(children, *EXPR))

    def veto_total(self, meta, children):
        return ast.Veto("total", first_of(children, *COND), span=self._span(meta))

    def veto_section(self, meta, children):
        section = nodes_of(children, Name)[0].text
        return ast.Veto("section", first_of(children, *COND), span=self._span(meta), section=section)

    def veto_top(self, meta, children):
        return ast.Veto("top", first_of(children, *COND), span=self._span(meta))

    def grade_limit(self, meta, children):
        rate, count, op, any_form = first_of(children, tuple)
        return ast.GradeLimit(nodes_of(children, Name)[0].text, rate, count, op, any_form, span=self._span(meta))

    def consequence(self, meta, children):
        return ast.Consequence(nodes_of(children, Name)[0].text, tuple(nodes_of(children, ast.ResultBand)),
                               span=self._span(meta))

    def result_band(self, meta, children):
        return ast.ResultBand(first_of(children, *COND), first_of(children, Decimal), bool(tokens_of(children, "PERCENT")),
                              span=self._span(meta))

    def limit_times(self, meta, children):
        return limit_times(tokens_of(children, "CMP"), first_of(children, Decimal), tokens_of(children, "NAME"))

    def limit_rate(self, meta, children):
        return (first_of(children, Decimal),) + first_of(children, tuple) + (False,)

    def limit_zero(self, meta, children):
        return (None,) + first_of(children, tuple) + (False,)

    def limit_any(self, meta, children):
        return (first_of(children, Decimal), Decimal(1), ">=", True)

    def import_(self, meta, children):
        return ast.Import(unquote(tokens_of(children, "STRING")[0]), span=self._span(meta))

    def layout_title(self, meta, children):
        return _LayoutTitle(text_of(children))

    def column(self, meta, children):
        names = nodes_of(children, Name)
        kind_word = names[1].text if len(names) > 1 else names[0].text
        return ast.Column(ast.COLUMN_KINDS.get(kind_word, kind_word), names[0].text, span=self._span(meta),
                          word=names[1].text if len(names) > 1 else None)

    def layout_columns(self, meta, children):
        return tuple(nodes_of(children, ast.Column))

    def layout_rows(self, meta, children):
        return _LayoutRows(tuple(n.text for n in nodes_of(children, Name)))

    def label_pair(self, meta, children):
        indicator, label = (n.text for n in nodes_of(children, Name))
        return ast.SummaryName(indicator, label, span=self._span(meta))

    def layout_labels(self, meta, children):
        return _LayoutLabels(tuple(nodes_of(children, ast.SummaryName)))

    def layout(self, meta, children):
        title = first_of(children, _LayoutTitle)
        rows = first_of(children, _LayoutRows)
        columns = first_of(children, tuple)
        labels = tuple(pair for found in children if isinstance(found, _LayoutLabels) for pair in found.labels)
        return ast.Layout(title.text if title else None, columns or (), rows.rows if rows else (),
                          span=self._span(meta), labels=labels)

    def path(self, meta, children):
        return tuple(n.text for n in nodes_of(children, Name))

    def word(self, meta, children):
        return unquote(children[0])

    def value_row(self, meta, children):
        return _Row(tuple(self._value_item(c) for c in children if not isinstance(c, Token)))

    def _value_item(self, item):
        if isinstance(item, ast.BoolLit):
            return item.value
        return item

    def value(self, meta, children):
        return ast.Value(tuple(r.items for r in nodes_of(children, _Row)), span=self._span(meta))

    def example_set(self, meta, children):
        field = tokens_of(children, "NAME") or ([ast.CLASS_INPUT] if tokens_of(children, "KW_CLASSES") else [])
        return ast.ExampleSet(first_of(children, tuple), str(field[0]) if field else None,
                              first_of(children, ast.Value), span=self._span(meta))

    def example_expect(self, meta, children):
        return ast.ExampleExpect(first_of(children, tuple), first_of(children, ast.Value), span=self._span(meta))

    def example(self, meta, children):
        return ast.Example(first_of(children, Name).text, tuple(nodes_of(children, ast.ExampleSet)),
                           tuple(nodes_of(children, ast.ExampleExpect)), span=self._span(meta))

    def start(self, meta, children):
        systems = nodes_of(children, _System)
        title = next((s.title for s in systems if s.title is not None), None)
        total = next((s.total for s in systems if s.total is not None), None)
        places = first_of(children, _Places)
        grades = tuple(g for group in nodes_of(children, _Grades) for g in group.grades)
        inputs = tuple(i for group in nodes_of(children, Inputs) for i in group.inputs)
        classes = first_of(children, ast.Classes)
        if classes is not None:  # 单位类别: every unit gives its class, a shared choice of the declared ones
            inputs = (class_input(classes),) + inputs
        forms = nodes_of(children, ast.Form)
        form = forms[0] if forms else None
        leaf = form_leaf(form) if form is not None else None
        for extra in forms[1:]:
            self.diagnostics.append(Diagnostic("E421", "一个体系只有一张自评表，这里出现了第二个“自评表”。", extra.span,
                                               hint="把两张表的内容合并到第一个“自评表”里。"))
        return ast.Spec(
            title, total, places.places if places else None, grades,
            tuple(nodes_of(children, ast.Import)), inputs, tuple(nodes_of(children, ast.Derived)),
            tuple(nodes_of(children, ast.Questionnaire)),
            ((leaf,) if leaf is not None else ()) + tuple(nodes_of(children, ast.Indicator)),
            tuple(nodes_of(children, ast.Adjustments)), first_of(children, ast.Layout),
            tuple(nodes_of(children, ast.Example)), tuple(nodes_of(children, ast.Basis)),
            vetoes=tuple(nodes_of(children, ast.Veto)),
            total_cap=next((c.expr for c in nodes_of(children, _TotalCap)), None),
            rank_total=bool(nodes_of(children, _RankTotal)),
            rescale_total=first_of(children, ast.RescaleTotal),
            share_siblings=first_of(children, ast.ShareSiblings), classes=classes,
            grade_limits=tuple(nodes_of(children, ast.GradeLimit)),
            consequences=tuple(nodes_of(children, ast.Consequence)),
            span=Span(self.source.path, 1, 1, 1, 1), form=form)


def limit_times(cmp: list, count: Decimal, words: list) -> tuple[Decimal, str]:
    """The count of 等级不高于 and its comparison: `≥ 2 个`, `2 个及以上` (both ≥); a wrong one is E459's to report."""
    word = str(words[0]) if words else None
    if word not in (None, "个", "个及以上", "个以上"):
        return count, f"? {word}"
    if cmp:
        return count, CMP[str(cmp[0])]
    return count, ">=" if word in ("个及以上", "个以上") else "="


def class_input(classes: ast.Classes) -> ast.Input:
    """单位类别's shared choice input: the class a unit gives."""
    return ast.Input(ast.CLASS_INPUT, "choice", options=classes.names, span=classes.span)
