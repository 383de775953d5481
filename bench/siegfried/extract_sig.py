# Extract siegfried signature blobs (magic 'sf\0\xff' + major,minor + raw deflate) embedded in a binary.
import sys, zlib
data = open(sys.argv[1], 'rb').read()
outprefix = sys.argv[2]
pos = 0; n = 0
while True:
    i = data.find(b'sf\x00\xff\x01', pos)
    if i < 0: break
    pos = i + 1
    d = zlib.decompressobj(-15)
    try:
        raw = d.decompress(data[i+6:i+6+20_000_000])
    except zlib.error:
        continue
    if not d.eof: continue
    used = 20_000_000 - len(d.unused_data) if len(data) - (i+6) >= 20_000_000 else (len(data)-(i+6)) - len(d.unused_data)
    blob = data[i:i+6+used]
    fn = f'{outprefix}{n}.sig'
    open(fn, 'wb').write(blob)
    print(fn, 'offset', i, 'version', data[i+4], data[i+5], 'len', len(blob), 'inflated', len(raw))
    n += 1
