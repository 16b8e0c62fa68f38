"""Weekly Pretext pipeline on a Spark cluster: prepare the corpus, pretrain, evaluate, embed, fine-tune on the labelled
images, and classify the week's new images with the fine-tuned model.

Each task is a SparkSubmitOperator running the Pretext job jar (main class io.pretext.jobs.cli.PretextCli). Airflow
retries a failed task with the same arguments; pretrain's `--resume auto` makes such a retry continue from the run's
newest complete checkpoint (or start fresh when there is none), so no task needs a different command for a retry.
Outputs are dated by the run's logical date ({{ ds_nodash }}); prepare-images' `--overwrite` makes its retry redo a
half-written dataset (a dataset without _SUCCESS is refused by pretrain).

Needs the apache-airflow-providers-apache-spark package and a "spark_default" connection to the cluster's master.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

JOB_JAR = "/opt/pretext/pretext-job.jar"
MAIN_CLASS = "io.pretext.jobs.cli.PretextCli"
CORPUS = "hdfs:///corpora/photos"
DATASET = "hdfs:///datasets/photos-{{ ds_nodash }}"
RUN = "hdfs:///runs/simclr-{{ ds_nodash }}"
LABELED_TRAIN = "hdfs:///datasets/photos-labeled-train"
LABELED_TEST = "hdfs:///datasets/photos-labeled-test"
FINETUNED = "hdfs:///runs/finetuned-{{ ds_nodash }}"
INCOMING = "hdfs:///incoming/photos-{{ ds_nodash }}"
PREDICTIONS = "hdfs:///predictions/photos-{{ ds_nodash }}"

# The settings deploy/spark/pretext-submit adds: Kryo with Pretext's registrator, ND4J's off-heap limit with a
# matching memory overhead, one core per task, no speculation, the event log.
SPARK_CONF = {
    "spark.serializer": "org.apache.spark.serializer.KryoSerializer",
    "spark.kryo.registrator": "io.pretext.data.spark.PretextKryoRegistrator",
    "spark.kryoserializer.buffer.max": "512m",
    "spark.task.cpus": "1",
    "spark.speculation": "false",
    "spark.executor.memoryOverhead": "4506m",
    "spark.executor.extraJavaOptions": "-Dorg.bytedeco.javacpp.maxbytes=4096M -Dorg.bytedeco.javacpp.maxphysicalbytes=8602M",
    "spark.driver.extraJavaOptions": "-Dorg.bytedeco.javacpp.maxbytes=4096M -Dorg.bytedeco.javacpp.maxphysicalbytes=9216M",
    "spark.eventLog.enabled": "true",
    "spark.eventLog.dir": "hdfs:///spark-events",
}


def pretext_task(task_id, args, executors=8):
    """A SparkSubmitOperator running one pretext command."""
    return SparkSubmitOperator(
        task_id=task_id,
        conn_id="spark_default",
        application=JOB_JAR,
        java_class=MAIN_CLASS,
        application_args=args,
        conf=SPARK_CONF,
        num_executors=executors,
        executor_cores=1,
        executor_memory="4g",
        driver_memory="4g",
        name="pretext-" + task_id,
        verbose=False,
    )


with DAG(
    dag_id="pretext_pretrain_weekly",
    start_date=datetime(2026, 1, 5),
    schedule="@weekly",
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 3, "retry_delay": timedelta(minutes=10)},
    tags=["pretext"],
) as dag:
    prepare = pretext_task("prepare", [
        "prepare-images", "--input", CORPUS, "--output", DATASET, "--channels", "3", "--resize", "64",
        "--shards", "256", "--overwrite",
    ])
    pretrain = pretext_task("pretrain", [
        "pretrain", "--data", DATASET, "--run", RUN, "--resume", "auto", "--workers", "8",
        "--averaging-frequency", "10", "--epochs", "100", "--checkpoint-every", "50",
    ])
    evaluate = pretext_task("evaluate", [
        "evaluate", "--model", RUN, "--train", LABELED_TRAIN, "--test", LABELED_TEST, "--protocol", "both",
    ], executors=4)
    embed = pretext_task("embed", [
        "embed", "--model", RUN, "--input", DATASET, "--output", RUN + "/embeddings.parquet", "--overwrite",
    ], executors=4)

    finetune = pretext_task("finetune", [
        "finetune", "--model", RUN, "--train", LABELED_TRAIN, "--test", LABELED_TEST, "--run", FINETUNED, "--resume", "auto",
        "--workers", "8",
    ])
    predict = pretext_task("predict", [
        "predict", "--model", FINETUNED, "--input", INCOMING, "--output", PREDICTIONS, "--overwrite",
    ], executors=4)

    prepare >> pretrain >> evaluate >> embed
    pretrain >> finetune >> predict
