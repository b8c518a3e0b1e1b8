"""Reader speed: `load_reflacx` on a few hundred fixture readings (metadata only, everything else lazy), then
reading every fixation file through the readings, each against a straightforward eager reader measured in the
same run. Run: .venv/bin/python bench/data.py [n_readings]"""
import sys, time, tempfile, shutil, warnings
from pathlib import Path
import pandas as pd
from gazebook.fixtures import write_reflacx_fixture
from gazebook.data import load_reflacx

def timeit(fn, reps=3):
    best = float('inf')
    for _ in range(reps):
        t = time.perf_counter(); out = fn(); best = min(best, time.perf_counter() - t)
    return best, out

def eager(root):
    "Reference: read every metadata table and, per reading, every file, up front."
    md = root/'main_data'; out = []
    for ph in (1, 2, 3):
        for row in pd.read_csv(md/f'metadata_phase_{ph}.csv').to_dict('records'):
            d = md/row['id']
            fx = d/'fixations.csv'   # discarded readings keep boxes and labels but have no fixations
            out.append(dict(row=row, fx=pd.read_csv(fx) if fx.exists() else None,
                            ell=pd.read_csv(d/'anomaly_location_ellipses.csv'), box=pd.read_csv(d/'chest_bounding_box.csv'),
                            words=pd.read_csv(d/'timestamps_transcription.csv') if (d/'timestamps_transcription.csv').exists() else None))
    return out

if __name__ == '__main__':
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    tmp = Path(tempfile.mkdtemp())
    try:
        t = time.perf_counter(); root = write_reflacx_fixture(tmp/'reflacx', n=n)
        print(f"wrote {n} REFLACX fixture readings in {time.perf_counter()-t:.1f} s")
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            t_lazy, ds = timeit(lambda: load_reflacx(root, mimic_cxr_root=root/'mimic-cxr-jpg'))
            t_eager, ref = timeit(lambda: eager(root))
            print(f"load_reflacx (metadata, lazy):  {t_lazy*1e3:8.1f} ms  {len(ds)/t_lazy:9.0f} readings/s")
            print(f"eager reference (all files):    {t_eager*1e3:8.1f} ms  {len(ref)/t_eager:9.0f} readings/s"
                  f"   -> lazy load is {t_eager/t_lazy:.1f}x faster")
            def all_fix():
                d = load_reflacx(root, mimic_cxr_root=root/'mimic-cxr-jpg'); return sum(len(r.fixations) for r in d if r.fixations is not None)
            t_fx, nfx = timeit(all_fix)
            t_ref, nref = timeit(lambda: sum(len(pd.read_csv(root/'main_data'/i/'fixations.csv')) for i in ds.ids if (root/'main_data'/i/'fixations.csv').exists()))
            assert nfx == nref
            print(f"load + every fixations.csv:     {t_fx*1e3:8.1f} ms  {nfx/t_fx:9.0f} fixations/s")
            print(f"plain pd.read_csv loop:         {t_ref*1e3:8.1f} ms  {nref/t_ref:9.0f} fixations/s"
                  f"   -> ratio reader/plain {t_fx/t_ref:.2f}")
    finally: shutil.rmtree(tmp)
