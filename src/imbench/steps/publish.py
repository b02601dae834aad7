"""Rule ``publish``: a finished run's figures (PNG), Markdown tables, findings,
provenance and config, copied to ``docs/results/`` with an index page, so that the
results committed with the project say what produced them."""

import json
import shutil
from pathlib import Path

from imbench.config import ConfigError, build_plan, config_hash, load_yaml


def run(input, output, params, threads=1):
    """``input``: ``figures`` and ``tables`` (lists of paths under ``results/``),
    ``findings``, ``provenance``; ``output``: ``directory``; ``params``:
    ``configfile`` (the one config file the run read), ``schema`` and
    ``command`` (how to regenerate)."""
    provenance = json.loads(Path(input["provenance"]).read_text())
    configfile = params["configfile"]
    if (
        configfile is None
        or _hash(configfile, params["schema"]) != provenance["config_hash"]
    ):
        raise ConfigError(
            "publish: the run's config is not one config file as written (give "
            "exactly one --configfile and no --config)"
        )
    target = Path(output["directory"])
    target.mkdir(parents=True, exist_ok=True)
    copied = [_copy(path, target) for path in [*input["tables"], input["findings"]]]
    for path in input["figures"]:
        copied.append(_copy(path, target))
        _shrink(target / copied[-1])
    shutil.copyfile(input["provenance"], target / "provenance.json")
    shutil.copyfile(configfile, target / "config.yaml")
    (target / "README.md").write_text(index(copied, provenance, params["command"]))


def _hash(configfile, schema):
    return config_hash(build_plan(load_yaml(configfile), schema).config)


def _copy(path, target):
    """Copy ``results/<rest>`` to ``target/<rest>``; returns ``<rest>``."""
    rest = Path(*Path(path).parts[1:])
    (target / rest).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target / rest)
    return rest


def _shrink(png):
    """Re-encode a figure with a 256-colour palette (Pillow), about a third of the
    bytes for line plots, so the published results stay small in the repository."""
    from PIL import Image

    with Image.open(png) as image:
        small = image.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE)
    small.save(png, optimize=True)


def index(paths, provenance, command):
    """The index page of the published results."""
    figures = [p for p in paths if p.suffix == ".png"]
    tables = [p for p in paths if p.parts[0] == "tables"]
    packages = ", ".join(f"{k} {v}" for k, v in provenance["packages"].items())
    lines = [
        "# What imbench found",
        "",
        "The answers, with their evidence: [findings.md](findings.md).",
        "",
        f"Made by `{command}` from [config.yaml](config.yaml) (config hash "
        f"`{provenance['config_hash']}`, commit `{provenance['git_commit']}`; "
        f"{packages}). [provenance.json](provenance.json) records the same.",
        "",
        "Cells that did not run (not applicable, or failed) are listed with their "
        "reasons at the end of [tables/summary.md](tables/summary.md).",
        "",
        "## Figures",
        "",
        *(
            f"### {p.stem.replace('_', ' ')}\n\n![{p.stem}]({p.as_posix()})\n"
            for p in figures
        ),
        "## Tables",
        "",
        *(f"- [{p.stem}]({p.as_posix()})" for p in tables),
        "",
    ]
    return "\n".join(lines)
