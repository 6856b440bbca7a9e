# Prints the package import graph of session-core and jetty-integration: "PKG name files lines" and
# "EDGE a -> b n" (n: main files of a that import b or name one of its classes in full). Run from the repository
# root: python3 docs/tools/package-graph.py .
import os,re,sys,collections
root=sys.argv[1]
edges=collections.Counter(); pk_files=collections.Counter(); pk_lines=collections.Counter()
for mod in ['session-core','jetty-integration']:
    for dp,dn,fn in os.walk(os.path.join(root,mod,'src/main/java')):
        for f in fn:
            if not f.endswith('.java') or f in ('package-info.java','module-info.java'): continue
            s=open(os.path.join(dp,f)).read()
            m=re.search(r'^package ([\w.]+);',s,re.M)
            p=m.group(1); pk_files[p]+=1; pk_lines[p]+=s.count('\n')
            tgts=set()
            for im in re.findall(r'^import (?:static )?(dev\.syncsession\.[\w.]+);',s,re.M):
                parts=im.split('.')
                # package = parts until first capitalized
                pkg=[]
                for x in parts:
                    if x[0].isupper(): break
                    pkg.append(x)
                tp='.'.join(pkg)
                if tp!=p: tgts.add(tp)
            # fully-qualified references in code
            for im in re.findall(r'(dev\.syncsession(?:\.[a-z]\w*)+)\.[A-Z]',s):
                if im!=p: tgts.add(im)
            for t in tgts: edges[(p,t)]+=1
for p in sorted(pk_files): print('PKG',p,pk_files[p],pk_lines[p])
for (a,b),n in sorted(edges.items()): print('EDGE',a,'->',b,n)
