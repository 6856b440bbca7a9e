import random
M64=(1<<64)-1
PHI=0x9E3779B97F4A7C15
def h32(k,M): return (((k & M64)*M)&M64)>>32
class T:
    def __init__(s,M,mode): s.M=M; s.mode=mode; s.b=4; s.slots=[None]*16; s.n=0; s.probes=0
    def home(s,h): return (h & ((1<<s.b)-1)) if s.mode=='low' else (h >> (32-s.b))
    def ins(s,k,count=True):
        if (s.n+1) > (3<<s.b)//8: s.grow()
        i=s.home(h32(k,s.M)); mask=(1<<s.b)-1
        while s.slots[i] is not None: i=(i+1)&mask; s.probes+=1
        s.slots[i]=k; s.n+=1; s.probes+=1
    def grow(s):
        old=s.slots; s.b+=1; s.slots=[None]*(1<<s.b); s.n=0
        for k in old:
            if k is not None: s.ins(k)
    def order(s): return [k for k in s.slots if k is not None]
random.seed(2)
N=200000
keys=[random.getrandbits(32)-(1<<31) for _ in range(N)]
for mode,gen in [('low-random',lambda: random.getrandbits(64)|1),('top-phi+rand',lambda:(PHI & ~0xFFFFFFFF)|random.getrandbits(32)|1),('top-phi-fixed',lambda: PHI),('low-phi+rand',lambda:(PHI & ~0xFFFFFFFF)|random.getrandbits(32)|1)]:
    a=T(gen(),mode)
    for k in keys: a.ins(k)
    b=T(gen(),mode)
    for k in a.order(): b.ins(k)
    c=T(a.M,mode)
    for k in a.order(): c.ins(k)
    print(mode, 'random-order probes/key', round(a.probes/N,2), 'copy other-M', round(b.probes/N,2), 'copy same-M', round(c.probes/N,2))
