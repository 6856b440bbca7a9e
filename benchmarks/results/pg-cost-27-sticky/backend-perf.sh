#!/bin/bash
# per-process-kind PostgreSQL CPU during one wrk run of one setup
set -e
JAR=/tmp/bench-hot.jar; PG=/usr/lib/postgresql/15/bin; OUT=/tmp/split/procs; mkdir -p $OUT
s=${1:-shared-syncmap}
runuser -u nobody -- $PG/pg_ctl -D /tmp/pgx/data -o "-p 55433 -k /tmp/pgx -c fsync=off -c shared_preload_libraries=pg_stat_statements -c listen_addresses=127.0.0.1" -l /tmp/pgx/log start > /dev/null
sleep 2
psql -h /tmp/pgx -p 55433 -U postgres -qc "create extension if not exists pg_stat_statements" 2>/dev/null
URL="jdbc:postgresql://127.0.0.1:55433/postgres?user=postgres"
snap() { for p in $(pgrep -u nobody postgres); do echo "$(awk "{print \$14\" \"\$15}" /proc/$p/stat) $(tr '\0' ' ' < /proc/$p/cmdline | sed 's/([0-9]*)//; s/ idle.*//; s/ UPDATE.*//; s/ SELECT.*//')"; done; }
java -Xmx2g -cp $JAR dev.syncsession.benchmarks.BenchServer --setup $s --worker-name a1 --jdbc-url "$URL" --attributes 10 --value-chars 100 --max-inactive-seconds 1800 > $OUT/$s.log 2>&1 &
for i in $(seq 1 300); do grep -q '^LISTENING' $OUT/$s.log && break; sleep 0.1; done
read -r _ port pid < <(grep '^LISTENING' $OUT/$s.log)
java -Xmx512m -cp $JAR dev.syncsession.benchmarks.MakeSessions --url "http://127.0.0.1:$port/s" --count 1000 --keep 1000 --out $OUT/cookies.txt --concurrency 32 > /dev/null
COOKIES=$OUT/cookies.txt wrk -t1 -c32 -d20s -s /work/main/benchmarks/wrk/sessions.lua http://127.0.0.1:$port > /dev/null
psql -h /tmp/pgx -p 55433 -U postgres -qc "select pg_stat_statements_reset()" >/dev/null; psql -h /tmp/pgx -p 55433 -U postgres -Ac "select xact_commit, xact_rollback, tup_returned, tup_fetched from pg_stat_database where datname='postgres'" >> $OUT/$s-db.txt
psql -h /tmp/pgx -p 55433 -U postgres -Ac "select relname, n_tup_upd, n_tup_hot_upd, n_dead_tup, autovacuum_count, autoanalyze_count from pg_stat_user_tables where relname like '%$(echo $s | tr - _)%'" > $OUT/$s-tables0.txt
snap > $OUT/$s-before.txt
perf record -e cpu-clock -F 999 -a -g -o $OUT/$s-perf.data -- sleep 14 > /dev/null 2>&1 &
COOKIES=$OUT/cookies.txt wrk -t1 -c32 -d15s -s /work/main/benchmarks/wrk/sessions.lua http://127.0.0.1:$port | grep requests > $OUT/$s-wrk.txt
snap > $OUT/$s-after.txt
psql -h /tmp/pgx -p 55433 -U postgres -Ac "select relname, n_tup_upd, n_tup_hot_upd, n_dead_tup, autovacuum_count, autoanalyze_count from pg_stat_user_tables where relname like '%$(echo $s | tr - _)%'" > $OUT/$s-tables1.txt
psql -h /tmp/pgx -p 55433 -U postgres -Ac "select xact_commit, xact_rollback, tup_returned, tup_fetched from pg_stat_database where datname='postgres'" >> $OUT/$s-db.txt
psql -h /tmp/pgx -p 55433 -U postgres -Ac "select calls, rows, round(mean_exec_time::numeric*1000,1) as exec_us, left(regexp_replace(query, '\s+', ' ', 'g'), 150) as query from pg_stat_statements order by calls desc limit 12" > $OUT/$s-stmts.txt
kill $pid; wait $pid 2>/dev/null || true
runuser -u nobody -- $PG/pg_ctl -D /tmp/pgx/data stop > /dev/null
python3 - $OUT/$s-before.txt $OUT/$s-after.txt <<'PY'
import sys,collections
def rd(f):
    d={}
    for l in open(f):
        u,st,c=l.strip().split(' ',2); d.setdefault(c,[]).append((int(u),int(st)))
    return d
b,a=rd(sys.argv[1]),rd(sys.argv[2])
tot=collections.Counter()
for c in a:
    print(sum(x[0] for x in a[c])-sum(x[0] for x in b.get(c,[])), sum(x[1] for x in a[c])-sum(x[1] for x in b.get(c,[])), c)
PY
cat $OUT/$s-wrk.txt $OUT/$s-db.txt $OUT/$s-stmts.txt $OUT/$s-tables0.txt $OUT/$s-tables1.txt
