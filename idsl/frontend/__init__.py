"""From text to AST: sources and spans, the grammar, the parser, imports, the canonical printer."""
