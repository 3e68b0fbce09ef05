"""Ctrl-C while the `idsl` command is still starting (importing click, then its command's modules): one
Chinese line on stderr and exit code 130, never Python's traceback; real processes, real SIGINT."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from idsl._start import EXIT_INTERRUPTED, INTERRUPTED
from plans import seed_spec

# The console script as pip writes it, but a finder that sends this process SIGINT the moment Python
# looks for the named module: the Ctrl-C lands inside that import, deterministically.
SCRIPT = """import os, signal, sys
class Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == {module!r}:
            os.kill(os.getpid(), signal.SIGINT)
        return None
sys.meta_path.insert(0, Interrupt())
from idsl.cli import main
sys.exit(main())
"""


def _run_interrupted_at(folder: Path, module: str) -> subprocess.CompletedProcess:
    script = folder / "idsl"  # the name the console script has
    script.write_text(SCRIPT.format(module=module), encoding="utf-8")
    return subprocess.run([sys.executable, str(script), "check", str(seed_spec("001"))],
                          capture_output=True, timeout=120)


@pytest.mark.parametrize("module", ["click", "click.core", "idsl.cli._messages"])
def test_ctrl_c_while_the_command_imports_its_cli(tmp_path, module):
    done = _run_interrupted_at(tmp_path, module)
    assert done.returncode == EXIT_INTERRUPTED == 130
    assert done.stderr.decode() == INTERRUPTED + "\n"
    assert done.stdout == b""


@pytest.mark.parametrize("module", ["idsl.cli.check", "idsl.check"])
def test_ctrl_c_while_the_command_imports_its_own_modules(tmp_path, module):
    done = _run_interrupted_at(tmp_path, module)  # inside click's main: the same line, not click's "Aborted!"
    assert done.returncode == 130
    assert done.stderr.decode().strip() == INTERRUPTED
    assert b"Traceback" not in done.stderr


def test_a_program_importing_idsl_keeps_its_own_ctrl_c():
    code = "import signal, idsl.cli; print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert done.stdout.decode().strip() == "True"


PACKAGE = Path(__file__).resolve().parents[1] / "idsl"


def _line_of(module: str, text: str) -> int:
    lines = (PACKAGE / module).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def _before_the_handler(traceback: str) -> bool:
    """Whether every frame of idsl's own in a traceback is a start-up line run before its Ctrl-C handler is
    in place: `import idsl` up to the guard's call, the `_start` module's top, the guard up to the install."""
    allowed = {("__init__.py", "<module>"): _line_of("__init__.py", "_start.guard()"),
               ("_start.py", "<module>"): len((PACKAGE / "_start.py").read_text(encoding="utf-8").splitlines()),
               ("_start.py", "started_as_command"): _line_of("_start.py", "def guard"),
               ("_start.py", "guard"): _line_of("_start.py", "_signal.signal(_signal.SIGINT")}
    frames = re.findall(r'File "[^"]*?/idsl/([^"]+)", line (\d+), in (\S+)', traceback.replace("\\", "/"))
    return all(int(line) <= allowed.get((module, function), 0) for module, line, function in frames)


def test_only_start_up_lines_before_the_handler_are_python_s_own():
    frame = 'File "/repo/idsl/{}", line {}, in {}\n'
    install = _line_of("_start.py", "_signal.signal(_signal.SIGINT")
    import_start = _line_of("__init__.py", "from idsl import _start")
    assert _before_the_handler("Traceback\n" + frame.format("__init__.py", import_start, "<module>"))
    assert _before_the_handler(frame.format("__init__.py", import_start + 2, "<module>")
                               + frame.format("_start.py", install, "guard"))
    assert not _before_the_handler(frame.format("_start.py", install + 1, "guard"))  # the handler holds it
    assert not _before_the_handler(frame.format("cli/main.py", 3, "main"))


# A Ctrl-C Python takes after its own start-up but before the console script's first line runs (seen once, on
# a loaded machine): no frame to show, so Python prints the bare name and exits with 1 — nothing of idsl's ran.
PYTHON_READING_THE_SCRIPT = "KeyboardInterrupt\n"


def test_ctrl_c_early_in_the_real_command(tmp_path):
    """The installed script, SIGINT at points spread over its start-up (measured first, as the
    interrupted-batch test does). A signal before idsl installs its handler is Python's own (its site
    module, the import system looking for the package, idsl's first lines up to the handler): such runs
    are told apart by a traceback with no idsl frame past those lines; every other run ends with the one
    line and 130."""
    command = [str(Path(sys.executable).with_name("idsl")), "check", str(seed_spec("001"))]
    started = time.monotonic()
    subprocess.run(command[:1] + ["--version"], capture_output=True, timeout=120, check=True)
    startup = time.monotonic() - started
    clean = 0
    for step in range(12):
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(startup * step / 8)
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=120)
        text = err.decode(errors="replace")
        if "Traceback" in text or process.returncode < 0 or text == PYTHON_READING_THE_SCRIPT:
            assert _before_the_handler(text), text  # never from idsl's code once it holds Ctrl-C
            continue
        if process.returncode == 0:  # finished before the signal came
            continue
        assert (process.returncode, text) == (130, INTERRUPTED + "\n")
        clean += 1
    assert clean >= 3


# A module imported during the command's work whose class creation is interrupted (lark's grammar module
# defines descriptors): Python reports the Ctrl-C inside `__set_name__` as a RuntimeError caused by it.
SET_NAME_SCRIPT = """import importlib.abc, importlib.util, os, signal, sys
class Loader(importlib.abc.Loader):
    def create_module(self, spec):
        return None
    def exec_module(self, module):
        class Named:
            def __set_name__(self, owner, name):
                os.kill(os.getpid(), signal.SIGINT)
                for _ in range(1000):
                    pass
        type("Owner", (), {"attribute": Named()})
class Interrupt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "idsl.frontend.parse":
            return importlib.util.spec_from_loader(name, Loader())
        return None
sys.meta_path.insert(0, Interrupt())
from idsl.cli import main
sys.exit(main())
"""


def test_ctrl_c_inside_a_class_created_by_an_import_during_the_work(tmp_path):
    script = tmp_path / "idsl"
    script.write_text(SET_NAME_SCRIPT, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), "check", str(seed_spec("001"))], capture_output=True,
                          timeout=120, env={**os.environ, "IDSL_NO_CACHE": "1"})
    assert (done.returncode, done.stderr.decode()) == (130, INTERRUPTED + "\n")


def test_a_ctrl_c_during_a_native_import_is_taken_once_it_is_done(monkeypatch):
    """DuckDB's bindings abort the process (nanobind's "Critical nanobind error" and a traceback) when a
    KeyboardInterrupt is raised inside their initialisation: idsl imports DuckDB holding Ctrl-C until the
    import is done, then takes it as it takes any Ctrl-C at work (KeyboardInterrupt, the command says 已中止)."""
    from idsl import _start

    monkeypatch.setattr(_start, "_working", [True])
    reached_the_end = False
    with pytest.raises(KeyboardInterrupt):
        with _start.holding_interrupts():
            _start._on_interrupt(signal.SIGINT, None)  # the Ctrl-C arrives while DuckDB initialises
            reached_the_end = True
    assert reached_the_end and _start._held == [False, False]
    with _start.holding_interrupts():  # nothing arrived: nothing is raised
        pass
