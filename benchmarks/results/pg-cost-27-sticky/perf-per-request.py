import sys,subprocess,re
# usage: abs.py perf.data requests ticks  -> inclusive us/request per symbol for postgres
data,req,ticks=sys.argv[1],int(sys.argv[2]),int(sys.argv[3])
out=subprocess.run(['perf','report','-i',data,'--comm','postgres','--children','--percentage','relative','--stdio','--sort','sym','-g','none'],capture_output=True,text=True).stdout
us=ticks*10000/req
res={}
for l in out.splitlines():
    m=re.match(r'\s+([\d.]+)%\s+([\d.]+)%\s+\[.\]\s+(\S+)|\s+([\d.]+)%\s+([\d.]+)%\s+\[k\]\s+(\S+)',l)
    if m:
        g=m.groups()
        inc,self_,sym=(g[0],g[1],g[2]) if g[0] else (g[3],g[4],g[5])
        if sym.startswith('0x'): continue
        res[sym]=(float(inc)*us/100/1.2035, float(self_)*us/100/1.2035)
for k in sys.argv[4:]:
    print(f"{k:35s} {res.get(k,(0,0))[0]:7.1f} {res.get(k,(0,0))[1]:7.1f}")
