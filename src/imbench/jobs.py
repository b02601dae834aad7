"""How a workflow job runs: its log file and pinned threads (``job``), and how many
CPUs a SLURM group job gets (``cluster_cores``)."""

import contextlib
import gc
import logging
import os
import subprocess

THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


@contextlib.contextmanager
def job(log_path, threads=1):
    """Run a job's body with logging to ``log_path`` and ``threads`` threads at most.

    BLAS and OpenMP pools are limited with threadpoolctl (they may already be loaded),
    Arrow's CPU pool (Parquet encoding) with pyarrow, and the environment is set for
    any worker process the job starts. What is alive when the job starts (imported
    modules) is frozen out of garbage collection, which then scans only the job's own
    objects (statsmodels' Holm correction, for one, collects on every call). An
    exception is logged with its traceback; an ``ImbenchError`` (bad user data, a
    result file gone) then ends the job with its one-line message instead.
    """
    import pyarrow
    from threadpoolctl import threadpool_limits

    from imbench.errors import ImbenchError

    for variable in THREAD_VARIABLES:
        os.environ[variable] = str(threads)
    arrow_threads = pyarrow.cpu_count()
    pyarrow.set_cpu_count(threads)
    handler = logging.FileHandler(log_path, mode="w")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.captureWarnings(True)
    gc.freeze()
    try:
        with threadpool_limits(limits=threads):
            yield logging.getLogger("imbench")
    except ImbenchError as error:
        logging.getLogger("imbench").exception(error.kind)
        raise SystemExit(f"imbench: {error.kind}: {error}") from error
    except BaseException:
        logging.getLogger("imbench").exception("job failed")
        raise
    finally:
        gc.unfreeze()
        pyarrow.set_cpu_count(arrow_threads)
        root.removeHandler(handler)
        handler.close()


def cluster_cores(most=8):
    """CPUs of one SLURM group job: ``most``, or fewer when no node SLURM reports
    (``sinfo``) has that many, so that no job waits for a node that does not exist."""
    try:
        listing = subprocess.run(
            ["sinfo", "--noheader", "--format=%c"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return most
    nodes = [int(cpus.rstrip("+")) for cpus in listing.split() if cpus[:1].isdigit()]
    return min(most, max(nodes, default=most))
