"""Threshold methods as views of their baseline cell: no fit of their own.

``TunedThresholdClassifierCV`` fits its classifier on each inner split, keeps the
threshold that scores best on the held-out predictions, and refits on the whole training
fold. The baseline cell has done all of it already: its model on the training fold
(every method of a classifier shares its seed), and its validation predictions on the
inner splits of the config's ``thresholds`` block. A threshold method is therefore the
baseline's predictions, with each fold's own threshold tuned on the baseline's
validation predictions (``tests/test_views.py`` holds it to
``TunedThresholdClassifierCV`` given the same splits and grid).
"""

from dataclasses import replace

from imbench.tuning import select_threshold


def view_record(baseline, predictions, method, params, criterion, grid_size):
    """The ``CellRecord`` of a view of the ``baseline`` cell (its record, with
    ``predictions`` its table as a DataFrame; ``params`` the view's method params):
    the baseline's folds, each with the threshold ``criterion`` chooses on its
    validation predictions as ``own_threshold``, and no fit time (nothing was
    fitted)."""
    view = replace(
        baseline,
        method=method,
        params=baseline.params.with_method_params(params),
        view_of=baseline.method,
        folds=[],
        thresholds=None,
    )
    if baseline.status != "ok":
        view.reason = f"its baseline is {baseline.status}: {baseline.reason}"
        return view
    validation = predictions[predictions["role"] == "validation"]
    groups = validation.groupby(["repeat", "fold"], sort=True)
    for record in baseline.folds:
        rows = groups.get_group((record["repeat"], record["fold"]))
        threshold = select_threshold(
            rows["y_true"].to_numpy(),
            rows["proba"].to_numpy(),
            rows["split"].to_numpy(),
            criterion,
            grid_size,
        )
        view.folds.append(
            {
                **record,
                "fit_time": 0.0,
                "predict_time": 0.0,
                "validation_fit_time": 0.0,
                "own_threshold": threshold,
                "adaptations": [],
            }
        )
    return view
