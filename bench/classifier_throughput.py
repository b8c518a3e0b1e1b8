"""Training throughput of the gaze classifier, and what precomputing the dataset buys.

Run: .venv/bin/python bench/classifier_throughput.py [--images 60] [--steps 6] [--device cpu]

Prints, in one run:
- data throughput (items/s) of the precomputed `GazeDataset` vs the straightforward reference that decodes the
  image and renders the heatmap for every item at every epoch (`OnTheFly` below), and their ratio;
- training throughput (images/s: forward, all losses, backward, AdamW step) of `gazevit_micro` at 64 px and
  `gazevit_tiny` at 128 px on the precomputed data;
- the same training through the library's loop `gazebook.train.fit` (accelerate, per-step curriculum, normalised
  gaze loss, logging; about `--steps` steps, evaluation excluded) against that bare loop: the loop's overhead as a ratio.
"""
import argparse, os, tempfile, time
from pathlib import Path
import numpy as np, torch

p = argparse.ArgumentParser()
p.add_argument('--images', type=int, default=60); p.add_argument('--steps', type=int, default=6)
p.add_argument('--batch', type=int, default=32); p.add_argument('--device', default=None)
args = p.parse_args()
tmp = Path(tempfile.mkdtemp(prefix='gb-bench-'))
os.environ.update(GAZEBOOK_CACHE=str(tmp/'cache'), GAZEBOOK_PROGRESS='0')

from gazebook.core import best_device, seed_everything
from gazebook.phantom import make_phantom
from gazebook.data import load_reflacx
from gazebook.heatmaps import fixation_heatmap
from gazebook.classifier import create_classifier, classifier_loss
from gazebook.train import GazeDataset, reading_arrays, fit, TrainConfig

rs = [r for r in load_reflacx(make_phantom(tmp/'phantom', n_images=args.images, seed=0, image_size=512))]
labels = ['normal', 'lung_opacity', 'pleural_abnormality']
dev = best_device(args.device)
print(f"{len(rs)} phantom readings (512 px), device {dev}, torch threads {torch.get_num_threads()}")

class OnTheFly(torch.utils.data.Dataset):
    "Reference: decode + resize the image and render the heatmap for every item, every time."
    def __init__(self, rs, size, grid): self.rs, self.size, self.grid = rs, size, grid
    def __len__(self): return len(self.rs)
    def __getitem__(self, i):
        from gazebook.images import load_image
        r = self.rs[i]
        im = load_image(r.image_path, size=(self.size, self.size), cache=False)
        hm = fixation_heatmap(r.fixations, r.image_size, self.grid, empty='zeros')
        return dict(image=(torch.from_numpy(np.asarray(im)).float()[None] / 255 - .5) / .25, heatmap=torch.from_numpy(hm),
                    labels=torch.tensor([np.nan if r.targets.get(l) is None else float(r.targets[l]) for l in labels]))

def epoch_rate(ds):
    dl = torch.utils.data.DataLoader(ds, args.batch, shuffle=True)
    t = time.perf_counter(); n = sum(len(b['image']) for b in dl); return n / (time.perf_counter() - t)

size, grid = 128, (8, 8)
ref = epoch_rate(OnTheFly(rs, size, grid))
t = time.perf_counter(); a = reading_arrays(rs, labels, size, grid, cache=False); t_pre = time.perf_counter() - t
ours = epoch_rate(GazeDataset(a, grid, size, text_encoder=None))
print(f"data: on-the-fly reference {ref:,.0f} items/s | precomputed {ours:,.0f} items/s | ratio {ours / ref:,.0f}x "
      f"(one-off precompute {t_pre:.1f} s = {len(rs) / t_pre:,.0f} items/s)")

for name, sz, depth in (('gazevit_micro', 64, 2), ('gazevit_tiny', 128, 4)):
    seed_everything(0)
    m = create_classifier(name, labels=labels, img_size=sz, depth=depth, text_encoder=None).to(dev).train()
    a = reading_arrays(rs, labels, sz, m.grid, cache=False)
    dl = torch.utils.data.DataLoader(GazeDataset(a, m.grid, sz, text_encoder=None), args.batch, shuffle=True, drop_last=True)
    opt = torch.optim.AdamW(m.parameters(), 1e-3)
    def steps(k):
        n, it = 0, iter(dl)
        for _ in range(k):
            try: b = next(it)
            except StopIteration: it = iter(dl); b = next(it)
            b = {k: v.to(dev) for k, v in b.items()}
            loss, _ = classifier_loss(m, m(b['image']), b, 1.0, None, 0.0, 0.5)
            opt.zero_grad(); loss.backward(); opt.step(); n += len(b['image'])
        if dev.type == 'cuda': torch.cuda.synchronize()
        return n
    steps(1)  # warm-up
    t = time.perf_counter(); n = steps(args.steps); dt = time.perf_counter() - t
    print(f"train {name} @ {sz}px, depth {depth}, batch {args.batch}: {n / dt:,.1f} images/s")

    if name == 'gazevit_micro':   # the library loop on the same model size, data and batch
        ds = GazeDataset(a, m.grid, sz, text_encoder=None)
        seed_everything(0)
        m2 = create_classifier(name, labels=labels, img_size=sz, depth=depth, text_encoder=None)
        cfg = TrainConfig(epochs=max(1, round(args.steps * args.batch / len(ds))), batch_size=args.batch, lr=1e-3, device=args.device, text_weight=0, seg_weight=0.5,
                          checkpoint=False, gaze_warmup=0)
        r = fit(m2, ds, ds, cfg, None, log=lambda *a: None)
        print(f"train {name} through gazebook.train.fit: {r['images_per_s']:,.1f} images/s = "
              f"{r['images_per_s'] / (n / dt):.2f}x the bare loop")
