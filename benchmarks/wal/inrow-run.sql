-- WAL bytes per request, two saves each, 20,000 requests over 1,000 sessions (run-wal-layouts.sh), of a session kept in
-- its row's map column with the expiry index over minutes (every update heap-only, on the same page), as the tier
-- saves such a row: the change save writes the times, the map with one attribute's bytes changed, and the version
-- column, which comes after the map, BUMP higher (1 as the tier does, 0 to see what the bump costs); the save at the
-- request's end writes the times alone. If the version column stops PostgreSQL's suffix compression of the change
-- save, BUMP=1 logs about the whole map and BUMP=0 only what lies between the first and the last changed byte.
select set_config('wal.bump', :'BUMP', false) \g /dev/null
checkpoint;
select pg_current_wal_lsn() as before \gset
do $$ declare r int; t bigint; begin
for k in 1..20000 loop
  r := 1 + floor(random()*1000); t := k;
  update jettysessions set lastnode='node1', accesstime=t, lastaccesstime=t, lastsavedtime=t, expirytime=1000000+t, maxinterval=1800000,
     map = overlay(map placing decode(md5(random()::text), 'hex') from (1+floor(random()*(length(map)-16))::int)),
     syncsession_version = syncsession_version + current_setting('wal.bump')::int
   where sessionid='node0'||md5(r::text) and contextpath='/' and virtualhost='0.0.0.0';
  commit;
  update jettysessions set lastnode='node1', accesstime=t, lastaccesstime=t, lastsavedtime=t, expirytime=1000001+t, maxinterval=1800000
   where sessionid='node0'||md5(r::text) and contextpath='/' and virtualhost='0.0.0.0';
  commit;
end loop; end $$;
select pg_wal_lsn_diff(pg_current_wal_lsn(), :'before') / 20000 as w \gset
select n_tup_upd, n_tup_hot_upd from pg_stat_user_tables where relname='jettysessions' \gset
\echo S=:S version_bump=:BUMP in_row=:w heap-only updates (statistics, may lag): :n_tup_hot_upd of :n_tup_upd
