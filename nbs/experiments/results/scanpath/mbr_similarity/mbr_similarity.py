"Validation only (seed-0 model of the reference run, loaded from its folder; 150 validation images, 16 candidates at T=1.0): consensus by the cheap DTW (gazebook.scanpath.consensus_index) vs by MultiMatch mean4 itself vs one plain sample. Run from nbs/experiments."
import time, numpy as np, pandas as pd, torch, os, warnings
warnings.simplefilter('ignore')
os.environ['GAZEBOOK_PROGRESS']='0'; torch.set_num_threads(1)
from gazebook.phantom import phantom_root
from gazebook.data import load_reflacx
from gazebook.train import split_readings
from gazebook.scanpath import create_scanpath_model, decode, consensus_index, ScanpathOutput, _prep_image, fixation_table
from gazebook.scanpath_eval import evaluate_methods, per_image
from gazebook import metrics as M
readings = list(load_reflacx(phantom_root(n_images=1000, seed=0)))
splits, _ = split_readings(readings, seed=0)
val = splits['validate']; first = {}
for r in val: first.setdefault(r.dicom_id or r.id, r)
firsts = list(first.values())
m = create_scanpath_model('/tmp/sp/run_r10/seed-0').eval(); c = m.config
K = 16
x = torch.stack([_prep_image(r.image(size=(c.img_size, c.img_size)), c.img_size, c.in_chans) for r in firsts])
with torch.no_grad(): o = m(x)
rep = lambda t: t.repeat_interleave(K, 0)
big = ScanpathOutput(rep(o.token_logits), rep(o.mu), rep(o.logvar), rep(o.density_logits), o.grid)
cands = decode(big, True, torch.Generator().manual_seed(0), min_duration=c.min_duration, temperature=1.0)
P = {'sample': {}, 'mbr_dtw': {}, 'mbr_mm': {}}
t_mm = 0
for i, r in enumerate(firsts):
    cs = cands[i*K:(i+1)*K]; hw = tuple(r.image_size)
    P['sample'][r.id] = cs[0]; P['mbr_dtw'][r.id] = cs[consensus_index(cs)]
    t = time.process_time()
    tabs = [fixation_table(p, hw, c.ppd, c.saccade_s) for p in cs]
    S = np.zeros((K, K))
    for a in range(K):
        for b in range(a+1, K):
            if len(tabs[a]) >= 3 and len(tabs[b]) >= 3:
                mm = M.multimatch(tabs[a], tabs[b], hw); S[a, b] = S[b, a] = np.mean([mm[k] for k in ('vector','direction','length','position')])
    P['mbr_mm'][r.id] = cs[int(S.sum(1).argmax())]; t_mm += time.process_time() - t
print(f"MultiMatch-utility MBR: {t_mm / len(firsts) * 1000:.0f} ms CPU per image", flush=True)
byid = {r.id: r for r in firsts}
meths = {k: (lambda r, d=d: fixation_table(d[r.id], tuple(r.image_size), c.ppd, c.saccade_s)) for k, d in P.items()}
pv = per_image(evaluate_methods(meths, val, 50))
print(pv.groupby('method')[['mm_mean4','mm_vector','mm_length','mm_direction','mm_position','cc_gazebook','cc_medgaze','n_pred']].mean().round(4).to_string())
