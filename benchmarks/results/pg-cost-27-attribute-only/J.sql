\set r random(1, 1000)
\set t random(1, 1000000000)
update jettysessions set lastnode='node1', accesstime=:t, lastaccesstime=:t, lastsavedtime=:t, expirytime=1000000+:t, maxinterval=1800000, map = overlay(map placing decode(md5(random()::text), 'hex') from (1+floor(random()*(length(map)-16))::int)) where sessionid='node0'||md5(:r::text) and contextpath='/' and virtualhost='0.0.0.0';
update jettysessions set lastnode='node1', accesstime=:t, lastaccesstime=:t, lastsavedtime=:t, expirytime=1000001+:t, maxinterval=1800000, map = map where sessionid='node0'||md5(:r::text) and contextpath='/' and virtualhost='0.0.0.0';
