"""segcheck.py DIR: per variant, list (segment, EXTINF, first video PTS, keyframe-at-start) and compare."""
import json, os, subprocess, sys
d = sys.argv[1]
def segs(v):
    out, dur = [], None
    for l in open(os.path.join(d, v, "index.m3u8")):
        l = l.strip()
        if l.startswith("#EXTINF:"): dur = float(l[8:].split(",")[0])
        elif l and not l.startswith("#"): out.append((l, dur))
    return out
def first_v(path):
    r = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-read_intervals", "%+#1",
                        "-show_entries", "packet=pts_time,flags", "-of", "json", path], capture_output=True, text=True)
    p = json.loads(r.stdout)["packets"][0]
    return float(p["pts_time"]), p["flags"].startswith("K")
vs = [v for v in ("src", "480p", "360p") if os.path.exists(os.path.join(d, v, "index.m3u8"))]
rows = {v: segs(v) for v in vs}
n = min(len(r) for r in rows.values())
mis = 0
for i in range(n):
    cells = []
    base = None
    for v in vs:
        name, dur = rows[v][i]
        pts, k = first_v(os.path.join(d, v, name))
        base = pts if base is None else base
        if abs(pts - base) > 0.04: mis += 1
        cells.append(f"{v}:{name[-8:-3]} {dur:.3f}s pts={pts:.3f}{'K' if k else '!'}")
    print(" | ".join(cells))
print(f"variants={vs} compared={n} misaligned_rows={mis} counts={[len(rows[v]) for v in vs]}")
