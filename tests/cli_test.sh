#!/usr/bin/env bash
# End-to-end checks of the `tandem` binary, driven like a user would.
# Usage: cli_test.sh PATH_TO_TANDEM
# Prints one line per check and exits non-zero at the first failure.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 PATH_TO_TANDEM" >&2
  exit 64
fi
TANDEM=$(realpath "$1")
DATA=$(cd "$(dirname "${BASH_SOURCE[0]}")/data" && pwd)
PYTHON=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tandem_cli_test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

CHECKS=0
pass() {
  CHECKS=$((CHECKS + 1))
  echo "ok   $*"
}
fail() {
  echo "FAIL $*" >&2
  exit 1
}

# same_report A B: the two JSON reports are equal apart from the run time.
same_report() {
  "$PYTHON" - "$1" "$2" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for r in (a, b):
    r.pop("seconds", None)
    r.pop("seconds_by_step", None)
sys.exit(0 if a == b else 1)
EOF
}

# json_get FILE EXPR: prints EXPR evaluated on the JSON object `r` loaded from FILE.
json_get() {
  "$PYTHON" - "$1" "$2" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
print(json.dumps(eval(sys.argv[2])))
EOF
}

# ---------------------------------------------------------------------------------------------
# generate: the same seed gives the same file, another seed another file.
"$TANDEM" generate --people 300 --seed 5 > gen_a.csv
"$TANDEM" generate --people 300 --seed 5 > gen_b.csv
"$TANDEM" generate --people 300 --seed 6 > gen_c.csv
cmp -s gen_a.csv gen_b.csv || fail "generate --seed 5 twice gives different files"
pass "generate --people 300 --seed 5 is byte-identical across runs"
cmp -s gen_a.csv gen_c.csv && fail "generate --seed 5 and --seed 6 give the same file"
pass "generate --seed 6 differs from --seed 5"
[[ $(wc -l < gen_a.csv) -eq 301 ]] || fail "generate --people 300 does not write 300 rows"
pass "generate writes a header and 300 rows"
cp gen_a.csv people.csv

# ---------------------------------------------------------------------------------------------
# match: byte-identical reruns.
"$TANDEM" match people.csv --quiet --out out1.csv --report report1.json
"$TANDEM" match people.csv --quiet --out out2.csv --report report2.json
[[ $(wc -l < out1.csv) -gt 10 ]] || fail "match forms fewer than 10 tandems on 300 people"
head -n 1 out1.csv | grep -qx 'mentor_id,mentee_id,score,topics,reasons' ||
  fail "match output header is not mentor_id,mentee_id,score,topics,reasons"
pass "match writes tandems with the documented header"
cmp -s out1.csv out2.csv || fail "match --out differs between two runs"
pass "match --out is byte-identical across reruns"
same_report report1.json report2.json || fail "match --report differs between two runs"
pass "match --report is identical across reruns (apart from seconds)"
"$TANDEM" match people.csv --quiet > stdout.csv
cmp -s out1.csv stdout.csv || fail "match to stdout differs from --out"
pass "match without --out prints the same tandems on stdout"

# ---------------------------------------------------------------------------------------------
# Row and column order do not matter.
"$PYTHON" - people.csv shuffled.csv <<'EOF'
import csv, random, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
header, body = rows[0], rows[1:]
rng = random.Random(20240611)
rng.shuffle(body)
order = list(range(len(header)))
rng.shuffle(order)
if order == list(range(len(header))):
    order.reverse()
with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    for row in [header] + body:
        w.writerow([row[i] for i in order])
EOF
cmp -s people.csv shuffled.csv && fail "the shuffled file equals the original"
[[ $(head -n 1 people.csv) != $(head -n 1 shuffled.csv) ]] || fail "columns were not permuted"
"$TANDEM" match shuffled.csv --quiet --out out_shuffled.csv --report report_shuffled.json
cmp -s out1.csv out_shuffled.csv || fail "shuffled rows and columns change the tandems"
pass "shuffled rows and permuted columns give byte-identical tandems"
same_report report1.json report_shuffled.json || fail "shuffled rows and columns change the report"
pass "shuffled rows and permuted columns give the same report (apart from seconds)"

# ---------------------------------------------------------------------------------------------
# --format json says the same as CSV.
"$TANDEM" match people.csv --quiet --format json --out out.json
"$PYTHON" - out1.csv out.json <<'EOF' || fail "--format json differs from the CSV tandems"
import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    from_csv = [(r["mentor_id"], r["mentee_id"], int(r["score"]),
                 r["topics"].split(";") if r["topics"] else [], r["reasons"])
                for r in csv.DictReader(f)]
with open(sys.argv[2], encoding="utf-8") as f:
    from_json = [(t["mentor_id"], t["mentee_id"], t["score"], t["topics"], t["reasons"])
                 for t in json.load(f)]
