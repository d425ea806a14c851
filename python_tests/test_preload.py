"""The preload plugin imports the Python models' libraries in the background,
covers every module the models import, and changes nothing but timing."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from segmentation.preload import Plugin, import_quietly

PROJECT_DIR = Path(__file__).resolve().parent.parent
PYTHON_MODELS = sorted((PROJECT_DIR / "models").rglob("*.py"))


def profile_preload_modules() -> list[str]:
    profile = yaml.safe_load((PROJECT_DIR / "profiles.yml").read_text())
    output = profile["customer_segmentation"]["outputs"]["dev"]
    (plugin,) = [p for p in output["plugins"] if p["module"] == "segmentation.preload"]
    return plugin["config"]["preload_modules"]


def imported_by(model: Path) -> set[str]:
    tree = ast.parse(model.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_a_failed_import_is_reported_and_the_others_still_load(tmp_path, monkeypatch):
    (tmp_path / "preload_probe_ok.py").write_text("VALUE = 1\n")
    (tmp_path / "preload_probe_broken.py").write_text("raise RuntimeError('boom')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("preload_probe_ok", "preload_probe_broken"):
        monkeypatch.delitem(sys.modules, name, raising=False)

    failed = import_quietly(
        ["preload_probe_broken", "no_such_module_for_preload", "preload_probe_ok"]
    )

    assert failed == ["preload_probe_broken", "no_such_module_for_preload"]
    assert sys.modules["preload_probe_ok"].VALUE == 1


def test_the_plugin_imports_its_modules_in_a_background_thread(tmp_path, monkeypatch):
    (tmp_path / "preload_probe_thread.py").write_text(
        "import threading\nIMPORTED_IN = threading.current_thread().name\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "preload_probe_thread", raising=False)

    plugin = Plugin("preload", {"preload_modules": ["preload_probe_thread"]})
    plugin.thread.join(timeout=30)

    assert not plugin.thread.is_alive()
    assert not plugin.thread.daemon
    assert sys.modules["preload_probe_thread"].IMPORTED_IN == "segmentation-preload"


@pytest.mark.parametrize("modules", ["segmentation.pipeline", [1, 2]])
def test_a_bad_module_list_is_named(modules):
    with pytest.raises(ValueError, match="preload_modules must be a list"):
        Plugin("preload", {"preload_modules": modules})


def test_the_profile_preloads_every_module_the_python_models_import():
    assert PYTHON_MODELS, "no Python models found"
    needed = sorted(set().union(*(imported_by(m) for m in PYTHON_MODELS)))
    assert "segmentation.pipeline" in needed
    # a fresh interpreter: this test process has imported everything already
    script = (
        "import sys\n"
        "from segmentation.preload import import_quietly\n"
        f"assert import_quietly({profile_preload_modules()!r}) == []\n"
        f"missing = [m for m in {needed!r} if m not in sys.modules]\n"
        "print(missing)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"
