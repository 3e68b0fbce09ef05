"""Pieces of a 评分标准 text turned into idsl: numbers, awards, conditions, expressions and the inputs they use."""

from __future__ import annotations

import re
from decimal import Decimal

NUM = r"-?\d+(?:\.\d+)?"
COUNTING = r"(?:人次|项|个|次|例|件|处|起|条|笔|份|户|人)"  # a count's word after its number: 问题数≥3项, 每增加1次
QTY = NUM + rf"(?:%|{COUNTING})?"
_NAME = re.compile(r"[A-Za-z\u4e00-\u9fff“”‘’《》][0-9A-Za-z_\u4e00-\u9fff“”‘’《》·]*")
_NOT_NAMES = {"分值", "min", "max", "abs", "round", "最小值", "最大值", "绝对值", "四舍五入", "换算", "且", "或", "否则",
              "是", "否", "得满分", "不得分"}
_WORD_OPS = (("大于等于", "≥"), ("小于等于", "≤"), ("不为", "≠"), ("大于", ">"), ("小于", "<"), ("为", "="))
_SYMBOL = re.compile(r"(≥|≤|≠|>=|<=|!=|>|<|=)")
_MONEY_UNITS = ("亿元", "百万元", "万元", "千元", "元")
_COUNT_WORDS = ("人数", "人员", "名额", "人次", "个数", "件数", "项目数", "项数", "数量", "次数", "户数", "任务", "件", "人",
                "问题数", "问题总数", "笔数", "家数", "单位数")  # 问题资金 stays an amount
_RATE_WORDS = ("率", "进度", "比例", "占比", "比重", "满意度")  # 满意度: the share of those asked who are satisfied
_AMOUNT_ENDINGS = ("成本", "费用", "经费", "资金", "金额")
_SIGNED_WORDS = ("调整数", "变动", "差额", "增减")
# What a 数 of money is a figure of (预算数, 执行数, 调整数, 年初预算数): any other 数 counts what it names (补助基地数).
_MONEY_FIGURES = ("预算", "决算", "执行", "调整", "支出", "收入", "安排", "经费", "资金", "金额", "结余", "结转", "拨付",
                  "到位", "下达", "批复", "合计", "实际", "计划", "余额", "成本", "费用", "拨款", "补助", "采购", "投入",
                  "配套", "存量", "收益", "支付")
_NOT_COUNTS = ("系数", "指数", "分数", "基数", "倍数", "参数", "小数", "整数")
_ROUNDING = {"按四舍五入原则取整": "四舍五入取整", "的部分不扣分": "向下取整"}


def award(text: str, kind: str = "score") -> str | None:
    """An award in idsl from its wording: `得2分` → `得 2 分`, `得满分`, `不得分`; a penalty's `扣5分` / `不扣分`
    (nothing deducted: in a scored indicator, its points).

    >>> award("得1.5分"), award("不得分"), award("扣5分", "penalty"), award("不扣分", "penalty"), award("不扣分")
    ('得 1.5 分', '不得分', '得 5 分', '不得分', '得满分')
    """
    text = text.strip().rstrip("。；;，,")
    if text in ("得满分", "本项得满分") or (kind == "score" and text in ("不扣分", "本项不扣分")):
        return "得满分"
    if text in ("不得分", "本项不得分", "不扣分", "不加分"):
        return "不得分"
    found = re.fullmatch(rf"(?:本项)?(得|扣|加)({NUM})分", text)
    if found is None or (found.group(1) != "得") != (kind != "score"):
        return None
    return f"得 {found.group(2)} 分"


def band_award(text: str, kind: str = "score") -> str | None:
    """A band's outcome: an award, or a deduction as written, `扣1分` → `扣 1 分`: in a scored indicator its points
    less 1, in a penalty item (whose rule gives the deduction) 1 itself; `不扣分` as written, nothing taken off.

    >>> band_award("扣1分"), band_award("本项扣0.5分"), band_award("得满分"), band_award("扣5分", "penalty")
    ('扣 1 分', '扣 0.5 分', '得满分', '扣 5 分')
    >>> band_award("不扣分", "penalty"), band_award("不扣分"), band_award("加1分", "bonus")
    ('不扣分', '不扣分', '得 1 分')
    """
    flat = text.strip().rstrip("。；;，,")
    found = re.fullmatch(rf"(?:本项)?扣({NUM})分", flat)
    if found is not None and kind != "bonus":
        return f"扣 {found.group(1)} 分"
    if flat in ("不扣分", "本项不扣分") and kind != "bonus":
        return "不扣分"
    return award(text, kind)


