"""nn.training: the training utilities that sit above the model library.

``fit``/``evaluate``/``predict`` (loop.py), callbacks such as ``EarlyStopping`` (callbacks.py),
diagnostics (gradient norms, dead ReLUs), plots, small datasets, the gradient checks and the
``autograd-core`` command line. They import ``nn`` and ``autograd_core``; nothing in ``nn``'s
model library imports them, so ``import nn`` loads none of this (``nn.fit`` and friends are
loaded on first use).
"""

from . import callbacks, datasets, diagnostics, loop, plots
from .callbacks import Callback, EarlyStopping, History, LambdaCallback
from .loop import accuracy, evaluate, fit, predict
