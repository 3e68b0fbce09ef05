"""The checks in the order they run, and running them all over one parsed, merged spec."""

from __future__ import annotations

from typing import Callable, Iterable

from idsl.frontend import ast
from idsl.check.applicable import check_rescale_total
from idsl.check.applies import check_applies
from idsl.check.classes import check_classes
from idsl.check.pools import check_pools
from idsl.check.adjusts import check_adjusts
from idsl.check.awards import check_award_bounds
from idsl.check.zero_guards import check_zero_guards
from idsl.check.reasons import check_reason_below
from idsl.check.bands import check_band_coverage, check_band_shape, check_units
from idsl.check.compound import check_compound
from idsl.check.deductions import check_deductions
from idsl.check.finding_caps import check_finding_caps
from idsl.check.graded import check_graded
from idsl.check.gates import check_gates
from idsl.check.places import check_leaf_limits
from idsl.check.nodata import check_nodata
from idsl.check.grades import check_grades
from idsl.check.vetoes import check_vetoes
from idsl.check.grade_limits import check_grade_limits
from idsl.check.consequences import check_consequences
from idsl.check.context import Context, build_context
from idsl.check.empty import check_not_empty
from idsl.check.form import check_form, check_form_book, check_funds, check_intervals
from idsl.check.document import (check_examples, check_explanations, check_layout, check_sets_once,
                                 check_verbatim_standard)
from idsl.check.names import (check_duplicates, check_name_characters, check_rule_inputs, check_rule_present,
                              check_undefined, check_unused)
from idsl.check.placeholders import check_placeholders
from idsl.check.refine import check_refinements
from idsl.check.profiles import check_profiles
from idsl.check.points import (check_children_sum, check_parts_sum, check_points_places, check_points_present,
                               check_total)
from idsl.diagnostics import Diagnostic, sort_diagnostics
from idsl.frontend.resolve import fewer_collections
from idsl.frontend.source import Source

Check = Callable[[Context], Iterable[Diagnostic]]

# In the order an author fixes things: structure and points, names, units, then what rules award.
CHECKS: tuple[Check, ...] = (
    check_not_empty,
    check_placeholders,
    check_refinements,
    check_points_present,
    check_children_sum,
    check_pools,
    check_total,
    check_profiles,
    check_parts_sum,
    check_points_places,
    check_form,
    check_funds,
    check_form_book,
    check_rule_present,
    check_duplicates,
    check_name_characters,
    check_undefined,
    check_rule_inputs,
    check_units,
    check_band_coverage,
    check_compound,
    check_deductions,
    check_finding_caps,
    check_award_bounds,
    check_zero_guards,
    check_gates,
    check_nodata,
    check_graded,
    check_adjusts,
    check_leaf_limits,
    check_grades,
    check_vetoes,
    check_grade_limits,
    check_consequences,
    check_rescale_total,
    check_applies,
    check_classes,
    check_reason_below,
    check_band_shape,
    check_intervals,
    check_unused,
    check_explanations,
    check_verbatim_standard,
    check_layout,
    check_examples,
    check_sets_once,
)


def check_spec(spec: ast.Spec, sources: dict[str, Source]) -> list[Diagnostic]:
    """Run every check on a parsed, merged spec; all diagnostics, sorted and without repeats.

    >>> from idsl.frontend.resolve import load_text
    >>> loaded = load_text(Source("t.idsl", '体系 "例" 总分 10\\n决策（10）\\n  目标设定（9）\\n    解释 例\\n    酌情\\n'))
    >>> [d.code for d in check_spec(loaded.spec, loaded.sources)]
    ['E302']
    """
    with fewer_collections():
        context = build_context(spec, sources)
        found: list[Diagnostic] = []
        for run in CHECKS:
            found.extend(run(context))
    return sort_diagnostics(unique(found))


def unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The same problem found twice (e.g. in a leaf and again in its part) is shown once."""
    seen, kept = set(), []
    for d in diagnostics:
        key = (d.code, d.message, d.span)
        if key not in seen:
            seen.add(key)
            kept.append(d)
    return kept
