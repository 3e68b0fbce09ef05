"""Files in and out: evaluators' inputs (JSON, workbooks, batch tables), compiled specs, atomic writes."""
