"""Benchmark and realism check of the phantom radiographs (`gazebook.phantom.anatomy.render_study`).

Times `render_study` at ~512 px (CPU ms per image; the machine may be shared, so CPU time is the steadier figure)
against the previous renderer (phantom v2, loaded from git commit 44cc68f in the same process), and measures both
against the NIH ChestX-ray14 PNGs in ../shared/data/cxr_images/nih (read in place; skipped when absent) with
`image_stats`: power-spectrum slope, gradient energy, intensity histogram distance.

    .venv/bin/python bench/phantom_images.py [n_images]
"""
import glob, importlib.util, subprocess, sys, tempfile, time
from pathlib import Path
import numpy as np
from PIL import Image
from gazebook.phantom import anatomy as A

ROOT = Path(__file__).resolve().parents[1]
OLD_COMMIT = '44cc68f'

def previous_renderer():
    "The phantom v2 anatomy module, from git, or None where git history is unavailable."
    try: src = subprocess.run(['git', '-C', str(ROOT), 'show', f'{OLD_COMMIT}:gazebook/phantom/anatomy.py'],
                              capture_output=True, text=True, check=True).stdout
    except Exception as e: print(f"previous renderer unavailable ({e}); timing the new one only"); return None
    p = Path(tempfile.mkdtemp()) / 'phantom_v2_anatomy.py'
    p.write_text(src.replace('from ..core import get_paths', 'from gazebook.core import get_paths'))
    spec = importlib.util.spec_from_file_location('phantom_v2_anatomy', p); m = importlib.util.module_from_spec(spec)
    sys.modules['phantom_v2_anatomy'] = m; spec.loader.exec_module(m); return m

def cpu_ms(render, studies, reps=2):
    "Best of `reps` CPU times per image (ms)."
    best = []
    for _ in range(reps):
        t = time.process_time(); imgs = [render(s) for s in studies]; best.append((time.process_time() - t) / len(studies) * 1e3)
    return min(best), imgs

def summary(stats):
    return {k: (float(np.mean([s[k] for s in stats])), float(np.std([s[k] for s in stats]))) for k in ('slope', 'gradient_energy', 'mean', 'std')}

def main(n=48):
    old = previous_renderer()
    new_st = A.plan_studies(n, seed=0)
    t_new, new_imgs = cpu_ms(A.render_study, new_st)
    sizes = np.mean([s.width for s in new_st])
    print(f"render_study, {n} images, mean width {sizes:.0f} px")
    print(f"  new (v3)       {t_new:6.1f} ms/image CPU")
    rows = {'phantom v3': [A.image_stats(im) for im in new_imgs[:24]]}
    if old is not None:
        old_st = old.plan_studies(n, seed=0)
        t_old, old_imgs = cpu_ms(old.render_study, old_st)
        t_new2, _ = cpu_ms(A.render_study, new_st)                  # again, after the old one: the machine may drift
        print(f"  previous (v2)  {t_old:6.1f} ms/image CPU   -> v3 / v2 = {min(t_new, t_new2) / t_old:.2f}x")
        rows['phantom v2'] = [A.image_stats(im) for im in old_imgs[:24]]
    nih = sorted(glob.glob(str(ROOT.parent / 'shared' / 'data' / 'cxr_images' / 'nih' / '*.png')))
    if not nih: print("NIH images absent (../shared/data/cxr_images/nih): realism comparison skipped"); return
    real = [A.image_stats(np.asarray(Image.open(p).convert('L'))) for p in nih]
    hr = sum(s['hist'] for s in real)
    print(f"\nimage statistics (256x256, slope over 4-64 cycles/image), mean ± sd; histogram: TV distance to NIH")
    print(f"  {'':12s} {'slope':>14s} {'grad. energy':>14s} {'mean':>12s} {'std':>12s} {'hist. dist.':>11s}")
    for name, S in [(f'NIH (n={len(real)})', real), *rows.items()]:
        m = summary(S); hd = A.histogram_distance(hr, sum(s['hist'] for s in S))
        print(f"  {name:12s} " + ' '.join(f"{m[k][0]:7.2f} ± {m[k][1]:4.2f}" for k in ('slope', 'gradient_energy', 'mean', 'std')) + f" {hd:11.3f}")

if __name__ == '__main__': main(int(sys.argv[1]) if len(sys.argv) > 1 else 48)
