# Hybrid: identify with a BOF-limited signature; re-identify with pygfried's default when the fast
# result is UNKNOWN or is a PUID that some deep-evidence format (unbounded/ >64KiB BOF offset) has priority over.
import sys, json, os, time, glob
B=os.environ.get('SFBUILD','/tmp/sfbuild'); sys.path.insert(0,os.path.dirname(os.path.abspath(__file__))); import harness, pygfried
S=set(json.load(open(B+'/data/overridden_by_deep_V122.json')))|{'UNKNOWN'}
fast=pygfried.Scanner(signature=sys.argv[1]); slow=pygfried.Scanner(profile='default')
nfb=[0]
def hyb(p):
    r=fast.identify(p,detailed=True)
    if r['files'][0]['matches'][0]['id'] in S:
        nfb[0]+=1; return slow.identify(p,detailed=True)
    return r
def first(r):
    m=r['files'][0]['matches'][0]; return {k:m.get(k) for k in harness.FIELDS}
files=harness.real_files()+harness.bench_files()+sorted(glob.glob(B+'/risk/*'))
d=[p for p in files if first(hyb(p))!=first(pygfried.identify(p,detailed=True))]
print(sys.argv[1],'hybrid result diffs vs default over',len(files),'files:',len(d),d[:5])
bf=harness.bench_files(); img=[p for p in bf if not p.endswith(('.mkv','.mov','.mp4','.webm'))]
cam=[p for p in harness.real_files() if os.path.splitext(p)[1].lower() in harness.CAM_EXT]
for name,fs in (('bench_images',img),('real_camera',cam),('real_all',harness.real_files())):
    nfb[0]=0; best=1e9
    for _ in range(3):
        t=time.perf_counter()
        for p in fs: hyb(p)
        best=min(best,(time.perf_counter()-t)/len(fs)*1000)
    print(f'  {name}: {best:.3f} ms/file, fallbacks {nfb[0]//3}/{len(fs)}')
