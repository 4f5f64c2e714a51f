"""Old import path kept working: the training diagnostics moved to ``nn.training.diagnostics``."""

from nn.training.diagnostics import *  # noqa: F403
