-- After benchmarks/wal/layouts-setup.sql (psql -v S=96): the tier's expiry minute and its index instead of the
-- exact expiry's, Jetty's second index on both tables, and the attribute rows' version column.
alter table main2 add column syncsession_expiry_minute bigint;
update main2 set syncsession_expiry_minute = expirytime / 60000;
drop index main2_expirytime_idx;
create index main2_minute on main2 (syncsession_expiry_minute);
create index main2_session on main2 (sessionid, contextpath);
create index jettysessions_session on jettysessions (sessionid, contextpath);
alter table s_attr add column version bigint not null default 1;
vacuum analyze;
