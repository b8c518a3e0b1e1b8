"""Fuzz the dataset readers: a malformed value in any checked column of any file must give a clear error
(naming the file, the column or row, and the value) or a counted skip with a warning; never a silent `Reading`.

Each example copies a tiny fixture copy (`gazebook.fixtures`), writes one bad value into one cell, loads the copy
with `load_reflacx` / `load_egd` / `load_mimic_eye` and touches every lazy field. The bad values come from
hypothesis strategies that only draw values the column's format forbids (text in numeric columns, an end before
its start, certainties off the scale, pads wider than the screen, ...). The image loader gets truncated and
garbled files.
"""
import itertools, shutil, warnings
from pathlib import Path
import numpy as np, pandas as pd
import pytest
from hypothesis import given, settings, HealthCheck, strategies as st

from gazebook.fixtures import write_reflacx_fixture, write_egd_fixture, write_mimic_eye_fixture
from gazebook.data import load_reflacx, load_egd, load_mimic_eye
from gazebook.images import image_size, load_image

SETTINGS = settings(max_examples=3, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# ---- values no numeric column allows
TEXT = st.one_of(st.sampled_from(['abc', '1,5', '--', 'n/a', '1e', 'inf', '-inf', '0x1F', 'True', '3 px', '½']),
                 st.text(alphabet='abcxyz?!#% ', min_size=1, max_size=6).filter(lambda s: s.strip() not in ('', 'nan', 'inf')))
EMPTY = st.just('')
NEG = st.floats(-1e6, -0.01).map(lambda v: f'{v:.3f}')
FRACTION = st.floats(0.01, 0.99).map(lambda v: f'{v:.2f}')          # 0 < v < 1: not a whole number
def ints(lo, hi): return st.integers(lo, hi).map(str)
_N = itertools.count()

@pytest.fixture(scope='module')
def copies(tmp_path_factory):
    base = tmp_path_factory.mktemp('fuzz_base')
    return dict(reflacx=write_reflacx_fixture(base/'reflacx'), egd=write_egd_fixture(base/'egd'),
                mimic_eye=write_mimic_eye_fixture(base/'mimic_eye'))

def touch(ds):
    "Load every lazy field of every reading."
    for r in ds:
        for f in ('fixations', 'gaze', 'findings', 'chest_box', 'words', 'sentences', 'transcription', 'report'): getattr(r, f)

def set_cell(path:Path, row, col, value):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert col in df.columns, (path, col)
    df.loc[row, col] = value; df.to_csv(path, index=False)
    return df

def outcome(load, root, file, col, value):
    "Load the edited copy: 'error' (with the checks on its message), 'skipped', or fail because the value passed silently."
    try:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter('always')
            ds = load(root); touch(ds)
    except (ValueError, KeyError) as e:
        msg = str(e)
        assert Path(file).name in msg, f"error does not name the file {file}: {msg}"
        assert repr(col) in msg or col in msg or 'row' in msg or 'phrase' in msg, f"error names neither column nor row: {msg}"
        return 'error'
    assert ds.skipped, f"{file} column {col!r} = {value!r} passed silently: {len(ds)} readings, notes {dict(ds.notes)}"
    assert any('skipped' in str(m.message) for m in w), "a skip without its warning"
    return 'skipped'

# ---- REFLACX
def reflacx_targets(root:Path):
    m1 = pd.read_csv(root/'main_data/metadata_phase_1.csv'); rid = m1.id[0]
    main, gz = f'main_data/{rid}/', f'gaze_data/{rid}/'
    nfix = len(pd.read_csv(root/main/'fixations.csv'))
    return rid, [
        ('main_data/metadata_phase_1.csv', ints(0, 1), 'Atelectasis', st.one_of(TEXT, EMPTY, ints(6, 999), ints(-99, -1), FRACTION)),
        ('main_data/metadata_phase_1.csv', ints(0, 1), 'image_size_x', st.one_of(TEXT, EMPTY, ints(-99, 0), FRACTION, ints(1, 5000))),
        ('main_data/metadata_phase_1.csv', ints(0, 1), 'eye_tracking_data_discarded', st.one_of(TEXT.filter(lambda s: s.lower() != 'true'), ints(2, 9))),
        ('main_data/metadata_phase_1.csv', ints(0, 1), 'split', st.sampled_from(['val', 'training', 'TEST', '', 'x'])),
        ('main_data/metadata_phase_1.csv', ints(0, 1), 'Support devices', st.one_of(TEXT.filter(lambda s: s.lower() != 'true'), ints(6, 99))),
        ('main_data/metadata_phase_1.csv', ints(0, 1), 'dicom_id', st.one_of(TEXT, EMPTY)),
        ('main_data/metadata_phase_1.csv', ints(0, 1), 'subject_id', st.one_of(TEXT, EMPTY, ints(0, 9999999), FRACTION)),
        (main + 'fixations.csv', ints(0, nfix - 1), 'x_position', TEXT),
        (main + 'fixations.csv', ints(0, nfix - 1), 'timestamp_start_fixation', st.one_of(TEXT, EMPTY)),
        (main + 'fixations.csv', ints(0, nfix - 1), 'timestamp_end_fixation', st.one_of(TEXT, EMPTY, NEG)),
        (main + 'fixations.csv', ints(0, nfix - 1), 'angular_resolution_y_pixels_per_degree', st.one_of(TEXT, EMPTY, NEG, st.just('0'))),
        (main + 'fixations.csv', ints(0, nfix - 1), 'window_level', st.one_of(TEXT, EMPTY)),
        (gz + 'gaze.csv', ints(1, 59), 'timestamp_sample', st.one_of(TEXT, EMPTY, NEG)),
        (gz + 'gaze.csv', ints(0, 9), 'x_position', TEXT),
        (main + 'anomaly_location_ellipses.csv', ints(0, 1), 'xmin', st.one_of(TEXT, EMPTY, ints(100000, 10**7))),
        (main + 'anomaly_location_ellipses.csv', ints(0, 1), 'ymax', st.one_of(TEXT, EMPTY, ints(-10**6, -1))),
        (main + 'anomaly_location_ellipses.csv', ints(0, 1), 'certainty', st.one_of(TEXT, EMPTY, ints(6, 99), ints(-9, 0), FRACTION)),
        (main + 'anomaly_location_ellipses.csv', ints(0, 1), 'Atelectasis', TEXT.filter(lambda s: s.lower() not in ('true', 'false'))),
        (main + 'chest_bounding_box.csv', st.just('0'), 'xmax', st.one_of(TEXT, EMPTY, ints(-10**6, -1))),
        (main + 'timestamps_transcription.csv', ints(0, 5), 'timestamp_end_word', st.one_of(TEXT, EMPTY, NEG)),
    ]

@pytest.mark.parametrize('i', range(20))
@SETTINGS
@given(data=st.data())
def test_reflacx_bad_values(copies, tmp_path, i, data):
    base = copies['reflacx']; rid, targets = reflacx_targets(base); assert len(targets) == 20
    file, rows, col, values = targets[i]
    row, value = int(data.draw(rows, label='row')), data.draw(values, label='value')
    root = tmp_path/f'r{next(_N)}'; shutil.copytree(base, root)
    set_cell(root/file, row, col, value)
    try: outcome(lambda r: load_reflacx(r, r/'mimic-cxr-jpg'), root, file, col, value)
    finally: shutil.rmtree(root, ignore_errors=True)

def test_reflacx_text_files(copies, tmp_path):
    "Non-UTF-8 transcription.txt and a header-only chest box: errors naming the file."
    base = copies['reflacx']; rid = pd.read_csv(base/'main_data/metadata_phase_1.csv').id[0]
    for name, content in (('transcription.txt', 'pleural \xe9panchement'.encode('latin-1')),
                          ('chest_bounding_box.csv', b'xmin,ymin,xmax,ymax\r\n')):
        root = tmp_path/name; shutil.copytree(base, root); (root/'main_data'/rid/name).write_bytes(content)
        with pytest.raises(ValueError, match=name):
            touch(load_reflacx(root, root/'mimic-cxr-jpg'))

# ---- EGD-CXR
def egd_targets(root:Path):
    ms = pd.read_csv(root/'master_sheet.csv'); did = ms.dicom_id[0]
    fx = pd.read_csv(root/'fixations.csv'); gz = pd.read_csv(root/'eye_gaze.csv')
    frows = np.flatnonzero(fx.DICOM_ID.isin(ms.dicom_id)); grows = np.flatnonzero(gz.DICOM_ID == did)[1:]
    return [
        ('master_sheet.csv', ints(0, 2), 'image_left_pad', st.one_of(TEXT, EMPTY, ints(-99, -1), FRACTION, ints(1920, 10**5))),
        ('master_sheet.csv', ints(0, 2), 'image_bottom_pad', st.one_of(TEXT, EMPTY, ints(1080, 10**5))),
        ('master_sheet.csv', ints(0, 2), 'CHF', st.one_of(TEXT, EMPTY, ints(2, 9), FRACTION)),
        ('master_sheet.csv', ints(0, 2), 'patient_id', st.one_of(TEXT, EMPTY, ints(0, 9999999))),
        ('master_sheet.csv', ints(0, 2), 'edema__chx', st.one_of(TEXT, ints(2, 9), ints(-9, -2), FRACTION)),
        ('fixations.csv', st.sampled_from(frows.tolist()), 'FPOGD', st.one_of(TEXT, EMPTY, NEG)),
        ('fixations.csv', st.sampled_from(frows.tolist()), 'FPOGS', st.one_of(TEXT, EMPTY)),
        ('fixations.csv', st.sampled_from(frows.tolist()), 'FPOGX', st.one_of(TEXT, EMPTY)),
        ('fixations.csv', st.sampled_from(frows.tolist()), 'X_ORIGINAL', st.one_of(TEXT, EMPTY, ints(-10**5, -2), FRACTION, ints(10**4, 10**6))),
        ('fixations.csv', st.sampled_from(frows.tolist()), 'Y_ORIGINAL', st.one_of(TEXT, ints(10**4, 10**6))),
        ('eye_gaze.csv', st.sampled_from(grows.tolist()), 'Time (in secs)', st.one_of(TEXT, EMPTY, NEG)),
        ('eye_gaze.csv', st.sampled_from(grows.tolist()), 'FPOGY', st.one_of(TEXT, EMPTY)),
        ('bounding_boxes.csv', ints(0, 8), 'x1', st.one_of(TEXT, EMPTY, ints(10**5, 10**7))),
        ('bounding_boxes.csv', ints(0, 8), 'y2', st.one_of(TEXT, EMPTY, ints(-10**6, -1))),
    ]

@pytest.mark.parametrize('i', range(14))
@SETTINGS
@given(data=st.data())
def test_egd_bad_values(copies, tmp_path, i, data):
    base = copies['egd']; targets = egd_targets(base); assert len(targets) == 14
    file, rows, col, values = targets[i]
    row, value = int(data.draw(rows, label='row')), data.draw(values, label='value')
    root = tmp_path/f'e{next(_N)}'; shutil.copytree(base, root)
    set_cell(root/file, row, col, value)
    try: outcome(lambda r: load_egd(r, r/'mimic-cxr-jpg'), root, file, col, value)
    finally: shutil.rmtree(root, ignore_errors=True)

def test_egd_ids_and_json(copies, tmp_path):
    "Duplicate dicom_ids are an error; gaze rows under another id are reported; a bad transcript.json names itself."
    base = copies['egd']; ms = pd.read_csv(base/'master_sheet.csv'); did = ms.dicom_id[0]
    root = tmp_path/'dup'; shutil.copytree(base, root)
    pd.concat([ms, ms.iloc[[2]]]).to_csv(root/'master_sheet.csv', index=False)
    with pytest.raises(ValueError, match="master_sheet.csv: row 3 .*column 'dicom_id'"): load_egd(root, root/'mimic-cxr-jpg')
    root = tmp_path/'other'; shutil.copytree(base, root)
    g = pd.read_csv(root/'eye_gaze.csv', dtype=str); g.loc[g.DICOM_ID == did, 'DICOM_ID'] = did[:-2] + 'zz'; g.to_csv(root/'eye_gaze.csv', index=False)
    with pytest.warns(UserWarning, match='eye_gaze.csv that match no image'):
        ds = load_egd(root, root/'mimic-cxr-jpg')
    assert ds[did].gaze is None and ds.notes['no eye_gaze.csv rows for this dicom_id (gaze=None)'] == 1
    for content in (b'{"full_text": "\xe9", "time_stamped_text": []}', b'{"full_text": "x"', b'[1, 2]',
                    b'{"full_text": "x", "time_stamped_text": [{"phrase": "a", "begin_time": "x", "end_time": 1}]}'):
        root = tmp_path/f'j{next(_N)}'; shutil.copytree(base, root)
        (root/'audio_segmentation_transcripts'/did/'transcript.json').write_bytes(content)
        with pytest.raises(ValueError, match='transcript.json'): touch(load_egd(root, root/'mimic-cxr-jpg'))

# ---- MIMIC-Eye
def mimic_targets(root:Path):
    pats = sorted(p.name for p in root.iterdir())
    rf = next(p for p in pats if (root/p/'REFLACX').exists()); eg = next(p for p in pats if (root/p/'EyeGaze').exists())
    rid = pd.read_csv(root/rf/'REFLACX/metadata.csv').id[0]
    return [
        (f'{rf}/REFLACX/metadata.csv', st.just('0'), 'Atelectasis', st.one_of(TEXT, EMPTY, ints(6, 99), FRACTION)),
        (f'{rf}/REFLACX/metadata.csv', st.just('0'), 'eye_tracking_data_discarded', st.sampled_from(['maybe', '2', 'yes?'])),
        (f'{rf}/REFLACX/main_data/{rid}/fixations.csv', ints(0, 5), 'timestamp_end_fixation', st.one_of(TEXT, NEG)),
        (f'{rf}/REFLACX/gaze_data/{rid}/gaze.csv', ints(1, 59), 'timestamp_sample', st.one_of(TEXT, NEG)),
        (f'{rf}/CXR-JPG/cxr_chexpert.csv', st.just('0'), 'Edema', st.one_of(TEXT, ints(2, 9), FRACTION)),
        (f'{eg}/EyeGaze/master_sheet.csv', st.just('0'), 'image_top_pad', st.one_of(TEXT, EMPTY, ints(-9, -1), ints(1080, 9999))),
        (f'{eg}/EyeGaze/fixations.csv', ints(0, 9), 'X_ORIGINAL', st.one_of(TEXT, ints(10**4, 10**6), ints(-99, -2))),
        (f'{eg}/EyeGaze/eye_gaze.csv', ints(1, 30), 'Time (in secs)', st.one_of(TEXT, NEG)),
    ]

@pytest.mark.parametrize('i', range(8))
@SETTINGS
@given(data=st.data())
def test_mimic_eye_bad_values(copies, tmp_path, i, data):
    base = copies['mimic_eye']; targets = mimic_targets(base); assert len(targets) == 8
    file, rows, col, values = targets[i]
    row, value = int(data.draw(rows, label='row')), data.draw(values, label='value')
    root = tmp_path/f'm{next(_N)}'; shutil.copytree(base, root)
    set_cell(root/file, row, col, value)
    try: outcome(load_mimic_eye, root, file, col, value)
    finally: shutil.rmtree(root, ignore_errors=True)

def test_mimic_eye_truncated_image(copies, tmp_path):
    "One policy: a truncated image is a counted skip in MIMIC-Eye as in EGD-CXR, never an abort."
    root = tmp_path/'m'; shutil.copytree(copies['mimic_eye'], root)
    jpg = sorted(root.rglob('*.jpg'))[0]; jpg.write_bytes(jpg.read_bytes()[:50])
    with pytest.warns(UserWarning, match='unreadable image'):
        ds = load_mimic_eye(root)
    assert ds.skipped['unreadable image'] >= 1 and len(ds) == 5 - ds.skipped['unreadable image']
    root = tmp_path/'e'; shutil.copytree(copies['egd'], root)
    jpg = sorted((root/'mimic-cxr-jpg').rglob('*.jpg'))[0]; jpg.write_bytes(jpg.read_bytes()[:50])
    with pytest.warns(UserWarning, match='unreadable image'):
        assert load_egd(root, root/'mimic-cxr-jpg').skipped['unreadable image'] == 1

# ---- the image loader
@settings(SETTINGS, max_examples=40)
@given(kind=st.sampled_from(['jpg', 'png']), frac=st.floats(0, 0.995), garble=st.booleans())
def test_image_loader_bad_files(tmp_path, kind, frac, garble):
    "A truncated or garbled image: a ValueError naming the file, or (cut only after the pixel data) the right size."
    from PIL import Image
    p = tmp_path/f'x.{kind}'
    Image.fromarray((np.arange(48*40).reshape(48, 40) % 251).astype(np.uint8)).save(p)
    b = p.read_bytes(); n = int(len(b)*frac)
    bad = tmp_path/f'bad.{kind}'
    bad.write_bytes(b[:n] if not garble else b[:n] + bytes(range(256))[:max(1, len(b) - n)][::-1])
    for fn in (image_size, lambda q: load_image(q).shape):
        try: got = fn(bad)
        except ValueError as e:
            assert 'bad.' + kind in str(e), str(e)
            continue
        assert tuple(got) == (48, 40), f"{bad} ({n} of {len(b)} bytes, garbled={garble}) read as {got}"
