"""The ``osehw`` command: list, show, build, check (and cam for a user's own part)."""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path
from typing import Any, Callable, List, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Column, Table

from osehw.core.errors import OsehwError, quote_text
from osehw.core.paths import project_root
from osehw.core.reproducible import source_date_epoch

app = typer.Typer(help="osehw: open hardware generator — parameter files to fabrication files.",
                  add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, the shells' convention
EXIT_INTERNAL = 70  # EX_SOFTWARE (sysexits.h): a bug in osehw, not in the input
# the nesting search at 8 put 66 parts on 3 sheets of 800 x 800 in about 20 s (benchmarks/bench_nesting.py);
# time grows about linearly with the budget, so 32 is minutes, not hours
MAX_NEST_ITERATIONS = 32
MAX_THICKNESS = 100.0  # [mm] thicker than any sheet a router cuts; the machine's Z travel bounds it too


def _bad_input(lines: list[str]) -> None:
    for line in lines:
        err.print(f"[bold red]error:[/] {escape(line)}", markup=True, soft_wrap=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def guarded(fn: Callable[[], Any]) -> Any:
    """Run a command body; bad input becomes one line per problem and exit status 2."""
    try:
        return fn()
    except OsehwError as exc:
        _bad_input(exc.lines())


def _common_checks() -> None:
    """Environment settings every writing command needs, checked before any work."""
    guarded(source_date_epoch)


def _thickness_problems(thickness: float, machines: list[Any], most: float | None = None) -> list[str]:
    """--thickness must be a finite positive size (≤ ``most``) no deeper than every named machine's Z travel."""
    bad = _finite_positive("--thickness", thickness, most=most)
    if bad:
        return [bad]
    deepest = min((m.envelope_z for m in machines), default=math.inf)
    if thickness > deepest:
        return [f"--thickness {thickness:g}: more than the {deepest:g} mm Z travel of machine "
                f"'{min(machines, key=lambda m: m.envelope_z).id}'"]
    return []


def _finite_positive(option: str, value: float, unit: str = "mm", most: float | None = None) -> str | None:
    """The problem with an option's number, or None (NaN fails every comparison, so test it first)."""
    if not math.isfinite(value) or value <= 0:
        return f"{option} {value:g}: must be a finite number > 0 {unit}"
    if most is not None and value > most:
        return f"{option} {value:g}: must be ≤ {most:g} {unit}"
    return None


def _variants(designs: list[str] | None) -> list[str]:
    from osehw.core.design_files import design_files

    return list(designs) if designs else [p.stem for p in design_files()]


@app.command("list")
def list_designs() -> None:
    """List the design files under designs/ and the designs that build them."""
    from osehw.core.design_files import design_files
    from osehw.core.params import read_design_file
    from osehw.designs import load_all

    registry = load_all()
    table = Table("variant", "design", "file", "what it is")
    for path in design_files():
        kind = guarded(lambda: read_design_file(path)).design
        summary = registry.get(kind).summary if kind in registry else "(unknown design)"
        table.add_row(path.stem, kind, str(path.relative_to(project_root())), summary)
    out.print(table)


@app.command()
def show(design: str = typer.Argument(..., help="variant name (designs/NAME.yaml) or path to a YAML file"),
         set_: Optional[List[str]] = typer.Option(None, "--set", help="override FIELD=VALUE")) -> None:
    """Show a design's parameters: value, unit, default, range and description."""
    from osehw.core.params import parse_overrides
    from osehw.pipeline import load

    loaded = guarded(lambda: load(design, parse_overrides(set_ or [])))
    _show_params(loaded.params, loaded.kind, f"{loaded.variant} ({loaded.kind.name}: {loaded.kind.summary})")


def _show_params(params: Any, kind: Any, title: str) -> None:
    """One table of fields; then, for a design made of others, one table per child, titled by its path."""
    from osehw.core.params import describe_fields

    values = params.model_dump(mode="json")
    now = params.limits()
    nested = guarded(params.nested)
    # a field name is never cut short: it is what the user types in --set
    table = Table(Column("field", no_wrap=True), "value", "unit", "default", Column("accepts", overflow="fold"),
                  Column("description", overflow="fold"), title=title)
    for row in describe_fields(kind.schema):
        if row["choices"] is not None:
            rng = row["choices"].describe()
        elif row["min"] is not None and row["max"] is not None:
            rng = f"{row['min']:g} … {row['max']:g}"
        else:
            rng = ""
        if row["name"] in now:
            rng += f" [yellow](now: {escape(now[row['name']])})[/]"
        value = ", ".join(sorted(nested)) + " (below)" if nested and row["name"] == "children" else str(values[row["name"]])
        table.add_row(row["name"], escape(value), row["unit"], escape(str(row["default"])), rng,
                      escape(row["description"]))
    out.print(table)
    for path, (child_kind, child_params) in sorted(nested.items()):
        _show_params(child_params, child_kind, f"{title.split(' (')[0]}/{path} ({child_kind.name})")


def _report(result: Any, verbose: bool = True) -> None:
    _findings_table(result.variant, [f.__dict__ for f in result.findings if verbose or f.is_error])


def _findings_table(variant: str, findings: list[dict]) -> None:
    """One table of findings (dicts with severity, code, subject, message), severity in colour."""
    table = Table("severity", "code", "subject", "message", title=f"checks: {variant}")
    for f in findings:
        colour = {"error": "red", "warning": "yellow"}.get(f["severity"], "green")
        table.add_row(f"[{colour}]{f['severity']}[/]", f["code"], escape(f["subject"]), escape(f["message"]))
    out.print(table)


@app.command()
def build(designs: Optional[List[str]] = typer.Argument(None, help="variants to build (default: all)"),
          set_: Optional[List[str]] = typer.Option(None, "--set", help="override FIELD=VALUE (every design named)"),
          out_dir: Path = typer.Option(Path("outputs"), "--out", help="output folder"),
          force: bool = typer.Option(False, "--force", help="replace OUT/<variant> even if osehw did not make it"),
          jobs: int = typer.Option(0, "--jobs", "-j", help="designs built at once, one process each "
                                   "(0: $OSEHW_WORKERS, else one per CPU core)"),
          no_cache: bool = typer.Option(False, "--no-cache", help="rebuild every design and compute every stage "
                                        "again (see osehw.core.cache)")) -> None:
    """Build designs into OUT/<variant>/: STEP, STL, drawings, DXF, G-code, BOM, manifest.
    A design whose outputs are already what this build would write is left as it is, and a stage whose
    inputs did not change (CAM) is taken from the cache."""
    from osehw.core.cache import default_root
    from osehw.core.design_files import resolve_design_file
    from osehw.core.fingerprint import input_key, up_to_date
    from osehw.core.params import parse_overrides
    from osehw.core.staging import check_out_root

    _common_checks()
    names = _variants(designs)
    overrides = guarded(lambda: parse_overrides(set_ or []))
    root = guarded(lambda: check_out_root(out_dir, project_root()))
    if jobs < 0:
        _bad_input([f"--jobs {jobs}: must be ≥ 0"])
    # Up to date: same inputs (file, overrides, code, catalogs), outputs whole. Checked before any
    # design is loaded, so an unchanged build never imports CadQuery.
    todo, failed = [], False
    for name in names:
        path = guarded(lambda n=name: resolve_design_file(n))
        key = input_key(path, overrides, None) if path.is_file() else ""
        folder = root / path.stem
        if key and not force and not no_cache and up_to_date(folder, key):
            errors = _manifest_errors(folder)
            out.print(f"[bold]{path.stem}[/]: up to date in {folder}" + (f" ({len(errors)} failed checks)" if errors else ""))
            failed = failed or bool(errors)
        else:
            todo.append((name, key))
    if todo:
        failed = _build_all(todo, overrides, root, force, jobs, None if no_cache else default_root()) or failed
    if failed:
        raise typer.Exit(EXIT_CHECK_FAILED)


def _manifest_errors(folder: Path) -> list[dict]:
    import json

    doc = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return [f for f in doc.get("findings", []) if f.get("severity") == "error"]


def _build_all(todo: list[tuple[str, str]], overrides: dict, root: Path, force: bool, jobs: int,
               cache_root: Path | None) -> bool:
    """Load and check every design's inputs, then build them, in parallel processes when there are
    several; returns whether any check failed."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from osehw.core.cache import StageCache
    from osehw.core.parallel import default_workers
    from osehw.core.staging import preflight
    from osehw.pipeline import BuildPipeline, build_summary, load

    loaded = [guarded(lambda n=n: load(n, overrides)) for n, _ in todo]  # all inputs checked before any output
    keys = dict(zip((item.variant for item in loaded), (k for _, k in todo)))
    seen: dict[str, str] = {}
    for item in loaded:
        if item.variant in seen:
            _bad_input([f"{item.path}: writes {root / item.variant}, as {seen[item.variant]} does; "
                        f"build them one at a time or rename one"])
        seen[item.variant] = str(item.path)
        guarded(lambda item=item: preflight(root, item.variant, force))
    workers = min(len(loaded), jobs or default_workers())
    summaries = []
    if workers <= 1:
        with out.status("building…") as status:
            pipe = BuildPipeline(progress=lambda msg: status.update(msg), cache=StageCache(cache_root))
            for item in loaded:
                summaries.append(guarded(lambda item=item: build_summary(pipe, item, root, force, keys[item.variant])))
                _print_summary(summaries[-1], root)
    else:
        # the cores the designs leave over go to each design's CAM, which runs its machines in parallel
        design_workers = max(1, default_workers() // workers)
        with out.status(f"building {len(loaded)} designs, {workers} at a time…"), \
                ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(build_summary, None, item, root, force, keys[item.variant], cache_root,
                                   design_workers) for item in loaded]
            for future in as_completed(futures):
                summaries.append(guarded(future.result))
                _print_summary(summaries[-1], root)
    return any(s["errors"] for s in summaries)


def _print_summary(summary: dict, root: Path) -> None:
    out.print(f"[bold]{summary['variant']}[/]: {summary['files']} files in {root / summary['variant']} "
              f"({summary['seconds']:.1f} s); BOM total ${summary['bom_total_usd']:,.2f}")
    if summary["errors"]:
        _findings_table(summary["variant"], summary["errors"])


@app.command()
def check(designs: Optional[List[str]] = typer.Argument(None, help="variants to check (default: all)"),
          set_: Optional[List[str]] = typer.Option(None, "--set", help="override FIELD=VALUE"),
          no_cache: bool = typer.Option(False, "--no-cache", help="compute every stage again (see osehw.core.cache)"),
          ) -> None:
    """Run every check CI runs; exit 1 with a report when any fails, 2 on bad input."""
    from osehw.core.cache import StageCache, default_root
    from osehw.core.params import parse_overrides
    from osehw.pipeline import BuildPipeline, load

    overrides = guarded(lambda: parse_overrides(set_ or []))
    loaded = [guarded(lambda n=n: load(n, overrides)) for n in _variants(designs)]
    failed = False
    with out.status("checking…") as status:
        pipe = BuildPipeline(progress=lambda msg: status.update(msg),
                             cache=StageCache(None if no_cache else default_root()))
        for item in loaded:
            result = guarded(lambda item=item: pipe.run(pipe.start(item), "check"))
            _report(result)
            failed = failed or bool(result.errors)
    out.print("[red]FAILED[/]" if failed else "[green]all checks passed[/]")
    if failed:
        raise typer.Exit(EXIT_CHECK_FAILED)


@app.command()
def site(designs: Optional[List[str]] = typer.Argument(None, help="variants to put on the page (default: all)"),
         out_dir: Path = typer.Option(Path("outputs"), "--out", help="the folder osehw build wrote the designs "
                                      "into; the site goes to OUT/site"),
         force: bool = typer.Option(False, "--force", help="replace OUT/site even if osehw did not make it")) -> None:
    """Make the download page OUT/site/ from the designs built in OUT/: an index with each assembly's
    picture, per design its key figures, sheet previews and a zip per machine, with SHA-256 sums.
    A design not built yet is an error (exit 2) naming the osehw build command to run first: building
    takes minutes and has its own options (-j, --set, --force), so the site only ever reads builds."""
    from osehw.core.design_files import resolve_design_file
    from osehw.core.fingerprint import input_key, up_to_date
    from osehw.core.staging import check_name, check_out_root, preflight
    from osehw.site.build import SITE, build_site
    from osehw.site.collect import read_build

    _common_checks()
    root = guarded(lambda: check_out_root(out_dir, project_root()))
    paths = [guarded(lambda n=n: resolve_design_file(n)) for n in _variants(designs)]
    variants = list(dict.fromkeys(guarded(lambda p=p: check_name(p.stem)) for p in paths))
    if SITE in variants:
        _bad_input([f"a design variant is named '{SITE}', the site's own folder: rename its design file"])
    guarded(lambda: preflight(root, SITE, force))
    built = [guarded(lambda v=v: read_build(root, v)) for v in variants]
    missing = [v for v, b in zip(variants, built) if b is None]
    if missing:
        _bad_input([f"not built yet in {root}: {', '.join(missing)}; build first with: "
                    f"osehw build {' '.join(missing)} --out {out_dir}"])
    stale = [p.stem for p in paths if p.is_file() and not up_to_date(root / p.stem, input_key(p, {}, None))]
    if stale:
        out.print(f"note: built from older inputs or with --set: {', '.join(stale)} "
                  f"(osehw build {' '.join(stale)} --out {out_dir} brings them up to date)", soft_wrap=True)
    sums = guarded(lambda: build_site(root, built, force))
    zips = sum(1 for f in sums if f.endswith(".zip"))
    out.print(f"[bold]site[/]: {len(built)} designs, {zips} zips, {len(sums)} files in {root / SITE}; "
              f"open {root / SITE / 'index.html'}", soft_wrap=True)


SCHEDULERS = ("local", "threads", "single")


def _scheduler_problem(scheduler: str) -> str | None:
    """None when --scheduler names a known mode or a scheduler address (tcp://HOST:PORT)."""
    if scheduler in SCHEDULERS:
        return None
    scheme, _, rest = scheduler.partition("://")
    host, _, port = rest.rpartition(":")
    if scheme in ("tcp", "tls") and host and port.isdigit() and 0 < int(port) < 65536:
        return None
    return (f"--scheduler {quote_text(scheduler)}: must be {', '.join(SCHEDULERS)} or a Dask scheduler address "
            f"tcp://HOST:PORT")


@app.command()
def plan(plan_file: str = typer.Argument(..., help="a plan file (designs/plan-usa.yaml) or a plan name (usa)"),
         out_dir: Path = typer.Option(Path("outputs"), "--out", help="folder the plan's folder plan-NAME goes in"),
         scheduler: str = typer.Option("local", "--scheduler", help="local (a Dask LocalCluster, one worker per "
                                       "core), threads, single (no Dask) or tcp://HOST:PORT (an existing cluster)"),
         set_: Optional[List[str]] = typer.Option(None, "--set", help="override FIELD=VALUE"),
         force: bool = typer.Option(False, "--force", help="replace OUT/plan-NAME even if osehw did not make it"),
         progress: bool = typer.Option(True, "--progress/--no-progress", help="show a progress bar")) -> None:
    """Plan a network: sites on an H3 grid over the region (or the user's sites), candidate links between
    neighbours with the antenna heights their Fresnel clearance needs, each site's tower and node class, and the
    national rollup (cost, aluminium, radios, economics). Writes OUT/plan-NAME/. Terrain only when the plan names a
    DEM (dem_file, a GeoTIFF): without one, its report says what a flat run can and cannot tell."""
    from osehw.core.params import parse_overrides
    from osehw.core.staging import check_out_root, preflight

    _common_checks()
    bad = _scheduler_problem(scheduler)
    if bad:
        _bad_input([bad])
    try:  # the 'plan' extra, checked whole before any work
        import dask  # noqa: F401
        import distributed  # noqa: F401
        import h3  # noqa: F401
        import networkx  # noqa: F401
    except ImportError as exc:
        _bad_input([f"osehw plan needs the 'plan' extra ({exc.name} is missing): pip install -e '.[plan]'"])
    from osehw.core.design_files import PLAN_PREFIX
    from osehw.core.paths import designs_dir
    from osehw.plan.run import run_plan
    from osehw.plan.schema import read_plan
    from osehw.plan.write import write_plan

    path = Path(plan_file)
    if path.suffix not in (".yaml", ".yml") and not path.exists():
        path = designs_dir() / f"{PLAN_PREFIX}{plan_file}.yaml"
    overrides = guarded(lambda: parse_overrides(list(set_ or [])))
    name, params = guarded(lambda: read_plan(path, overrides))
    root = guarded(lambda: check_out_root(out_dir, project_root()))
    guarded(lambda: preflight(root, f"{PLAN_PREFIX}{name}", force))
    result = guarded(lambda: run_plan(name, params, path.parent, scheduler=scheduler, progress=progress,
                                      log=lambda m: out.print(m, soft_wrap=True)))
    folder = guarded(lambda: write_plan(result, root, force))
    r = result.rollup
    cost = (f"capital ${r['total_capital_usd']:,.0f} ({100 * r['capital_share_of_budget']:.1f} % of the budget), "
            f"${r['cost_per_subscriber_year_usd']:.2f}/subscriber-year, {r['aluminium_t']:,} t aluminium"
            if r["classes_built"] else "classes not built (no cost)")
    out.print(f"[bold]plan {name}[/]: {r['sites']:,} sites, {r['links']:,} links, {r['node_classes']} node classes, "
              f"{cost}; {folder / 'report.html'}", soft_wrap=True)


def main() -> None:
    """Console entry: the commands, with an interrupt or an osehw bug reported in one line, not a traceback
    (``OSEHW_DEBUG=1`` shows the traceback)."""
    try:
        app(prog_name="osehw")  # typer reports usage errors itself (exit 2) and exits
    except KeyboardInterrupt:
        err.print("interrupted; outputs already in place are unchanged", soft_wrap=True)
        sys.exit(EXIT_INTERRUPTED)
    except OsehwError as exc:
        for line in exc.lines():
            err.print(f"[bold red]error:[/] {escape(line)}", markup=True, soft_wrap=True)
        sys.exit(EXIT_BAD_INPUT)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get("OSEHW_DEBUG"):
            raise
        err.print(f"[bold red]internal error:[/] {escape(type(exc).__name__)}: {escape(quote_text(str(exc), 200))} "
                  f"— this is a bug in osehw; run again with OSEHW_DEBUG=1 for the traceback and report it",
                  markup=True, soft_wrap=True)
        sys.exit(EXIT_INTERNAL)


def read_program(path: Path) -> str:
    """A G-code file's text; a binary file is bad input, not a program with findings."""
    data = path.read_bytes()
    if b"\0" in data:
        raise ProgramFileError(f"{path}: not a text file (it contains NUL bytes): not a G-code program")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # older CAM writes comments in a Windows code page


class ProgramFileError(OsehwError, ValueError):
    """A file given as a G-code program that is not one."""


@app.command()
def verify(programs: List[Path] = typer.Argument(..., help="G-code file(s); several = the programs (one per tool) "
                                                "that cut one sheet, proven together against --part"),
           machine: str = typer.Option(..., "--machine", help="machine profile id (cam/machines)"),
           thickness: float = typer.Option(..., "--thickness", help="stock thickness [mm]"),
           tool_diameter: Optional[List[float]] = typer.Option(
               None, "--tool-diameter", help="tool diameter [mm]: once for all programs, or once per program "
               "in their order (default 6.35)"),
           drill_point: Optional[List[float]] = typer.Option(
               None, "--drill-point", help="point angle [deg] of a drill (0 for an end mill): once for all "
               "programs, or once per program; through holes may go one point length deeper"),
           part: Optional[Path] = typer.Option(None, "--part", help="DXF of the parts the program cuts "
                                               "out: proves every outline cut through and no part gouged"),
           part_origin: str = typer.Option("0,0", "--part-origin", help="X,Y [mm]: where the DXF's origin "
                                           "lies in the program's frame"),
           max_tab: Optional[float] = typer.Option(None, "--max-tab", help="longest uncut outline stretch "
                                                   "accepted as a holding tab [mm] (default: osehw's own "
                                                   "tab limit for the tool, 4 diameters + 6.9 mm)"),
           third_party: bool = typer.Option(False, "--third-party", help="a program from other CAM: read it as "
                                            "the controller does (G20, G91, G54, cycles, G28, parameters), "
                                            "check what would break the machine or the part, group findings"),
           work_offset: Optional[str] = typer.Option(None, "--work-offset", help="X,Y [mm], with --third-party: "
                                                     "the machine position of the program's zero (default: "
                                                     "inferred, the program's lowest X/Y at the machine's 0)")
           ) -> None:
    """Verify G-code programs against a machine profile: dialect, envelope, safe Z, spindle, depth,
    feeds, arcs; with --part, that they cut every outline of the DXF through and gouge no part.
    osehw's own programs are held to osehw's rules; --third-party reads anyone's as their controller
    would. Prints cut length and time. Exit 1 when a check fails."""
    from osehw.cam.shop import load_machines
    from osehw.core.registry import unknown_message

    machines = load_machines()
    if machine not in machines:
        _bad_input([f"--machine: {unknown_message('machine', machine, machines)}"])
    unreadable = [f"{p}: {'is a folder, not a program' if p.is_dir() else 'file not found'}"
                  for p in programs if not p.is_file()]
    if unreadable:
        _bad_input(unreadable)
    m = machines[machine]
    diameters = list(tool_diameter or [6.35])
    angles = list(drill_point or [0.0])
    problems = _thickness_problems(thickness, [m])
    problems += [p for p in (_finite_positive("--tool-diameter", d) for d in diameters) if p]
    problems += [f"--drill-point {a:g}: must be 0 (an end mill) or a point angle 60 … 180°" for a in angles
                 if not (a == 0 or 60 <= a <= 180)]
    for option, values in (("--tool-diameter", diameters), ("--drill-point", angles)):
        if len(values) == 1:
            values *= len(programs)
        elif len(values) != len(programs):
            problems.append(f"{option} given {len(values)} times for {len(programs)} programs: "
                            f"give it once for all, or once per program")
    if max_tab is not None and not (math.isfinite(max_tab) and max_tab >= 0):
        problems.append(f"--max-tab {max_tab:g}: must be a finite number ≥ 0 mm")
    origin = [s.strip() for s in part_origin.split(",")]
    try:
        ox, oy = (float(s) for s in origin)
        if not (math.isfinite(ox) and math.isfinite(oy)):
            raise ValueError
    except ValueError:
        problems.append(f"--part-origin {quote_text(part_origin)}: must be X,Y in mm, e.g. 10,20")
    if part is not None and not part.is_file():
        problems.append(f"--part {part}: file not found")
    offset = None
    if work_offset is not None:
        try:
            offset = tuple(float(v) for v in work_offset.split(","))
            if len(offset) != 2 or not all(math.isfinite(v) for v in offset):
                raise ValueError
        except ValueError:
            problems.append(f"--work-offset {quote_text(work_offset)}: must be X,Y in mm, e.g. 12.5,40")
        if not third_party:
            problems.append("--work-offset: only with --third-party (osehw's own programs are written in the "
                            "sheet frame)")
    if problems:
        _bad_input(problems)
    parts, notes = [], []
    if part is not None:
        from osehw.cam.verify.part_outline import part_regions, read_part_outlines

        outlines = guarded(lambda: read_part_outlines(part, (ox, oy)))
        parts, notes = part_regions(outlines, thickness), list(outlines.warnings)
    if max_tab is None and parts:
        # osehw's own outside profiles leave the longest uncut stretches a program of ours
        # can: a tab ≤ 3 tool diameters, the lift 1 diameter longer, the 30° descent from
        # ≤ 4 mm (cam/ops/tabs.py, cam/ops/profile.py): 32.3 mm for a 6.35 mm tool. Longer is an outline
        # left uncut; programs from other CAM with longer tabs say so with --max-tab.
        from osehw.cam.ops.profile import tab_gap_limit

        max_tab = max(tab_gap_limit(d) for d in diameters)
    # imported after the input checks: shapely and numpy take ~0.5 s (CadQuery is never loaded here)
    from osehw.cam.verify.program import verify_program
    from osehw.cam.verify.sheet import prove_sheet

    texts = [guarded(lambda p=p: read_program(p)) for p in programs]
    alone = len(programs) == 1  # one program is proven with its own checks; several, together below
    allowed = [m] * len(diameters)
    if any(angles):
        # a drill's through holes go one point length past the bottom so the full diameter exits
        # (the toolpath modules are imported only then: they are the generator's, ~0.2 s)
        from osehw.cam.ops.holes import point_length

        allowed = [m.model_copy(update={"breakthrough": m.breakthrough + point_length(d, a)}) if a else m
                   for d, a in zip(diameters, angles)]
    reports = [guarded(lambda text=text, d=d, p=p, mm=mm: verify_program(
        text, mm, dialect=m.controller, stock_x=m.envelope_x, stock_y=m.envelope_y, stock_thickness=thickness,
        tool_diameter=d, parts=parts if alone else (), max_tab_length=max_tab or 0.0, subject=p.name,
        third_party=third_party, work_offset=offset))
        for text, d, p, mm in zip(texts, diameters, programs, allowed)]
    ok = all(r.ok for r in reports)
    for program, report in zip(programs, reports):
        mode = "as a third-party program" if third_party else "by osehw's own rules"
        table = Table("severity", "code", "message", title=f"{program.name} on {machine}, {mode}")
        for f in report.findings:
            table.add_row(f.severity, f.code, escape(f.message))
        out.print(table)
        out.print(f"cut {report.cut_length:.0f} mm, rapid {report.rapid_length:.0f} mm, estimated "
                  f"{report.estimated_time_s / 60:.1f} min (lower bound {report.lower_bound_time_s / 60:.1f} min)")
    not_proven = reports[0].not_proven if alone else ()
    if not alone and parts:
        proof = prove_sheet(list(zip(texts, diameters)), m, dialect=m.controller, stock_thickness=thickness,
                            parts=parts, max_tab_length=max_tab or 0.0, subject=f"{len(programs)} programs",
                            third_party=third_party)
        table = Table("severity", "code", "message", title=f"the {len(programs)} programs together")
        for f in proof:
            table.add_row(f.severity, f.code, escape(f.message))
        out.print(table)
        ok = ok and not any(f.is_error for f in proof)
    elif not alone:
        not_proven = reports[0].not_proven
    for note in notes:
        err.print(f"[yellow]warning:[/] {escape(note)}", markup=True, soft_wrap=True)
    strict_only = {"GCODE_MODES", "GCODE_UNSUPPORTED", "GCODE_PARSE"}
    if not third_party and any(f.code in strict_only and f.is_error for r in reports for f in r.findings):
        out.print("[yellow]hint:[/] not written by osehw? --third-party reads a program as its controller "
                  "does (inches, G91, work offsets, cycles, parameters)", soft_wrap=True)
    if not ok:
        unchecked = f"; NOT PROVEN either: {', '.join(not_proven)} (give --part PART.dxf)" if not_proven else ""
        out.print(f"[red]FAILED[/]{unchecked}", soft_wrap=True)
        raise typer.Exit(EXIT_CHECK_FAILED)
    if not_proven:
        # exit 0: what ran passed; but a program is only "OK" once it is proven to cut its parts out
        out.print(f"[yellow]checks passed; NOT PROVEN: {', '.join(not_proven)} "
                  f"(give --part PART.dxf)[/]", soft_wrap=True)
    else:
        what = "program OK" if alone else f"{len(programs)} programs OK"
        out.print(f"[green]{what}[/]: every check passed, and every outline of the {len(parts)} "
                  f"part(s) in {escape(part.name)} is cut through with no part gouged", soft_wrap=True)


@app.command()
def cam(part_file: Path = typer.Argument(..., help="a flat part as STEP (.step/.stp) or DXF (closed outlines)"),
        thickness: float = typer.Option(..., "--thickness", help="stock thickness [mm]"),
        material: str = typer.Option("plywood", "--material", help="material id (bom/materials)"),
        quantity: int = typer.Option(1, "--quantity", help="how many to cut"),
        machine: Optional[List[str]] = typer.Option(None, "--machine", help="machine id(s); default: all"),
        out_dir: Path = typer.Option(Path("outputs"), "--out", help="output folder"),
        force: bool = typer.Option(False, "--force", help="replace OUT/<part> even if osehw did not make it"),
        units: Optional[str] = typer.Option(None, "--units", help="DXF drawing unit: mm, cm, m, in or ft "
                                            "(default: the file's $INSUNITS; unitless files are read as mm)"),
        layer: Optional[List[str]] = typer.Option(None, "--layer", help="DXF layer(s) to read (default: all)"),
        gap_tolerance: float = typer.Option(0.01, "--gap-tolerance", help="DXF: join outline ends this close "
                                            "[mm]"),
        nest_iterations: Optional[int] = typer.Option(None, "--nest-iterations", help="nesting search budget, "
                                                      f"0 … {MAX_NEST_ITERATIONS} (default: the nesting's own): "
                                                      "more may save a sheet and takes longer; the result never "
                                                      "depends on the clock")) -> None:
    """CAM for your own flat part(s): nested sheets, verified programs, DXF, previews and setup sheets.
    A DXF gives one part per closed outline; what is not a closed outline is reported and left out."""
    from osehw.cam.shop import load_machines
    from osehw.catalog import materials as load_materials
    from osehw.core.registry import unknown_message
    from osehw.core.staging import check_out_root, preflight
    from osehw.designs.dxf_solid import option_problems
    from osehw.designs.user_part import part_name, user_part_design
    from osehw.pipeline import BuildPipeline

    _common_checks()
    machines = load_machines()
    problems = [f"--machine: {unknown_message('machine', m, machines)}" for m in machine or [] if m not in machines]
    materials = load_materials()
    if material not in materials:
        problems.append(f"--material: {unknown_message('material', material, materials)}")
    problems += _thickness_problems(thickness, [machines[m] for m in machine or [] if m in machines], MAX_THICKNESS)
    if not 1 <= quantity <= 10_000:
        problems.append(f"--quantity {quantity}: must be 1 … 10000")
    if nest_iterations is not None and not 0 <= nest_iterations <= MAX_NEST_ITERATIONS:
        problems.append(f"--nest-iterations {nest_iterations}: must be 0 … {MAX_NEST_ITERATIONS}")
    problems += option_problems(units, gap_tolerance)
    if problems:
        _bad_input(problems)
    root = guarded(lambda: check_out_root(out_dir, project_root()))
    guarded(lambda: preflight(root, part_name(part_file), force))
    design = guarded(lambda: user_part_design(part_file, thickness=thickness, material=material, quantity=quantity,
                                              units=units, layers=tuple(layer or ()), gap_tolerance=gap_tolerance))
    with out.status("CAM…") as status:
        pipe = BuildPipeline(progress=lambda msg: status.update(msg), machines=machine or None,
                             nest_iterations=nest_iterations)
        result = guarded(lambda: pipe.run(pipe.start_with_design(design, part_file), "write", out_root=root,
                                          force=force))
    out.print(f"[bold]{design.name}[/]: {len(result.files)} files in {root / design.name}")
    if result.errors:
        _report(result, verbose=False)
        raise typer.Exit(EXIT_CHECK_FAILED)
