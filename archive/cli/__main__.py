"""``python -m archive.cli``: the ``casefile`` command."""
from . import main

# The guard matters: the search index writer starts a process with
# multiprocessing's "spawn", which imports the main module again.
if __name__ == "__main__":
    main(prog_name="casefile")
