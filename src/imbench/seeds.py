"""Seeds derived from names, stable across processes, machines and job order."""

import hashlib


def seed_from(*parts: object) -> int:
    """Return a 32-bit seed derived from ``parts`` with SHA-256.

    Python's ``hash()`` is salted per process, so it must never seed anything here.

    Parameters
    ----------
    *parts : object
        Names (and numbers) that identify what the seed is for; joined with ``/``.

    Returns
    -------
    int
        A seed in ``[0, 2**32)``, usable by NumPy and scikit-learn.
    """
    text = "/".join(str(part) for part in parts)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
