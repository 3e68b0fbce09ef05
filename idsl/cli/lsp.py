"""`idsl lsp`: the language server for editors, over standard input and output."""

from __future__ import annotations

import click


@click.command("lsp")
def command() -> None:
    """启动 idsl 的语言服务器（LSP，经标准输入输出通信），供编辑器使用：边写边给出诊断，
    悬停显示指标路径、分值和生成的评分标准，补全关键字和输入名，跳转到输入的声明或引用的文件，
    用 idsl fmt 的规范格式格式化。VS Code 扩展见 editors/vscode/。

    \b
    Examples:
      idsl lsp
    """
    from idsl.lsp.server import make_server  # lazy: pygls is needed by this command only

    make_server().start_io()
