#!/usr/bin/python3
"""One line from a `tandem match --report` file, for bench/run_large.sh."""
import json
import sys

r = json.load(open(sys.argv[1]))
c = r["candidates"]
s = r["seconds_by_step"]
print("{} tandems, {} of {} mentees matched, total score {}, exact {}, rounds {}, arcs {}; "
      "reading {:.1f} s, matching {:.1f} s".format(
          r["tandems"], r["mentees"]["matched"], r["mentees"]["wanting"], r["score"]["total"],
          str(c["exact"]).lower(), c["pricing_rounds"], c["arcs"], s["reading"], s["matching"]))