sys.exit(0 if from_csv == from_json and from_csv else 1)
EOF
pass "--format json parses and holds the same tandems as CSV"

# ---------------------------------------------------------------------------------------------
# --objective stable leaves no blocking pair.
"$TANDEM" match people.csv --quiet --objective stable --out out_stable.csv \
  --report report_stable.json
[[ $(json_get report_stable.json 'r["objective"]') == '"stable"' ]] ||
  fail "the stable report does not say objective stable"
[[ $(json_get report_stable.json 'r["blocking_pairs"]["count"]') == 0 ]] ||
  fail "--objective stable leaves blocking pairs"
[[ $(json_get report_stable.json 'r["tandems"]') -gt 0 ]] || fail "--objective stable forms no tandem"
pass "--objective stable reports blocking_pairs.count == 0"

# ---------------------------------------------------------------------------------------------
# --exclude removes a formed pair.
IFS=, read -r ex_mentor ex_mentee _ < <(sed -n 2p out1.csv)
printf 'mentor_id,mentee_id\n%s,%s\n' "$ex_mentor" "$ex_mentee" > exclude.csv
"$TANDEM" match people.csv --quiet --exclude exclude.csv --out out_excluded.csv
grep -q "^$ex_mentor,$ex_mentee," out1.csv || fail "the pair to exclude is not in the first result"
grep -q "^$ex_mentor,$ex_mentee," out_excluded.csv &&
  fail "--exclude $ex_mentor,$ex_mentee still forms that pair"
[[ $(wc -l < out_excluded.csv) -gt 10 ]] || fail "--exclude of one pair drops most tandems"
pass "--exclude of the formed pair $ex_mentor,$ex_mentee removes it from the result"

# ---------------------------------------------------------------------------------------------
# --candidates: a small K is reported as not exact, all as exact.
"$TANDEM" generate --people 3000 --seed 11 > big.csv
"$TANDEM" match big.csv --quiet --candidates 2 --out big_k2.csv --report big_k2.json
[[ $(json_get big_k2.json 'r["candidates"]["exact"]') == false ]] ||
  fail "--candidates 2 on 3000 people reports exact: true"
[[ $(json_get big_k2.json 'r["candidates"]["per_mentee"]') == 2 ]] ||
  fail "--candidates 2 does not report per_mentee 2"
pass "--candidates 2 on 3000 people reports \"exact\": false"
"$TANDEM" match big.csv --quiet --candidates all --out big_all.csv --report big_all.json
[[ $(json_get big_all.json 'r["candidates"]["exact"]') == true ]] ||
  fail "--candidates all reports exact: false"
pass "--candidates all reports \"exact\": true"
[[ $(json_get big_all.json 'r["tandems"]') -ge $(json_get big_k2.json 'r["tandems"]') ]] ||
  fail "--candidates all forms fewer tandems than --candidates 2"
pass "--candidates all forms at least as many tandems as --candidates 2"

