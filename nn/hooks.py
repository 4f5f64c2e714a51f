"""RemovableHandle: what ``Module.register_forward_hook`` returns (torch.utils.hooks.RemovableHandle)."""

import itertools

__all__ = ["RemovableHandle"]

_ids = itertools.count()


class RemovableHandle:
    """A registered hook: ``handle.remove()`` detaches it (removing twice is harmless); ``handle.id``
    is its key in the module's ordered hook dict."""

    def __init__(self, hooks):
        self._hooks = hooks
        self.id = next(_ids)

    def remove(self):
        """Detach the hook; later forwards no longer call it."""
        self._hooks.pop(self.id, None)
