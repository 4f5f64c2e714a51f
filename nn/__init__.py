"""nn: modules, layers, activations, losses, initialisers and optimisers built on autograd_core."""

from . import data, datasets, functional, init, optim, train
from .data import DataLoader, Dataset, TensorDataset
from .io import load, save
from .layers.activation import (
    CELU,
    ELU,
    GELU,
    MPELU,
    SELU,
    Hardsigmoid,
    Hardswish,
    Hardtanh,
    LeakyReLU,
    LogSigmoid,
    LogSoftmax,
    Maxout,
    Mish,
    PReLU,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Softmax,
    Softmin,
    Softplus,
    Swish,
    Tanh,
)
from .layers.conv import Conv1d, Conv2d, Conv3d
from .layers.dropout import AlphaDropout, Dropout, Dropout1d, Dropout2d
from .layers.flatten import Flatten, Unflatten
from .layers.linear import Bilinear, Identity, Linear
from .layers.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)
from .layers.normalization import BatchNorm1d, BatchNorm2d, BatchNorm3d, GroupNorm, LayerNorm
from .layers.pooling import AdaptiveAvgPool1d, AdaptiveAvgPool2d, AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d
from .module import IncompatibleKeys, Module, ModuleList, Parameter, Sequential, StateDictShapeError
from .summary import Summary
from .train import EarlyStopping, evaluate, fit, predict
