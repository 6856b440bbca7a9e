\set r random(1, 1000)
select 1;
