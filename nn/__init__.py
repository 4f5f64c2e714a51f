"""nn: modules, layers, activations, losses, initialisers and optimisers built on autograd_core."""

from .module import IncompatibleKeys, Module, ModuleList, Parameter, Sequential, StateDictShapeError
