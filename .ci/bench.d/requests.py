"""Writes the rotating requests of .ci/bench: each benchmark document with every set of
variables it takes turns with, read from the loaded database.

Usage: requests.py DOCUMENTS_DIR DATABASE OUT_DIR

For each side (hub, graphile) and operation, OUT_DIR/<side>-<op>.post holds one JSON body a line
and OUT_DIR/<side>-<op>.get one GET path a line (`/graphql?query=...&variables=...`);
OUT_DIR/<side>-<op>.json is the first body alone (for checks and statement counts).
  portal:      every sector x the 3 terms with the most offerings
  deep:        40 programs (fewer at small scales), those with the most members first
  lookup:      every pathway
  eligibility: 20 member districts x grades 9-12 (CTE Hub only)
"""

import json
import os
import subprocess
import sys
import urllib.parse

docs, database, out = sys.argv[1:4]


def column(sql):
    rows = subprocess.run(["psql", "-At", "-d", database, "-c", sql], check=True,
                          capture_output=True, text=True).stdout.split("\n")
    return [r for r in rows if r]


sectors = column("SELECT code FROM industry_sector WHERE deleted_at IS NULL ORDER BY code")
terms = column("SELECT t.code FROM course_offering o JOIN term t ON t.id = o.term_id "
               "GROUP BY t.code ORDER BY count(*) DESC, t.code LIMIT 3")
programs = column("SELECT p.code FROM regional_program p LEFT JOIN jpa_membership m ON m.program_id = p.id "
                  "WHERE p.code LIKE 'SYN_ROCP_%' GROUP BY p.code ORDER BY count(m.id) DESC, p.code LIMIT 40")
pathways = column("SELECT code FROM pathway WHERE deleted_at IS NULL ORDER BY code")
# Districts by the key eligibility takes; a county-99 placeholder CDS code is not a CDS code.
districts = column("SELECT d.code FROM district d JOIN jpa_membership m ON m.district_id = d.id "
                   "WHERE d.code NOT LIKE '99%' GROUP BY d.code ORDER BY count(m.id) DESC, d.code LIMIT 20")

variables = {
    "portal": [{"sector": s, "term": t} for t in terms for s in sectors],
    "deep": [{"program": p} for p in programs],
    "lookup": [{"code": c} for c in pathways],
    "eligibility": [{"district": d, "grade": g} for g in (9, 10, 11, 12) for d in districts],
}
os.makedirs(out, exist_ok=True)
for side in ("hub", "graphile"):
    for op, sets in variables.items():
        path = os.path.join(docs, side, op + ".graphql")
        if not os.path.exists(path):
            continue
        if len(sets) < 2:
            sys.exit(f"{op}: fewer than 2 sets of variables in {database}; is the data loaded?")
        query = open(path).read()
        with open(os.path.join(out, f"{side}-{op}.post"), "w") as post, \
                open(os.path.join(out, f"{side}-{op}.get"), "w") as get:
            for v in sets:
                post.write(json.dumps({"query": query, "variables": v}) + "\n")
                get.write("/graphql?" + urllib.parse.urlencode({"query": query, "variables": json.dumps(v)}) + "\n")
        with open(os.path.join(out, f"{side}-{op}.json"), "w") as first:
            json.dump({"query": query, "variables": sets[0]}, first)
        print(f"{side} {op}: {len(sets)} sets of variables", file=sys.stderr)
