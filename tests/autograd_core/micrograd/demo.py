# The training cells of micrograd's demo.ipynb (github.com/karpathy/micrograd, MIT licence, (c) Andrej
# Karpathy): two moons, an MLP 2-16-16-1, SVM max-margin loss with L2 regularisation, and SGD written
# as `p.data -= learning_rate * p.grad`. Unchanged apart from the imports and the plotting cells left
# out; `train()` wraps the notebook's cells so that a test can run them and read the log.
# ruff: noqa
import random
import numpy as np

from autograd_core import Value
from tests.autograd_core.micrograd.nn import Neuron, Layer, MLP


def train(steps=100, log=print):
    np.random.seed(1337)
    random.seed(1337)

    # make up a dataset

    from sklearn.datasets import make_moons, make_blobs

    X, y = make_moons(n_samples=100, noise=0.1)

    y = y * 2 - 1  # make y be -1 or 1

    # initialize a model
    model = MLP(2, [16, 16, 1])  # 2-layer neural network

    # loss function
    def loss(batch_size=None):

        # inline DataLoader :)
        if batch_size is None:
            Xb, yb = X, y
        else:
            ri = np.random.permutation(X.shape[0])[:batch_size]
            Xb, yb = X[ri], y[ri]
        inputs = [list(map(Value, xrow)) for xrow in Xb]

        # forward the model to get scores
        scores = list(map(model, inputs))

        # svm "max-margin" loss
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(yb, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        # L2 regularization
        alpha = 1e-4
        reg_loss = alpha * sum((p * p for p in model.parameters()))
        total_loss = data_loss + reg_loss

        # also get accuracy
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    # optimization
    for k in range(steps):
        # forward
        total_loss, acc = loss()

        # backward
        model.zero_grad()
        total_loss.backward()

        # update (sgd)
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad

        if k % 1 == 0:
            log(f"step {k} loss {total_loss.data}, accuracy {acc * 100}%")

    return model
