\set r random(1, 1000)
select sessionid as id, contextpath as cp, virtualhost as vh from ids_s where i = :r \gset
select sessionid from ids_s where i = :r;
