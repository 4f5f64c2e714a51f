"""Padding layers (PyTorch's torch.nn.modules.padding): Zero-, Constant-, Reflection-, Replication- and
CircularPad1d/2d/3d: F.pad with the layer's mode over the last 1, 2 or 3 dimensions."""

from .. import functional as F
from ..functional._utils import ntuple
from ..module import Module

__all__ = [
    f"{kind}Pad{nd}d" for kind in ("Zero", "Constant", "Reflection", "Replication", "Circular") for nd in (1, 2, 3)
]


class _PadNd(Module):
    """``padding``: an int (every side) or ``2 * nd`` ints (left, right, top, bottom, front, back: the
    last dimension first, as F.pad). Input (N, C, *spatial) or (C, *spatial), ``nd`` spatial dims;
    each padded size grows by its two pads. Raises what F.pad raises (e.g. reflect pads >= the size)."""

    _nd = 1
    _mode = "constant"

    def __init__(self, padding, value=0.0):
        super().__init__()
        self.padding = ntuple(padding, 2 * self._nd, type(self).__name__)
        self.value = value

    def forward(self, x):
        """``x`` padded by ``padding`` with this layer's mode."""
        if self._mode == "constant":
            return F.pad(x, self.padding, mode="constant", value=self.value)
        return F.pad(x, self.padding, mode=self._mode)

    def extra_repr(self):
        return f"{self.padding}" + (f", value={self.value}" if type(self).__name__.startswith("Constant") else "")


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value):
        super().__init__(padding, value)


class _FixedPadNd(_PadNd):
    def __init__(self, padding):
        super().__init__(padding)


class _ReflectionPadNd(_FixedPadNd):
    _mode = "reflect"


class _ReplicationPadNd(_FixedPadNd):
    _mode = "replicate"


class _CircularPadNd(_FixedPadNd):
    _mode = "circular"


class ZeroPad1d(_FixedPadNd):
    """Pads the last 1 dimension with zeros (torch.nn.ZeroPad1d; F.pad mode 'constant')."""

    _nd = 1


class ZeroPad2d(_FixedPadNd):
    """Pads the last 2 dimensions with zeros (torch.nn.ZeroPad2d; F.pad mode 'constant')."""

    _nd = 2


class ZeroPad3d(_FixedPadNd):
    """Pads the last 3 dimensions with zeros (torch.nn.ZeroPad3d; F.pad mode 'constant')."""

    _nd = 3


class ConstantPad1d(_ConstantPadNd):
    """Pads the last 1 dimension with a constant value (torch.nn.ConstantPad1d; F.pad mode 'constant')."""

    _nd = 1


class ConstantPad2d(_ConstantPadNd):
    """Pads the last 2 dimensions with a constant value (torch.nn.ConstantPad2d; F.pad mode 'constant')."""

    _nd = 2


class ConstantPad3d(_ConstantPadNd):
    """Pads the last 3 dimensions with a constant value (torch.nn.ConstantPad3d; F.pad mode 'constant')."""

    _nd = 3


class ReflectionPad1d(_ReflectionPadNd):
    """Pads the last 1 dimension with the mirror image, edge not repeated (torch.nn.ReflectionPad1d; F.pad mode 'reflect')."""

    _nd = 1


class ReflectionPad2d(_ReflectionPadNd):
    """Pads the last 2 dimensions with the mirror image, edge not repeated (torch.nn.ReflectionPad2d; F.pad mode 'reflect')."""

    _nd = 2


class ReflectionPad3d(_ReflectionPadNd):
    """Pads the last 3 dimensions with the mirror image, edge not repeated (torch.nn.ReflectionPad3d; F.pad mode 'reflect')."""

    _nd = 3


class ReplicationPad1d(_ReplicationPadNd):
    """Pads the last 1 dimension with copies of the edge (torch.nn.ReplicationPad1d; F.pad mode 'replicate')."""

    _nd = 1


class ReplicationPad2d(_ReplicationPadNd):
    """Pads the last 2 dimensions with copies of the edge (torch.nn.ReplicationPad2d; F.pad mode 'replicate')."""

    _nd = 2


class ReplicationPad3d(_ReplicationPadNd):
    """Pads the last 3 dimensions with copies of the edge (torch.nn.ReplicationPad3d; F.pad mode 'replicate')."""

    _nd = 3


class CircularPad1d(_CircularPadNd):
    """Pads the last 1 dimension with the opposite edge's values (wrap-around) (torch.nn.CircularPad1d; F.pad mode 'circular')."""

    _nd = 1


class CircularPad2d(_CircularPadNd):
    """Pads the last 2 dimensions with the opposite edge's values (wrap-around) (torch.nn.CircularPad2d; F.pad mode 'circular')."""

    _nd = 2


class CircularPad3d(_CircularPadNd):
    """Pads the last 3 dimensions with the opposite edge's values (wrap-around) (torch.nn.CircularPad3d; F.pad mode 'circular')."""

    _nd = 3
