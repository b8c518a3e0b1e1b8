"""Scanpath prediction speed: scanpaths per second at batch 1 and batched, on the CPU (and the GPU where present).

Run: .venv/bin/python bench/scanpath.py [--images 64] [--repeat 3] [--device cpu] [--threads 1] [--mbr 8 16] [--reorder slots nearest] [--models scanpath_micro scanpath_micro_density scanpath_resnet10t_density scanpath_tiny]

Prints, in one run and for each model:
- batch 1: `predict_scanpath` called once per image (resize, forward, decode, canonical fixation table), scanpaths/s
  and milliseconds per scanpath;
- batched: one call on all images (batches of 64), scanpaths/s and the ratio to batch 1;
- sampled: 10 sampled scanpaths per image in one call, scanpaths/s; for density models also with `saccade_sd=0.3`
  (the decoding the experiment chose on validation before MBR was in its grid; one slot after the other, so slower);
- MBR (consensus decoding, `mode='mbr'`): one scanpath per image at batch 1, the consensus of `n_candidates` sampled
  candidates (8 and 16; 16 without saccade_sd was the experiment's choice before reordering; on density models also 16
  with `saccade_sd=0.3`, the slowest setting of the grid), milliseconds per returned scanpath and the ratio to a
  batch-1 deterministic scanpath;
- reordered (`reorder='slots'` / `'nearest'`, `gazebook.scanpath.reorder_path`): one sampled scanpath per image at batch 1
  without and with each reordering (one sample with `'slots'` is the experiment's choice on validation), and MBR of
  the largest `--mbr` with each, milliseconds per scanpath and the ratio to a batch-1 deterministic scanpath
  (reordering 50 fixations: a 50 x 50 assignment or a 50-step chain);
- the reference: the timm backbone's forward alone at batch 1 on the same input (the floor any image model pays),
  images/s and how much of a batch-1 scanpath it is.
Every path is decoded at its full `max_len` (50) fixations (`min_len=max_len`), the slowest case, so untrained
weights give the same work as trained ones. The machine's other load changes absolute numbers; the ratios are
measured side by side.
"""
import argparse, os, time
import numpy as np, torch

p = argparse.ArgumentParser()
p.add_argument('--images', type=int, default=64); p.add_argument('--repeat', type=int, default=3)
p.add_argument('--device', default=None); p.add_argument('--threads', type=int, default=None); p.add_argument('--mbr', type=int, nargs='*', default=[8, 16]); p.add_argument('--reorder', nargs='*', default=['slots', 'nearest']); p.add_argument('--models', nargs='+', default=['scanpath_micro', 'scanpath_micro_density', 'scanpath_resnet10t_density', 'scanpath_tiny'])
args = p.parse_args()
os.environ.setdefault('GAZEBOOK_PROGRESS', '0')

from gazebook.core import best_device, seed_everything
from gazebook.scanpath import create_scanpath_model, predict_scanpath

dev = best_device(args.device)
if args.threads: torch.set_num_threads(args.threads)  # on a shared machine one thread avoids waiting for a busy second core
rng = np.random.default_rng(0)
imgs = [(rng.random((560, 480)) * 255).astype(np.uint8) for _ in range(args.images)]
print(f"{args.images} images of 560x480, device {dev}, torch threads {torch.get_num_threads()}")

def best_time(fn):
    ts = []
    for _ in range(args.repeat):
        if dev.type == 'cuda': torch.cuda.synchronize()
        t = time.perf_counter(); fn()
        if dev.type == 'cuda': torch.cuda.synchronize()
        ts.append(time.perf_counter() - t)
    return min(ts)

for name in args.models:
    seed_everything(0)
    m = create_scanpath_model(name).to(dev).eval()
    L = m.config.max_len
    predict_scanpath(m, imgs[:2], min_len=L)  # warm-up
    one = best_time(lambda: [predict_scanpath(m, im, min_len=L) for im in imgs[:16]]) / 16
    batched = best_time(lambda: predict_scanpath(m, imgs, min_len=L, batch_size=64)) / len(imgs)
    sampled = best_time(lambda: predict_scanpath(m, imgs[:16], n=10, sample=True, seed=0, min_len=L)) / 160
    sacc = (best_time(lambda: predict_scanpath(m, imgs[:16], n=10, sample=True, seed=0, min_len=L, saccade_sd=0.3)) / 160
            if m.config.density_head else None)
    grid = [(k, None) for k in args.mbr] + ([(max(args.mbr), 0.3)] if args.mbr and m.config.density_head else [])
    mbr = {(k, sd): best_time(lambda: [predict_scanpath(m, im, mode='mbr', n_candidates=k, seed=0, min_len=L, saccade_sd=sd) for im in imgs[:16]]) / 16
           for k, sd in grid}
    one_s = {o: best_time(lambda: [predict_scanpath(m, im, sample=True, seed=0, min_len=L, reorder=o) for im in imgs[:16]]) / 16
             for o in [None, *args.reorder]}
    mbr_o = {o: best_time(lambda: [predict_scanpath(m, im, mode='mbr', n_candidates=max(args.mbr), seed=0, min_len=L, reorder=o) for im in imgs[:16]]) / 16
             for o in args.reorder} if args.mbr else {}
    x = torch.randn(1, m.config.in_chans, m.config.img_size, m.config.img_size, device=dev)
    with torch.no_grad(): ref = best_time(lambda: [m.backbone.forward_features(x) for _ in range(16)]) / 16
    assert len(predict_scanpath(m, imgs[0], min_len=L)) == L
    print(f"{name} ({m.config.backbone}, {m.config.img_size} px, {L} slots): "
          f"batch 1 {1 / one:,.1f} scanpaths/s ({one * 1000:.1f} ms each) | batched {1 / batched:,.1f} scanpaths/s "
          f"({one / batched:.1f}x batch 1) | sampled x10 {1 / sampled:,.1f} scanpaths/s | "
          + (f"sampled x10, saccade_sd 0.3: {1 / sacc:,.1f} scanpaths/s ({sacc * 1000:.1f} ms each) | " if sacc else '')
          + ''.join(f"MBR of {k}{f', saccade_sd {sd}' if sd else ''}, batch 1: {t * 1000:.1f} ms per scanpath ({t / one:.1f}x deterministic) | " for (k, sd), t in mbr.items())
          + ''.join(f"sampled{f', reorder {o}' if o else ''}, batch 1: {t * 1000:.1f} ms ({t / one:.2f}x deterministic) | " for o, t in one_s.items())
          + ''.join(f"MBR of {max(args.mbr)}, reorder {o}, batch 1: {t * 1000:.1f} ms ({t / one:.2f}x deterministic) | " for o, t in mbr_o.items())
          + f"reference backbone forward alone {1 / ref:,.1f} images/s (a batch-1 scanpath costs {one / ref:.1f}x that)")
