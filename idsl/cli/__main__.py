"""`python -m idsl.cli`: the same command line as the `idsl` script (for a checkout without the script on PATH)."""

from idsl.cli import main

if __name__ == "__main__":
    main(prog_name="idsl")
