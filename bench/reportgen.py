"""Report generation speed: LoRA training steps/s and generated reports/s of gazebook.reportgen on the real
SmolLM2-135M (CPU, and the GPU where one is present), against plain transformers generation of the same prompts
(the frozen model, `generate(input_ids=...)`) as the reference, measured in this run; our generation also with the
LoRA weights merged into the frozen layers (peft's `merge_adapter`), which saves the adapter's kernels on every token.

Rates on the CPU are per CPU-second of the (single-threaded) process. Also the latency of one report on the CPU, as wall and CPU seconds, at the median length of an IU X-ray training report
in tokens (greedy with the KV cache: the CPU default; beam 3 for comparison); the aim
is under 1.5 s. Quote the load (printed) beside the figures: on a shared machine memory bandwidth is contended.
Settings by environment: GAZEBOOK_BENCH_STEPS (training steps, default 4), GAZEBOOK_BENCH_N (reports, default 16),
GAZEBOOK_BENCH_LLM (default smollm2-135m; smollm2-tiny-random checks the script in seconds),
GAZEBOOK_BENCH_MODEL (a trained label-conditioned model folder, e.g. outputs/iu_labels2report_full/model: the
one-report latency of plain greedy `generate` against retrieval-drafted speculative decoding
(`gazebook.speculative`, drafter built from the IU X-ray train reports) over GAZEBOOK_BENCH_ONE (default 16) IU
validation finding lists, each report as long as the model writes it, with the decoding the run chose on validation;
with float32 weights, and with bfloat16 weights where the CPU computes bf16 natively).
"""
import os, time, json
import numpy as np
from pathlib import Path
import torch
from gazebook.core import best_device
from gazebook.llm import load_llm
from gazebook.reportgen import create_reportgen, collate_reports, _inputs, LABELS_INSTRUCTION
from gazebook.train import LoopConfig

STEPS, N, MAX_NEW, BATCH = int(os.environ.get('GAZEBOOK_BENCH_STEPS', 4)), int(os.environ.get('GAZEBOOK_BENCH_N', 16)), 40, 8
LLM = os.environ.get('GAZEBOOK_BENCH_LLM', 'smollm2-135m')


def items(n):
    ann = Path(__file__).resolve().parents[2]/'shared'/'data'/'iu_xray'/'annotation.json'
    if ann.exists():
        from gazebook.reportgen import iu_label_items
        from gazebook.reports import load_iu_xray_annotation
        return iu_label_items(load_iu_xray_annotation(ann), 'train', n)
    rep = 'the heart is normal in size . the mediastinum is unremarkable . the lungs are clear .'
    return [dict(condition='positive: no finding', report=rep)] * n


