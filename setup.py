"""Packaging: every idsl package, grammar/idsl.lark shipped as idsl/_grammar/idsl.lark, and the workbench page."""

from setuptools import find_packages, setup

# The grammar has one home, grammar/; mapping that directory onto a data-only package puts
# the file inside the wheel, where idsl.frontend.grammar.GRAMMAR_PATH looks first.
setup(
    packages=find_packages(include=["idsl", "idsl.*"]) + ["idsl._grammar"],
    package_dir={"idsl._grammar": "grammar"},
    # The workbench page (idsl serve) is served from the package: it must work offline.
    package_data={"idsl._grammar": ["*.lark"], "idsl.serve": ["static/*"], "idsl.profiles": ["*.toml"],
                  "idsl.frameworks": ["*.idsl"]},
)
