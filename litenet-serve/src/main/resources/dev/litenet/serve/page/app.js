// The page: a photo goes to POST /v1/predict?top=5 as the 'file' field of a form; the answer is drawn as bars.
// The "why?" toggle sends it to POST /v1/explain and shows the Grad-CAM overlay (a PNG) in place of the photo.
'use strict';
// (top and status would clash with window.top and window.status, hence topList and statusLine)
const drop = document.getElementById('drop');
const input = document.getElementById('file');
const preview = document.getElementById('preview');
const hint = document.getElementById('hint');
const statusLine = document.getElementById('status');
const topList = document.getElementById('top');
const why = document.getElementById('why');
let current = null;                      // the photo shown: { file, photoUrl, overlayUrl }

fetch('healthz').then(r => r.json()).then(h => { document.getElementById('model').textContent = h.model; }).catch(() => {});

why.addEventListener('click', toggleWhy);
input.addEventListener('change', () => { if (input.files.length) classify(input.files[0]); });
drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', e => {
  e.preventDefault();
  drop.classList.remove('over');
  if (e.dataTransfer.files.length) classify(e.dataTransfer.files[0]);
});

async function classify(file) {
  if (current) {
    URL.revokeObjectURL(current.photoUrl);
    if (current.overlayUrl) URL.revokeObjectURL(current.overlayUrl);
  }
  current = { file, photoUrl: URL.createObjectURL(file), overlayUrl: null };
  const mine = current;
  setWhy(false);
  why.hidden = true;
  preview.src = current.photoUrl;
  preview.hidden = false;
  hint.hidden = true;
  topList.replaceChildren();
  show('Classifying ' + file.name + '…', false);
  const form = new FormData();
  form.append('file', file);
  try {
    const response = await fetch('v1/predict?top=5', { method: 'POST', body: form });
    const answer = await response.json();
    if (mine !== current) return;
    if (!response.ok) { show(answer.error || ('error ' + response.status), true); return; }
    topList.replaceChildren(...answer.top.map(row));
    show(file.name + ' · ' + answer.ms.toFixed(1) + ' ms', false);
    why.hidden = false;
  } catch (e) {
    show('No answer from the server: ' + e.message, true);
  }
}

async function toggleWhy() {
  const mine = current;
  if (!mine) return;
  if (why.getAttribute('aria-pressed') === 'true') {
    setWhy(false);
    preview.src = mine.photoUrl;
    show(mine.file.name, false);
    return;
  }
  if (!mine.overlayUrl) {
    why.disabled = true;
    show('Explaining ' + mine.file.name + '…', false);
    const form = new FormData();
    form.append('file', mine.file);
    try {
      const response = await fetch('v1/explain', { method: 'POST', body: form });
      if (!response.ok) {
        const answer = await response.json().catch(() => ({}));
        if (mine === current) show(answer.error || ('error ' + response.status), true);
        return;
      }
      const url = URL.createObjectURL(await response.blob());
      if (mine !== current) { URL.revokeObjectURL(url); return; }
      mine.overlayUrl = url;
    } catch (e) {
      if (mine === current) show('No answer from the server: ' + e.message, true);
      return;
    } finally {
      why.disabled = false;
    }
  }
  preview.src = mine.overlayUrl;
  setWhy(true);
  show('Grad-CAM: brighter where the photo raised the score of the top class', false);
}

function setWhy(on) { why.setAttribute('aria-pressed', on ? 'true' : 'false'); }

function row(p) {
  const li = document.createElement('li');
  const label = document.createElement('span');
  label.className = 'label';
  label.textContent = p.label;
  const prob = document.createElement('span');
  prob.className = 'prob';
  prob.textContent = (100 * p.prob).toFixed(1) + ' %';
  const bar = document.createElement('div');
  bar.className = 'bar';
  const fill = document.createElement('div');
  fill.style.width = (100 * p.prob).toFixed(1) + '%';
  bar.append(fill);
  li.append(label, prob, bar);
  return li;
}

function show(text, isError) {
  statusLine.textContent = text;
  statusLine.classList.toggle('error', isError);
}
