"""Every public function, class and method of autograd_core and nn (nn.training included) has a
docstring. A public definition is one whose name and module path have no leading underscore;
a method overriding a documented one inherits its docstring (as ``help()`` shows it), a class does not."""

import importlib
import inspect
import pkgutil

PACKAGES = ("autograd_core", "nn")


def _modules(package):
    pkg = importlib.import_module(package)
    yield pkg
    for info in pkgutil.walk_packages(pkg.__path__, package + "."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            yield importlib.import_module(info.name)


def _definitions():
    """(qualified name, object, docstring) for every public definition, methods included."""
    for package in PACKAGES:
        for module in _modules(package):
            for name, obj in vars(module).items():
                if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                    continue
                if inspect.isclass(obj):
                    yield f"{module.__name__}.{name}", obj, obj.__dict__.get("__doc__")
                    yield from _methods(f"{module.__name__}.{name}", obj)
                elif inspect.isfunction(obj):
                    yield f"{module.__name__}.{name}", obj, inspect.getdoc(obj)


def _methods(qualname, cls):
    for attr, member in vars(cls).items():
        if attr.startswith("_"):
            continue
        if isinstance(member, (staticmethod, classmethod)):
            member = member.__func__
        if isinstance(member, property):
            yield f"{qualname}.{attr}", member, member.__doc__
        elif inspect.isfunction(member):
            yield f"{qualname}.{attr}", member, inspect.getdoc(getattr(cls, attr))


def test_every_public_definition_has_a_docstring():
    definitions = list(_definitions())
    assert len(definitions) > 500  # the walk reaches every module, classes and methods included
    missing = sorted({name for name, _, doc in definitions if not (doc and doc.strip())})
    assert not missing, f"{len(missing)} public definitions without a docstring:\n" + "\n".join(missing)


def test_the_walk_sees_functions_classes_methods_and_properties():
    names = {name for name, _, _ in _definitions()}
    assert {
        "autograd_core.engine.backward",
        "autograd_core.value.Value",
        "autograd_core.value.Value.shape",
        "nn.module.Module.parameters",
        "nn.training.loop.fit",
    } <= names