# ---------------------------------------------------------------------------------------------
# Bad input: exit status 2, FILE:LINE: messages on stderr, no output file touched or created.
#
# bad_input NAME EXPECTED...: runs match on tests/data/NAME; each EXPECTED is a fixed string that
# must appear as a line prefix on stderr, with FILE standing for the input path.
bad_input() {
  local name=$1
  shift
  local input="$DATA/$name"
  mkdir -p "bad/$name/existing" "bad/$name/fresh"

  # Pre-existing --out and --report must keep their content.
  local dir="bad/$name/existing"
  printf 'old tandems\n' > "$dir/out.csv"
  printf '{"old": "report"}\n' > "$dir/report.json"
  local status=0
  "$TANDEM" match "$input" --out "$dir/out.csv" --report "$dir/report.json" \
    2> "$dir/stderr" > "$dir/stdout" || status=$?
  [[ $status -eq 2 ]] || fail "$name: exit status $status, expected 2"
  for expected in "$@"; do
    local line=${expected//FILE/$input}
    grep -qF -- "$line" "$dir/stderr" || {
      cat "$dir/stderr" >&2
      fail "$name: stderr lacks '$line'"
    }
  done
  grep -qE "^$input:[0-9]+: " "$dir/stderr" || fail "$name: no FILE:LINE: message on stderr"
  [[ $(cat "$dir/out.csv") == 'old tandems' ]] || fail "$name: --out was overwritten"
  [[ $(cat "$dir/report.json") == '{"old": "report"}' ]] || fail "$name: --report was overwritten"
  [[ $(ls -A "$dir" | sort | tr '\n' ' ') == 'out.csv report.json stderr stdout ' ]] ||
    fail "$name: stray files left: $(ls -A "$dir")"
  [[ ! -s "$dir/stdout" ]] || fail "$name: tandems printed on stdout"

  # Without pre-existing files, none is created.
  dir="bad/$name/fresh"
  status=0
  "$TANDEM" match "$input" --out "$dir/out.csv" --report "$dir/report.json" 2> /dev/null ||
    status=$?
  [[ $status -eq 2 ]] || fail "$name: exit status $status without output files, expected 2"
  [[ -z $(ls -A "$dir") ]] || fail "$name: files created on bad input: $(ls -A "$dir")"

  pass "$name: exit 2, $(head -n 1 "bad/$name/existing/stderr")"
}

bad_input bad_missing_level.csv "FILE:1: column 'level': required column is missing"
bad_input bad_duplicate_id.csv "FILE:4: column 'id': duplicate id 'a' (first on line 2)"
bad_input bad_not_integer.csv "FILE:3: column 'level': 'senior' is not an integer"
bad_input bad_out_of_range.csv "FILE:3: column 'interest:ai': '5' is out of range 0..3"
bad_input bad_unknown_manager.csv "FILE:3: column 'manager_id': unknown manager 'zz'"
bad_input bad_cycle.csv \
  "FILE:3: column 'manager_id': management cycle:" \
  "FILE:4: column 'manager_id': management cycle:" \
  "FILE:5: column 'manager_id': management cycle:"
# The two below name no column: there is none to blame for an unclosed quote or an empty file.
bad_input bad_broken_quote.csv "FILE:3: a quoted field is never closed"
bad_input bad_empty.csv "FILE:1: the file is empty"

# A bad --exclude file is bad input too.
printf 'mentor_id,mentee_id\nnobody,%s\n' "$ex_mentee" > bad_exclude.csv
status=0
"$TANDEM" match people.csv --quiet --exclude bad_exclude.csv --out out1.csv 2> stderr_exclude ||
  status=$?
[[ $status -eq 2 ]] || fail "bad --exclude: exit status $status, expected 2"
grep -qF "bad_exclude.csv:2: column 'mentor_id': unknown person 'nobody'" stderr_exclude ||
  fail "bad --exclude: stderr lacks the unknown person"
cmp -s out1.csv out2.csv || fail "bad --exclude: --out was overwritten"
pass "--exclude with an unknown id: exit 2, FILE:LINE: column 'mentor_id'"

# ---------------------------------------------------------------------------------------------
# Regression: when --out cannot be written (exit 1), --report must not have been replaced
# either ("on any error nothing is written"); RunMatch renamed the report into place first.
printf '{"old": "report"}\n' > kept_report.json
status=0
"$TANDEM" match people.csv --quiet --report kept_report.json --out missing_dir/out.csv \
  2> /dev/null || status=$?
[[ $status -eq 1 ]] || fail "unwritable --out: exit status $status, expected 1"
[[ $(cat kept_report.json) == '{"old": "report"}' ]] ||
  fail "unwritable --out: --report was replaced although the run failed"
pass "unwritable --out: exit 1 and --report left untouched"

# --out and --report naming the same file would leave one of them lost: bad input.
status=0
"$TANDEM" match people.csv --quiet --report same.out --out same.out 2> same.err || status=$?
[[ $status -eq 2 ]] || fail "same --out and --report: exit status $status, expected 2"
[[ ! -e same.out ]] || fail "same --out and --report: a file was written"
grep -q "name the same file" same.err || fail "same --out and --report: no clear message"
pass "same file for --out and --report: exit 2, nothing written"

# Review fix: the same file spelled two ways, and a directory as --report, are refused before
# anything is written, so an existing --out stays as it was.
status=0
"$TANDEM" match people.csv --quiet --report same2.out --out ./same2.out 2> /dev/null || status=$?
[[ $status -eq 2 && ! -e same2.out ]] || fail "same file spelled twice: status $status"
mkdir -p report_dir
printf 'old tandems\n' > kept_out.csv
status=0
"$TANDEM" match people.csv --quiet --report report_dir --out kept_out.csv 2> /dev/null || status=$?
[[ $status -eq 2 ]] || fail "directory as --report: exit status $status, expected 2"
[[ $(cat kept_out.csv) == 'old tandems' ]] || fail "directory as --report: --out was replaced"
pass "same file spelled twice or a directory: exit 2, --out untouched"

# Regression: --out naming a pipe (or /dev/null) is written into, not replaced: the write-aside
# rename once turned /dev/null into a regular file.
mkfifo out.fifo
cat out.fifo > from_fifo.csv &
reader=$!
"$TANDEM" match people.csv --quiet --out out.fifo
wait "$reader"
[[ -p out.fifo ]] || fail "--out on a pipe replaced the pipe"
cmp -s from_fifo.csv out1.csv || fail "--out on a pipe: other output than to a file"
pass "--out on a pipe writes into it and leaves it a pipe"

echo "all $CHECKS checks passed"
