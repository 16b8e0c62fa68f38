#!/usr/bin/env bash
# Pretext vs PyTorch training throughput in one run on this machine: builds the bench module, then runs
# bench/run_speed.py (Pretext's TrainThroughputBench and bench/reference/train_speed.py, alternating, --rounds times).
# Prints a Markdown table and JSON; all runs go to bench/target/speed.json.
#
#   bench/run-speed.sh [--python /path/to/python-with-torch] [--configs small-cnn-b128-t1,...] [--rounds 3]
#                      [--warmup N --iters N: override every configuration's step counts, for a smoke run]
#
# PyTorch: any python3 with torch (PyTorch 2.x CPU wheel or Debian's python3-torch); default $PRETEXT_TORCH_PYTHON,
# else python3. Extra Maven options (e.g. -o, or -Dnd4j.classifier=...) go in $MAVEN_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=bench/target/speed-classpath.txt
mvn -B -q ${MAVEN_ARGS:-} -pl bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$PWD/$cp_file" -Dmdep.includeScope=runtime >/dev/null
opens=$(sed -n 's:.*<pretext.addOpens>\(.*\)</pretext.addOpens>.*:\1:p' pom.xml)
jar=$(ls bench/target/pretext-bench-*.jar | grep -v sources | head -1)
sep=$'\x1f'
java_cmd="java"
for o in $opens -Xmx6g -Dorg.bytedeco.javacpp.maxbytes=8G -cp "$jar:$(cat "$cp_file")"; do
  java_cmd+="$sep$o"
done
exec python3 bench/run_speed.py --java-cmd "$java_cmd" "$@"
