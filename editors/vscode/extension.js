// Starts `idsl lsp` for .idsl files; everything else (diagnostics, hover, completion, definitions,
// formatting) is the language server's.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("idsl").get("command") || "idsl";
  const server = { command, args: ["lsp"] };
  client = new LanguageClient("idsl", "idsl", { run: server, debug: server }, {
    documentSelector: [{ scheme: "file", language: "idsl" }],
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
