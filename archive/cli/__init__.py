"""The ``casefile`` command: a thin click layer over :mod:`archive`.

Each command opens the archive facade, calls one method and turns
``CasefileError`` into a one-line message (``click.ClickException``).
Command groups live in sibling modules; each exposes ``register(group)``.
"""
from __future__ import annotations

import click

from ..version import __version__
from . import articles, facts, maintenance, timeline
from . import entities as entities_cli


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="casefile")
def main() -> None:
    """Casefile: search an archive of news reports, extract facts, build a cited timeline."""


for _module in (articles, facts, timeline):
    _module.register(main)
entities_cli.register(main)
maintenance.register(main)

from . import case as _case  # noqa: E402  (case analysis commands)

_case.register(main)
