#!/bin/sh
# prog_show.sh BIN_DIR CORPUS_DIR - runs `ebpf prog show --json` on every object of the corpus.
#  - objects outside invalid/ exit 0 and list exactly the (section, program) pairs labels.tsv gives
#    for them; an object whose label lines are all `malformed` must exit 2 instead;
#  - objects in invalid/ exit 2 with one line on stderr and nothing on stdout, except the two the loader
#    accepts on purpose (their damage is in what they do, not in the file), which may list their labelled
#    programs instead;
#  - nothing crashes (exit >= 128, or a sanitizer's exit 1, fails).
# When python3 is present, every JSON output is also parsed (in one run at the end).
set -u
bin=$1
corpus=$2
ebpf="$bin/ebpf"
labels="$corpus/labels.tsv"
if [ ! -f "$labels" ]; then
    echo "SKIPPED: no corpus at $corpus (labels.tsv missing)"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
have_python=0
command -v python3 >/dev/null 2>&1 && have_python=1
[ "$have_python" -eq 1 ] || echo "note: python3 not found, JSON syntax not checked"
passed=0
failed=0

fail() {
    echo "FAIL $rel: $*"
    sed 's/^/  stderr: /' "$tmp/err" | head -5
    failed=$((failed + 1))
}

accepted_invalid() {
    case "$1" in
    invalid/ef2e42c0bfcf4dab6b9c3926759365b6dfa73634 | invalid/timeout-29db93548c671165313b314d4f83a3eefa24df37) return 0 ;;
    esac
    return 1
}

# Compares the programs of $tmp/out with the labelled ones; returns non-zero with a message on mismatch.
programs_match() {
    sed -n 's/.*"programs":\[\(.*\)\],"maps":.*/\1/p' "$tmp/out" |
        grep -o '{"section":"[^"]*","name":"[^"]*"' |
        sed 's/^{"section":"\([^"]*\)","name":"\([^"]*\)"$/\1	\2/' | LC_ALL=C sort >"$tmp/got"
    if ! cmp -s "$tmp/got" "$tmp/want"; then
        echo "FAIL $rel: programs differ from labels.tsv (< listed, > labelled)"
        diff "$tmp/got" "$tmp/want" | grep '^[<>]' | head -10 | sed 's/^/  /'
        return 1
    fi
    return 0
}

find "$corpus" -type f ! -name README.md ! -name LICENSE ! -name labels.tsv | LC_ALL=C sort >"$tmp/objects"
while IFS= read -r path; do
    rel=${path#"$corpus"/}
    awk -F'\t' -v o="$rel" 'NR > 1 && $1 == o' "$labels" >"$tmp/lines"
    awk -F'\t' '$2 != "-" { print $2 "\t" $3 }' "$tmp/lines" | LC_ALL=C sort >"$tmp/want"
    total=$(grep -c . "$tmp/lines")
    malformed=$(awk -F'\t' '$4 == "malformed"' "$tmp/lines" | grep -c .)
    "$ebpf" prog show --json "$path" </dev/null >"$tmp/out" 2>"$tmp/err"
    rc=$?
    errlines=$(grep -c . "$tmp/err")
    outlen=$(wc -c <"$tmp/out")
    if [ "$rc" -ge 128 ]; then
        fail "crashed (exit $rc)"
        continue
    fi
    if [ "$rc" -eq 2 ]; then
        refuse_ok=0
        case "$rel" in invalid/*) refuse_ok=1 ;; esac
        [ "$total" -gt 0 ] && [ "$malformed" -eq "$total" ] && refuse_ok=1
        if [ "$refuse_ok" -ne 1 ]; then
            fail "refused, but labels.tsv lists it as loadable"
        elif [ "$errlines" -ne 1 ] || [ "$outlen" -ne 0 ]; then
            fail "refused with $errlines lines on stderr and $outlen bytes on stdout (expected 1 and 0)"
        else
            passed=$((passed + 1))
        fi
        continue
    fi
    if [ "$rc" -ne 0 ]; then
        fail "exit $rc"
        continue
    fi
    case "$rel" in
    invalid/*)
        if ! accepted_invalid "$rel"; then
            fail "accepted, but objects in invalid/ must be refused"
            continue
        fi
        ;;
    *)
        if [ "$total" -eq 0 ]; then
            fail "not in labels.tsv"
            continue
        fi
        if [ "$malformed" -eq "$total" ]; then
            fail "accepted, but labels.tsv says malformed"
            continue
        fi
        ;;
    esac
    printf '%s\n' "$rel" >>"$tmp/json_names"
    cat "$tmp/out" >>"$tmp/json_lines"
    if programs_match; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
done <"$tmp/objects"

# One JSON document per line of json_lines (the tool prints one line), named by json_names.
if [ "$have_python" -eq 1 ] && [ -s "$tmp/json_lines" ]; then
    bad=$(python3 -c '
import json, sys
names = open(sys.argv[1]).read().splitlines()
lines = open(sys.argv[2], encoding="utf-8").read().splitlines()
if len(names) != len(lines):
    print("line count %d != object count %d" % (len(lines), len(names)))
for name, line in zip(names, lines):
    try:
        doc = json.loads(line)
        assert isinstance(doc["programs"], list) and isinstance(doc["maps"], list)
    except Exception as e:
        print("%s: %s" % (name, e))
' "$tmp/json_names" "$tmp/json_lines" 2>&1)
    if [ -n "$bad" ]; then
        echo "FAIL invalid JSON output:"
        printf '%s\n' "$bad" | sed 's/^/  /' | head -10
        failed=$((failed + $(printf '%s\n' "$bad" | grep -c .)))
        passed=$((passed - $(printf '%s\n' "$bad" | grep -c .)))
    fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
