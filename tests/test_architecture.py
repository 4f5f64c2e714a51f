"""The layering the README's design section draws, enforced: imports run one way
(training utilities -> nn's model library -> autograd_core), no import cycle between files, no
private name used across packages, small files, and an engine registry that is complete without nn."""

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


# -- private names stay inside their package ----------------------------------------------------------
PACKAGES = ("autograd_core", "nn", "examples", "benchmarks")  # nn.training counts as a package of its own


def _package(rel):
    """The package a file (path relative to the root, or a dotted module name as a path) belongs to."""
    if rel.startswith("nn/training/") or rel in ALIASES:
        return "nn.training"
    return rel.split("/")[0]


def _private(name):
    """``_x`` but not ``__dunder__``, IPython's ``_repr_x_`` protocol or ``_``."""
    return name.startswith("_") and not name.endswith("_") and name != "_"


def _all_sources():
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            yield rel, ast.parse(path.read_text())


def _defined_names(tree):
    """(attribute names, module-level names) a file defines privately: attributes are what class bodies
    define, ``__slots__`` lists and stores such as ``obj._x = ...`` or ``obj.__dict__["_x"] = ...``."""
    attrs, module = set(), set()
    for node in tree.body:
        for target in getattr(node, "targets", [getattr(node, "target", None)]):
            if isinstance(target, ast.Name):
                module.add(target.id)
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            module.add(node.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.ClassDef)):
                    attrs.add(item.name)
                for target in getattr(item, "targets", [getattr(item, "target", None)]):
                    if isinstance(target, ast.Name):
                        attrs.add(target.id)
                        if target.id == "__slots__":
                            attrs |= {c.value for c in ast.walk(item.value) if isinstance(c, ast.Constant)}
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            attrs.add(node.attr)
        elif (
            isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) and isinstance(node.slice, ast.Constant)
        ):
            attrs.add(node.slice.value)
    return {a for a in attrs if isinstance(a, str) and _private(a)}, {m for m in module if _private(m)}


def _foreign_private_uses(rel, tree, attrs, modules):
    """Where file ``rel`` uses a private name of another package: ``obj._x`` (or getattr(obj, "_x"))
    for an attribute only another package defines, ``mod._x`` for a module imported from another
    package, ``from pkg import _x``, or an import of a private module (``pkg._mod``)."""
    mine = _package(rel)

    def owner(mod):
        return _package(mod.replace(".", "/") + "/")

    imported = {}  # local name -> the package of the module it was imported from
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if isinstance(node, ast.ImportFrom) and node.level:
                continue  # relative: the same package
            for alias in node.names:
                mod = alias.name if isinstance(node, ast.Import) else node.module
                if owner(mod) == mine or owner(mod) not in {*PACKAGES, "nn.training"}:
                    continue
                names = mod.split(".")[1:] + ([alias.name] if isinstance(node, ast.ImportFrom) else [])
                bad = [n for n in names if _private(n)]
                if bad:
                    found.append(f"{rel}:{node.lineno}: imports {bad[0]} from {mod}")
                imported[alias.asname or alias.name.split(".")[0]] = owner(mod)
    for node in ast.walk(tree):
        name = target = None
        if isinstance(node, ast.Attribute) and _private(node.attr):
            name, target = node.attr, node.value
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) in {"getattr", "hasattr", "setattr"}:
            arg = node.args[1] if len(node.args) > 1 else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _private(arg.value):
                name, target = arg.value, node.args[0]
        if name is None:
            continue
        pkg = imported.get(target.id) if isinstance(target, ast.Name) else None
        if pkg is not None and name in modules[pkg]:
            found.append(f"{rel}:{node.lineno}: {target.id}.{name} is private to {pkg}")
        elif name not in attrs[mine] and (owners := sorted(k for k, v in attrs.items() if k != mine and name in v)):
            found.append(f"{rel}:{node.lineno}: .{name} is private to {', '.join(owners)}")
    return found


def test_no_private_name_is_used_across_packages():
    """Each package uses the others through their public API only (tests excluded): nn and
    nn.training read ``v.data``, never ``v._data``; nothing imports ``_x`` from another package."""
    sources = list(_all_sources())
    attrs, modules = {}, {}
    for rel, tree in sources:
        a, m = _defined_names(tree)
        attrs.setdefault(_package(rel), set()).update(a)
        modules.setdefault(_package(rel), set()).update(m)
    found = [use for rel, tree in sources for use in _foreign_private_uses(rel, tree, attrs, modules)]
    assert not found, "private names used across packages (add a public API instead):\n" + "\n".join(found)


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
