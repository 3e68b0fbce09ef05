"""The benchmarks' synthetic units are valid rows: drawn inside each input's declared range, so every unit scores."""

from __future__ import annotations

import sys
from pathlib import Path

from idsl.engines.batch import score_rows
from idsl.frontend.resolve import load
from idsl.io.columns import unit_columns
from idsl.semantics.lower import lower

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402

RANGES = """体系 "例" 总分 8
效益（8）
  固定资产投资完成率（2）
    输入 固定资产投资实际完成率：比率 范围 0%～1000%
    目标 固定资产投资实际完成率 ≥ 100%
  考核结果应用（2）
    输入 考核系数：数值 范围 0～2
    得分 = 考核系数 ÷ 2 × 分值
  存量资金压减（2）
    输入 存量资金变动率：比率 范围 -100%～-10%，发生违规：是否
    若 发生违规 则 不得分
    分档 存量资金变动率：存量资金变动率 ≤ -50% 得满分；否则 不得分
  人员（2）
    输入 在编人数：数量 人 范围 3～5
    得分 = 在编人数 ÷ 5 × 分值
"""


def test_synthetic_units_lie_inside_the_declared_ranges(tmp_path):
    path = tmp_path / "ranges.idsl"
    path.write_text(RANGES, encoding="utf-8")
    loaded = load(path)
    assert loaded.spec is not None
    plan = lower(loaded.spec, loaded.sources)
    headers = [c.header for c in unit_columns(plan)]
    rows = [dict(zip(headers, row)) for row in synth.rows(plan, 300, seed=7)]
    scored, errors = score_rows(plan, rows)
    assert errors == [] and len(scored) == 300
    rates = {row["效益/存量资金压减.存量资金变动率"] for row in rows}
    assert len(rates) > 10 and all(-100 <= float(r.rstrip("%")) <= -10 for r in rates)


def test_the_benchmarks_run_from_the_installed_package_as_scripts(tmp_path):
    """`make bench` runs each benchmark as a script: idsl comes from the installed package and the sibling
    modules (run, batch, synth) from the script's folder, with no sys.path of their own and the user's
    environment passed to the processes they start."""
    import ast
    import os
    import subprocess

    for script in sorted((ROOT / "benchmarks").glob("*.py")):
        tree = ast.parse(script.read_text(encoding="utf-8"))
        paths = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "path"
                 and isinstance(node.value, ast.Name) and node.value.id == "sys"]
        environments = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.keyword) and node.arg == "env"
                        and "PYTHONPATH" in ast.unparse(node.value)]
        assert not paths and not environments, (script.name, paths, environments)
    for script in ("run.py", "batch.py", "spark.py"):
        done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), "--help"], cwd=tmp_path,
                              capture_output=True, text=True, env=os.environ, timeout=120)
        assert done.returncode == 0 and "usage:" in done.stdout, (script, done.stderr)


def test_the_layout_table_names_every_benchmark_package_and_folder():
    """README's Project layout names every file of benchmarks/, every package of idsl and every top-level folder."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Project layout"):readme.index("## Development")]
    wanted = [f"`{p.name}`" for p in (ROOT / "benchmarks").iterdir() if p.suffix in (".py", ".sql")]
    wanted += [f"`idsl/{p.name}/`" for p in (ROOT / "idsl").iterdir() if (p / "__init__.py").exists() and p.name != "__pycache__"]
    wanted += [f"`{p.name}/" for p in ROOT.iterdir() if p.is_dir() and p.name in
               ("benchmarks", "docs", "editors", "examples", "grammar", "specs", "tests", ".ci")]
    assert [name for name in wanted if name not in table] == []
