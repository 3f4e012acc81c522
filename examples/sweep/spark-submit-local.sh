#!/usr/bin/env bash
# The cluster path of `sweep` on one machine: spark-submit of the shaded koopman4j jar to a Spark 3.5
# installation, as on a cluster, with --master local[2] instead of the cluster's master.
#   examples/sweep/spark-submit-local.sh SWEEP.yaml OUT [SPARK_HOME]
# Without SPARK_HOME (a Spark 3.5.x / Scala 2.13 distribution), one is assembled in
# target/spark-home from Maven Central: Spark's own jars at Spark's own versions (Jackson 2.15,
# slf4j 2, Log4j 2.20, as a distribution ships them) and spark-class's launcher, which is what
# bin/spark-submit runs (org.apache.spark.launcher.Main builds the java command, with Spark's Java 17 options).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sweep="${1:?usage: spark-submit-local.sh SWEEP.yaml OUT [SPARK_HOME]}"
out="${2:?usage: spark-submit-local.sh SWEEP.yaml OUT [SPARK_HOME]}"
jar="$root/modules/koopman4j-cli/target/koopman4j.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -DskipTests package -pl modules/koopman4j-cli -am >&2)
spark_version="$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' "$root/pom.xml")"
if [ -n "${3:-}" ]; then
  export SPARK_HOME="$3"
else
  export SPARK_HOME="$root/target/spark-home"
  if [ ! -d "$SPARK_HOME/jars" ]; then
    mkdir -p "$SPARK_HOME"
    cat > "$SPARK_HOME/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>spark-home</artifactId><version>1</version><packaging>pom</packaging>
  <!-- Spark's own build pins its libraries' versions (Jackson 2.15.2, slf4j 2.0.7, …): the jars a distribution ships -->
  <dependencyManagement><dependencies>
    <dependency><groupId>org.apache.spark</groupId><artifactId>spark-parent_2.13</artifactId><version>$spark_version</version><type>pom</type><scope>import</scope></dependency>
  </dependencies></dependencyManagement>
  <dependencies>
    <dependency><groupId>org.apache.spark</groupId><artifactId>spark-core_2.13</artifactId><version>$spark_version</version></dependency>
  </dependencies>
</project>
POM
    (cd "$SPARK_HOME" && mvn -B -q dependency:copy-dependencies -DoutputDirectory=jars >&2)
    # what marks a distribution for the launcher: it then takes its class path from jars/
    echo "Spark $spark_version (Scala 2.13) assembled from Maven Central by koopman4j" > "$SPARK_HOME/RELEASE"
  fi
fi
# bin/load-spark-env.sh sets this in a distribution
export SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-2.13}"
# userClassPathFirst: the jar's own libraries before the installation's (Spark 3.5 ships Jackson 2.15, whose
# jackson-core our Jackson 2.23 YAML reader cannot run on). A local master's tasks run in the driver; on a
# cluster also set spark.executor.userClassPathFirst=true.
# bin/spark-submit → bin/spark-class: the launcher prints a NUL line, then the driver's java command as
# NUL-separated words; the exit code follows (spark-class's own reading loop)
build_command() {
  java -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main org.apache.spark.deploy.SparkSubmit \
    --master "local[2]" --class koopman4j.cli.Koopman4j \
    --driver-java-options "--add-modules jdk.incubator.vector -Dorg.bytedeco.javacpp.maxPhysicalBytes=0" \
    --conf "spark.executor.extraJavaOptions=--add-modules jdk.incubator.vector" \
    --conf spark.driver.userClassPathFirst=true \
    "$jar" sweep --config "$sweep" --out "$out"
  printf "%d\0" $?
}
cmd=()
delim=$'\n'
started=false
while IFS= read -d "$delim" -r arg; do
  if [ "$started" = true ]; then
    cmd+=("$arg")
  elif [ "$arg" = "" ]; then
    delim=''
    started=true
  else
    echo "$arg" >&2
  fi
done < <(build_command)
[ "${#cmd[@]}" -gt 0 ] || exit 1
status="${cmd[${#cmd[@]}-1]}"
unset 'cmd[${#cmd[@]}-1]'
[ "$status" = 0 ] || exit "$status"
# the local tasks are threads of the driver: one ND4J/OpenBLAS thread each
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
exec "${cmd[@]}"
