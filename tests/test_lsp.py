"""`idsl lsp` driven by pygls's own language client over pipes, as an editor drives it: diagnostics as
the text changes, hover, completion, go to definition, and formatting through idsl fmt's printer."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parent.parent
SPEC = next((ROOT / "specs").glob("001_*.idsl"))
SERVER = [sys.executable, "-c", "from idsl.cli import main; main(['lsp'])"]
WAIT = 60  # seconds for the first diagnostics (the server imports the checker and compiles the grammar)


class Editor:
    """An editor session: a started client and the diagnostics published to it, by URI."""

    def __init__(self):
        self.client = LanguageClient("idsl-test", "1")
        self.diagnostics: dict[str, list[types.Diagnostic]] = {}
        self.messages: list[str] = []
        self.arrived = asyncio.Event()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(ls, params: types.PublishDiagnosticsParams) -> None:  # pygls passes the client as `ls`
            self.diagnostics[params.uri] = params.diagnostics
            self.arrived.set()

        @self.client.feature(types.WINDOW_SHOW_MESSAGE)
        def shown(ls, params: types.ShowMessageParams) -> None:
            self.messages.append(params.message)

    async def start(self, folder: Path) -> None:
        await self.client.start_io(*SERVER, cwd=str(ROOT))
        await self.client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=folder.as_uri(), process_id=None))
        self.client.initialized(types.InitializedParams())

    async def open(self, path: Path, text: str) -> list[types.Diagnostic]:
        self.arrived.clear()
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=path.as_uri(), language_id="idsl", version=1, text=text)))
        await asyncio.wait_for(self.arrived.wait(), WAIT)
        return self.diagnostics[path.as_uri()]

    async def change(self, path: Path, text: str, version: int) -> list[types.Diagnostic]:
        self.arrived.clear()
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
        await asyncio.wait_for(self.arrived.wait(), WAIT)
        return self.diagnostics[path.as_uri()]

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()


def session(folder: Path, scenario) -> None:
    """Run one editor session against a fresh server."""
    async def run():
        editor = Editor()
        await editor.start(folder)
        try:
            await scenario(editor)
        finally:
            await editor.stop()

    asyncio.run(run())


@pytest.fixture
def folder(tmp_path) -> Path:
    shutil.copy(SPEC, tmp_path / SPEC.name)
    return tmp_path


def at(path: Path, line: int, character: int):
    return dict(text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
                position=types.Position(line=line, character=character))


def test_diagnostics_follow_the_text(folder):
    path = folder / SPEC.name
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    line = next(i for i, t in enumerate(lines) if t.strip() == "要素 每项 1 分")
    wrong = text.replace("      要素 每项 1 分\n", "      要素 每项 1.5 分\n", 1)

    async def scenario(editor: Editor):
        clean = await editor.open(path, text)
        assert [d.code for d in clean if d.severity == types.DiagnosticSeverity.Error] == []
        found = await editor.change(path, wrong, 2)
        errors = [d for d in found if d.severity == types.DiagnosticSeverity.Error]
        assert [d.code for d in errors] == ["E401"]
        e401 = errors[0]
        assert e401.range.start.line == line and e401.range.start.character == 6  # after six spaces
        assert "最多能给 4.5 分" in e401.message and "决策 › 目标设定 › 年度绩效目标合理性" in e401.message
        again = await editor.change(path, text, 3)
        assert not [d for d in again if d.severity == types.DiagnosticSeverity.Error]

    session(folder, scenario)


def test_a_syntax_error_is_reported_on_its_line(folder):
    path = folder / "新.idsl"

    async def scenario(editor: Editor):
        found = await editor.open(path, '体系 "新" 总分 3\n决策（3\n')
        assert found and found[0].code.startswith("E1") and found[0].range.start.line == 1

    session(folder, scenario)


def test_hover_gives_the_path_points_and_standard_text(folder):
    path = folder / SPEC.name
    text = path.read_text(encoding="utf-8")
    line = next(i for i, t in enumerate(text.split("\n")) if t.strip() == "重点支出安排率（2）")

    async def scenario(editor: Editor):
        await editor.open(path, text)
        shown = await editor.client.text_document_hover_async(types.HoverParams(**at(path, line + 3, 4)))
        value = shown.contents.value
        assert "决策 › 预算配置 › 重点支出安排率" in value and "（2 分）" in value
        assert "重点支出安排率≥80%得2分" in value  # the generated 评分标准, as the Word table prints it
        branch = await editor.client.text_document_hover_async(
            types.HoverParams(**at(path, text.split("\n").index("决策（15）"), 1)))
        assert "**决策**（15 分）" in branch.contents.value and "目标设定（9）" in branch.contents.value

    session(folder, scenario)


def test_completion_offers_keywords_and_input_names(folder):
    path = folder / SPEC.name
    text = path.read_text(encoding="utf-8")

    async def scenario(editor: Editor):
        await editor.open(path, text)
        found = await editor.client.text_document_completion_async(types.CompletionParams(**at(path, 0, 0)))
        labels = {item.label: item.kind for item in found.items}
        assert labels["分档"] == types.CompletionItemKind.Keyword and labels["每降低"] == types.CompletionItemKind.Keyword
        assert labels["重点项目支出"] == types.CompletionItemKind.Variable
        assert labels["项目总支出"] == types.CompletionItemKind.Variable

    session(folder, scenario)


def test_definition_of_an_input_and_of_an_imported_file(folder):
    path = folder / SPEC.name
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    declared = next(i for i, t in enumerate(lines) if "输入 重点项目支出" in t)
    used = next(i for i, t in enumerate(lines) if "= 重点项目支出" in t)
    over = folder / "覆盖.idsl"
    over_text = f'引用 "{SPEC.name}"\n体系 "覆盖" 总分 100\n'

    async def scenario(editor: Editor):
        await editor.open(path, text)
        column = lines[used].index("重点项目支出") + 1
        found = await editor.client.text_document_definition_async(types.DefinitionParams(**at(path, used, column)))
        assert found.uri == path.as_uri() and found.range.start.line == declared
        assert lines[declared][found.range.start.character:found.range.end.character] == "重点项目支出"
        await editor.open(over, over_text)
        found = await editor.client.text_document_definition_async(types.DefinitionParams(**at(over, 0, 5)))
        assert found.uri == path.as_uri()

    session(folder, scenario)


def test_formatting_uses_idsl_fmt_and_keeps_comments(folder):
    path = folder / "格式.idsl"
    messy = '体系 "x" 总分 3\n决策（3）\n  目标设定（3）\n    合理性（3）\n      解释 说明。\n      酌情\n'
    from idsl.frontend.parse import parse
    from idsl.frontend.printer import format_spec
    from idsl.frontend.source import Source

    canonical = format_spec(parse(Source("x.idsl", messy))[0])

    async def scenario(editor: Editor):
        await editor.open(path, messy.replace("总分 3", "总分  3").replace("（3）\n  目标", "(3)\n  目标"))
        edits = await editor.client.text_document_formatting_async(types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            options=types.FormattingOptions(tab_size=2, insert_spaces=True)))
        assert len(edits) == 1 and edits[0].new_text == canonical and edits[0].range.start.line == 0
        commented = folder / "注释.idsl"
        await editor.open(commented, "# 注释\n" + messy.replace("酌情", "酌情  # 行尾注释").replace("（3）\n  目标", "(3)\n  目标"))
        edits = await editor.client.text_document_formatting_async(types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=commented.as_uri()),
            options=types.FormattingOptions(tab_size=2, insert_spaces=True)))
        assert len(edits) == 1 and edits[0].new_text == "# 注释\n" + canonical.replace("酌情", "酌情  # 行尾注释")

    session(folder, scenario)


# ---------------------------------------------------------------- the VS Code extension


EDITOR = ROOT / "editors" / "vscode"


def test_the_textmate_grammar_highlights_every_keyword_of_the_grammar():
    import json
    import re

    from idsl.serve.keywords import keywords

    grammar = json.loads((EDITOR / "syntaxes" / "idsl.tmLanguage.json").read_text(encoding="utf-8"))
    match = grammar["repository"]["keyword"]["match"]
    alternation = re.search(r"\(\?:(.*)\)\(\?!", match).group(1)
    assert {re.sub(r"\\(.)", r"\1", word) for word in alternation.split("|")} == set(keywords())
    assert grammar["scopeName"] == "source.idsl"


def test_the_extension_starts_idsl_lsp_for_idsl_files():
    import json

    package = json.loads((EDITOR / "package.json").read_text(encoding="utf-8"))
    assert package["contributes"]["languages"][0]["extensions"] == [".idsl"]
    assert package["contributes"]["grammars"][0]["path"] == "./syntaxes/idsl.tmLanguage.json"
    assert 'args: ["lsp"]' in (EDITOR / package["main"]).read_text(encoding="utf-8")
