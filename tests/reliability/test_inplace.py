"""In-place changes of saved arrays are detected and reported with the op's name, never a wrong gradient."""

import numpy as np
import pytest

from autograd_core import GraphError, InplaceModificationError, Value

MUTATIONS = {
    ".data =": lambda v: setattr(v, "data", v.data + 1),
    "add_": lambda v: v.add_(1.0),
    "sub_": lambda v: v.sub_(Value(np.ones(v.shape), requires_grad=False), alpha=2.0),
    "mul_": lambda v: v.mul_(3.0),
    "fill_": lambda v: v.fill_(0.5),
    "zero_": lambda v: v.zero_(),
    "copy_": lambda v: v.copy_(np.full(v.shape, 7.0)),
    "set_": lambda v: v.set_(np.full(v.shape, 7.0)),
    "__setitem__": lambda v: v.__setitem__(0, 9.0),
    "__setitem__ mask": lambda v: v.__setitem__(v.data > 0, Value(np.array(1.0), requires_grad=False)),
}


@pytest.mark.parametrize("how", list(MUTATIONS))
def test_swapping_a_saved_leaf_is_reported_with_the_op_name(how):
    x = Value(np.array([1.0, 2.0, 3.0]))
    w = Value(np.array([0.5, -1.0, 2.0]))
    y = (x * w).exp().sum()
    MUTATIONS[how](w)
    with pytest.raises(InplaceModificationError) as info:
        y.backward()
    msg = str(info.value)
    assert "'mul'" in msg and "input 1" in msg and "(3,)" in msg
    assert x.grad is None and w.grad is None  # refused before any gradient was written


@pytest.mark.parametrize("how", list(MUTATIONS))
def test_changing_a_live_op_output_is_refused_at_once(how):
    x = Value(np.array([1.0, 2.0, 3.0]))
    h = x.exp()  # exp's backward reads its own output
    with pytest.raises(InplaceModificationError, match="'exp'"):
        MUTATIONS[how](h)
    h.sum().backward()
    np.testing.assert_allclose(x.grad, np.exp([1.0, 2.0, 3.0]))


def test_after_backward_freed_the_graph_outputs_may_change():
    x = Value(np.ones(2))
    h = x * 2
    h.sum().backward()
    h.add_(1.0)
    np.testing.assert_array_equal(h.data, [3.0, 3.0])


def test_recompute_after_change_works():
    w = Value(np.array([1.0, 2.0]))
    y = (w * w).sum()
    w.add_(1.0)
    with pytest.raises(InplaceModificationError):
        y.backward()
    (w * w).sum().backward()
    np.testing.assert_array_equal(w.grad, [4.0, 6.0])


def test_change_after_backward_with_retain_graph_is_caught_on_the_second_pass():
    w = Value(np.array([1.0, 2.0]))
    y = (w * w).sum()
    y.backward(retain_graph=True)
    w.data = np.array([5.0, 5.0])
    with pytest.raises(InplaceModificationError, match="'mul'"):
        y.backward()
    np.testing.assert_array_equal(w.grad, [2.0, 4.0])


@pytest.mark.parametrize(
    "write",
    [
        lambda v: v.data.__setitem__(0, 5.0),
        lambda v: v.numpy().__setitem__(0, 5.0),
        lambda v: np.add(v.data, 1, out=v.data),
        lambda v: np.asarray(v).fill(0.0),
    ],
)
def test_writing_into_data_directly_raises(write):
    v = Value(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="read-only"):
        write(v)
    np.testing.assert_array_equal(v.data, [1.0, 2.0])


def test_augmented_assignment_on_data_raises_and_rebinding_value_is_fine():
    v = Value(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="read-only"):
        v.data += 1  # ndarray.__iadd__ writes in place before the setter runs
    c = v
    c += 1  # Value.__iadd__ is not defined: rebinds c to a new Value, as in micrograd
    assert c is not v and v.data[0] == 1.0 and c.data[0] == 2.0


def test_grads_are_read_only():
    x = Value(np.array([1.0, 2.0]))
    (x * x).sum().backward()
    with pytest.raises(ValueError, match="read-only"):
        x.grad[0] = 0.0
    x.grad = x.grad * 0.5  # rebinding is the supported way
    np.testing.assert_array_equal(x.grad, [1.0, 2.0])


def test_op_outputs_and_views_are_read_only():
    x = Value(np.arange(6.0))
    for y in (x.reshape(2, 3), x[1:], x.T, x * 1, x.broadcast_to((2, 6))):
        with pytest.raises(ValueError, match="read-only"):
            y.data[...] = 0


def test_mutating_a_writeable_operand_after_forward_does_not_change_the_gradient():
    c = np.array([1.0, 2.0, 3.0])
    x = Value(np.ones(3))
    y = (x * c).sum()
    c[:] = 100.0
    y.backward()
    np.testing.assert_array_equal(x.grad, [1.0, 2.0, 3.0])


def test_read_only_operands_are_shared_without_a_copy():
    c = np.array([1.0, 2.0, 3.0])
    c.flags.writeable = False
    y = Value(np.ones(3)) * c
    assert y._saved[1] is c
    view = np.arange(3.0)[:]  # a read-only view of a writeable array is still copied
    view.flags.writeable = False
    y = Value(np.ones(3)) * view
    assert y._saved[1] is not view and not y._saved[1].flags.writeable


@pytest.mark.parametrize(
    "make",
    [
        ("integer index", lambda x, a: x[a], np.array([0, 1]), [1.0, 1.0, 0.0, 0.0]),
        ("boolean mask", lambda x, a: x[a], np.array([True, False, True, False]), [1.0, 0.0, 1.0, 0.0]),
        ("clip bound", lambda x, a: x.clip(a, None), np.array([0.5, 0.5, 0.5, 0.5]), [0.0, 1.0, 1.0, 1.0]),
    ],
    ids=lambda m: m[0],
)
def test_mutating_an_index_or_parameter_array_after_forward_does_not_change_the_gradient(make):
    _, f, arr, expected = make
    x = Value(np.arange(4.0))
    y = f(x, arr).sum()
    arr[...] = np.flip(arr) if arr.dtype == bool else 3 if arr.dtype.kind == "i" else -1
    y.backward()
    np.testing.assert_array_equal(x.grad, expected)


def test_setitem_on_a_leaf_then_a_new_graph():
    x = Value(np.zeros(3))
    x[1] = 2.0
    x[[0, 2]] = Value(np.array([1.0, 3.0]), requires_grad=False)  # one that requires grad is refused
    np.testing.assert_array_equal(x.data, [1.0, 2.0, 3.0])
    assert x.requires_grad and x.is_leaf
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0, 6.0])


def test_set_takes_a_fresh_array_without_a_copy_and_freezes_it():
    w = Value(np.zeros(3))
    new = np.arange(3.0)
    assert w.set_(new) is w and w.data.base is new  # no copy: the optimisers' update path (.data is a view)
    with pytest.raises(ValueError, match="read-only"):
        new[0] = 5.0
    base = np.arange(6.0)
    w.set_(base[:3])  # a view: copied, so writing through its base cannot change w
    base[0] = 99.0
    np.testing.assert_array_equal(w.data, [0.0, 1.0, 2.0])
    w.set_(np.ones(3, dtype=np.float32))
    assert w.dtype == np.float64  # keeps its dtype
    with pytest.raises(GraphError, match=r"\(2,\)"):
        w.set_(np.ones(2))
