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
