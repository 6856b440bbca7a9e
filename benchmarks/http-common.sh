# Shared by the out-of-process HTTP benchmarks (run-http-wrk.sh, run-http-expiry.sh); sourced from the repository
# root with JAR set. Installs wrk from Debian's packages if it is missing (as root), builds the benchmarks jar if it
# is missing, and defines the helpers below.

if ! command -v wrk >/dev/null; then
  if [[ $(id -u) == 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    echo "wrk is not installed: apt-get install -y wrk (as root)" >&2
    exit 1
  fi
fi
if [[ ! -f $JAR ]]; then
  mvn -B -q -pl benchmarks -am package -DskipTests
fi
TICKS=$(getconf CLK_TCK)

http_get() { # port path -> body
  exec 3<>"/dev/tcp/127.0.0.1/$1"
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
  sed '1,/^\r$/d' <&3
  exec 3>&-
}

cpu_ticks() { # pid -> utime + stime
  awk '{print $14 + $15}' "/proc/$1/stat"
}

# The scripts that run servers keep their processes in the associative array PID (declare -A PID) and their logs in
# $WORK; these two helpers use both.

stop_servers() { # kills every process in PID, copies the logs to $OUT/logs and removes $WORK: the EXIT trap
  for s in "${!PID[@]}"; do kill "${PID[$s]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  mkdir -p "$OUT/logs" && cp "$WORK"/*.log "$OUT/logs/" 2>/dev/null || true
  rm -rf "$WORK"
}

start_database() { # starts an embedded PostgreSQL (BenchDatabase) as PID[database], and sets JDBC_URL
  local command=(java -Xmx256m -cp "$JAR" dev.syncsession.benchmarks.BenchDatabase)
  if [[ $(id -u) == 0 ]]; then # PostgreSQL refuses to run as root
    chmod 755 "$WORK"
    command=(runuser -u "${BENCH_USER:-nobody}" -- env HOME="$WORK" "${command[@]}")
  fi
  (cd "$WORK" && exec "${command[@]}") > "$WORK/db.log" 2>&1 &
  PID[database]=$!
  for _ in $(seq 1 600); do
    if grep -q '^JDBC ' "$WORK/db.log"; then break; fi
    sleep 0.1
  done
  JDBC_URL=$(grep '^JDBC ' "$WORK/db.log" | cut -d' ' -f2)
}
