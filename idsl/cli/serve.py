"""`idsl serve`: the authoring workbench, a local web page over the specs of a folder."""

from __future__ import annotations

import click


@click.command("serve")
@click.argument("folder", metavar="[DIR]", default=".", type=click.Path(exists=True, file_okay=False))
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True, metavar="N",
              help="端口；0 表示任选一个空闲端口。")
@click.option("--open", "open_browser", is_flag=True, help="启动后用默认浏览器打开页面。")
def command(folder: str, port: int, open_browser: bool) -> None:
    """在本机（127.0.0.1）启动 idsl 工作台，编辑、检查 DIR 里的体系文件（默认当前文件夹）：
    边写边显示诊断和评分表；评分视图按输入表的规则校验输入，显示每个指标的得分和得分原因、
    小计、总分和等级；可下载空白和已评的评分表（.docx）、输入表（.xlsx）和编译结果。
    只能读写 DIR 里的 .idsl 文件；按 Ctrl+C 停止。

    \b
    Examples:
      idsl serve specs
      idsl serve . --port 8765 --open
    """
    from idsl.serve.server import address, make_server  # lazy: the workbench imports python-docx

    try:
        server = make_server(folder, port)
    except OSError as err:
        raise click.ClickException(f"不能在端口 {port} 上启动：{err.strerror or err}") from err
    url = address(server)
    click.echo(f"idsl 工作台：{url}  （文件夹 {click.format_filename(folder)}；Ctrl+C 停止）")
    if open_browser:
        import webbrowser  # lazy: only --open needs it (it imports subprocess)

        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("已停止。", err=True)
    finally:
        server.server_close()
