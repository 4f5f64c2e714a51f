"""nn: modules, layers, activations, losses, initialisers and optimisers built on autograd_core.

The training utilities (fit, callbacks, diagnostics, plots, datasets, the CLI) live one layer up,
in ``nn.training``; ``import nn`` does not load them, and ``nn.fit`` or ``nn.datasets`` load them on
first use.
"""

import importlib

from . import data, functional, init, modes, optim, preprocessing, stateless, utils
from .containers import ModuleDict, ModuleList, Sequential
from .data import DataLoader, Dataset, TensorDataset
from .init import manual_seed
from .io import load, save
from .layers import *  # noqa: F403 (every layer class; the list lives in nn/layers/__init__.py)
from .modes import eval_mode
from .module import IncompatibleKeys, Module, StateDictShapeError
from .param_containers import ParameterDict, ParameterList
from .parameter import Parameter
from .stateless import functional_call
from .summary import Summary

# names that moved up to nn.training, loaded on first use: name -> (module, attribute or None for the module)
_TRAINING = {
    "fit": ("nn.training.loop", "fit"),
    "evaluate": ("nn.training.loop", "evaluate"),
    "predict": ("nn.training.loop", "predict"),
    "EarlyStopping": ("nn.training.callbacks", "EarlyStopping"),
    "training": ("nn.training", None),
    "train": ("nn.train", None),
    "datasets": ("nn.training.datasets", None),
    "diagnostics": ("nn.training.diagnostics", None),
    "plots": ("nn.training.plots", None),
}


def __getattr__(name):
    """Load a training utility on first use (PEP 562), so ``import nn`` stays the model library alone."""
    try:
        module, attr = _TRAINING[name]
    except KeyError:
        raise AttributeError(f"module 'nn' has no attribute {name!r}") from None
    mod = importlib.import_module(module)
    return mod if attr is None else getattr(mod, attr)
