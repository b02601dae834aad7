"""The errors imbench reports on one line (standard library only)."""


class ConfigError(ValueError):
    """An invalid config; the message is one line naming the key."""


class DatasetError(ValueError):
    """A dataset that cannot be used; the message names the file and the problem."""
