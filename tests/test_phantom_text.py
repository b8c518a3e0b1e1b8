"""Phantom report language: the bank keeps IU X-ray's test split out, and no report contradicts the reader or the truth."""
import numpy as np, pytest
from gazebook.labeler import label_reports, shared_data_dir
from gazebook.phantom.anatomy import plan_studies
from gazebook.phantom.gaze import make_readers
from gazebook.phantom.text import (IU_XRAY_HELDOUT_IDS, KIND_LABELS, bank_reports, compose_report, report_contradictions,
                                   study_report, _sentences)


def allowed(findings):
    "Labels a report may affirm given these findings."
    return {l for f in findings for l in KIND_LABELS[f['kind']][1]}


def positives(texts):
    lab = label_reports(texts, extra=True).drop(columns=['No Finding', 'Other Abnormality'])
    return [set(lab.columns[(row == 1).to_numpy()]) for _, row in lab.iterrows()]


def test_heldout_ids_out_of_the_bank():
    assert len(IU_XRAY_HELDOUT_IDS) == 886
    assert not bank_reports()['id'].isin(IU_XRAY_HELDOUT_IDS).any()
    ann = shared_data_dir()/'iu_xray'/'annotation.json'
    if ann.exists():
        from gazebook.reports import load_iu_xray_annotation
        a = load_iu_xray_annotation(ann)
        assert set(a.study[a.split != 'train']) == set(IU_XRAY_HELDOUT_IDS)


def test_composed_reports_never_contradict():
    rng, readers = np.random.default_rng(0), make_readers(5, 1)
    R, REP, ST = [], [], []
    for i, s in enumerate(plan_studies(250, seed=4)):
        rep = [(f, 5 if f['kind'] == 'device' else int(rng.integers(1, 6))) for f in s.findings if rng.uniform() < .85]
        R.append(compose_report(s, rep, readers[i % 5], rng)); REP.append(rep); ST.append(s)
    bad = [(r.text, v) for r, v in zip(R, report_contradictions(R, REP, ST)) if v]
    assert not bad, bad[:3]
    for r, p, s in zip(R, positives([r.text for r in R]), ST):
        assert p <= allowed(s.findings), (r.text, p)
    # the check itself can fail: a report that denies what was reported
    assert report_contradictions(["No pleural effusion."], [[(dict(kind='effusion', side='left', severity=.5), 5)]])[0]


def test_cohort_transcriptions_and_study_reports():
    import gazebook.phantom as P
    studies, readings = P.simulate_cohort(40, seed=3)
    texts = [r.transcription for r in readings]
    assert len(set(texts)) > len(texts) // 2  # not a template
    for r, p in zip(readings, positives(texts)):
        st = studies[r.study]
        assert p <= allowed(st.findings), (r.transcription, p, [f['kind'] for f in st.findings])
    rep = [study_report(s) for s in studies]
    body = [t.split('FINDINGS:')[1] for t in rep]
    assert report_contradictions(body, [[(f, 5) for f in s.findings] for s in studies], studies) == [[]] * len(studies)


def test_legacy_sentences():
    s = next(s for s in plan_studies(20, seed=2) if s.findings)
    boxes = [['b%d' % i] for i in range(len(s.findings))]
    out = _sentences(s, [(f, 5, True, b) for f, b in zip(s.findings, boxes)], np.random.default_rng(0))
    assert all(isinstance(t, str) and isinstance(b, list) and b for t, b in out)
    assert any(b in boxes for t, b in out)
