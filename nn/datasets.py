"""Old import path kept working: the small datasets moved to ``nn.training.datasets``."""

from nn.training.datasets import *  # noqa: F403