def award_points(text: str, kind: str = "score", full: Decimal | None = None) -> Decimal | None:
    """The points an award gives (`得满分` → `full`), None when it is not an award."""
    written = award(text, kind)
    if written is None:
        return None
    if written == "得满分":
        return full
    if written == "不得分":
        return Decimal(0)
    return Decimal(written.split()[1])


def linear(text: str) -> str | None:
    """A linear deduction in idsl: `每降低1%（不足1%按四舍五入原则取整）扣0.1分` → `每降低 1%（四舍五入取整）扣 0.1 分`;
    `得2分起，每降低…` adds `，起扣 2 分`, and `…，扣完为止` stays.

    >>> linear("每降低1%扣0.1分"), linear("得2分起，每增加1%（不足1%按四舍五入原则取整）扣0.2分")
    ('每降低 1% 扣 0.1 分', '每增加 1%（四舍五入取整）扣 0.2 分，起扣 2 分')
    >>> linear("每降低1%扣0.2分，扣完为止")
    '每降低 1% 扣 0.2 分，扣完为止'
    """
    text = text.strip()
    floor = text.endswith("，扣完为止")
    text = text.removesuffix("，扣完为止")
    found = re.fullmatch(rf"(?:得({NUM})分起，)?(每降低|每增加|每下降|每提高|每减少|每超出|每超过)({QTY})(（[^）]*）)?扣({NUM})分",
                         text)
    if found is None:
        return None
    start, verb, step, rounding, deduct = found.groups()
    mode = rounding_word(rounding, step)
    if mode is None:
        return None
    result = f"{verb} {step}{'（' + mode + '）' if mode else ' '}扣 {deduct} 分"
    return result + (f"，起扣 {start} 分" if start else "") + ("，扣完为止" if floor else "")


def rounding_word(text: str | None, step: str) -> str | None:
    """`（不足1%按四舍五入原则取整）` → `四舍五入取整`; "" for none; None for a wording not known."""
    if not text:
        return ""
    inner = text.strip("（）()")
    if inner.startswith("不足" + step):
        rest = inner[len("不足" + step):]
        if rest in _ROUNDING:
            return _ROUNDING[rest]
        if rest == f"按{step}计":
            return "向上取整"
    return {"四舍五入取整": "四舍五入取整", "四舍五入": "四舍五入取整", "向下取整": "向下取整", "向上取整": "向上取整"}.get(inner)


def expression(text: str) -> str:
    """A formula as the tables write it, in idsl: 满分分值 → 分值, * → ×.

    >>> expression("本指标满分分值×全年平均支出进度")
    '分值×全年平均支出进度'
    """
    text = text.strip()
    for word in ("本指标满分分值", "满分分值", "本指标分值", "指标分值"):
        text = text.replace(word, "分值")
    return text.replace("*", "×").replace("＊", "×")


def word_condition(text: str) -> str | None:
    """A condition written in words, in idsl: `上年末为0且当年末为0` → `上年末 = 0 且 当年末 = 0`.

    >>> word_condition("实际采购金额大于采购计划金额"), word_condition("公开情况为“未公开”")
    ('实际采购金额 > 采购计划金额', '公开情况 = 未公开')
    >>> word_condition("受到处罚")
    '受到处罚'
    """
    parts = re.split(r"(且|或)", text.strip())
    out = []
    for part in parts:
        if part in ("且", "或"):
            out.append(part)
            continue
        out.append(_comparison(part))
    if any(p is None for p in out):
        return None
    return " ".join(out)


def _comparison(text: str) -> str | None:
    symbol = _SYMBOL.search(text)
    if symbol:
        return " ".join(_SYMBOL.sub(r" \1 ", text).split())
    for word, op in _WORD_OPS:
        at = text.find(word)
        if at > 0:
            left, right = text[:at], text[at + len(word):]
            right = right.strip("“”") if right.startswith("“") and right.endswith("”") else right
            if left and right:
                return f"{left} {op} {right}"
    return text if _NAME.fullmatch(text) else None


def names_in(text: str) -> list[str]:
    """The names an idsl expression or condition uses, in order, once each (numbers' units left out).

    >>> names_in("min(预算执行率, 100%) × 分值"), names_in("实际值 ≥ 41.94万人")
    (['预算执行率'], ['实际值'])
    """
    found = []
    for match in _NAME.finditer(text):
        before = text[match.start() - 1] if match.start() else ""
        if before.isdigit() or (before and before in ".%") or match.group() in _NOT_NAMES:
            continue
        if match.group() not in found:
            found.append(match.group())
    return found


