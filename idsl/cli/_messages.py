"""click's own words (usage, errors, help headings) in Chinese, like the rest of idsl's messages."""

from __future__ import annotations

import gettext
import importlib

from idsl.cli._wrap import wrap_text

# Every click module that looks its words up through gettext's `_` and `ngettext`.
_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils")

_WORDS = {
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "用 '{command} {option}' 查看帮助。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹，不是文件。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，不是文件夹。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "file": "文件",
    "path": "路径",
    "directory": "文件夹",
    "default: {default}": "默认：{default}",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数。",
    "Aborted!": "已中止。",
}

_PLURALS = {
    "{value!r} is not {choice}.": ("{value!r} 不是 {choice}。", "{value!r} 不是 {choices} 之一。"),
    "Did you mean {possibility}?": ("是不是 {possibility}？", "（是不是 {possibilities} 之一？）"),
    "Got unexpected extra argument ({args})": ("多余的参数（{args}）", "多余的参数（{args}）"),
    "Option {name!r} requires an argument.": ("选项 {name!r} 需要一个值。", "选项 {name!r} 需要 {nargs} 个值。"),
    "Takes {nargs} values but 1 was given.": ("需要 {nargs} 个值，只给了 1 个。", "需要 {nargs} 个值，给了 {len} 个。"),
}


def _words(message: str) -> str:
    return _WORDS.get(message, message)


def _plural_words(singular: str, plural: str, count: int) -> str:
    if singular in _PLURALS:
        one, many = _PLURALS[singular]
        return one if count == 1 else many
    return gettext.ngettext(singular, plural, count)


def install() -> None:
    """Make click say its words in Chinese, and wrap help text by display cells; words not listed
    here stay as click has them."""
    # the help formatter calls click.formatting.wrap_text by name
    importlib.import_module("click.formatting").wrap_text = wrap_text
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _words
        if hasattr(module, "ngettext"):
            module.ngettext = _plural_words
