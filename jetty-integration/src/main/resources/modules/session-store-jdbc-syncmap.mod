# syncsession module (Apache License 2.0). Configure it in ${jetty.base}/start.d/, not here.

[description]
syncsession on many nodes: Jetty's JDBC session store on a shared database is the store of record,
and the syncsession SyncMap cache holds each node's recently used sessions. Configured like
session-store-jdbc (same jetty.session.jdbc.* properties, same table), with two additions:
database outages are tracked (dev.syncsession.jetty.nodes.DatabaseAvailability) and sessions abandoned
on a dead node are expired by the others once per grace period.
Needs a session cache module, chosen by the operator: session-cache-syncmap behind a sticky load
balancer, session-cache-null without stickiness, or Jetty's session-cache-hash.
Give every node its own jetty.sessionIdManager.workerName (start.d/sessions.ini).
Copy the syncsession jars (session-core, jetty-integration) and the HikariCP jar into
${jetty.base}/lib/syncsession/, and the database's JDBC driver into ${jetty.base}/lib/ext/ (module ext).
See docs/many-nodes.md.

[tags]
session

[provides]
session-store

[depend]
jdbc
sessions
sessions/jdbc/${db-connection-type}
session-cache

[lib]
lib/syncsession/*.jar

[files]
lib/syncsession/

[xml]
etc/sessions/syncmap/session-store-jdbc-syncmap.xml

[ini]
db-connection-type?=pooled
## Write through to the database so that any node can serve a session after its node dies,
## and bound each node's cache by evicting (after saving) sessions idle for 5 minutes.
jetty.session.saveOnCreate?=true
jetty.session.flushOnResponseCommit?=true
jetty.session.evictionPolicy?=300
jetty.session.saveOnInactiveEviction?=true

[ini-template]
## Every node needs its own name (set it in start.d/sessions.ini):
#jetty.sessionIdManager.workerName=web1

#jetty.session.gracePeriod.seconds=3600
#jetty.session.savePeriod.seconds=0

## Connection type: pooled (a bounded HikariCP pool, recommended; needs the HikariCP jar in lib/syncsession),
## datasource (a JNDI name, the container's pool) or driver (Jetty's: a new connection per operation)
db-connection-type=pooled
#jetty.session.jdbc.pool.url=jdbc:postgresql://db:5432/app?connectTimeout=5&socketTimeout=30
#jetty.session.jdbc.pool.user=app
#jetty.session.jdbc.pool.password=
#jetty.session.jdbc.pool.maxSize=10
#jetty.session.jdbc.pool.connectionTimeout.seconds=3
#db-connection-type=datasource
#jetty.session.jdbc.datasourceName=/jdbc/sessions
#db-connection-type=driver
#jetty.session.jdbc.driverClass=org.postgresql.Driver
#jetty.session.jdbc.driverUrl=jdbc:postgresql://db:5432/app?user=app&password=secret&connectTimeout=5&socketTimeout=30

#jetty.session.jdbc.schema.table=JettySessions

## Refuse to create sessions past this many live ones in the whole tier (HTTP 503 with Retry-After; existing
## sessions keep working); counted from the table at most once a second per node. 0: no cap
#jetty.session.syncmap.sessionCap=0
#jetty.session.syncmap.retryAfter.seconds=30

## Index sessions by user (dev.syncsession.jetty.users.UserSessions: list a user's sessions on every node, sign
## out everywhere): adds the column syncsession_user to the session table and the table
## <table>_revocations, which every node reads this often (at least 1 s) to drop its copies of sessions signed out
## elsewhere. userAttribute or a positive maxSessionsPerUser turn it on too, even with sessionsByUser=false.
## maxSessionsPerUser 0: no limit; invalidate-oldest needs a limit. A bad value fails the start, naming it.
## See docs/many-nodes.md, "Sessions by user".
#jetty.session.syncmap.sessionsByUser=false
#jetty.session.syncmap.userAttribute=
#jetty.session.syncmap.maxSessionsPerUser=0
#jetty.session.syncmap.whenUserLimitReached=refuse-new
#jetty.session.syncmap.revocationPollInterval.seconds=1

## Packages whose attribute classes the nodes may read from the session table, comma-separated (JDK value types and
## collections always may). A row holding any other class is no session; the class is never instantiated.
#jetty.session.syncmap.allowedPackages=

## Save the attributes a request changed in place (cart.add(item) without setAttribute) at the end of the request:
## each attribute's serialized form is compared with its row's. Costs one serialization of every attribute per
## request; see docs/many-nodes.md, "Overlapping requests".
#jetty.session.syncmap.detectInPlaceChanges=false
