\set r random(1, 1000)
\set t random(1, 1000000000)
\set a random(1, 10)
update s_attr set value = decode(md5(random()::text)||md5(random()::text)||md5(random()::text)||md5(random()::text)||md5(random()::text)||md5(random()::text), 'hex'), version = version + 1 where sessionid='node0'||md5(:r::text) and contextpath='/' and virtualhost='0.0.0.0' and name = 'attribute' || :a and version = version;
update main2 set lastnode='node1', accesstime=:t, lastaccesstime=:t, lastsavedtime=:t, expirytime=1000001+:t, maxinterval=1800000, syncsession_expiry_minute=(1000001+:t)/60000 where sessionid='node0'||md5(:r::text) and contextpath='/' and virtualhost='0.0.0.0';
