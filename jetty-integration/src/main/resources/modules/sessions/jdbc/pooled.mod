# syncsession module (Apache License 2.0). Selected by db-connection-type=pooled in start.d/session-store-jdbc-syncmap.ini.

[description]
Pooled JDBC connections for session storage: a bounded HikariCP pool (syncsession's PooledSessionDatabase),
with its MBeans in the platform MBean server, closed once the server has stopped.
Copy the HikariCP jar (com.zaxxer:HikariCP) into ${jetty.base}/lib/syncsession/ next to the syncsession jars,
and the database's JDBC driver into ${jetty.base}/lib/ext/ (module ext).

[depend]
jdbc

[xml]
etc/sessions/syncmap/jdbc-pooled.xml

[ini-template]
## The session database; set the driver's socket timeout in the URL (PostgreSQL: socketTimeout=30)
#jetty.session.jdbc.pool.url=jdbc:postgresql://db:5432/app?connectTimeout=5&socketTimeout=30
#jetty.session.jdbc.pool.user=app
#jetty.session.jdbc.pool.password=
## Connections at most, and how long a request waits for a free one before it fails (503 behind the guard)
#jetty.session.jdbc.pool.maxSize=10
#jetty.session.jdbc.pool.connectionTimeout.seconds=3
