"""Casefile's bundled files: the demo articles, lexicons, fonts, icons and styles.

This folder stays ``resources/`` in the repository and is installed as the
package ``casefile_resources`` (``setup.py`` maps it), so the code finds it
with ``importlib.resources`` wherever Casefile runs: a checkout, an editable
install, a wheel, or a frozen bundle. Use :func:`archive.paths.resources_dir`
rather than importing this package.
"""
