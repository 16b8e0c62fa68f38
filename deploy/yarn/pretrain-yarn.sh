#!/usr/bin/env bash
# Pretraining on YARN with HDFS, through pretext-submit (which adds Kryo, the ND4J off-heap limits with a matching
# spark.executor.memoryOverhead, speculation off and the event log). Cluster deploy mode: the driver runs in the
# YARN application master, so the run survives the submitting machine; YARN retries the application once
# (spark.yarn.maxAppAttempts 2) and --resume auto makes the retry continue from the newest checkpoint.
# Needs HADOOP_CONF_DIR (or YARN_CONF_DIR) pointing at the cluster's configuration.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$HERE/../spark/pretext-submit" \
  --master yarn --deploy-mode cluster \
  --num-executors 16 --executor-cores 1 --executor-memory 4g --driver-memory 4g \
  --conf spark.yarn.maxAppAttempts=2 \
  --conf spark.eventLog.dir=hdfs:///spark-events \
  pretrain \
  --data hdfs:///datasets/photos \
  --run hdfs:///runs/simclr-photos \
  --resume auto \
  --workers 16 --batch-size-per-worker 128 --averaging-frequency 10 --epochs 100 --checkpoint-every 50
