import random
M64=(1<<64)-1
PHI=0x9E3779B97F4A7C15
def sx(h): # int hashCode sign-extended to 64 bits
    return h & M64
def h32(k,M): return ((sx(k)*M)&M64)>>32
def place(keys,M,b,mode):
    n=1<<b; slots=[None]*n; probes=0; longest=0
    for k in keys:
        h=h32(k,M)
        i = (h & (n-1)) if mode=='low' else (h >> (32-b))
        d=0
        while slots[i] is not None: i=(i+1)&(n-1); d+=1
        slots[i]=k; probes+=d+1
    # longest run
    run=0;best=0
    for s in slots+slots:
        run = run+1 if s is not None else 0; best=max(best,run)
    return probes/len(keys), min(best,n)
random.seed(1)
for name,keys,b in [('consec1023',list(range(1023)),12),('stride1024',[i*1024 for i in range(1024)],12),('consec65536',list(range(65536)),18)]:
    for mode,gen in [('low-random',lambda: random.getrandbits(64)|1),('top-random',lambda: random.getrandbits(64)|1),('top-phi+rand',lambda: (PHI & ~0xFFFFFFFF) | random.getrandbits(32) | 1),('low-phi+rand',lambda: (PHI & ~0xFFFFFFFF) | random.getrandbits(32) | 1)]:
        m='low' if mode.startswith('low') else 'top'
        res=[place(keys,gen(),b,m) for _ in range(40)]
        ap=sum(r[0] for r in res)/len(res); worst=max(r[1] for r in res); wp=max(r[0] for r in res)
        print(f"{name:12} {mode:14} avg probes {ap:.3f} worst avg {wp:.3f} worst run {worst}")
