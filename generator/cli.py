"""The generator's command line (``python -m generator`` or the ``awsgen`` console script)."""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .botocore_source import BOTOCORE_VERSION
from .load import ModelError
from .manifest import load_manifest
from .model.naming import package_names, service_name_for_model
from .pipeline import UnsupportedProtocol, build_package
from .render import PackageSettings
from .write import diff_packages, write_packages

REPO = Path(__file__).resolve().parent.parent
DEFAULT_MANIFEST = REPO / "models" / "manifest.yaml"


def _cmd_generate(args: argparse.Namespace) -> int:
    packages: dict[str, dict[str, str]] = {}
    templates = ""
    if args.templates:
        from .render import check_overrides

        problems = check_overrides(Path(args.templates))
        if problems:
            raise ModelError(problems)
        templates = str(Path(args.templates).resolve())
    if args.model:
        model = Path(args.model)
        package, distribution = package_names(service_name_for_model(model))
        if args.package:
            package, distribution = args.package, args.package.replace("_", "-")
        settings = PackageSettings(package=package, distribution=distribution, model_label=model.as_posix(),
                                   templates=templates)
        out = Path(args.out or "generated")
        packages[settings.distribution] = build_package(model, settings)
        if not any(name.endswith("/endpoints.py") for name in packages[settings.distribution]):
            print(f"note: no endpoint-rule-set-1.json(.gz) beside {model}: {distribution} resolves no endpoints, "
                  "so its clients need endpoint_url=", file=sys.stderr)
    else:
        manifest = load_manifest(Path(args.manifest))
        out = Path(args.out) if args.out else manifest.output
        jobs = [
            (
                entry.model,
                PackageSettings(
                    package=entry.package,
                    distribution=entry.distribution,
                    model_label=entry.model_label,
                    version=entry.version,
                    options=tuple(sorted(entry.options.items())),
                    templates=templates,
                ),
            )
            for entry in manifest.services
        ]
        if len(jobs) > 1 and (os.cpu_count() or 1) > 1:
            # One worker per package: black dominates and runs on one core per process.
            with ProcessPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1)) as pool:
                results = list(pool.map(build_package, *zip(*jobs)))
        else:
            results = [build_package(model, settings) for model, settings in jobs]
        for (_, settings), files in zip(jobs, results):
            packages[settings.distribution] = files
    if args.check:
        diff = diff_packages(out, packages)
        if diff:
            sys.stdout.write(diff)
            print(f"\n{out} is stale: run `python -m generator generate`", file=sys.stderr)
            return 1
        print(f"{out} is current ({len(packages)} package(s))")
        return 0
    write_packages(out, packages)
    for dist in packages:
        print(f"wrote {out / dist}")
    return 0


def _cmd_fetch(args: argparse.Namespace) -> int:
    from .fetch import fetch_model

    fetch_model(args.service, Path(args.models_dir))
    return 0


DESCRIPTION = """\
Generate typed Python client packages from AWS service models (botocore's JSON format).

commands:
  generate       the packages models/manifest.yaml lists, into generated/ (or one --model)
  generate-all   every service of a botocore release, into a directory
  fetch-model    copy one service's model from the pinned botocore release into models/
  update         refresh the manifest's models from a botocore release, regenerate, print what changed
  diff           the changes to the generated public API between two model sets, breaking or not
  build          wheels and sdists of the runtime and the manifest's packages
  docs           the API reference site (HTML) of the manifest's packages

Run `%(prog)s COMMAND --help` for a command's options.
"""


