-- The schema of the WAL experiment (run-wal-layouts.sh): Jetty's table with its map column (jettysessions),
-- and the tier's layout (main2, map null, plus s_attr, one row per attribute), 1,000 sessions of ten attributes
-- of :S random bytes each.
drop table if exists main2 cascade;
drop table if exists s_attr; drop table if exists jettysessions;
create table jettysessions (sessionid varchar(120), contextpath varchar(60), virtualhost varchar(60), lastnode varchar(60), accesstime bigint, lastaccesstime bigint, createtime bigint, cookietime bigint, lastsavedtime bigint, expirytime bigint, maxinterval bigint, map bytea, syncsession_version bigint not null default 0, primary key(sessionid, contextpath, virtualhost));
create index jettysessions_expiry on jettysessions (expirytime);
create table s_attr (sessionid varchar(120), contextpath varchar(60), virtualhost varchar(60), name varchar(200), value bytea, primary key(sessionid, contextpath, virtualhost, name), foreign key (sessionid, contextpath, virtualhost) references jettysessions on delete cascade);
-- :S = bytes per attribute value
insert into jettysessions select 'node0' || md5(i::text), '/', '0.0.0.0', 'node0', 1, 1, 1, 1, 1, 1000000, 1800000,
  (select string_agg(convert_to(lpad('attribute' || a, 12, '_'), 'UTF8') || (select string_agg(decode(md5(random()::text || i || a || j), 'hex'), ''::bytea) from generate_series(1, :S / 16) j), ''::bytea) from generate_series(1,10) a), 0
  from generate_series(1,1000) i;
insert into s_attr select 'node0' || md5(i::text), '/', '0.0.0.0', 'attribute' || a, (select string_agg(decode(md5(random()::text || i || a || j), 'hex'), ''::bytea) from generate_series(1, :S / 16) j) from generate_series(1,1000) i, generate_series(1,10) a;
vacuum analyze;
drop table if exists main2 cascade;
create table main2 (like jettysessions including all);
insert into main2 select sessionid, contextpath, virtualhost, lastnode, accesstime, lastaccesstime, createtime, cookietime, lastsavedtime, expirytime, maxinterval, null, syncsession_version from jettysessions;
alter table s_attr drop constraint s_attr_sessionid_contextpath_virtualhost_fkey;
alter table s_attr add foreign key (sessionid, contextpath, virtualhost) references main2 on delete cascade;
vacuum analyze;
