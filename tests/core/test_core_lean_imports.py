"""Issue 16: what an extracting process loads. OpenSSL (through hashlib) and the store's linking
features (rapidfuzz) cost every process a few MB of RSS and the extractor uses neither."""

import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_extractor_modules_load_neither_openssl_nor_the_linking_features():
    code = ("import sys, marsad.extract, marsad.pipeline, marsad.components.events, "
            "marsad.incident.merging, marsad.incident.within, marsad.ner.tagger, marsad.ner.selftrain, "
            "marsad.lang.names, marsad.lang.clusters, marsad.places.gazetteer; "
            "print(sorted(m for m in ('_hashlib', 'rapidfuzz', 'marsad.incident.link') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_the_linking_names_still_come_from_the_package():
    from marsad.incident import Link, same_incident, score, weights
    from marsad.incident import link, within
    assert (Link, score, weights) == (link.Link, link.score, link.weights)
    assert same_incident is within.same_incident


def test_the_gazetteer_digest_hashes_as_hashlib_does():
    # the cache file's name must not change with the SHA-1 implementation
    from marsad.places import gazetteer
    data = "حلب;pycountry=24.6.1;".encode()
    assert gazetteer._sha1(data).hexdigest() == hashlib.sha1(data).hexdigest()
