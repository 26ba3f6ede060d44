// Flotilla dashboard: live updates and rollout buttons. No framework, no build step.
(() => {
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content;
  const flash = document.getElementById('flash');
  const say = (text, ok) => { flash.textContent = text; flash.className = ok ? 'ok' : ''; };

  // Rollout actions: POST with the session's CSRF token; the server's refusal (403) is shown as it is.
  document.addEventListener('click', async (e) => {
    const button = e.target.closest('button[data-action]');
    if (!button) return;
    e.preventDefault();
    button.disabled = true;
    try {
      const response = await fetch(button.dataset.action, { method: 'POST', headers: { 'X-CSRF-Token': csrf ?? '' }, credentials: 'same-origin' });
      const body = await response.json().catch(() => ({}));
      if (response.ok) say(`${button.textContent}: sent (command ${body.id})`, true);
      else say(`${response.status} ${response.status === 403 ? 'Forbidden' : response.statusText}: ${body.error ?? ''}`, false);
    } finally { button.disabled = false; }
  });

  // Live updates: the stream names what kinds changed; the page refetches itself and swaps <main>.
  const main = document.querySelector('main[data-live]');
  if (!main || !window.EventSource) return;
  let pending = null;
  const refresh = async () => {
    pending = null;
    const response = await fetch(location.href, { headers: { 'X-Fragment': '1' }, credentials: 'same-origin' });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), 'text/html').querySelector('main');
    if (fresh) { main.innerHTML = fresh.innerHTML; document.dispatchEvent(new Event('flotilla:refreshed')); }
  };
  const stream = new EventSource('/api/v1/stream');
  stream.addEventListener('change', () => { if (!pending) pending = setTimeout(refresh, 200); });
})();

// Matrix: a click on a cell opens that bundle's page at this cluster's row (cells carry no links, to stay light).
document.addEventListener('click', (e) => {
  const cell = e.target.closest('#matrix tbody td[data-sync]');
  if (!cell) return;
  const bundle = cell.closest('table').querySelectorAll('thead th.col')[cell.cellIndex - 1]?.dataset.bundle;
  const cluster = cell.parentElement.dataset.cluster;
  if (bundle && cluster) location.href = `/bundles/${bundle.split('/').map(encodeURIComponent).join('/')}?cluster=${encodeURIComponent(cluster)}#focus`;
});
