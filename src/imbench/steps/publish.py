"""Rule ``publish``: a finished run's figures (PNG), Markdown tables, findings,
provenance and config, copied to ``docs/results/`` with an index page, so that the
results committed with the project say what produced them.

Only the configs of ``PUBLISHED`` as written are published, each to its directory,
and a refusal comes while Snakemake plans (``refusal``, from the rule's input
function), before any job runs. The new results are written beside their directory
and swapped in whole, so a publish that fails leaves the committed results as they
were; a published directory inside another (``docs/results/real`` and those inside
it) is carried over when the outer one is replaced.
"""

import json
import os
import re
import shutil
from pathlib import Path

from imbench.config import ConfigError, build_plan, config_hash, load_yaml

# each published config, and the directory its results are published to
PUBLISHED = {
    "config/published.yaml": "docs/results",
    "config/published_real.yaml": "docs/results/real",
    "config/published_real_pooled.yaml": "docs/results/real/pooled",
    "config/published_real_rates.yaml": "docs/results/real/rates",
}


def command(config):
    """The one way the publish command is written, for a config of ``PUBLISHED``."""
    return f"snakemake publish --cores 2 --configfile {config}"


def published_config(configfiles, basedir):
    """The key of ``PUBLISHED`` that ``configfiles`` are, or None."""
    given = [Path(path).resolve() for path in configfiles]
    for config in PUBLISHED:
        if given == [(Path(basedir) / config).resolve()]:
            return config
    return None


def directory(configfiles, basedir):
    """Where a run of ``configfiles`` is published (the first directory when it may
    not be, which ``refusal`` then says)."""
    config = published_config(configfiles, basedir) or next(iter(PUBLISHED))
    return PUBLISHED[config]


def refusal(configfiles, run_hash, basedir, schema):
    """Why a run of ``configfiles`` (whose config hashes to ``run_hash``) may not be
    published, in one line; None when it may."""
    config = published_config(configfiles, basedir)
    if config is None:
        given = ", ".join(os.path.relpath(path, basedir) for path in configfiles)
        return (
            f"only the configs {', '.join(PUBLISHED)} are published, and this run's "
            f"config is {given}; run: {command('<one of them>')}"
        )
    if _hash(Path(basedir) / config, schema, basedir) != run_hash:
        return (
            f"--config changes {config}; the published results are the file's as "
            f"written; run: {command(config)}"
        )
    return None


def run(input, output, params, threads=1):
    """``input``: ``figures`` and ``tables`` (lists of paths under ``results/``),
    ``findings``, ``provenance``; ``params``: ``directory`` (where the results go),
    ``configfiles`` (the run's), ``basedir`` (the workflow's) and ``schema``."""
    provenance = json.loads(Path(input["provenance"]).read_text())
    refused = refusal(
        params["configfiles"],
        provenance["config_hash"],
        params["basedir"],
        params["schema"],
    )
    if refused:
        raise ConfigError(f"publish: {refused}")
    config = published_config(params["configfiles"], params["basedir"])
    target = Path(params["directory"])
    staging = target.with_name(f".{target.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        findings = _copy(input["findings"], staging)
        copied = [*(_copy(p, staging) for p in input["tables"]), findings]
        for path in input["figures"]:
            copied.append(_copy(path, staging))
            _shrink(staging / copied[-1])
        (staging / findings).write_text(
            linked((staging / findings).read_text(), copied)
        )
        shutil.copyfile(input["provenance"], staging / "provenance.json")
        shutil.copyfile(params["configfiles"][0], staging / "config.yaml")
        nested = []
        for inner in _nested(PUBLISHED[config]):
            if (target / inner).is_dir():  # another config's results: kept
                shutil.copytree(target / inner, staging / inner)
                nested.append(inner)
        (staging / "README.md").write_text(
            index(copied, provenance, command(config), nested)
        )
        replace_directory(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def linked(findings, published):
    """``findings`` with each table or figure it names (`` `ratio_sweep.csv` ``,
    `` `figures/ensembles.png` ``) a link to the file published for it, named as
    that file is: the table's CSV where it is published, else its Markdown; names of
    files not published are left as they are."""
    files = {path.as_posix() for path in published}

    def link(match):
        name = match.group(1)
        stem = name.removesuffix(".csv")
        for target in (name, f"tables/{name}", f"tables/{stem}.md"):
            if target in files:
                return f"[`{target.rpartition('/')[2]}`]({target})"
        return match.group(0)

    return re.sub(r"`([\w/]+\.(?:csv|png))`", link, findings)


def replace_directory(new, target):
    """Put directory ``new`` in ``target``'s place: two renames, so ``target`` is
    never missing or half-written for longer than between them."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def _nested(published):
    """The directories of other published configs inside ``published``, relative to
    it: the outermost only (each carries those inside it)."""
    inside = [Path(d) for d in PUBLISHED.values() if Path(published) in Path(d).parents]
    return [
        os.path.relpath(other, published)
        for other in inside
        if not any(d in other.parents for d in inside)
    ]


def _hash(configfile, schema, basedir):
    return config_hash(build_plan(load_yaml(configfile), schema, basedir).config)


def _copy(path, target):
    """Copy ``results/<rest>`` to ``target/<rest>``; returns ``<rest>``."""
    rest = Path(*Path(path).parts[1:])
    (target / rest).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target / rest)
    return rest


def _shrink(png):
    """Re-encode a figure with a 256-colour palette (Pillow), about two fifths of
    the bytes for line plots, so the published results stay small in the repository.
    Median cut keeps the faint tints of the 95% bands, which a fast octree merges
    with the white (or turns the grid lines under them pink)."""
    from PIL import Image

    with Image.open(png) as image:
        small = image.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT)
    small.save(png, optimize=True)


def index(paths, provenance, command, nested=()):
    """The index page of the published results; ``nested``: directories of other
    published results inside them, linked by their index."""
    figures = [p for p in paths if p.suffix == ".png"]
    tables = [p for p in paths if p.parts[0] == "tables"]
    packages = ", ".join(f"{k} {v}" for k, v in provenance["packages"].items())
    beside = ", ".join(f"[{inner}/README.md]({inner}/README.md)" for inner in nested)
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
        *([f"Published beside these: {beside}.", ""] if nested else []),
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