def _prog() -> str:
    return "awsgen" if Path(sys.argv[0]).name == "awsgen" else "python -m generator"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=_prog(), description=DESCRIPTION, usage="%(prog)s COMMAND [options]",
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", help=argparse.SUPPRESS)
    gen = sub.add_parser(
        "generate", help="generate client packages (default: all the manifest lists)",
        description="Generate the packages the manifest lists into its output folder (generated/), or one "
        "package from --model. Nothing is written when any model is invalid; every problem is printed as "
        "FILE: JSON path: text.")
    gen.add_argument("--manifest", default=str(DEFAULT_MANIFEST),
                     help="the manifest to generate (default: models/manifest.yaml)")
    gen.add_argument("--model", help="generate this one model (service-2.json, .json.gz or YAML) instead of the "
                     "manifest; an endpoint-rule-set-1.json(.gz) and paginators/waiters beside it are used")
    gen.add_argument("--package", help="with --model: the import name (default aws_<service>, the service from "
                     "the model's folder)")
    gen.add_argument("--out", help="output directory (default: the manifest's, or ./generated)")
    gen.add_argument("--check", action="store_true", help="write nothing; exit 1 with a diff if stale")
    gen.add_argument("--templates", metavar="DIR",
                     help="a folder of templates replacing built-in ones of the same relative path (e.g. "
                     "DIR/package/__package__/client.py.jinja); their output must still compile and be black-stable")
    fetch = sub.add_parser("fetch-model", help="copy a service's model from the pinned botocore release",
                           description="Copy one service's model files from the pinned botocore release into "
                           "models/<service>/, with a SOURCE.yaml recording where they came from.")
    fetch.add_argument("service", help="botocore's name for the service (its data folder), e.g. dynamodb")
    fetch.add_argument("--models-dir", default=str(REPO / "models"), help="where to copy (default: models/)")
    upd = sub.add_parser(
        "update", help="refresh the manifest's models from a botocore release, regenerate, print what changed",
        description="Copy every model the manifest lists (and the files beside them, and partitions.json) from a "
        "botocore release, validate them all (nothing is written if one fails), compare each service's API with "
        "the current one, bump its version (breaking -> major, compatible -> minor, documentation only -> patch), "
        "write its CHANGELOG.md entry, then regenerate. Prints per service what changed.")
    release = upd.add_mutually_exclusive_group(required=True)
    release.add_argument("--botocore", metavar="VERSION", help="a botocore release (its sdist downloaded once)")
    release.add_argument("--from", dest="source", metavar="DIR",
                         help="botocore's data folder on disk (data/<service>/<version>/, .json or .json.gz), "
                         "or a folder holding botocore/data")
    upd.add_argument("--manifest", default=str(DEFAULT_MANIFEST), help="default: models/manifest.yaml")
    upd.add_argument("--dry-run", action="store_true", help="print what would change; write nothing")
    rel = sub.add_parser(
        "build", help="wheels and sdists of the runtime and the manifest's packages",
        description="Build a wheel and an sdist of the runtime and of each package the manifest lists (as "
        "generated), after checking that each package's awsgen-runtime requirement admits this runtime. Needs "
        "the release extra: pip install -e '.[release]'.")
    rel.add_argument("--out", default="dist", help="where to put them (default: dist/)")
    rel.add_argument("--manifest", default=str(DEFAULT_MANIFEST), help="default: models/manifest.yaml")
    rel.add_argument("--only", nargs="+", metavar="SERVICE", help="just these services' packages (and the runtime)")
    bulk = sub.add_parser("generate-all", help="every service of the pinned botocore release into a directory",
                          description="Generate every service of the pinned botocore release into a fresh "
                          "directory, in parallel; unsupported protocols are listed, not written.")
    bulk.add_argument("--out", required=True)
    bulk.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    bulk.add_argument("--format", action="store_true", help="run black on the output (slow for 400+ services)")
    bulk.add_argument("--only", nargs="*", help="just these services")
    bulk_release = bulk.add_mutually_exclusive_group()
    bulk_release.add_argument("--botocore", metavar="VERSION",
                              help="another botocore release than the pinned one (its sdist downloaded once)")
    bulk_release.add_argument("--from", dest="source", metavar="DIR", help="botocore's data folder on disk")
    diff = sub.add_parser(
        "diff", help="list the changes to the generated public API between two model sets",
        description="List every change to the generated public API between two model sets, per service, "
        "each classified as breaking or compatible for a caller of the generated package (documentation-only "
        "edits are counted apart). Exit status: 0 when no change is breaking, 1 when one is, 2 when an input "
        "cannot be read. The rules are in generator/diff.py's docstring.",
    )
    diff.add_argument("old", nargs="?", metavar="OLD",
                      help="a model file (service-2.json, .json.gz), a service folder, or a folder of service "
                      "folders (models/, botocore's data/)")
    diff.add_argument("new", nargs="?", metavar="NEW", help="the same kind of path as OLD")
    diff.add_argument("--botocore", nargs=2, metavar=("OLD_VERSION", "NEW_VERSION"),
                      help="compare two botocore releases' data instead (each sdist downloaded once into the cache)")
    diff.add_argument("--json", action="store_true", help="print a JSON list of changes (service, kind, path, "
                      "breaking, category, detail), documentation-only ones included")
    diff.add_argument("--only", nargs="+", metavar="SERVICE", help="just these services (folder names)")
    diff.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    docs = sub.add_parser(
        "docs", help="the API reference site (HTML) of the manifest's packages",
        description="Build the API reference, static HTML, from the same models, checks and names as generate: "
        "an index of services; per service its client, operations, paginators and waiters; a page per "
        "operation (parameters, types, checked bounds, errors, an example call), per class of shapes and per "
        "error; a search box over every name. The output folder is replaced whole, and nothing is written when "
        "a model is invalid. Open OUT/index.html in a browser (file:// works), or serve the folder, e.g. "
        "python -m http.server -d OUT.")
    docs.add_argument("--out", metavar="OUT", help="where to write the site (default: docs/_build in this "
                      "repository); an existing folder is replaced only if it holds an earlier build")
    docs.add_argument("--manifest", default=str(DEFAULT_MANIFEST), help="default: models/manifest.yaml")
    docs.add_argument("--only", nargs="+", metavar="SERVICE", help="just these of the manifest's services (its names)")
    docs.add_argument("--model", help="document this one model (service-2.json, .json.gz or YAML) instead of the "
                      "manifest; paginators and waiters beside it are used")
    docs.add_argument("--package", help="with --model: the import name (default aws_<service>)")
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.command == "generate" and args.package and not args.model:
        gen.error("--package names the package of --model; give --model too (the manifest names its own packages)")
    if args.command == "diff":
        from .diff import run

        if (args.old is None or args.new is None) == (args.botocore is None):
            diff.error("give OLD and NEW, or --botocore OLD_VERSION NEW_VERSION")
        return run(args.old, args.new, botocore=args.botocore, as_json=args.json, only=args.only, jobs=args.jobs)
    try:
        if args.command == "generate":
            return _cmd_generate(args)
        if args.command == "docs":
            from .docs import run as build_docs

            return build_docs(args)
        if args.command == "build":
            from .build import build

            return build(Path(args.out), Path(args.manifest), only=args.only)
        if args.command == "update":
            from .update import update

            return update(Path(args.manifest), botocore=args.botocore,
                          source=Path(args.source) if args.source else None, dry_run=args.dry_run)
        if args.command == "generate-all":
            from .bulk import generate_all

            data, release = None, BOTOCORE_VERSION
            if args.botocore:
                from .diff import botocore_data

                data, release = botocore_data([args.botocore])[0], args.botocore
            elif args.source:
                from .update import _data_folder, _release_version

                data = _data_folder(Path(args.source))
                release = _release_version(data) or "local"
            return generate_all(Path(args.out), jobs=args.jobs, fmt=args.format, only=args.only, data=data,
                                release=release)
        return _cmd_fetch(args)
    except ModelError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    except UnsupportedProtocol as exc:
        print(exc, file=sys.stderr)
        return 2
