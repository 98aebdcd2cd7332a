"""The frozen bundle's entry point: the desktop app, or the command line.

    Casefile                          # the desktop app (casefile-desktop)
    Casefile --screenshot shot.png    # its options, as casefile-desktop takes them
    Casefile cli search deported      # the ``casefile`` command
"""
import multiprocessing
import sys


def main() -> int:
    # Indexing starts writer processes with "spawn": in a frozen app the child
    # re-runs this executable, and freeze_support hands it to multiprocessing.
    multiprocessing.freeze_support()
    if len(sys.argv) > 1 and sys.argv[1] == "cli":
        from archive.cli import main as cli

        return cli(sys.argv[2:], prog_name="casefile")
    from desktop.app import main as app

    return app(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
