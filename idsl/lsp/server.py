"""The language server (pygls): documents checked as they change, and the features of idsl.lsp.features."""

from __future__ import annotations

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from idsl import __version__
from idsl.lsp import features


class IdslServer(LanguageServer):
    """Keeps the last analysis of every open document."""

    def __init__(self):
        super().__init__("idsl", __version__)
        self.documents: dict[str, features.Document] = {}

    def analyse(self, uri: str) -> features.Document:
        text = self.workspace.get_text_document(uri).source
        path = to_fs_path(uri) or uri
        found = self.documents.get(uri)
        if found is None or found.text != text.replace("\r\n", "\n").replace("\r", "\n"):
            found = features.analyse(path, text)
            self.documents[uri] = found
        return found

    def publish(self, uri: str) -> None:
        document = self.analyse(uri)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=features.lsp_diagnostics(document)))


def make_server() -> IdslServer:
    """A server with every feature registered (not yet started)."""
    server = IdslServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: IdslServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: IdslServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: IdslServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)  # an imported file may have changed on disk

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: IdslServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.documents.pop(params.text_document.uri, None)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: IdslServer, params: types.HoverParams) -> types.Hover | None:
        text = features.hover(ls.analyse(params.text_document.uri), params.position.line, params.position.character)
        if text is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION)
    def completion(ls: IdslServer, params: types.CompletionParams) -> types.CompletionList:
        items = features.completion(ls.analyse(params.text_document.uri))
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: IdslServer, params: types.DefinitionParams) -> types.Location | None:
        return features.definition(ls.analyse(params.text_document.uri), params.position.line,
                                   params.position.character)

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(ls: IdslServer, params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
        document = ls.workspace.get_text_document(params.text_document.uri)
        try:
            text = features.formatted(to_fs_path(params.text_document.uri) or "", document.source)
        except features.NotFormatted as why:
            ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=str(why)))
            return None
        if text == document.source:
            return []
        return [types.TextEdit(range=features.whole_document(document.source), new_text=text)]

    return server
