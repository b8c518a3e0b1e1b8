"""Benchmark of the phantom cohort generator (`gazebook.phantom`).

1. The whole cohort: `make_phantom(n_images, seed=0, workers=W)` end to end (default 2000 images, ~3000 readings,
   images ~512 px, 2 worker processes: the issue's target is under 3 minutes on 2 cores), and the same cohort in
   the EGD-CXR layout. The reference in the same run is `workers=1` on the first `n_ref` images, scaled: the ratio
   says what the second process buys on this machine.
2. Its parts on `n_parts` studies, with CPU and wall time (the machine may be shared: CPU time, workers included, is
   the steadier figure): planning, drawing the images, their saliency, simulating the readings, the report text, PNG encoding
   and the per-reading CSVs. Where the generator replaced a library call by its own code, the straightforward
   reference is timed in the same run and checked to give the same result: PNG encoding (PIL, `compress_level=1`)
   and the per-reading CSV files (a DataFrame per file and `DataFrame.to_csv`, byte-identical output).

    .venv/bin/python bench/phantom.py [n_images=2000] [workers=2] [n_parts=200]
"""
import io, os, shutil, sys, tempfile, time
from pathlib import Path
import numpy as np
from PIL import Image
from gazebook import phantom as P

def cpu():
    "CPU seconds of this process and of its finished children (the worker processes)."
    t = os.times(); return t.user + t.system + t.children_user + t.children_system

def clock(f):
    "Run f(); return (result, wall s, CPU s of this process and its workers)."
    t0, c0 = time.perf_counter(), cpu()
    out = f()
    return out, time.perf_counter() - t0, cpu() - c0

def row(name, wall, cpu, per=None, unit=''):
    print(f"{name:<52s} {wall:7.2f} s wall {cpu:7.2f} s CPU" + (f"   {per:8.1f} {unit}" if per else ''))

def size_mb(root): return sum(p.stat().st_size for p in Path(root).rglob('*') if p.is_file()) / 1e6

def whole(tmp, n_images, workers, n_ref):
    print(f"gazebook.phantom v{P.PHANTOM_VERSION}: make_phantom(n_images={n_images}, seed=0, workers={workers}) "
          f"on {os.cpu_count()} CPU(s)\n")
    _, w, c = clock(lambda: P.make_phantom(tmp/'cohort', n_images=n_images, seed=0, workers=workers))
    n_read = len(list((tmp/'cohort'/'main_data').iterdir())) - 1
    row(f"REFLACX layout ({n_images} images, {n_read} readings, {size_mb(tmp/'cohort'):.0f} MB)", w, c, n_read / w, 'readings/s wall')
    print(f"  -> {'under' if w < 180 else 'OVER'} the 3-minute target ({w:.0f} s wall)")
    _, we, ce = clock(lambda: P.make_phantom(tmp/'egd', n_images=n_images, seed=0, workers=workers, readers_per_image=1, layout='egd'))
    row(f"EGD-CXR layout ({n_images} images, one reading each, {size_mb(tmp/'egd'):.0f} MB)", we, ce, n_images / we, 'images/s wall')
    _, w1, c1 = clock(lambda: P.make_phantom(tmp/'ref', n_images=n_ref, seed=0, workers=1))
    row(f"  reference: workers=1 on {n_ref} images", w1, c1, n_ref / w1, 'images/s wall')
    print(f"  -> workers={workers}: x{(w1 / n_ref) / (w / n_images):.2f} the images per second of one process "
          f"(that run scaled to {n_images} images: {w1 * n_images / n_ref:.0f} s)\n")
    for d in ('cohort', 'egd', 'ref'): shutil.rmtree(tmp/d)

def parts(tmp, n):
    print(f"parts, on {n} studies")
    studies, w, c = clock(lambda: P.plan_studies(n, 0)); row('plan studies', w, c)
    imgs, w, c = clock(lambda: [P.render_study(s) for s in studies]); row('draw images (render_study)', w, c, n / c, 'images/s CPU')
    sals, w, c = clock(lambda: [P.saliency_map(im) for im in imgs]); row('saliency of the images (saliency_map)', w, c, n / c, 'images/s CPU')
    readers = P.make_readers(5, 0); jobs = P._assign(studies, 5, 1.5, 0)
    readings, w, c = clock(lambda: [P.simulate_reading(s, readers[rd], rid, 0, saliency=sal)
                                    for s, sal in zip(studies, sals) for rd, rid in jobs[s.index]])
    row('simulate readings (simulate_reading)', w, c, len(readings) / c, 'readings/s CPU')
    _, w, c = clock(lambda: [P.study_report(s) for s in studies]); row('study reports (study_report)', w, c, n / c, 'reports/s CPU')
    pngs, w1, c1 = clock(lambda: [P.png_bytes(im) for im in imgs]); row('encode PNG (png_bytes)', w1, c1, n / c1, 'images/s CPU')
    def pil(im): b = io.BytesIO(); Image.fromarray(im).save(b, format='png', compress_level=1); return b.getvalue()
    ref, w2, c2 = clock(lambda: [pil(im) for im in imgs]); row('  reference: PIL save, compress_level=1', w2, c2, n / c2, 'images/s CPU')
    assert all(np.array_equal(np.asarray(Image.open(io.BytesIO(p))), im) for p, im in zip(pngs[:20], imgs[:20]))
    print(f"  -> png_bytes x{c2 / c1:.1f} faster (CPU); {sum(map(len, pngs)) / 1e6:.1f} MB vs PIL {sum(map(len, ref)) / 1e6:.1f} MB")
    for d in ('new', 'ref'):
        for r in readings: (tmp/d/r.id).mkdir(parents=True)
    def ours():
        for r in readings:
            for name, (fname, cols) in P.READING_FILES.items(): P.write_rows(tmp/'new'/r.id/fname, cols, r.tables[name])
    def pandas_ref():
        for r in readings:
            for name, (fname, cols) in P.READING_FILES.items(): r.frame(name).to_csv(tmp/'ref'/r.id/fname, index=False)
    _, w1, c1 = clock(ours); row('write reading CSVs (write_rows)', w1, c1, len(readings) / c1, 'readings/s CPU')
    _, w2, c2 = clock(pandas_ref); row('  reference: DataFrame + to_csv', w2, c2, len(readings) / c2, 'readings/s CPU')
    same = all((tmp/'new'/r.id/f).read_bytes() == (tmp/'ref'/r.id/f).read_bytes() for r in readings for f, _ in P.READING_FILES.values())
    print(f"  -> write_rows x{c2 / c1:.1f} faster (CPU); files byte-identical to to_csv: {same}")
    assert same
    _, w, c = clock(lambda: [P.raw_gaze(r) for r in readings[:2]]); row('raw gaze (2 readings, 1 kHz)', w, c)

def main(n_images=2000, workers=2, n_parts=200):
    tmp = Path(tempfile.mkdtemp(prefix='bench-phantom-'))
    try:
        whole(tmp, n_images, workers, n_ref=min(n_images, 300))
        parts(tmp, n_parts)
    finally:
        shutil.rmtree(tmp)

if __name__ == '__main__': main(*(int(a) for a in sys.argv[1:4]))
