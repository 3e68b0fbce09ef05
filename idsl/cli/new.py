"""`idsl new`: a new spec scaffolded from a national framework or the 自评表 form, with its placeholders to fill."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from idsl.check import check_file
from idsl.cli._common import clean, echo
from idsl.frameworks import FRAMEWORKS, find, scaffold
from idsl.io.files import check_outputs, write_atomic

# What each placeholder code asks for, in the summary printed after writing.
_TO_FILL = {"E450": "分值", "E451": "指标值", "E452": "待细化的个性指标", "E423": "自评表的项目信息和目标"}


@click.command("new", short_help="从国家框架或自评表生成一个待填写的体系。")
@click.option("--from", "source", metavar="NAME", default="自评表", show_default=True,
              help="从哪个框架生成（idsl new --list 列出）。")
@click.option("-o", "--output", "output", metavar="FILE.idsl", type=click.Path(dir_okay=False),
              help="写到 FILE.idsl（已有的文件不覆盖）；不写 -o 则输出到标准输出。")
@click.option("--title", metavar="TEXT", help="体系的标题，如 \"2024年度营养改善计划项目支出绩效自评表\"。")
@click.option("--list", "listing", is_flag=True, help="列出可用的框架。")
def command(source: str, output: str | None, title: str | None, listing: bool) -> None:
    """生成一个待填写的体系：国家框架（财预〔2013〕53号 三个附件、财预〔2020〕10号 附2）或
    项目支出绩效自评表（附1）的指标、指标说明和评价要点都已写好，分值写作（？），指标值写作 ？，
    要写本项目个性指标的地方写作 待细化。idsl check 逐处列出要填的地方；填完、检查无误后即可
    idsl template、idsl score。

    退出码：0 已写出；1 文件已存在或无法写出；2 用法错误（如不认识的框架名）。

    \b
    示例：
      idsl new --list
      idsl new --from 自评表 -o 我的自评表.idsl
      idsl new --from 2020附2 --title "2024年度某项目财政评价" -o 评价.idsl
    """
    if listing:
        for framework in FRAMEWORKS:
            others = f"（也可写 {'、'.join(framework.aliases)}）" if framework.aliases else ""
            click.echo(f"{framework.name}\t{framework.title}{others}")
        return
    if title is not None and not title.strip():
        raise click.BadParameter("标题不能是空的；写上评分表的标题，或不写 --title 用框架的标题。", param_hint="--title")
    framework = find(source)
    if framework is None:
        known = "、".join(f.name for f in FRAMEWORKS)
        raise click.BadParameter(clean(f"不认识的框架“{source}”；可用的有：{known}（idsl new --list）。"),
                                 param_hint="--from")
    text = scaffold(framework, title)
    if output is None:
        click.echo(text, nl=False)
        return
    if Path(output).suffix != ".idsl":
        raise click.BadParameter("体系文件应以 .idsl 结尾", param_hint="-o")
    if Path(output).exists():
        echo(f"{output} 已存在，不覆盖；换一个文件名，或先删去它。", err=True)
        raise SystemExit(1)
    check_outputs(output)
    write_atomic(output, text.encode("utf-8"))
    echo(f"已写出 {output}（{framework.title}）：{_summary(output)}运行 idsl check {output} 逐处列出。", err=True)


def _summary(path: str) -> str:
    """How many placeholders the written scaffold has, by kind."""
    found, _sources = check_file(path)
    counts = Counter(d.code for d in found if d.code in _TO_FILL)
    said = "、".join(f"{_TO_FILL[code]} {counts[code]} 处" for code in _TO_FILL if counts[code])
    return f"待填 {said}；" if said else ""
