# Shared by the bench/run-*.sh scripts (sourced after they set $here and $repo): a JDK 25 in $java, and
# bench/target/benchmarks.jar and the CLI's jar built up front, so no timed run pays for a build.

launcher="${launcher:-bench}"
source "$repo/bin/find-jdk.sh"
java="$JAVA_HOME/bin/java"
jar="$here/target/benchmarks.jar"

# build_bench_jar NAME LOG: benchmarks.jar when its sources changed; LOG keeps Maven's output.
build_bench_jar() {
  if [ ! -f "$jar" ] || [ -n "$(find "$repo/litenet-core/src/main" "$here/src" "$here/pom.xml" -newer "$jar" -print -quit)" ]; then
    echo "$1: building bench/target/benchmarks.jar..." >&2
    (cd "$repo" && ./mvnw -q -B -pl bench -am package -DskipTests) >"$2" 2>&1 \
      || { echo "$1: bench build failed; see $2" >&2; exit 1; }
  fi
}

# build_jars NAME LOG: the launcher's jar and its AOT cache (a summary records it), then benchmarks.jar.
build_jars() {
  "$repo/litenet" summary >/dev/null
  build_bench_jar "$@"
}
