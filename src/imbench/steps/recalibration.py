"""Rule ``recalibration``: each rebalancing method's probabilities as trained and
prior-corrected to the true rate, against the baseline's: Brier and log loss, the
calibration intercept and slope, and whether the Brier is practically worse, so
that the prior shift and miscalibration beyond it are told apart."""

import pandas as pd

from imbench.calibration import recalibration_rows, recalibration_table
from imbench.stats import Equivalence
from imbench.tables import load_metrics, ok_cells, read_predictions, some, write_tables


def run(input, output, params, threads=1):
    """``input``: ``metrics`` files and ``predictions`` directories; ``params``:
    ``equivalence`` (see ``stats.Equivalence``)."""
    _, cells, datasets = load_metrics(input["metrics"])
    of_dataset = datasets.set_index("dataset")
    frames = []
    for cell in some(ok_cells(cells)):
        predictions, record = read_predictions(input["predictions"], cell)
        rows, changed = recalibration_rows(
            predictions[predictions["role"] == "test"], record.folds
        )
        if changed or cell["method"] == "baseline":
            dataset = of_dataset.loc[cell["dataset"]]
            frames.append(
                rows.assign(
                    source=dataset["source"],
                    positive_rate=dataset["positive_rate"],
                    dataset=cell["dataset"],
                    observation=dataset["observation"],
                    classifier=cell["classifier"],
                    method=cell["method"],
                    identical=False,
                    degenerate=bool(cell.get("degenerate")),
                )
            )
    values = pd.concat(some(frames), ignore_index=True)
    table = recalibration_table(values, Equivalence(**params["equivalence"]))
    write_tables(table, output["table_recalibration"])
