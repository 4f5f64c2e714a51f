"""micrograd's own code, with only the import changed, runs on this engine and gives micrograd's numbers.

The fixtures in tests/autograd_core/micrograd/ are micrograd's nn.py, its demo notebook's training
loop (including ``p.data -= learning_rate * p.grad``) and the lecture's expressions.
"""

import gc

import numpy as np
import pytest

from autograd_core import Value
from autograd_core.errors import InplaceModificationError, ReadOnlyDataError
from tests.autograd_core.micrograd import lecture


def test_readme_example_prints_micrograds_numbers(capsys):
    lecture.readme_example()
    assert capsys.readouterr().out.split() == ["24.7041", "138.8338", "645.5773"]


def test_lecture_expressions_and_labels():
    a, b, c, f, L = lecture.first_expression()
    assert (a.label, L.label, L.name) == ("a", "L", "L")
    assert L.data == -8.0 and (a.grad, b.grad, c.grad, f.grad) == (6.0, -4.0, -2.0, 4.0)
    x1, x2, w1, w2, o = lecture.neuron()
    assert o.data == pytest.approx(0.7071067811865476)
    assert [float(v.grad) for v in (x1, x2, w1, w2)] == pytest.approx([-1.5, 0.5, 1.0, 0.0])


def test_label_and_name_are_one_keyword():
    assert Value(1.0, label="a").name == "a" and Value(1.0, name="a").label == "a"
    with pytest.raises(TypeError, match="same thing"):
        Value(1.0, name="a", label="b")


def test_micrograd_demo_reaches_micrograds_accuracy():
    """The demo's loop gives micrograd's own trajectory, to the printed digits: micrograd's notebook shows
    step 0 loss 0.8958441028683222 50%, step 1 loss 1.7236 81%, step 22 loss 0.1173 97%, and 100% first
    at step 40 (its last step, 99, has loss 0.01098). The demo runs 100 steps; 41 (k = 0..40) reach
    100% and keep the suite fast, as every step builds about 65,000 scalar nodes."""
    pytest.importorskip("sklearn")  # the demo makes its moons with scikit-learn (in the test extra)
    from tests.autograd_core.micrograd.demo import train

    log = []
    collecting = gc.isenabled()
    gc.disable()  # the demo's graphs have no cycles; the collector's passes over them were half the time
    try:
        model = train(steps=41, log=log.append)
    finally:
        if collecting:
            gc.enable()
    assert len(model.parameters()) == 337
    assert log[0] == "step 0 loss 0.8958441028683222, accuracy 50.0%"
    assert log[1].startswith("step 1 loss 1.7235") and log[1].endswith("accuracy 81.0%")
    assert log[22].startswith("step 22 loss 0.1173") and log[22].endswith("accuracy 97.0%")
    assert log[40].endswith("accuracy 100.0%") and not any(line.endswith(" 100.0%") for line in log[:40])


def test_scalar_update_rebinds_and_inplace_detection_still_sees_it():
    p = Value(2.0)
    y = p * p  # saves p's data
    p.data -= 0.5 * np.array(1.0)  # micrograd's update line on a 0-d Value: a new number, rebound
    assert p.data == 1.5 and not p.data.flags.writeable
    with pytest.raises(InplaceModificationError, match="mul"):
        y.backward()  # the graph saved 2.0; the change is caught, never a silently wrong gradient
    p.grad = 0  # micrograd's zero_grad
    (p * 3).backward()
    assert p.grad == 3.0


def test_array_update_says_how_to_update():
    w = Value(np.ones(3))
    y = (w * w).sum()
    y.backward()
    for stmt in ("w.data -= 0.1 * w.grad", "w.data += 1", "w.data *= 2", "w.data /= 2"):
        with pytest.raises(ReadOnlyDataError, match=r"v\.data = v\.data - lr \* v\.grad.*sub_"):
            exec(stmt)
    with pytest.raises(ValueError):  # ReadOnlyDataError is a ValueError, as numpy's own error was
        np.subtract(w.data, 1, out=w.data)
    np.testing.assert_array_equal(w.data, np.ones(3))  # nothing changed
    w.data = w.data - 0.1 * w.grad  # the two ways it says
    w.sub_(0.1 * w.grad)
    np.testing.assert_allclose(w.data, np.full(3, 0.6))
    assert type(w.data - 1) is np.ndarray  # arithmetic on .data gives plain arrays
    copy = w.data.copy()
    copy -= 1  # a writeable copy behaves as numpy's
    np.testing.assert_allclose(copy, np.full(3, -0.4))
