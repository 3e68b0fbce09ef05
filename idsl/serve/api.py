"""The workbench's JSON API: one function per route, each taking the request's data and returning a
reply; every refusal is an ApiError with an HTTP status and a message in Chinese."""

from __future__ import annotations

from typing import Any, Callable

import attrs

from idsl.io.compiled import dumps
from idsl.render.docx import render_docx
from idsl.serve.analysis import Analyses, Analysis, diagnostic_data
from idsl.serve.evaluation import FormError, checked_cells, checked_notes, form_rows, result_data, score_form
from idsl.serve.keywords import keywords
from idsl.serve.table import level_sums, table_html
from idsl.serve.workspace import MAX_SPEC_BYTES, Workspace, WorkspaceError

MAX_DIAGNOSTICS = 500  # diagnostics sent to the page (all are counted)


class ApiError(WorkspaceError):
    """A request refused: the status and the message the page shows."""


@attrs.frozen
class Download:
    """A file to send as an attachment."""

    name: str  # the file name offered
    media_type: str
    data: bytes


class Api:
    """The routes over one workspace."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self.analyses = Analyses(workspace)

    def routes(self) -> dict[tuple[str, str], Callable[[dict], Any]]:
        return {("GET", "/api/files"): self.files, ("GET", "/api/file"): self.file,
                ("GET", "/api/keywords"): self.keywords, ("POST", "/api/check"): self.check,
                ("POST", "/api/score"): self.score, ("POST", "/api/save"): self.save,
                ("POST", "/api/download"): self.download}

    # -- files

    def files(self, _request: dict) -> dict:
        files, truncated = self.workspace.files()
        return {"root": self.workspace.root.name, "files": files, "truncated": truncated}

    def file(self, request: dict) -> dict:
        text, digest = self.workspace.read(request.get("path"))
        return {"path": request["path"], "text": text, "hash": digest}

    def keywords(self, _request: dict) -> dict:
        return {"keywords": list(keywords())}

    def save(self, request: dict) -> dict:
        digest = self.workspace.save(request.get("path"), request.get("text"), request.get("hash"))
        return {"path": request["path"], "hash": digest, "message": f"已保存 {request['path']}。"}

    # -- checking and scoring

    def _analysis(self, request: dict) -> Analysis:
        text = request.get("text")
        if not isinstance(text, str):
            raise ApiError(400, "缺少体系文本（text）。")
        if len(text) > MAX_SPEC_BYTES:
            raise ApiError(413, "体系文本太大。")
        return self.analyses.get(self.workspace.relative(self.workspace.resolve(request.get("path"))), text)

    def check(self, request: dict) -> dict:
        analysis = self._analysis(request)
        shown = analysis.diagnostics[:MAX_DIAGNOSTICS]
        reply = {"path": analysis.name, "hash": analysis.text_hash,
                 "diagnostics": [diagnostic_data(d, analysis.sources) for d in shown],
                 "errors": analysis.errors, "warnings": len(analysis.diagnostics) - analysis.errors,
                 "more": len(analysis.diagnostics) - len(shown), "table": None, "sums": None, "form": None}
        plan = analysis.plan
        if plan is not None:
            reply.update(title=plan.layout.title, table=table_html(plan), sums=level_sums(plan),
                         total=str(plan.total))
            if request.get("form", True) is not False:  # the author's view leaves the form out: it is not shown
                reply["form"] = form_rows(plan)
        return reply

    def _plan(self, request: dict):
        analysis = self._analysis(request)
        if analysis.plan is None:
            raise ApiError(422, f"体系有 {analysis.errors} 个错误，改正后才能评分和下载。")
        return analysis.plan

    def _scored(self, request: dict):
        plan = self._plan(request)
        try:
            cells = checked_cells(plan, request.get("cells", {}))
            notes = checked_notes(request.get("notes"))
        except FormError as err:
            raise ApiError(400, str(err)) from err
        return (plan, *score_form(plan, cells, notes))

    def score(self, request: dict) -> dict:
        plan, result, problems, given = self._scored(request)
        return {"result": result_data(plan, result), "problems": problems, "table": table_html(plan, result, given)}

    # -- downloads

    def download(self, request: dict) -> Download:
        kind = request.get("kind")
        stem = self.workspace.resolve(request.get("path")).stem
        if kind == "docx":
            return Download(f"{stem}_评分表.docx", _DOCX, render_docx(self._plan(request)))
        if kind == "filled-docx":
            return self._filled(request, stem)
        if kind == "workbook":
            from idsl.render.workbook import template_workbook  # lazy: openpyxl is slow to import

            return Download(f"{stem}_输入表.xlsx", _XLSX, template_workbook(self._plan(request)))
        if kind == "compiled":
            return Download(f"{stem}.compiled.json", "application/json", dumps(self._plan(request)).encode("utf-8"))
        raise ApiError(400, "kind 应是 docx、filled-docx、workbook 或 compiled。")

    def _filled(self, request: dict, stem: str) -> Download:
        plan, result, problems, given = self._scored(request)
        if problems:
            raise ApiError(422, f"输入有 {len(problems)} 处问题，改正后才能生成已评的评分表。")
        return Download(f"{stem}_评分表_已评.docx", _DOCX, render_docx(plan, result, given))


_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
