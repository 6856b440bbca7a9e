\set r random(1, 1000)
select sessionid as id, contextpath as cp, virtualhost as vh from ids_j where i = :r \gset
select createtime, accesstime, lastaccesstime, maxinterval, cookietime, lastnode, lastsavedtime, expirytime, map from sessions_jetty_jdbc_null where sessionid = :id and contextpath = :cp and virtualhost = :vh;
