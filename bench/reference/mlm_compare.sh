#!/usr/bin/env bash
# Interleaved masked-LM training throughput: Pretext (MlmThroughputBench) and HuggingFace (mlm_reference.py) on the same
# synthetic batches, ROUNDS times, each run printing per-pass rates and a JSON line; the load average is logged around
# every run because the machine is shared.
#   bench/reference/mlm_compare.sh [ROUNDS=3] [BATCHES=10] [extra MlmThroughputBench options, e.g. --packed]
# Needs: mvn -o -pl model-core test-compile; a Python with torch and transformers in $PY (default /work/venvs/mlm-ref).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}; BATCHES=${2:-10}; shift $(( $# > 2 ? 2 : $# )) || true
PY=${PY:-/work/venvs/mlm-ref/bin/python}
CPFILE=$(mktemp); mvn -q -o -pl model-core dependency:build-classpath -Dmdep.outputFile="$CPFILE" >/dev/null
CP=model-core/target/test-classes:model-core/target/classes:$(cat "$CPFILE")
DATA=$(mktemp --suffix=.jsonl)
java -cp "$CP" io.pretext.model.method.maskedlm.MlmThroughputBench --batches "$BATCHES" "$@" --write "$DATA" 2>/dev/null
echo "CPU: $(lscpu | grep 'Model name' | sed 's/.*: *//'), $(nproc) cores"
for r in $(seq 1 "$ROUNDS"); do
  for t in 1 2; do
    echo "round $r threads $t pretext, load $(cut -d' ' -f1-3 /proc/loadavg)"
    java -cp "$CP" io.pretext.model.method.maskedlm.MlmThroughputBench --read "$DATA" --threads "$t" --warmup 2 --repeats 3 "$@" 2>/dev/null
    echo "round $r threads $t huggingface, load $(cut -d' ' -f1-3 /proc/loadavg)"
    "$PY" bench/reference/mlm_reference.py --batches "$DATA" --threads "$t" --warmup 2 --repeats 3
  done
done
rm -f "$DATA" "$CPFILE"
