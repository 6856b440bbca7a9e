#!/usr/bin/env python3
# Reads a JFR recording's execution samples as `jfr print` prints them and reports, for each pattern, the share of
# samples whose stack holds a frame containing it (inclusive share), then the top self frames and the top inclusive
# syncsession and Jetty session frames. How BENCHMARKS.md's profile tables were counted:
#
#   jfr print --events jdk.ExecutionSample --stack-depth 64 server.jfr > samples.txt
#   python3 benchmarks/jfr-frames.py samples.txt AbstractSessionDataStore.store Table.find
import sys, re, collections
path = sys.argv[1]
patterns = sys.argv[2:]
samples = 0
hits = collections.Counter()
top = collections.Counter()
inc = collections.Counter()
cur = []
def flush():
    global samples
    if not cur:
        return
    samples += 1
    top[cur[0]] += 1
    seen = set()
    for f in cur:
        m = re.match(r'([\w.$]+)\.([\w$<>]+)\(', f)
        key = m.group(1) + '.' + m.group(2) if m else f
        if key not in seen:
            inc[key] += 1
            seen.add(key)
    for p in patterns:
        if any(p in f for f in cur):
            hits[p] += 1
for line in open(path):
    line = line.strip()
    if line.startswith('jdk.ExecutionSample'):
        flush(); cur = []
    elif re.match(r'^[\w.$]+\.[\w$<>]+\(.*line:', line):
        cur.append(line)
flush()
print('samples', samples)
for p in patterns:
    print('%-55s %6.1f %%' % (p, 100.0 * hits[p] / max(1, samples)))
print('top self frames:')
for f, n in top.most_common(15):
    print('%6.1f %%  %s' % (100.0 * n / samples, f[:150]))
print('top inclusive (dev.syncsession / org.eclipse.jetty.session):')
for f, n in inc.most_common(400):
    if 'dev.syncsession' in f or 'jetty.session' in f:
        print('%6.1f %%  %s' % (100.0 * n / samples, f[:150]))
