"""Packaging: every idsl package, plus grammar/idsl.lark shipped as idsl/_grammar/idsl.lark."""

from setuptools import find_packages, setup

# The grammar has one home, grammar/; mapping that directory onto a data-only package puts
# the file inside the wheel, where idsl.frontend.grammar.GRAMMAR_PATH looks first.
setup(
    packages=find_packages(include=["idsl", "idsl.*"]) + ["idsl._grammar"],
    package_dir={"idsl._grammar": "grammar"},
    package_data={"idsl._grammar": ["*.lark"]},
)
