"""The national frameworks shipped as scaffold specs (points, targets and 个性指标 still to fill), for `idsl new`."""

from __future__ import annotations

import re
from importlib import resources

import attrs


@attrs.frozen
class Framework:
    """A scaffold: the name `idsl new --from` takes, other names for it, what it is, and its file."""

    name: str
    aliases: tuple[str, ...]
    title: str  # what it is, for `idsl new --list`
    file: str  # the .idsl file beside this module

    def text(self) -> str:
        """The scaffold's text, as shipped."""
        return resources.files(__name__).joinpath(self.file).read_text(encoding="utf-8")


FRAMEWORKS: tuple[Framework, ...] = (
    Framework("自评表", ("2020附1", "附1"), "项目支出绩效自评表（财预〔2020〕10号 附1）：单位自评，权重 10/50/30/10",
              "national_2020_annex1_self_evaluation.idsl"),
    Framework("衔接资金", ("衔接资金自评表", "绩效目标自评表"),
              "绩效目标自评表（衔接资金）：财政衔接推进乡村振兴补助资金项目，附1 的县级变体，权重 10/50/30/10",
              "rural_revitalization_self_evaluation.idsl"),
    Framework("2020附2", ("附2",), "项目支出绩效评价指标体系框架（财预〔2020〕10号 附2）：财政评价、部门评价",
              "national_2020_annex2.idsl"),
    Framework("2013项目支出", ("2013附件1",), "项目支出绩效评价共性指标体系框架（财预〔2013〕53号 附件1）",
              "national_2013_project.idsl"),
    Framework("2013部门整体", ("2013附件2",), "部门整体支出绩效评价共性指标体系框架（财预〔2013〕53号 附件2）",
              "national_2013_department.idsl"),
    Framework("2013财政预算", ("2013附件3",), "财政预算绩效评价共性指标体系框架（财预〔2013〕53号 附件3）",
              "national_2013_budget.idsl"),
)

_TITLE_LINE = re.compile(r'^体系 "[^"\n]*"', re.MULTILINE)


def find(name: str) -> Framework | None:
    """The framework `idsl new --from NAME` names, by its name or another name, ignoring spaces.

    >>> find("2020 附2").file
    'national_2020_annex2.idsl'
    >>> find("附3") is None
    True
    """
    wanted = "".join(name.split())
    return next((f for f in FRAMEWORKS if wanted in (f.name, *f.aliases)), None)


def scaffold(framework: Framework, title: str | None = None) -> str:
    """The scaffold's text, with the system's title replaced when one is given.

    >>> scaffold(find("自评表"), "营养改善计划 2024 年自评").count('体系 "营养改善计划 2024 年自评" 总分 100')
    1
    """
    text = framework.text()
    if title is None:
        return text
    quoted = title.replace('"', "“")  # a title is one quoted string: no straight quote inside
    return _TITLE_LINE.sub(lambda _m: f'体系 "{quoted}"', text, count=1)
