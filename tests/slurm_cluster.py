"""A one-node SLURM cluster on localhost, for testing the SLURM executor for real.

Installs Debian's slurm-wlm and munge when missing (needs root and apt-get), writes
/etc/slurm/slurm.conf (the SLURM executor's job steps ignore SLURM_CONF), starts
munged, slurmctld and slurmd, and stops only what it started.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

CONF = Path("/etc/slurm/slurm.conf")
MARKER = "# one-node test cluster written by imbench's test suite"
DAEMONS = ("munged", "slurmctld", "slurmd")


def _run(*command, timeout=60):
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def ensure_installed():
    """Install SLURM and munge with apt-get if needed, or skip the calling test."""
    if all(shutil.which(name) for name in (*DAEMONS, "sbatch", "squeue")):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("SLURM is not installed and cannot be (needs root and apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "slurm-wlm", "munge"],
    ):
        result = subprocess.run(command, capture_output=True, text=True, env=env)
        if result.returncode:
            pytest.skip(f"cannot install SLURM: {result.stderr.strip()[-300:]}")


def _memory_mb():
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) // 1024 * 3 // 4
    return 1000


def _slurm_conf(state):
    return "\n".join(
        [
            MARKER,
            "ClusterName=imbench-test",
            "SlurmctldHost=localhost",
            "SlurmUser=root",
            "SlurmdUser=root",
            "AuthType=auth/munge",
            f"StateSaveLocation={state}/ctld",
            f"SlurmdSpoolDir={state}/spool",
            f"SlurmctldPidFile={state}/slurmctld.pid",
            f"SlurmdPidFile={state}/slurmd.pid",
            f"SlurmctldLogFile={state}/slurmctld.log",
            f"SlurmdLogFile={state}/slurmd.log",
            "ProctrackType=proctrack/linuxproc",
            "TaskPlugin=task/none",
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_Core_Memory",
            "ReturnToService=2",
            # Keep finished jobs visible to squeue, which the executor polls for status
            # (no slurmdbd here for sacct), and which the test reads.
            "MinJobAge=3600",
            "JobAcctGatherType=jobacct_gather/none",
            "AccountingStorageType=accounting_storage/none",
            f"NodeName=localhost CPUs={os.cpu_count()} RealMemory={_memory_mb()} "
            "State=UNKNOWN",
            "PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP",
            "",
        ]
    )


class OneNodeCluster:
    """Start with ``start()``, stop with ``stop()``; both are idempotent."""

    def __init__(self, state):
        self.state = Path(state)
        self.started = []

    def start(self):
        ensure_installed()
        if CONF.exists() and MARKER not in CONF.read_text():
            pytest.skip(f"{CONF} belongs to a real SLURM setup; not touching it")
        for sub in ("ctld", "spool"):
            (self.state / sub).mkdir(parents=True, exist_ok=True)
        CONF.parent.mkdir(parents=True, exist_ok=True)
        CONF.write_text(_slurm_conf(self.state))
        if _run("munge", "-n").returncode:  # no munged answering yet
            Path("/run/munge").mkdir(parents=True, exist_ok=True)
            shutil.chown("/run/munge", "munge", "munge")
            self._daemon("munged", ["munged", "--force"], "/run/munge/munged.pid")
        self._daemon("slurmctld", ["slurmctld", "-i"], self.state / "slurmctld.pid")
        self._daemon("slurmd", ["slurmd", "-N", "localhost"], self.state / "slurmd.pid")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            states = _run("sinfo", "-h", "-o", "%T").stdout.split()
            if states and all(s in {"idle", "mixed", "allocated"} for s in states):
                return self
            time.sleep(0.5)
        self.stop()
        pytest.fail(f"SLURM did not come up; see {self.state}/slurmctld.log")

    def _daemon(self, name, command, pid_file):
        result = _run(*command)
        if result.returncode:
            self.stop()
            pytest.skip(f"cannot start {name} here: {result.stderr.strip()[-300:]}")
        self.started.append(Path(pid_file))

    def jobs(self, workdir):
        """``(comment, state, cpus, time limit)`` of the jobs submitted from
        ``workdir``."""
        lines = _run("squeue", "-h", "-t", "all", "-o", "%k|%T|%C|%l|%Z").stdout
        rows = [line.split("|") for line in lines.splitlines()]
        here = [row for row in rows if row[4] == str(workdir)]
        return [
            (comment, state, int(cpus), limit)
            for comment, state, cpus, limit, _ in here
        ]

    def stop(self):
        for pid_file in reversed(self.started):
            with contextlib.suppress(OSError, ValueError):
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGTERM)
        self.started.clear()
        if CONF.exists() and MARKER in CONF.read_text():
            CONF.unlink()
