import sys, os, json, time, glob, statistics
import pygfried
REAL_DIRS = ['tests/realworld/files','tests/realworld/rights','tests/realworld/readers','tests/realworld/c2pa','sample_media']
ROOT=os.environ.get('MEDIAAUDIT_ROOT') or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CAM_EXT = {'.jpg','.jpeg','.heic','.heif','.dng','.raf','.nef','.rw2','.cr2','.cr3','.arw','.orf','.pef'}
FIELDS = ('id','format','version','basis','warning','class')
def real_files():
    out=[]
    for d in REAL_DIRS:
        for dp,dn,fn in os.walk(os.path.join(ROOT,d)):
            for f in fn: out.append(os.path.join(dp,f))
    return sorted(out)
def bench_files():
    c=os.path.join(ROOT,'bench/.corpus-2000-50')
    out=[]
    for dp,dn,fn in os.walk(c):
        for f in fn:
            if f.endswith(('.toml','done')): continue
            out.append(os.path.join(dp,f))
    return sorted(out)
def scanner(sig):
    if sig=='identify': return None
    if sig in ('default','archivematica'): return pygfried.Scanner(profile=sig)
    return pygfried.Scanner(signature=sig)
def ident(sc,p):
    return pygfried.identify(p,detailed=True) if sc is None else sc.identify(p,detailed=True)
def results(sig):
    sc=scanner(sig); out={}
    for p in real_files():
        r=ident(sc,p)['files'][0]
        m=r['matches'][0] if r['matches'] else {}
        d={k:m.get(k) for k in FIELDS}; d['errors']=r.get('errors'); d['nmatches']=len(r['matches'])
        out[os.path.relpath(p,ROOT)]=d
    return out
def timeit(sig, files, reps=3):
    sc=scanner(sig)
    for p in files[:50]: ident(sc,p)
    ts=[]
    for _ in range(reps):
        t=time.perf_counter()
        for p in files: ident(sc,p)
        ts.append((time.perf_counter()-t)/len(files)*1000)
    return min(ts), statistics.median(ts)
if __name__=='__main__':
    cmd, sig, out = sys.argv[1], sys.argv[2], sys.argv[3]
    if cmd=='results':
        json.dump(results(sig), open(out,'w'), indent=0)
    elif cmd=='time':
        bf=bench_files(); rf=real_files(); cam=[p for p in rf if os.path.splitext(p)[1].lower() in CAM_EXT]
        img=[p for p in bf if not p.endswith(('.mkv','.mov','.mp4','.webm'))]
        vid=[p for p in bf if p.endswith(('.mkv','.mov','.mp4','.webm'))]
        reps=int(os.environ.get('REPS','3'))
        res={'bench_images':timeit(sig,img,reps),'bench_videos':timeit(sig,vid,reps),'real_camera':timeit(sig,cam,reps*2),'real_all':timeit(sig,rf,reps),
             'n':{'bench_images':len(img),'bench_videos':len(vid),'real_camera':len(cam),'real_all':len(rf)}}
        json.dump(res, open(out,'w'), indent=1); print(sig, json.dumps(res))
