"""Loading specs into Plans for the tests of the outputs (standard text, Word tables), and spec texts they share."""

from __future__ import annotations

import functools
from pathlib import Path

from idsl.check import check
from idsl.diagnostics import count_errors
from idsl.semantics.lower import lower
from idsl.semantics.model import Plan
from idsl.frontend.resolve import load

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
EXAMPLES = ROOT / "examples"
CASES = ROOT / "tests" / "cases"


@functools.lru_cache(maxsize=None)
def plan_of(path: str | Path) -> Plan:
    """The Plan of a spec that checks without errors (fails the test otherwise)."""
    loaded = load(path)
    diagnostics = check(loaded)
    assert not count_errors(diagnostics), [str(d.message) for d in diagnostics]
    return lower(loaded.spec, loaded.sources)


def seed_spec(number: str) -> Path:
    """specs/<number>_*.idsl."""
    found = sorted(SPECS.glob(f"{number}_*.idsl"))
    assert found, f"no specs/{number}_*.idsl"
    return found[0]


def seed_inputs(number: str) -> Path:
    """examples/<number>_inputs.json."""
    return EXAMPLES / f"{number}_inputs.json"


def compare_golden(path: Path, actual: str, regen: bool) -> None:
    """Compare text with a golden file, or rewrite the file under --regen."""
    if regen or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not regen:
            raise AssertionError(f"{path} did not exist; written now — review it and run again")
        return
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path} differs; run pytest --regen and review the diff"


def unit_table(tmp_path: Path, plan: Plan, rows: list[dict[str, str]]) -> Path:
    """A batch CSV with the plan's columns, each row's cells by header (the rest blank)."""
    import csv

    from idsl.io.columns import unit_columns

    headers = [c.header for c in unit_columns(plan)]
    path = tmp_path / "units.csv"
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, headers)
        writer.writeheader()
        for row in rows:
            writer.writerow({h: row.get(h, "") for h in headers})
    return path


def two_sections(reason_below: bool = False) -> str:
    """A small tree for rules over the whole table: 决策 (a 酌情 leaf, 4) and 产出 (完成率 × 分值, 6)."""
    reason = "    扣分须说明理由\n" if reason_below else ""
    return ("决策（4）\n  重点工作完成率（4）\n    解释 反映部门完成重要事项的情况。\n    酌情\n"
            "产出（6）\n  完成率（6）\n    解释 年度任务完成情况。\n" + reason +
            "    输入 完成率：比率\n    得分 = 完成率 × 分值\n")


def error_codes(text: str) -> list[str]:
    """The error codes of a spec as `idsl check` reports them (parse, then check)."""
    from idsl.check import check_spec
    from idsl.frontend.parse import parse
    from idsl.frontend.source import Source

    spec, diagnostics = parse(Source("t.idsl", text))
    diagnostics = list(diagnostics) + list(check_spec(spec, {"t.idsl": Source("t.idsl", text)}))
    return [d.code for d in diagnostics if d.severity == "error"]


def score_with_both_engines(plan: Plan, units: Path, folder: Path, allow_missing: bool):
    """A batch scored by DuckDB and by the interpreter: the two results files must be the same; both runs returned."""
    from idsl.engines.batch import score_file

    by_duckdb = score_file(plan, units, folder / "a.csv", engine="duckdb", allow_missing=allow_missing)
    by_python = score_file(plan, units, folder / "b.csv", engine="python", allow_missing=allow_missing)
    assert (folder / "a.csv").read_text(encoding="utf-8-sig") == (folder / "b.csv").read_text(encoding="utf-8-sig")
    return by_duckdb, by_python


def form_head(total: str, header: str = "") -> str:
    """The 自评表 header block of a small test spec worth `total` (预算执行率 10 of it), `header` lines above 自评表."""
    return f"""体系 "例" 总分 {total}
{header}自评表
  项目名称：例
  主管部门：县水务局
  实施单位：县水利工程服务中心
  项目资金（万元）
    年度资金总额：120、150、待填
  预算执行率（10）
    得分 = min(执行率, 100%) × 分值
  年度总体目标
    预期目标：完成。
    实际完成情况：完成。
"""
