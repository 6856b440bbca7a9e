pgticks() { local t=0; for p in $(pgrep -u nobody postgres); do s=$(awk '{print $14+$15+$16+$17}' /proc/$p/stat 2>/dev/null || echo 0); t=$((t+s)); done; echo $t; }
for r in 1 2 3; do for v in ${VARIANTS:-J TU TP}; do
  p0=$(pgticks)
  out=$(pgbench -h 127.0.0.1 -p 55433 -U postgres -n -M prepared -c ${C:-4} -j 1 -T ${T:-10} -f $v.sql postgres 2>&1)
  p1=$(pgticks)
  n=$(echo "$out" | awk '/number of transactions actually processed/ {print $6}' | cut -d/ -f1)
  tps=$(echo "$out" | awk '/^tps/ {print $3}')
  echo "$r $v tps=$tps pg_us_per_tx=$(( (p1-p0)*10000/n ))"
done; done
