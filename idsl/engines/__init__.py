"""The engines: the interpreter (exact, row by row, with reasons) and the SQL compiler (one query for a batch)."""
