"""`read_study` speed: seconds per study and per stage on the CPU (or the GPU where present), after the models are loaded.

Run: .venv/bin/python bench/read_study.py [--run RUN_FOLDER | --classifier gazevit_tiny --scanpath scanpath_tiny]
                                          [--images 8] [--repeat 2] [--device cpu] [--threads 1] [--llm]
(`make demo` writes a run folder with small trained models, Gaze2Report included: --run outputs/demo/models --llm.)

Without --run the models are built UNTRAINED from the registries (same architecture and work as trained ones, except
that an untrained classifier puts most of the 21 findings near p = 0.5, so the report stage writes a sentence for
nearly every finding: the slow case). Images: real files from ../shared/data/cxr_images (DICOM, JPEG, NIH PNGs) when
present, else random 1024x1024 arrays. Decoding a file is timed as the `load` stage; the sentence bank and the region
templates are built before timing (they are built once per process).

Prints, per stage (load, classifier, scanpath, regions, report, evidence; llm with --llm), the median wall seconds per
study over the images (best of --repeat runs of each image), the total wall and CPU seconds (process time: all threads;
on a loaded machine the CPU time is the steadier figure), the load average, and the reference measured in the same run:
the classifier's forward pass alone on the same input (the floor any image model pays), with how many times it the whole
study costs.
"""
import argparse, os, time
from pathlib import Path
import numpy as np, torch

p = argparse.ArgumentParser()
p.add_argument('--run', default=None, help='run folder for gazebook.pipeline.load_models')
p.add_argument('--classifier', default='gazevit_tiny'); p.add_argument('--scanpath', default='scanpath_tiny')
p.add_argument('--images', type=int, default=8); p.add_argument('--repeat', type=int, default=2)
p.add_argument('--device', default=None); p.add_argument('--threads', type=int, default=None)
p.add_argument('--llm', action='store_true', help="also the Gaze2Report LLM report (needs reportgen/ in --run)")
args = p.parse_args()
os.environ.setdefault('GAZEBOOK_PROGRESS', '0')

from gazebook.core import best_device, seed_everything
from gazebook.pipeline import StudyModels, load_models, read_study, _bank_cached, _square
from gazebook.regions import default_templates

dev = best_device(args.device)
if args.threads: torch.set_num_threads(args.threads)
seed_everything(0)
if args.run: models = load_models(args.run, str(dev))
else:
    from gazebook.classifier import create_classifier
    from gazebook.scanpath import create_scanpath_model
    models = StudyModels(create_classifier(args.classifier).to(dev).eval(), create_scanpath_model(args.scanpath).to(dev).eval(),
                         trained=False, source=f'untrained {args.classifier} + {args.scanpath}')
src = Path(__file__).resolve().parents[1].parent/'shared'/'data'/'cxr_images'
files = (sorted(src.glob('dicom/*.dcm')) + sorted(src.glob('*.jpg')) + sorted(src.glob('nih/*.png'))) if src.exists() else []
rng = np.random.default_rng(0)
inputs = [str(f) for f in files[:args.images]] or [(rng.random((1024, 1024)) * 255).astype(np.uint8) for _ in range(args.images)]
print(f"{len(inputs)} studies ({'real files from ' + str(src) if files else 'random 1024x1024 arrays'}), device {dev}, "
      f"torch threads {torch.get_num_threads()}, models: {models.source or args.run}")

if args.llm and models.reportgen is None: raise SystemExit("--llm: the run folder has no reportgen/ model")
_bank_cached(); default_templates(); read_study(inputs[0], models, llm=args.llm)   # built once per process; warm-up
rows, cpus = [], []
for x in inputs:
    best, cpu = None, None
    for _ in range(args.repeat):
        c0 = time.process_time(); sr = read_study(x, models, llm=args.llm); c1 = time.process_time() - c0
        if best is None or sum(sr.seconds.values()) < sum(best.values()): best, cpu = dict(sr.seconds), c1
    rows.append(best); cpus.append(cpu)
stages = list(rows[0])
med = {k: float(np.median([r[k] for r in rows])) for k in stages}
total = float(np.median([sum(r.values()) for r in rows]))
c = models.classifier
xin = (_square(np.zeros((64, 64), np.uint8), c.config.img_size) - .5) / .25
xin = (xin.expand(-1, 3, -1, -1) if c.config.in_chans == 3 else xin).to(dev)
with torch.no_grad():
    c(xin); ts = []
    for _ in range(5):
        t = time.perf_counter(); c(xin); ts.append(time.perf_counter() - t)
ref = min(ts)
print('per stage (median s/study): ' + ', '.join(f"{k} {v:.3f}" for k, v in med.items()))
print(f"total {total:.3f} s/study wall ({1 / total:.2f} studies/s), CPU {np.median(cpus):.3f} s/study | reference: classifier "
      f"forward alone {ref * 1000:.1f} ms (a whole study costs {total / ref:.1f}x that) | load average {os.getloadavg()[0]:.1f}")
