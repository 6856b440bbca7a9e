# syncsession module (Apache License 2.0). Configure it in ${jetty.base}/start.d/, not here.

[description]
Enables the syncsession first-level session cache: live sessions are held in a SyncMap
(a port of Go's sync.Map), so requests for an existing session find it without locking.
A drop-in replacement for session-cache-hash with the same options.
Copy the syncsession jars (session-core, jetty-integration) into ${jetty.base}/lib/syncsession/.

[tags]
session

[provides]
session-cache

[depends]
sessions

[lib]
lib/syncsession/*.jar

[files]
lib/syncsession/

[xml]
etc/sessions/syncmap/session-cache-syncmap.xml

[ini-template]
## Jetty's own cache properties, as session-cache-hash reads them, so an existing ini carries over.
## When to evict sessions from the cache: -1 never, 0 when the last request leaves, N>0 after N idle seconds
#jetty.session.evictionPolicy=-1
## Save an idle session to the store before evicting it
#jetty.session.saveOnInactiveEviction=false
## Save a new session to the store as soon as it is created
#jetty.session.saveOnCreate=false
## Delete sessions from the store whose data cannot be read
#jetty.session.removeUnloadableSessions=false
## Write a dirty session to the store before the response is committed
#jetty.session.flushOnResponseCommit=true
## Invalidate (rather than save) the cached sessions when the server stops
#jetty.session.invalidateOnShutdown=false
