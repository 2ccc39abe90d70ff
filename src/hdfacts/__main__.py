"""The `hdfacts` command and `python -m hdfacts`.

Signals are taken over before the CLI's own imports (typer, rich: about 0.1 s), so
that Ctrl-C at any moment ends with one line rather than a traceback.
"""

from . import interrupt

interrupt.install(deferred=True)  # until main runs: the console script has lines of its own


def main() -> None:
    import sys

    try:
        interrupt.install()
        from .cli import main as run
    except interrupt.Interrupted as e:
        if sys.stderr is not None:  # None when started with 2>&-
            sys.stderr.write(f"hdfacts: {e}\n")
        sys.exit(e.exit_code)
    run()


if __name__ == "__main__":
    main()
