"""The registry a step runs with: the built-in entries and a config's own.

A step's tables and figures name, order and group a config's variants and plug-ins
as its config says, without passing the registry through every drawing function:
``steps.run`` makes the config's registry the active one (a context variable) for
the time the step runs. Standard library only: planning imports it.
"""

import contextlib
import contextvars


class ActiveRegistry:
    """``builtin`` entries by name, or, within ``using(entries)``, a config's
    ``entries`` resolved by ``resolve(name, entry)`` (built-in names to themselves):
    the built-in ones in registry order, then the config's own in its order. Colours
    and orders follow it, so a config's methods take distinct colours first."""

    def __init__(self, name, builtin, resolve):
        self.builtin, self.resolve = builtin, resolve
        self._active = contextvars.ContextVar(name, default=None)

    def registry(self, entries):
        """A config's ``entries`` resolved: the built-in ones first."""
        builtin = {name: e for name, e in self.builtin.items() if name in entries}
        own = {
            name: self.resolve(name, entry)
            for name, entry in entries.items()
            if name not in self.builtin
        }
        return {**builtin, **own}

    def active(self):
        """The registry of the step running now; the built-in one outside a step."""
        return self._active.get() or self.builtin

    @contextlib.contextmanager
    def using(self, entries):
        """Within it, ``active()`` is the registry of a config's ``entries`` (the
        built-in one when ``entries`` is None)."""
        if entries is None:
            yield
            return
        token = self._active.set(self.registry(entries))
        try:
            yield
        finally:
            self._active.reset(token)
