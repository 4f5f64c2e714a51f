"""The layering the README's design section draws, enforced: imports run one way
(training utilities -> nn's model library -> autograd_core), no import cycle between files,
small files, and an engine registry that is complete without nn."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# the old import paths of modules that moved up to nn.training: one-line re-exports, kept for users
ALIASES = {"nn/train.py", "nn/datasets.py", "nn/plots.py", "nn/diagnostics.py"}
MAX_LINES = 400


def _layer(rel):
    if rel.startswith("autograd_core/"):
        return 0, "autograd_core"
    if rel.startswith("nn/training/") or rel in ALIASES:
        return 2, "nn.training"
    return 1, "nn (model library)"


def _module_name(rel):
    parts = rel[:-3].split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path, rel):
    """Absolute names of every module a file imports (relative imports resolved)."""
    tree = ast.parse(path.read_text())
    pkg = _module_name(rel).split(".")
    if not rel.endswith("__init__.py"):
        pkg = pkg[:-1]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = pkg[: len(pkg) - node.level + 1] if node.level else []
            mod = ".".join([*base, node.module] if node.module else base)
            out.append((mod, node.lineno))
            out += [(f"{mod}.{a.name}", node.lineno) for a in node.names]
    return out


def _sources():
    for pkg in ("autograd_core", "nn"):
        for path in sorted((ROOT / pkg).rglob("*.py")):
            yield path, path.relative_to(ROOT).as_posix()


def _target_layer(mod):
    if mod == "autograd_core" or mod.startswith("autograd_core."):
        return 0
    if mod.startswith("nn.training") or mod in {"nn.train", "nn.datasets", "nn.plots", "nn.diagnostics"}:
        return 2
    if mod == "nn" or mod.startswith("nn."):
        return 1
    return None


def test_imports_run_one_way():
    """autograd_core imports nothing from nn; nn's model library imports nothing from nn.training."""
    wrong = []
    for path, rel in _sources():
        level, name = _layer(rel)
        for mod, line in _imports(path, rel):
            target = _target_layer(mod)
            if target is not None and target > level:
                wrong.append(f"{rel}:{line} ({name}) imports {mod}")
    assert not wrong, "imports that run the wrong way:\n" + "\n".join(sorted(set(wrong)))


def _file_graph():
    files = {_module_name(rel): rel for _, rel in _sources()}
    graph = {}
    for path, rel in _sources():
        deps = set()
        for mod, _ in _imports(path, rel):
            while mod and mod not in files:
                mod = mod.rpartition(".")[0]
            if mod and files[mod] != rel and not files[mod].endswith("__init__.py"):
                deps.add(files[mod])
        graph[rel] = deps
    return graph


def test_no_import_cycle_between_files():
    """No file imports (directly or through others) a file that imports it back; package faces excluded."""
    graph = _file_graph()
    state, cycles = {}, []
    for start in graph:
        if start in state:
            continue
        stack = [(start, iter(sorted(graph[start])))]
        state[start] = "open"
        path = [start]
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = "done"
                stack.pop()
                path.pop()
            elif state.get(nxt) == "open":
                cycles.append(" -> ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in state:
                state[nxt] = "open"
                path.append(nxt)
                stack.append((nxt, iter(sorted(graph[nxt]))))
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_source_files_are_small():
    big = [f"{rel}: {n}" for path, rel in _sources() if (n := len(path.read_text().splitlines())) > MAX_LINES]
    assert not big, f"files over {MAX_LINES} lines (split them by what they hold): {big}"


def _run(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout


def test_registry_is_complete_without_nn():
    """Every primitive, fused ones included, is registered by `import autograd_core` alone."""
    out = _run(
        "import sys, autograd_core as ag; before = set(ag.REGISTRY); "
        "assert not [m for m in sys.modules if m == 'nn' or m.startswith('nn.')]; "
        "import nn, nn.training; print(sorted(set(ag.REGISTRY) - before))"
    )
    assert out.strip() == "[]"


def test_import_nn_loads_no_training_utility():
    out = _run("import sys, nn; print(sorted(m for m in sys.modules if m.startswith('nn.training')))")
    assert out.strip() == "[]"


@pytest.mark.parametrize(
    ("old", "name"),
    [
        ("nn.train", "fit"),
        ("nn.train", "EarlyStopping"),
        ("nn.datasets", "load_digits"),
        ("nn.plots", "plot_history"),
        ("nn.diagnostics", "GradientNormRecorder"),
        ("nn", "fit"),
        ("nn", "EarlyStopping"),
    ],
)
def test_old_import_paths_still_work(old, name):
    import importlib

    import nn.training

    obj = getattr(importlib.import_module(old), name)
    assert obj is getattr(nn.training, name, None) or obj.__module__.startswith("nn.training")
