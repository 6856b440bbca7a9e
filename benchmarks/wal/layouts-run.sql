-- WAL bytes per save, 20,000 saves over 1,000 sessions (run-wal-layouts.sh): A = Jetty's update (times, expiry
-- and the map with one attribute's bytes changed), B = the tier's (the session row's times and expiry, then one
-- attribute row), C = Jetty's save of times alone.
checkpoint;
select pg_current_wal_lsn() as before \gset
-- variant A: Jetty's whole-row update, one attribute's bytes changed in the middle of the map
do $$ declare r int; m bytea; t bigint; begin
for k in 1..20000 loop
  r := 1 + floor(random()*1000); t := k;
  update jettysessions set lastnode='node1', accesstime=t, lastaccesstime=t, lastsavedtime=t, expirytime=1000000+t, maxinterval=1800000,
     map = overlay(map placing decode(md5(random()::text), 'hex') from (length(map)/2)), syncsession_version = syncsession_version+1
   where sessionid='node0'||md5(r::text) and contextpath='/' and virtualhost='0.0.0.0';
  commit;
end loop; end $$;
select pg_wal_lsn_diff(pg_current_wal_lsn(), :'before') / :N as wal_per_update_A \gset
checkpoint;
select pg_current_wal_lsn() as before \gset
do $$ declare r int; t bigint; begin
for k in 1..20000 loop
  r := 1 + floor(random()*1000); t := k;
  update main2 set lastnode='node1', accesstime=t, lastaccesstime=t, lastsavedtime=t, expirytime=1000000+t, maxinterval=1800000, syncsession_version = syncsession_version+1
   where sessionid='node0'||md5(r::text) and contextpath='/' and virtualhost='0.0.0.0';
  update s_attr set value = overlay(value placing decode(md5(random()::text), 'hex') from 1) where sessionid='node0'||md5(r::text) and contextpath='/' and virtualhost='0.0.0.0' and name='attribute5';
  commit;
end loop; end $$;
select pg_wal_lsn_diff(pg_current_wal_lsn(), :'before') / :N as wal_per_update_B \gset
checkpoint;
select pg_current_wal_lsn() as before \gset
-- variant C: access-time only save (no attribute changed): Jetty rewrites map as-is vs per-attr main row only
do $$ declare r int; t bigint; begin
for k in 1..20000 loop
  r := 1 + floor(random()*1000); t := k;
  update jettysessions set lastnode='node1', accesstime=t, lastaccesstime=t, lastsavedtime=t, expirytime=1000000+t, maxinterval=1800000, map = map
   where sessionid='node0'||md5(r::text) and contextpath='/' and virtualhost='0.0.0.0';
  commit;
end loop; end $$;
select pg_wal_lsn_diff(pg_current_wal_lsn(), :'before') / :N as wal_access_only \gset
\echo S=:S A=:wal_per_update_a B=:wal_per_update_b accessonly=:wal_access_only
