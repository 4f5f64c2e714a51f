"""What a PyTorch user types works or says what to do: axis= in nn.functional, Adam(model), misspelt
layer arguments, and the dtype rule (a layer computes in its parameters' dtype)."""

import inspect

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
import nn.layers

X = np.random.default_rng(0).standard_normal((4, 6))


@pytest.mark.parametrize("fn", [F.softmax, F.log_softmax, F.softmin])
def test_functional_takes_axis_for_dim(fn):
    np.testing.assert_array_equal(fn(X, axis=0).data, fn(X, dim=0).data)
    with pytest.raises(TypeError, match="give one"):
        fn(X, dim=0, axis=0)


def test_functional_and_modules_take_axis():
    np.testing.assert_array_equal(F.normalize(X, axis=0).data, F.normalize(X, dim=0).data)
    np.testing.assert_array_equal(F.maxout(X, 2, axis=1).data, F.maxout(X, 2, dim=1).data)
    np.testing.assert_array_equal(nn.Softmax(axis=0)(X).data, nn.Softmax(dim=0)(X).data)
    assert repr(nn.LogSoftmax(axis=1)) == "LogSoftmax(dim=1)"


OPTIMIZERS = [nn.optim.SGD, nn.optim.Adam, nn.optim.AdamW, nn.optim.RMSprop, nn.optim.Adagrad]


@pytest.mark.parametrize("cls", OPTIMIZERS)
def test_optimizer_given_the_model_says_pass_parameters(cls):
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    name = cls.__name__
    with pytest.raises(TypeError, match=rf"{name} got the model itself \(Sequential\).*model\.parameters\(\)"):
        cls(model, lr=0.1)
    with pytest.raises(TypeError, match=r"model\.parameters\(\)"):
        cls([{"params": model[0]}], lr=0.1)
    cls(model.parameters(), lr=0.1)  # the right call works


def _layer_classes():
    return [
        getattr(nn.layers, name)
        for name in nn.layers.__all__
        if issubclass(getattr(nn.layers, name), nn.Module) and name != "Module"
    ]


def _misspell(word):
    swapped = word[:-2] + word[-1] + word[-2] if len(word) > 3 else word
    return swapped if swapped != word else word + "x"  # "full" swaps to itself: append instead


@pytest.mark.parametrize("cls", _layer_classes(), ids=lambda c: c.__name__)
def test_misspelt_argument_names_the_layer_and_suggests(cls):
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    if any(p.kind is p.VAR_KEYWORD for p in params):  # Identity takes anything, as in PyTorch
        cls(anything=1)
        return
    names = [p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    if not names:
        with pytest.raises(TypeError, match=rf"^{cls.__name__}\(\) got an unexpected keyword argument 'bias'"):
            cls(bias=False)
        return
    for name in names:
        wrong = _misspell(name)
        with pytest.raises(TypeError) as err:
            cls(**{wrong: 1})
        msg = str(err.value)
        assert msg.startswith(f"{cls.__name__}() got an unexpected keyword argument {wrong!r}"), msg
        assert f"did you mean {name!r}?" in msg or wrong in names, msg
        assert "__init__" not in msg


def test_the_issues_examples_and_other_argument_errors():
    with pytest.raises(TypeError, match=r"^Conv2d\(\) .*'kernal_size'; did you mean 'kernel_size'\?"):
        nn.Conv2d(1, 8, kernal_size=3)
    with pytest.raises(TypeError, match=r"^Linear\(\) .*'bais'; did you mean 'bias'\?"):
        nn.Linear(3, 2, bais=False)
    with pytest.raises(TypeError, match=r"^Conv2d\(\): missing a required argument: 'out_channels'"):
        nn.Conv2d(1)
    with pytest.raises(TypeError, match=r"^Linear\(\): too many positional arguments"):
        nn.Linear(1, 2, True, np.float32, None, 0, 7)

    class Mine(nn.Module):  # user modules get the same checks
        def __init__(self, width):
            super().__init__()
            self.fc = nn.Linear(width, 1)

    with pytest.raises(TypeError, match=r"^Mine\(\) .*'widht'; did you mean 'width'\?"):
        Mine(widht=3)


LAYERS_WITH_PARAMETERS = [
    (lambda dt: nn.Linear(6, 3, dtype=dt), (4, 6)),
    (lambda dt: nn.Bilinear(6, 6, 2, dtype=dt), None),
    (lambda dt: nn.Conv1d(2, 3, 3, dtype=dt), (2, 2, 6)),
    (lambda dt: nn.Conv2d(2, 3, 3, dtype=dt), (2, 2, 5, 5)),
    (lambda dt: nn.Conv3d(2, 3, 2, dtype=dt), (1, 2, 3, 3, 3)),
    (lambda dt: nn.BatchNorm1d(6, dtype=dt), (4, 6)),
    (lambda dt: nn.BatchNorm1d(6, affine=False, dtype=dt), (4, 6)),
    (lambda dt: nn.BatchNorm2d(2, dtype=dt), (3, 2, 2, 2)),
    (lambda dt: nn.LayerNorm(6, dtype=dt), (4, 6)),
    (lambda dt: nn.GroupNorm(2, 4, dtype=dt), (2, 4, 3)),
    (lambda dt: nn.PReLU(dtype=dt), (4, 6)),
    (lambda dt: nn.Sequential(nn.Linear(6, 5, dtype=dt), nn.ReLU(), nn.Linear(5, 2, dtype=dt)), (4, 6)),
]


@pytest.mark.parametrize("make, shape", LAYERS_WITH_PARAMETERS)
@pytest.mark.parametrize("param_dtype, input_dtype", [(np.float32, np.float64), (np.float64, np.float32)])
def test_a_layer_computes_in_its_parameters_dtype(make, shape, param_dtype, input_dtype):
    """The rule (nn/dtypes.py, README): floating inputs are cast to the parameters' dtype, as Keras does."""
    layer = make(param_dtype)
    rng = np.random.default_rng(1)
    if shape is None:  # Bilinear takes two inputs
        inputs = [rng.standard_normal((4, 6)).astype(input_dtype) for _ in range(2)]
    else:
        inputs = [rng.standard_normal(shape).astype(input_dtype)]
    out = layer(*inputs)
    assert out.dtype == param_dtype
    values = [ag.Value(x) for x in inputs]
    layer(*values).sum().backward()
    for v in values:  # the cast is differentiable: the gradient comes back in the input's dtype
        assert v.grad.dtype == input_dtype and np.isfinite(v.grad).all()
    for p in layer.parameters():
        assert p.grad.dtype == param_dtype


def test_integer_inputs_and_parameterless_layers_keep_their_dtype():
    assert nn.ReLU()(X).dtype == np.float64  # nothing to cast to
    assert nn.MaxPool1d(2)(X[None]).dtype == np.float64
    assert F.cross_entropy(nn.Linear(6, 3)(X), np.array([0, 1, 2, 0])).dtype == np.float32  # targets stay ints
