# Sourced by the launchers (./litenet, ./litenet-spark) with $launcher set: exports JAVA_HOME as a JDK 25 or newer
# ($JAVA_HOME if it is one, else the usual install folders), or stops with one line saying what is missing.

# The JDK's release file names its version without starting a JVM (~0.1 s); ask java itself where there is none.
java_major() {
  local v; v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)"
  [ -n "$v" ] && echo "$v" || "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
}
find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge 25 ] 2>/dev/null; then
    echo "$JAVA_HOME"; return
  fi
  for d in /usr/lib/jvm/*25* /usr/lib/jvm/*2[6-9]* /opt/java/*25* /opt/jdk*25* "$HOME"/.sdkman/candidates/java/25*; do
    if [ -x "$d/bin/java" ] && [ "$(java_major "$d")" -ge 25 ] 2>/dev/null; then echo "$d"; return; fi
  done
  return 1
}
if ! JAVA_HOME="$(find_jdk)"; then
  echo "$launcher: needs a JDK 25 or newer; set JAVA_HOME to one (e.g. /usr/lib/jvm/temurin-25-jdk-amd64)" >&2
  exit 1
fi
export JAVA_HOME
