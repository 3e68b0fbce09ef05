"""idsl's benchmarks, measured in one run on this machine (`make bench`).

1. Whole-process `idsl check` of each spec against `python -c "import lark, attrs, rich"`, with idsl's
   cache (filled by the first of the runs) and without it (IDSL_NO_CACHE=1).
2. Check time of generated specs with 100, 1,000 and 10,000 leaves, and the growth ratios: parsing
   afresh, with the parsed sources cached, and answered from the cache of check results.
3. Scoring throughput on 10k, 100k and 1M synthetic units of 001: the interpreter (measured on a
   sample and extrapolated — scoring 1M units with it would take about an hour), the SQL engine's
   query on DuckDB, the hand-written DuckDB query (benchmarks/handwritten_001.sql) on the same table,
   and the whole batch path (CSV in → validation → scoring → CSV out).
4. Word table (render_docx) time for 001 and for 1,000- and 10,000-leaf specs, its growth, and the whole
   `idsl compile --docx` of a 20,000-leaf spec.

Targets (issue 5): check of 001 ≤ 1.5× the import baseline; 10× leaves → ≤ 11× time; 1M units of 001
≤ 10 s with DuckDB, ≥ 100× the interpreter, ≤ 2× the hand-written query; Word table of 001 ≤ 0.5 s,
10× leaves → ≤ 11× render time, 20,000 leaves compiled to .docx ≤ 300 s (issue 14).

    .venv/bin/python benchmarks/run.py [--quick] [--check] [--keep DIR]

--quick stops at 100k units (for a smoke test); --check runs 1 and 2 only. Synthetic data and idsl's
caches are written to a temporary directory.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

import synth

# The interpreter the benchmark runs under (.venv's, by `make bench`) and the idsl command installed beside it.
PYTHON = sys.executable
IDSL = str(Path(sys.executable).with_name("idsl")) if Path(sys.executable).with_name("idsl").exists() else "idsl"
SPEC_001 = ROOT / "specs/001_肃南县人社局2024部门整体支出.idsl"
ROWS: list[tuple[str, str, str]] = []  # (measure, value, target/verdict)


def report(measure: str, value: str, verdict: str = "") -> None:
    ROWS.append((measure, value, verdict))
    print(f"  {measure:<58} {value:>22}  {verdict}", flush=True)


def wall(command: list[str], runs: int = 7, env: dict[str, str] | None = None) -> float:
    """Median wall time of a whole process, in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, cwd=ROOT, env=env)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def best(function, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def verdict(ok: bool, text: str) -> str:
    return ("met" if ok else "MISSED") + f" ({text})"


def print_table(rows: list[tuple[str, str, str]]) -> None:
    """The machine's load (the figures depend on it) and the measures as a Markdown table for the README."""
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("\n| measure | value | target |\n| --- | --- | --- |")
    for measure, value, target in rows:
        print(f"| {measure.strip()} | {value} | {target} |")


# ---------------------------------------------------------------- 1. idsl check vs the import baseline


def bench_check_process(cache: Path) -> None:
    print("1. idsl check, whole process (median of 7), as a ratio to the import baseline of this run")
    baseline = wall([PYTHON, "-c", "import lark, attrs, rich"])
    report("python -c 'import lark, attrs, rich'", f"{baseline * 1000:.0f} ms")
    for spec in sorted((ROOT / "specs").glob("*.idsl")):
        warm = wall([IDSL, "check", str(spec)], env=_cached(cache))  # the first run fills the cache
        cold = wall([IDSL, "check", str(spec)], env=_uncached())
        target = verdict(warm / baseline <= 1.5, "≤ 1.5×") if spec == SPEC_001 else ""
        report(f"idsl check {spec.name[:24]}", f"{warm * 1000:.0f} ms = {warm / baseline:.2f}×", target)
        report("  the same with IDSL_NO_CACHE=1", f"{cold * 1000:.0f} ms = {cold / baseline:.2f}×")


def _cached(cache: Path) -> dict[str, str]:
    """The environment of a run that keeps its cache in the benchmark's own folder."""
    env = {k: v for k, v in os.environ.items() if k != "IDSL_NO_CACHE"}
    env["XDG_CACHE_HOME"] = str(cache)
    return env


def _uncached() -> dict[str, str]:
    return {**os.environ, "IDSL_NO_CACHE": "1"}


# ---------------------------------------------------------------- 2. check time against size


def generated_spec(leaves: int) -> str:
    """A spec with `leaves` leaves (10 level-1 indicators, 10 leaves under each level-2 one), cycling
    through checklists, step bands, proportional formulas, linear bands and discretionary leaves."""
    per_level2 = 10
    level2_count = max(1, leaves // (10 * per_level2))
    total = leaves * 2
    lines = [f'体系 "生成的体系（{leaves} 个末级指标）" 总分 {total}', "小数 2 位",
             f"等级 优：总分 ≥ {total * 9 // 10}；良：{total * 8 // 10} ≤ 总分 < {total * 9 // 10}；"
             f"中：{total * 6 // 10} ≤ 总分 < {total * 8 // 10}；差：总分 < {total * 6 // 10}", ""]
    number = 0
    for a in range(10):
        lines.append(f"一级{a + 1}（{level2_count * per_level2 * 2}）")
        for b in range(level2_count):
            lines.append(f"  二级{a + 1}之{b + 1}（{per_level2 * 2}）")
            for _ in range(per_level2):
                number += 1
                lines.append(f"    指标{number}（2）")
                lines.append(f"      解释 第{number}个生成的指标。")
                kind = number % 5
                if kind == 0:
                    lines += ["      要素 每项 1 分", "        - 是否符合规划", "        - 是否符合职责"]
                elif kind == 1:
                    lines += ["      输入 达标率：比率",
                              "      分档 达标率：达标率 ≥ 90% 得满分；90% > 达标率 ≥ 60% 得 1 分；达标率 < 60% 得 0 分"]
                elif kind == 2:
                    lines += ["      输入 执行数：金额 万元，预算数：金额 万元", "      执行率 = 执行数 / 预算数",
                              "      得分 = min(执行率, 100%) × 分值"]
                elif kind == 3:
                    lines += ["      输入 重点支出：金额 万元，总支出：金额 万元", "      安排率 = 重点支出 / 总支出",
                              "      分档 安排率：安排率 ≥ 80% 得满分；80% > 安排率 ≥ 60% 每降低 1% 扣 0.1 分；安排率 < 60% 得 0 分"]
                else:
                    lines += ["      酌情"]
    return "\n".join(lines) + "\n"


def bench_check_growth(directory: Path) -> dict[int, Path]:
    """Check time in process, best of 3, three ways: parsing with Lark every time (IDSL_NO_CACHE=1);
    with the parsed sources cached (`check(load(path))`: the checks run, the parser does not); and
    `check_file` answering from the cache of check results."""
    print("2. check time against the number of leaves (in process, best of 3)")
    from idsl.check import check, check_file
    from idsl.frontend.resolve import load

    specs, times = {}, {"cold": {}, "parsed": {}, "answered": {}}
    for leaves in (100, 1000, 10000):
        path = directory / f"generated_{leaves}.idsl"
        path.write_text(generated_spec(leaves), encoding="utf-8")
        specs[leaves] = path
        found, _ = check_file(path)  # also fills both caches
        errors = [d for d in found if d.severity == "error"]
        assert not errors, errors[:3]
        os.environ["IDSL_NO_CACHE"] = "1"
        times["cold"][leaves] = best(lambda p=path: check(load(p)))
        del os.environ["IDSL_NO_CACHE"]
        times["parsed"][leaves] = best(lambda p=path: check(load(p)))
        times["answered"][leaves] = best(lambda p=path: check_file(p))
        report(f"check {leaves:>6} leaves: parsed afresh / parse cached / answered from cache",
               " / ".join(f"{times[way][leaves] * 1000:,.0f}" for way in times) + " ms",
               verdict(times["parsed"][leaves] <= 1, "≤ 1 s with the parse cached") if leaves == 10000 else "")
    for small, large in ((100, 1000), (1000, 10000)):
        ratios = [times[way][large] / times[way][small] for way in ("cold", "parsed")]
        report(f"growth {small} → {large} leaves (10×): afresh / parse cached", " / ".join(f"{r:.1f}×" for r in ratios),
               verdict(max(ratios) <= 11, "≤ 11×"))
    return specs


# ---------------------------------------------------------------- 3. scoring throughput


def bench_scoring(directory: Path, quick: bool) -> None:
    print("3. scoring throughput of 001 (units/s)")
    import duckdb

    from idsl.engines.batch import run_python, score_file
    from idsl.engines.loading import connect, load_source
    from idsl.engines.validation import validation_select
    from idsl.io.tables import match_headers, write_csv
    from idsl.io.columns import unit_columns
    from idsl.semantics.lower import lower
    from idsl.frontend.resolve import load
    from idsl.engines.sql import compile_sql

    loaded = load(SPEC_001)
    plan = lower(loaded.spec, loaded.sources)
    headers = [c.header for c in unit_columns(plan)]
    base = directory / "units_10000.csv"
    write_csv(base, headers, synth.rows(plan, 10_000, seed=2024))
    sizes = [10_000, 100_000] + ([] if quick else [1_000_000])
    files = {10_000: base}
    con = duckdb.connect()
    for size in sizes[1:]:
        files[size] = directory / f"units_{size}.csv"
        con.execute(f"COPY (SELECT b.* REPLACE (b.\"单位\" || '-' || CAST(k.range AS VARCHAR) AS \"单位\") "
                    f"FROM read_csv('{base}', all_varchar = true, header = true) b, range({size // 10_000}) k) "
                    f"TO '{files[size]}' (HEADER)")
    con.close()

    # The interpreter, on a sample of 2,000 units (row by row, as `idsl score --engine python` does).
    sample = directory / "sample.csv"
    write_csv(sample, headers, synth.rows(plan, 2_000, seed=7))
    scon = connect()
    layout = match_headers(plan, load_source(scon, sample))
    started = time.perf_counter()
    scored, errors = run_python(scon, plan, layout)
    interpreter = len(scored) / (time.perf_counter() - started)
    report("interpreter, batch path (2,000-unit sample)", f"{interpreter:,.0f} units/s",
           "extrapolated: " + ", ".join(f"{size // 1000}k → {size / interpreter:,.0f} s" for size in sizes))
    # The interpreter alone: idsl.score on inputs already read (what one `idsl score` call spends scoring).
    import idsl
    from idsl.engines.rows import row_inputs
    from idsl.io.inputs import read_inputs

    ready = []
    for row in scon.execute("SELECT * EXCLUDE (_row) FROM raw_units ORDER BY _row LIMIT 500").fetchall():
        data, _problems, _covered = row_inputs(plan, layout, dict(zip(headers, row)))
        ready.append(read_inputs(data))
    started = time.perf_counter()
    for inputs in ready:
        idsl.score(plan, inputs)
    alone = len(ready) / (time.perf_counter() - started)
    report("interpreter alone, idsl.score (500-unit sample)", f"{alone:,.0f} units/s", "the speedups below use this")
    interpreter = alone

    hand = (ROOT / "benchmarks/handwritten_001.sql").read_text(encoding="utf-8")
    for size in sizes:
        con = connect()
        layout = match_headers(plan, load_source(con, files[size]))
        typed = ", ".join(f'"{c.header}"' for c in layout.columns)
        con.execute(f"CREATE TABLE units AS SELECT {typed} FROM ({validation_select(layout, 'raw_units_scan')}) v "
                    "WHERE _fast AND _errors = ''")
        query = compile_sql(plan, table="units", columns=layout.columns)
        ours = best(lambda: con.execute(f"CREATE OR REPLACE TABLE r AS {query}"))
        theirs = best(lambda: con.execute(f"CREATE OR REPLACE TABLE h AS {hand}"))
        differ = con.execute('SELECT count(*) FROM h POSITIONAL JOIN r WHERE ROUND(h."总分", 2) <> r."总分"').fetchone()[0]
        label = f"{size // 1000}k"
        report(f"idsl SQL on DuckDB, {label} units (scoring query)", f"{ours:.2f} s = {size / ours:,.0f}/s",
               verdict(ours <= 10, "≤ 10 s") if size == 1_000_000 else "")
        speedup = (size / ours) / interpreter
        report(f"  vs interpreter, {label}", f"{speedup:,.0f}×", verdict(speedup >= 100, "≥ 100×"))
        ratio = ours / theirs
        report(f"  hand-written query, {label}", f"{theirs:.2f} s = {ratio:.2f}× faster",
               verdict(ratio <= 2, "idsl ≤ 2×") + f"; hand-written DOUBLE total differs on {differ} units")
        con.close()
        started = time.perf_counter()
        summary = score_file(plan, files[size], directory / f"results_{size}.csv")
        took = time.perf_counter() - started
        assert summary.scored == size, summary.errors[:3]
        report(f"  whole batch, CSV in → CSV out, {label}", f"{took:.2f} s = {size / took:,.0f}/s")


# ---------------------------------------------------------------- 4. the Word table


def bench_docx(specs: dict[int, Path], directory: Path) -> None:
    """render_docx in process (best of 3) for 001, 1,000 and 10,000 leaves, its growth, and the whole
    `idsl compile --docx` of a 20,000-leaf spec (one run: it includes checking the spec)."""
    print("4. Word scoring table (render_docx, best of 3; compile --docx, one run)")
    try:
        from idsl.render.docx import render_docx
    except ImportError:
        report("Word table", "idsl.render.docx not available")
        return
    from idsl.semantics.lower import lower
    from idsl.frontend.resolve import load

    times = {}
    for label, path, target in (("001", SPEC_001, 0.5), ("1,000 leaves", specs[1000], None),
                                ("10,000 leaves", specs[10000], None)):
        loaded = load(path)
        plan = lower(loaded.spec, loaded.sources)
        times[label] = took = best(lambda: render_docx(plan))
        report(f"render_docx {label}", f"{took * 1000:,.0f} ms",
               verdict(took <= target, f"≤ {target * 1000:.0f} ms") if target else "")
    ratio = times["10,000 leaves"] / times["1,000 leaves"]
    report("render_docx growth 1,000 → 10,000 leaves (10×)", f"{ratio:.1f}×", verdict(ratio <= 11, "≤ 11×"))
    large = directory / "generated_20000.idsl"
    large.write_text(generated_spec(20000), encoding="utf-8")
    took = wall([IDSL, "compile", str(large), "--docx", str(directory / "generated_20000.docx")], runs=1)
    made = (directory / "generated_20000.docx").exists()
    report("idsl compile --docx, 20,000 leaves (whole process)", f"{took:,.1f} s" + ("" if made else ", no file"),
           verdict(made and took <= 300, "≤ 300 s"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="stop at 100k units")
    parser.add_argument("--check", action="store_true", help="measure idsl check only (1 and 2)")
    parser.add_argument("--keep", metavar="DIR", help="write the synthetic data here and keep it")
    options = parser.parse_args()
    print(f"idsl benchmarks — {datetime.date.today().isoformat()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(options.keep or temporary)
        directory.mkdir(parents=True, exist_ok=True)
        os.environ["XDG_CACHE_HOME"] = str(directory / "cache")  # idsl's caches, filled during this run
        bench_check_process(directory / "cache")
        specs = bench_check_growth(directory)
        if not options.check:
            bench_scoring(directory, options.quick)
            bench_docx(specs, directory)
    print_table(ROWS)


if __name__ == "__main__":
    main()
