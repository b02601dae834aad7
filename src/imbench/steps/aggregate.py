"""Rule ``aggregate``: the tidy long table, the summary per positive rate with its
Markdown headline tables, every cell's status, the datasets and the provenance."""

import json

from imbench.io import write_text
from imbench.provenance import library_versions, package_versions
from imbench.records import CELL_KEYS, FOLD_KEYS
from imbench.summary import cell_table, dataset_table, summarise, summary_markdown
from imbench.tables import load_metrics, scored_rows, write_csv

LONG_COLUMNS = ["dataset", "source", "positive_rate", *CELL_KEYS[1:], *FOLD_KEYS]


def run(input, output, params, threads=1):
    """``input``: ``metrics`` files; ``output``: ``long``, ``summary``, ``markdown``,
    ``cells``, ``datasets``, ``provenance``; ``params``: ``not_applicable`` cells,
    ``excluded`` datasets (listed in ``datasets`` with their reason), ``headline``
    metrics, ``provenance`` (config hash, git commit), ``libraries`` (the top-level
    modules of the config's optional libraries and plug-ins, whose versions the
    provenance records beside imbench's own dependencies)."""
    metrics, cells, datasets = load_metrics(input["metrics"])
    cells = cell_table(cells, params["not_applicable"], datasets["dataset"])
    metrics = metrics.sort_values([*CELL_KEYS, *FOLD_KEYS], ignore_index=True)
    write_csv(metrics[[*LONG_COLUMNS, "value", "missing"]], output["long"])
    summary = summarise(scored_rows(metrics))
    write_csv(summary, output["summary"])
    write_text(output["markdown"], summary_markdown(summary, cells, params["headline"]))
    write_csv(cells, output["cells"])
    write_csv(dataset_table(datasets, params["excluded"]), output["datasets"])
    write_text(
        output["provenance"],
        json.dumps(
            {
                **params["provenance"],
                "packages": package_versions() | library_versions(params["libraries"]),
            },
            indent=2,
            sort_keys=True,
        )
        + "\n",
    )