def speculative_rows(folder):
    "One report at a time with the trained model: plain greedy generate (reference) vs speculative decoding, same run."
    from gazebook.reportgen import ReportGenerator, iu_label_items
    from gazebook.reports import load_iu_xray_annotation
    from gazebook.speculative import drafter_for, speculative_reports
    ann = load_iu_xray_annotation(Path(__file__).resolve().parents[2]/'shared'/'data'/'iu_xray'/'annotation.json')
    m = ReportGenerator.from_pretrained(folder, device='cpu')
    met = folder.parent/'metrics.json'
    dec = dict(num_beams=1) | (json.loads(met.read_text())['info'].get('decoding', {}) if met.exists() else {})
    drafter = drafter_for(m, list(ann.report[ann.split == 'train']))
    va = iu_label_items(ann, 'val', int(os.environ.get('GAZEBOOK_BENCH_ONE', 16)), seed=1)
    models = {'float32': m}
    try: bf16 = torch.ops.mkldnn._is_mkldnn_bf16_supported()  # oneDNN's own check (a private torch API, hence the guard)
    except (AttributeError, RuntimeError): bf16 = False
    if bf16:  # a CPU with native bf16 (AVX-512 BF16 / AMX): half the weight traffic per pass
        models['bfloat16'] = ReportGenerator.from_pretrained(folder, device='cpu', llm_dtype='bfloat16')
    rows, texts = {}, {}
    for dt, mm in models.items():
        mm.generate(condition=[va[0]['condition']], **(dec | dict(max_new_tokens=4)))  # warm up
        st = []
        for name, fn in [('plain greedy generate', lambda c: mm.generate(condition=[c], **dec)[0]),
                         ('speculative greedy', lambda c: speculative_reports(mm, drafter, condition=[c], stats=st, **dec)[0])]:
            t, c = time.perf_counter(), time.process_time()
            texts[(dt, name)] = [fn(it['condition']) for it in va]
            rows[f"{name}, {dt} weights, trained IU model, mean of {len(va)}"] = ((time.perf_counter() - t) / len(va), (time.process_time() - c) / len(va), None)
        same = sum(a == b for a, b in zip(texts[(dt, 'plain greedy generate')], texts[(dt, 'speculative greedy')]))
        print(f"speculative, {dt}: {same} of {len(va)} reports identical to plain greedy ({dt}); {np.mean([s['tokens'] / s['passes'] for s in st]):.2f} tokens per LLM pass, "
              f"{np.mean([s['tokens'] for s in st]):.1f} new tokens per report")
    if 'bfloat16' in models:  # bf16 rounds differently for a 1-token and a 9-token pass, so its two decodings need not agree
        ref = texts[('float32', 'plain greedy generate')]
        for name in ('plain greedy generate', 'speculative greedy'):
            same32 = sum(a == b for a, b in zip(ref, texts[('bfloat16', name)]))
            k32 = f"plain greedy generate, float32 weights, trained IU model, mean of {len(va)}"
            k16 = f"{name}, bfloat16 weights, trained IU model, mean of {len(va)}"
            print(f"bfloat16 {name}: {same32} of {len(va)} reports identical to float32 plain greedy; "
                  f"speed-up over float32 plain greedy: {rows[k32][1] / rows[k16][1]:.2f}x CPU, {rows[k32][0] / rows[k16][0]:.2f}x wall")
    print(f"drafter: {len(drafter)} contexts from {int((ann.split == 'train').sum())} train reports; decoding {dec}")
    return rows


def bench(device):
    # on the CPU (one thread) rates use CPU time, which the other processes of a shared machine do not inflate; wall on a GPU
    clock = time.process_time if device.type == 'cpu' else time.perf_counter
    llm, tok = load_llm(LLM, device='cpu', log=None)
    m = create_reportgen('labels2report', device=device, llm_model=llm, tokenizer=tok, llm=LLM)
    its = items(max(N, BATCH))
    # training steps/s (forward + backward + AdamW on the LoRA weights)
    opt = torch.optim.AdamW([p for p in m.parameters() if p.requires_grad], lr=1e-4)
    m.train(); b = collate_reports(its[:BATCH])
    amp = torch.autocast('cuda', dtype=torch.bfloat16, enabled=device.type == 'cuda')
    for i in range(STEPS + 1):
        if i == 1: t = clock()  # the first step warms up
        with amp: loss = m(report=b['report'], **_inputs(b)).loss
        loss.backward(); opt.step(); opt.zero_grad()
    if device.type == 'cuda': torch.cuda.synchronize()
    steps_s = STEPS / (clock() - t)
    # generated reports/s, batched (greedy, MAX_NEW new tokens at most), against plain transformers generation
    dec = dict(num_beams=1, max_new_tokens=MAX_NEW, min_new_tokens=MAX_NEW, repetition_penalty=1.0, length_penalty=1.0)
    gi = its[:N]
    warm = dict(max_new_tokens=4, min_new_tokens=4)  # each side generates once untimed first (GPU kernels load on first use)
    def ours_rate():  # our generated reports per second over gi, after one untimed generation
        m.generate(**_inputs(collate_reports(gi[:BATCH])), **(dec | warm))
        t = clock()
        for s in range(0, N, BATCH): m.generate(**_inputs(collate_reports(gi[s:s + BATCH])), **dec)
        if device.type == 'cuda': torch.cuda.synchronize()
        return N / (clock() - t)
    ours = ours_rate()
    # the same with the LoRA weights merged into the frozen layers (no adapter kernels per token), unmerged after
    m.llm.merge_adapter(); merged = ours_rate(); m.llm.unmerge_adapter()
    base = m.llm.get_base_model()
    tok.padding_side = 'left'
    prompts = [f"{LABELS_INSTRUCTION}\n{it['condition']}\nFindings:" for it in gi]
    with m.llm.disable_adapter(), torch.no_grad(), amp:
        enc = tok(prompts[:BATCH], return_tensors='pt', padding=True).to(device)
        base.generate(**enc, do_sample=False, pad_token_id=tok.pad_token_id, **warm)
        t = clock()
        for s in range(0, N, BATCH):
            enc = tok(prompts[s:s + BATCH], return_tensors='pt', padding=True).to(device)
            base.generate(**enc, do_sample=False, max_new_tokens=MAX_NEW, min_new_tokens=MAX_NEW, pad_token_id=tok.pad_token_id)
        if device.type == 'cuda': torch.cuda.synchronize()
    ref = N / (clock() - t)
    one = {}
    if device.type == 'cpu':
        n_tok = int(np.median([len(tok(' ' + it['report']).input_ids) + 1 for it in its]))
        x = _inputs(collate_reports(gi[:1]))
        for name, kw in [('float32, greedy', {}), ('float32, beam 3', dict(num_beams=3))]:
            d = dict(num_beams=1, max_new_tokens=n_tok, min_new_tokens=n_tok, repetition_penalty=1.0) | kw
            m.generate(**x, **(d | dict(max_new_tokens=4, min_new_tokens=4)))
            t, c = time.perf_counter(), time.process_time()
            m.generate(**x, **d)
            one[name] = (time.perf_counter() - t, time.process_time() - c, n_tok)
    if device.type == 'cpu' and os.environ.get('GAZEBOOK_BENCH_MODEL'): one |= speculative_rows(Path(os.environ['GAZEBOOK_BENCH_MODEL']))
    return dict(device=str(device), train_steps_per_s=steps_s, batch=BATCH, reports_per_s=ours, reference_reports_per_s=ref,
                ratio=ours / ref, merged_reports_per_s=merged, one_report=one)


