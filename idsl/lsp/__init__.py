"""Editor support (`idsl lsp`): a language server giving idsl's diagnostics, hover, completion, definitions and formatting."""
