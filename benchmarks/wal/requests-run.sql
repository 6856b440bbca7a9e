-- WAL bytes per request, two saves each, 20,000 requests over 1,000 sessions (run-wal-layouts.sh): J = Jetty's (an
-- update of the row with one attribute's bytes changed, then an update of its times alone), T = the tier's (the session
-- row's times and version with one attribute row, then the session row's times alone); with either expiry index.
checkpoint;
select pg_current_wal_lsn() as before \gset
do $$ declare r int; t bigint; begin
for k in 1..20000 loop
  r := 1 + floor(random()*1000); t := k;
  update jettysessions set lastnode='node1', accesstime=t, lastaccesstime=t, lastsavedtime=t, expirytime=1000000+t, maxinterval=1800000,
     map = overlay(map placing decode(md5(random()::text), 'hex') from (1+floor(random()*(length(map)-16))::int))
   where sessionid='node0'||md5(r::text) and contextpath='/' and virtualhost='0.0.0.0';
  commit;
  update jettysessions set lastnode='node1', accesstime=t, lastaccesstime=t, lastsavedtime=t, expirytime=1000001+t, maxinterval=1800000, map = map
   where sessionid='node0'||md5(r::text) and contextpath='/' and virtualhost='0.0.0.0';
  commit;
end loop; end $$;
select pg_wal_lsn_diff(pg_current_wal_lsn(), :'before') / :N as j \gset
checkpoint;
select pg_current_wal_lsn() as before \gset
do $$ declare r int; t bigint; begin
for k in 1..20000 loop
  r := 1 + floor(random()*1000); t := k;
  update main2 set lastnode='node1', accesstime=t, lastaccesstime=t, lastsavedtime=t, expirytime=1000000+t, maxinterval=1800000, syncsession_version = syncsession_version+1
   where sessionid='node0'||md5(r::text) and contextpath='/' and virtualhost='0.0.0.0';
  update s_attr set value = overlay(value placing decode(md5(random()::text), 'hex') from 1) where sessionid='node0'||md5(r::text) and contextpath='/' and virtualhost='0.0.0.0' and name='attribute' || (1+floor(random()*10))::int;
  commit;
  update main2 set lastnode='node1', accesstime=t, lastaccesstime=t, lastsavedtime=t, expirytime=1000001+t, maxinterval=1800000, syncsession_version = syncsession_version+1
   where sessionid='node0'||md5(r::text) and contextpath='/' and virtualhost='0.0.0.0';
  commit;
end loop; end $$;
select pg_wal_lsn_diff(pg_current_wal_lsn(), :'before') / :N as t \gset
select n_tup_upd, n_tup_hot_upd from pg_stat_user_tables where relname='main2' \gset
\echo S=:S jetty=:j tier=:t heap-only updates of the session row (statistics, may lag): :n_tup_hot_upd of :n_tup_upd