if __name__ == '__main__':
    import argparse
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--device', choices=['all', 'cpu', 'cuda'], default='all',
                    help="where to measure: 'all' (the CPU, and the GPU where one is present), 'cpu' or 'cuda'")
    a = ap.parse_args()
    if a.device == 'cuda' and not torch.cuda.is_available(): ap.error('--device cuda: no GPU is present here')
    devs = ([torch.device('cpu')] if a.device in ('all', 'cpu') else []) + \
           ([best_device('cuda')] if a.device in ('all', 'cuda') and torch.cuda.is_available() else [])
    for d in devs:
        r = bench(d); u = 'CPU-s' if d.type == 'cpu' else 's'
        print(f"[{r['device']}] {LLM}: LoRA training: {r['train_steps_per_s']:.3f} steps/{u} (batch {r['batch']}); "
              f"generation: {r['reports_per_s']:.2f} reports/{u} vs plain transformers {r['reference_reports_per_s']:.2f} "
              f"(ratio {r['ratio']:.2f}, {MAX_NEW} new tokens each, batch {BATCH}); with the LoRA weights merged: "
              f"{r['merged_reports_per_s']:.2f} reports/{u} (ratio {r['merged_reports_per_s'] / r['reference_reports_per_s']:.2f})")
        for k, (w, c, n) in r['one_report'].items():
            if 'trained IU model' in k:
                print(f"[{r['device']}] one report ({k}): {w:.2f} s wall, {c:.2f} s CPU ({'under' if w < 1.5 else 'over'} the 1.5 s aim)"); continue
            print(f"[{r['device']}] one report ({k}, {n} new tokens = the median IU X-ray report): {w:.2f} s wall, {c:.2f} s CPU "
                  f"({'under' if w < 1.5 else 'over'} the 1.5 s aim)")
    print('load average during the run (1, 5, 15 min):', ', '.join(f'{x:.1f}' for x in os.getloadavg()), f'on {os.cpu_count()} CPUs')
    if a.device != 'cpu' and not torch.cuda.is_available(): print("no GPU here: GPU figures not measured")
