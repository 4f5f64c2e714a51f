"""nn: modules, layers, activations, losses, initialisers and optimisers built on autograd_core."""

from . import data, datasets, functional, init, optim, train
from .data import DataLoader, Dataset, TensorDataset
from .io import load, save
from .layers import *  # noqa: F403 (every layer class; the list lives in nn/layers/__init__.py)
from .module import IncompatibleKeys, Module, ModuleList, Parameter, Sequential, StateDictShapeError
from .summary import Summary
from .train import EarlyStopping, evaluate, fit, predict
