\set r random(1, 1000)
\set t random(1, 1000000000)
\set a random(1, 10)
update main2 set lastnode='node1', accesstime=:t, lastaccesstime=:t, lastsavedtime=:t, expirytime=1000000+:t, maxinterval=1800000, syncsession_expiry_minute=(1000000+:t)/60000, map = null, syncsession_version = syncsession_version + 1 where sessionid='node0'||md5(:r::text) and contextpath='/' and virtualhost='0.0.0.0' and map is null;
update main2 set lastnode='node1', accesstime=:t, lastaccesstime=:t, lastsavedtime=:t, expirytime=1000001+:t, maxinterval=1800000, syncsession_expiry_minute=(1000001+:t)/60000 where sessionid='node0'||md5(:r::text) and contextpath='/' and virtualhost='0.0.0.0';
