"""Old import path kept working: fit, evaluate, predict and the callbacks moved to ``nn.training.loop``."""

from nn.training.loop import *  # noqa: F403
