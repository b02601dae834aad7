import subprocess
import sys

from imbench.seeds import seed_from


def test_seed_is_the_same_in_processes_with_different_hash_salts():
    code = "from imbench.seeds import seed_from; print(seed_from('synthetic', 0.01, 3))"
    seeds = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": salt},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for salt in ("1", "2", "random")
    }
    assert seeds == {f"{seed_from('synthetic', 0.01, 3)}\n"}


def test_seeds_differ_by_name_and_fit_numpy():
    seeds = {seed_from("dataset", i) for i in range(1000)}
    assert len(seeds) == 1000
    assert all(0 <= seed < 2**32 for seed in seeds)
    assert seed_from("a", "b") != seed_from("b", "a")
