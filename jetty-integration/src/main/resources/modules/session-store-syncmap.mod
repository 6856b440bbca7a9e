# syncsession module (Apache License 2.0). Configure it in ${jetty.base}/start.d/, not here.

[description]
Enables the syncsession session data store: session data is kept in syncsession's in-process
SessionStore (a SyncMap index with a background expiry sweeper), optionally written to a snapshot
file on stop and restored on start. The store is local to this JVM: it does not share sessions
between nodes (use session-store-jdbc for that).
Copy the syncsession jars (session-core, jetty-integration) into ${jetty.base}/lib/syncsession/;
with jetty.session.syncmap.maximumSessions > 0 also copy the Caffeine jar there.

[tags]
session

[provides]
session-store

[depends]
sessions

[lib]
lib/syncsession/*.jar

[files]
lib/syncsession/

[xml]
etc/sessions/syncmap/session-store-syncmap.xml

[ini-template]
## How long after expiry a session that no node expired is searched for and removed (Jetty's grace period)
#jetty.session.gracePeriod.seconds=3600
## Minimum seconds between saves of a session whose only change is its access time (0: save every time)
#jetty.session.savePeriod.seconds=0
## Seconds between runs of the store's expiry sweeper
#jetty.session.syncmap.sweepInterval.seconds=60
## Seconds past expiry before the sweeper removes a record; unset: ten grace periods, Jetty's orphan horizon, so Jetty expires it first
#jetty.session.syncmap.retainExpired.seconds=36000
## Keep at most this many sessions, Caffeine evicting the one least likely to be used (needs the
## Caffeine jar); 0: unbounded SyncMap.
#jetty.session.syncmap.maximumSessions=0
## End every session this many seconds after its creation, however active (absolute timeout); 0: none
#jetty.session.syncmap.absoluteTimeout.seconds=0
## Session attribute holding the signed-in user of applications that do their own sign-in (indexed by user,
## besides Jetty's authenticated user); unset: Jetty's authenticated user only
#jetty.session.syncmap.userAttribute=
## Sessions one user may be signed into at once (0: no limit), and what one more sign-in does:
## refuse-new (setAttribute throws UserSessionLimitExceededException) or invalidate-oldest
#jetty.session.syncmap.maxSessionsPerUser=0
#jetty.session.syncmap.whenUserLimitReached=refuse-new
## Refuse to create sessions past this many (HTTP 503; existing sessions keep working); 0: no cap
#jetty.session.syncmap.sessionCap=0
## Retry-After (seconds) on the 503 that refuses a new session past sessionCap (no other response is changed)
#jetty.session.syncmap.retryAfter.seconds=30
## Snapshot file written on stop and read back on start; unset: no snapshot
#jetty.session.syncmap.snapshotFile=${jetty.base}/sessions/syncmap.snapshot
## Seconds between snapshot writes while Jetty runs (a kill -9 loses at most this much); 0: only at stop
#jetty.session.syncmap.snapshotInterval.seconds=30
## Packages whose attribute classes may be restored from the snapshot, comma-separated (JDK value types always may)
#jetty.session.syncmap.allowedPackages=
## Session cookies HttpOnly and SameSite=Lax unless a web application's web.xml sets them, Secure over HTTPS (false: Jetty's defaults)
#jetty.session.syncmap.secureCookies=true
## When a web application stops, keep its sessions serialized for its redeploy (true) or delete them (false)
#jetty.session.syncmap.keepSessionsOnStop=true
## Keep attributes serialized in the store (true: isolated copies, passivation) or as shared objects (false: fastest)
#jetty.session.syncmap.attributesSerialized=false
