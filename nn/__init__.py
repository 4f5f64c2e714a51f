"""nn: modules, layers, activations, losses, initialisers and optimisers built on autograd_core."""

from . import optim
from .io import load, save
from .module import IncompatibleKeys, Module, ModuleList, Parameter, Sequential, StateDictShapeError
