"""The one thing ``pyproject.toml`` cannot say: ship ``resources/`` as a package.

The repository keeps the product layout (a top-level ``resources/`` folder);
installed, it becomes the package ``casefile_resources``, found with
``importlib.resources``. Everything else about the build is in
``pyproject.toml``. The wheel also carries the spaCy model's pinned
requirement (``packaging/model-requirements.txt``), so an installed Casefile
can print the exact, hash-checked command that adds the model.
"""
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

MODEL_REQUIREMENTS = Path("packaging") / "model-requirements.txt"
# Each folder of resources/ (demo/, lexicons/, fonts/, ...) is a data-only
# subpackage holding all its files, so a new folder ships without edits here.
RESOURCE_PACKAGES = [
    f"casefile_resources.{d.name}" for d in sorted(Path("resources").iterdir())
    if d.is_dir() and d.name.isidentifier() and d.name != "__pycache__"
]


class BuildPyWithModelPin(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:  # an editable install reads it from the checkout
            target = Path(self.build_lib) / "casefile_resources" / MODEL_REQUIREMENTS.name
            self.copy_file(str(MODEL_REQUIREMENTS), str(target))


setup(
    packages=find_packages(include=["archive", "archive.*", "desktop", "desktop.*"])
    + ["casefile_resources", *RESOURCE_PACKAGES],
    package_dir={"casefile_resources": "resources"},
    package_data={name: ["*"] for name in RESOURCE_PACKAGES},
    cmdclass={"build_py": BuildPyWithModelPin},
)
