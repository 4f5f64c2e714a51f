"""nn: modules, layers, activations, losses, initialisers and optimisers built on autograd_core."""
