"""The ``casefile`` command: a thin click layer over :mod:`archive`.

Each command opens the archive facade, calls one method and turns
``CasefileError`` into a one-line message (``click.ClickException``).
Command groups live in sibling modules; each exposes ``register(group)``.
"""
from __future__ import annotations

import click

from . import articles, facts, timeline


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="casefile")
def main() -> None:
    """Casefile: search an archive of news reports, extract facts, build a cited timeline."""


for _module in (articles, facts, timeline):
    _module.register(main)

from . import case as _case  # noqa: E402  (case analysis commands)

_case.register(main)
