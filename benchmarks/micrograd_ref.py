"""A micrograd-equivalent scalar engine, the yardstick for the scalar rows of the speed table.

Written here from micrograd's well-known design (Karpathy, 2020), not copied: a ``Value`` holds a
Python float ``data``, a float ``grad``, the set of Values it was made from and a ``_backward``
closure that pushes its gradient into them; ``backward()`` builds a topological order by
recursion and calls the closures in reverse. Each closure captures its own output, so every node
sits in a reference cycle and graphs are freed by the cyclic garbage collector; the benchmark
collects those cycles outside the timed step (the comparison most favourable to this engine).

Only what the scalar MLP needs: +, *, - (and reflected forms), ** by a number, relu, tanh.
"""

import math
import random


class Value:
    """A scalar with a gradient, as in micrograd."""

    __slots__ = ("_backward", "_op", "_prev", "data", "grad")

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0.0
        self._backward = _noop
        self._prev = set(_children)
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, k):
        out = Value(self.data**k, (self,), f"**{k}")

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    def relu(self):
        out = Value(self.data if self.data > 0 else 0.0, (self,), "relu")

        def _backward():
            self.grad += (out.data > 0) * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t * t) * out.grad

        out._backward = _backward
        return out

    def backward(self):
        order, seen = [], set()

        def visit(v):  # recursive, as in micrograd (deep graphs hit the recursion limit)
            if v not in seen:
                seen.add(v)
                for child in v._prev:
                    visit(child)
                order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            v._backward()

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other


def _noop():
    return None


class Neuron:
    """sum_i w_i x_i + b, then relu unless it is an output neuron (micrograd's nn.Neuron)."""

    def __init__(self, nin, nonlin, make, rng):
        self.w = [make(rng.uniform(-1, 1)) for _ in range(nin)]
        self.b = make(0.0)
        self.nonlin = nonlin

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act

    def parameters(self):
        return [*self.w, self.b]


class MLP:
    """Layers of Neurons; ``make(float)`` builds a parameter, so the same model runs on any scalar engine."""

    def __init__(self, sizes, make=Value, seed=0):
        rng = random.Random(seed)
        self.layers = [
            [Neuron(sizes[i], i < len(sizes) - 2, make, rng) for _ in range(sizes[i + 1])]
            for i in range(len(sizes) - 1)
        ]

    def __call__(self, x):
        for layer in self.layers:
            x = [n(x) for n in layer]
        return x[0] if len(x) == 1 else x

    def parameters(self):
        return [p for layer in self.layers for n in layer for p in n.parameters()]
