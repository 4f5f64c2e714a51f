"""Old import path kept working: the plots moved to ``nn.training.plots``."""

from nn.training.plots import *  # noqa: F403