def input_kind(name: str, partner: str = "", bare: bool = False) -> str:
    """A guess at an input's declaration from its name (the table does not state it), `partner` being the
    other side of the ratio it appears in.

    >>> input_kind("全年支出进度"), input_kind("在职人员数", "编制数"), input_kind("预算调整数", "预算数")
    ('比率', '数量 人', '金额 万元 可负')
    >>> input_kind("已整改问题数", "问题总数"), input_kind("问题资金", "抽查资金")
    ('数量 个', '金额 万元')
    >>> input_kind("人均培训成本"), input_kind("完成率2021")
    ('金额 万元', '比率')
    >>> input_kind("补助基地数2021"), input_kind("应发放奖补数"), input_kind("执行数2021"), input_kind("年初预算数")
    ('数量 个', '数量 个', '金额 万元', '金额 万元')
    """
    if bare:
        return "是否"
    both = name + partner
    stem = re.sub(r"\d{4}年?$", "", name)  # a year's figure (完成率2021) is of the kind its name says
    if any(stem.endswith(word) for word in _RATE_WORDS) and not partner:
        return "比率"
    if stem.endswith(_AMOUNT_ENDINGS):  # 人均成本 is an amount per head, not a count of people
        return "金额 万元"
    if any(word in both for word in _COUNT_WORDS) and not any(unit in both for unit in _MONEY_UNITS):
        return "数量 人" if "人" in both or "名额" in both else "数量 个"
    if _counts_what_it_names(stem) and not any(unit in both for unit in _MONEY_UNITS):
        return "数量 个"
    signed = " 可负" if any(word in name for word in _SIGNED_WORDS) else ""
    return "金额 万元" + signed


def _counts_what_it_names(stem: str) -> bool:
    """A name ending in 数 that counts the thing before it (补助基地数, 应发放奖补数), not a figure of money (预算数,
    调整数) nor a ratio (系数, 指数)."""
    thing = stem.removesuffix("数").removesuffix("总")
    return (stem.endswith("数") and bool(thing) and not stem.endswith(_NOT_COUNTS)
            and not thing.endswith(_MONEY_FIGURES))


_TARGET_UNIT = r"[\u4e00-\u9fffA-Za-z]{1,6}"  # a target's unit as a spec writes it: 人次, 平方公里, 万立方米, km


def target_kind(value: str) -> tuple[str, str] | None:
    """A target value's comparison and the input it needs: `≥41.94万人` → ('≥ 41.94 万人', '数量 万人'); a target
    of none written bare, `0起`, is = 0 (≥ 0 would always be met). A count kept down to a number, `≤1笔`, `≤2次`,
    or to none counts whole things (违规, 事故, 投诉): a 问题数, which is never 0.5 笔; a count to reach, `≥100人`,
    a 数量 in its word.

    >>> target_kind("≥100%"), target_kind("≤4%"), target_kind("≥1000万元")
    (('≥ 100%', '比率 范围 0%～1000%'), ('≤ 4%', '比率'), ('≥ 1000 万元', '金额 万元'))
    >>> target_kind("≤1笔"), target_kind("0起"), target_kind("≥100人"), target_kind("≤2万人")
    (('≤ 1 笔', '问题数'), ('= 0 起', '问题数'), ('≥ 100 人', '数量 人'), ('≤ 2 万人', '数量 万人'))
    >>> target_kind("≥2.5平方公里"), target_kind("≥3万立方米"), target_kind("≥12km")
    (('≥ 2.5 平方公里', '数量 平方公里'), ('≥ 3 万立方米', '数量 万立方米'), ('≥ 12 km', '数量 km'))
    """
    found = re.fullmatch(rf"(≥|≤|=|>=|<=|＝)?\s*({NUM})\s*(%|{_TARGET_UNIT})?", value.strip())
    if found is None:
        return None
    none = Decimal(found.group(2)) == 0
    op = {">=": "≥", "<=": "≤", "＝": "=", None: "=" if none else "≥"}.get(found.group(1), found.group(1))
    number, unit = found.group(2), found.group(3) or ""
    if re.fullmatch(COUNTING, unit) and (op == "≤" or none):
        return f"{op} {number} {unit}", "问题数"
    if unit == "%":
        return f"{op} {number}%", "比率" + (" 范围 0%～1000%" if Decimal(number) >= 100 else "")
    if not unit:
        return f"{op} {number}", "数值"
    kind = "金额" if unit in _MONEY_UNITS else "数量"
    return f"{op} {number} {unit}", f"{kind} {unit}"


__all__ = ["COUNTING", "NUM", "QTY", "award", "award_points", "band_award", "expression", "input_kind", "linear",
           "names_in", "rounding_word", "target_kind", "word_condition"]
