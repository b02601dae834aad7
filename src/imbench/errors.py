"""The errors imbench reports on one line, as ``imbench: <kind>: <message>``
(standard library only)."""


class ImbenchError(Exception):
    """A problem the user can fix; the message is one line."""

    kind = "error"


class ConfigError(ImbenchError, ValueError):
    """An invalid config; the message names the key."""

    kind = "config error"


class DatasetError(ImbenchError, ValueError):
    """A dataset that cannot be used; the message names the file and the problem."""

    kind = "dataset error"


class MissingResultError(ImbenchError, FileNotFoundError):
    """A result file an analysis needs is gone; the message says how to remake it."""

    kind = "missing result"
