"""Loading specs into Plans for the tests of the outputs (standard text, Word tables), and spec texts they share."""

from __future__ import annotations

import functools
import textwrap
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


def rows_csv(folder: Path, rows: list[dict[str, str]]) -> Path:
    """A batch CSV `units.csv` in `folder` of the rows as given: the first row's keys are the headers."""
    import csv

    path = folder / "units.csv"
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
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


def xianjie(spec: str) -> str:
    """A form_head spec laid out as the 衔接资金 postings: 表式 衔接资金, the funds' two figures 全年预算数、全年执行数."""
    return spec.replace("自评表\n", "自评表\n  表式 衔接资金\n", 1).replace("年度资金总额：120、150、待填", "年度资金总额：150、待填")


# A 自评表 with every parent row the form prints: a level-2 择一, a level-3 sum of level-4 indicators, 取最高 and
# 任选 under level-3 indicators, and a level-1 择一 of a target and a 定性 leaf (tests of the form and its import).
PARENTS_SPEC = form_head("50") + """
产出指标（10）
  数量指标（5）
    择一
    完成数量（5）
      输入 完成数：数量 个
      目标 完成数 ≥ 10 个
    完成面积（5）
      输入 面积：数量 亩
      目标 面积 ≥ 100 亩
  质量指标（5）
    验收（5）
      竣工验收（3）
        输入 验收合格率：比率
        目标 验收合格率 ≥ 95%
      档案管理（2）
        输入 档案完整率：比率
        目标 档案完整率 = 100%
效益指标（10）
  社会效益指标（10）
    社会效益（10）
      取最高 1 项
      就业（10）
        输入 就业人数：数量 人
        目标 就业人数 ≥ 50 人
      培训（10）
        输入 培训人次：数量 人次
        目标 培训人次 ≥ 200 人次
满意度指标（10）
  服务对象满意度指标（10）
    满意度（10）
      任选 1 项
      群众满意度（10）
        输入 群众满意率：比率
        目标 群众满意率 ≥ 90%
      企业满意度（10）
        输入 企业满意率：比率
        目标 企业满意率 ≥ 90%
成本指标（10）
  择一
  经济成本（10）
    输入 单位成本：金额 元
    目标 单位成本 ≤ 75 元
  社会成本（10）
    输入 档次：选项 达成/部分达成/未达成
    定性 档次
"""

PARENTS_INPUTS = {"unit": "县水利工程服务中心", "inputs": {
    "预算执行率": {"全年执行数": 135}, "数量指标": {"选用": "完成数量"}, "完成数量": {"完成数": 8},
    "竣工验收": {"验收合格率": "90%"}, "档案管理": {"档案完整率": "100%"}, "就业": {"就业人数": 40},
    "培训": {"培训人次": 190}, "满意度": {"选用": ["企业满意度"]}, "企业满意度": {"企业满意率": "85%"},
    "成本指标": {"选用": "经济成本"}, "经济成本": {"单位成本": 80}}}


# A 择一 whose alternative is the one whose inputs are given (no 选用 needed): 竣工验收 or 阶段性验收, beside a plain
# 质量 leaf — the two level-3 indicators of a level-2 worth 10, written at the left margin (`acceptance_choice` indents).
ACCEPTANCE_CHOICE = """项目验收（5）
  择一
  竣工验收（5）
    解释 项目已竣工的，考察竣工验收的合格情况。
    输入 验收合格率：比率
    得分 = 验收合格率 × 分值
  阶段性验收（5）
    解释 项目未竣工的，考察阶段性验收的完成情况。
    要素 每项 2.5 分
      - 按计划组织了阶段性验收
      - 阶段性验收发现的问题已整改
质量（5）
  解释 质量。
  输入 合格率：比率
  得分 = 合格率 × 分值
"""


def acceptance_choice(depth: int) -> str:
    """ACCEPTANCE_CHOICE indented to `depth` levels (two spaces each)."""
    return textwrap.indent(ACCEPTANCE_CHOICE, "  " * depth)


BY_GIVING = '体系 "例" 总分 10\n产出（10）\n' + acceptance_choice(1)


def fund_choice(alternative: str, shared: str = "") -> str:
    """A spec whose 资金 is 择一 between `alternative` (its heading and lines, at the alternatives' depth) and
    按评审 (酌情), beside a plain 质量 leaf; `shared` declares the spec's 共用 inputs."""
    head = '体系 "例" 总分 10\n' + (f"输入 {shared}\n" if shared else "") + "产出（10）\n  资金（5）\n    择一\n"
    return head + alternative + """    按评审（5）
      解释 由评审酌情计分。
      酌情
  质量（5）
    解释 质量。
    输入 合格率：比率
    得分 = 合格率 × 分值
"""


# 按到位率 reads a 共用 input only: nothing of its own says it was chosen, so 选用 must
NAMED_ONLY = fund_choice("""    按到位率（5）
      解释 按资金到位率计分。
      得分 = 到位率 × 分值
""", "到位率：比率")


# 决策's 预算配置 (at level 2): a checklist of four and a capped rate whose deductions need a 理由 — the worked-example
# tests' common branch (tests/test_worked_examples.py, tests/test_example_sets.py)
BUDGET_ALLOCATION = """  预算配置（7）
    年度绩效目标合理性（4）
      解释 主要考察绩效目标依据是否充分。
      要素 每项 1 分
        - 是否符合国家法律法规
        - 是否符合部门职责
        - 是否与预算匹配
        - 是否细化量化
    完成率（3）
      解释 年度任务完成情况。
      扣分须说明理由
      输入 完成率：比率
      得分 = min(完成率, 100%) × 分值
"""

# a level-2 效益 whose first 分项 is a checklist of three (社会效益, 3 points); its second 分项 follows, 3 points
BENEFIT_PARTS = """  效益（6）
    解释 例
    分项 社会效益（3）
      要素 每项 1 分
        - 甲
        - 乙
        - 丙
"""


def rate_and_count(reasons: bool = False) -> str:
    """产出（10）: 完成率（6, the rate × points; its deductions needing a 理由 with `reasons`) and 数量（4, a target of
    10 个） — the readers' tests' small spec body."""
    reason = "    扣分须说明理由\n" if reasons else ""
    return f"""产出（10）
  完成率（6）
    解释 年度任务完成情况。
{reason}    输入 完成率：比率
    得分 = 完成率 × 分值
  数量（4）
    解释 数量。
    输入 数：数量 个
    目标 数 ≥ 10 个
"""
