// WCAG 2.2 measurements for tests/browser/wcag.py: loaded into the page, used through window.wcag.
(() => {
const parse = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
  const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
const lum = ({r, g, b}) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
const background = (el) => { const layers = [];
  for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
    if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; } }
  let out = {r: 255, g: 255, b: 255};
  for (let i = layers.length - 1; i >= 0; i--) { const c = layers[i];
    out = {r: c.r * c.a + out.r * (1 - c.a), g: c.g * c.a + out.g * (1 - c.a), b: c.b * c.a + out.b * (1 - c.a)}; }
  return out; };
const hex = ({r, g, b}) => '#' + [r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' +
  (el.getAttribute('aria-label') || el.textContent || el.value || el.name || '').trim().replace(/\s+/g, ' ').slice(0, 40) + '"';
const focusStop = () => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const width = parseFloat(s.outlineWidth) || 0, offset = parseFloat(s.outlineOffset) || 0;
  const ring = parse(s.outlineColor);
  const box = el.getBoundingClientRect();
  const d = offset + width / 2;
  const points = [[box.left + box.width / 2, box.top - d], [box.left + box.width / 2, box.bottom + d],
                  [box.left - d, box.top + box.height / 2], [box.right + d, box.top + box.height / 2]];
  const around = [];
  if (d < 0) around.push(background(el));  // a ring drawn inside the element lies on its own background
  else for (const [x, y] of points) {
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
    const under = document.elementsFromPoint(x, y).find((e) => e !== el && !el.contains(e));
    around.push(background(under || document.documentElement));
  }
  if (!around.length) around.push(background(el.parentElement || document.documentElement));
  const worst = around.map((bg) => [ratio(ring || {r: 0, g: 0, b: 0}, bg), bg]).sort((a, b) => a[0] - b[0])[0];
  return {key: describe(el) + '@' + Math.round(box.left) + ',' + Math.round(box.top + scrollY),
          what: describe(el), style: s.outlineStyle, width: width,
          ring: ring ? hex(ring) : s.outlineColor, background: hex(worst[1]), ratio: Math.round(worst[0] * 100) / 100};
};
const targets = ([minimum, spacing]) => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && !el.closest('details:not([open]) > :not(summary)'); };
  const blockOf = (el) => { let e = el.parentElement;
    while (e && getComputedStyle(e).display.startsWith('inline')) e = e.parentElement; return e; };
  const inSentence = (el) => { if (el.tagName !== 'A' || !getComputedStyle(el).display.startsWith('inline')) return false;
    const block = blockOf(el); if (!block) return false;
    const own = el.textContent.trim().length, all = block.textContent.replace(/\s+/g, ' ').trim().length;
    return all > own + 2; };
  const targets = [...document.querySelectorAll(selector)].filter(visible).filter((el) => !inSentence(el))
    .map((el) => ({el, r: el.getBoundingClientRect()}));
  const small = (t) => t.r.width < minimum - 0.5 || t.r.height < minimum - 0.5;
  const centre = (t) => [t.r.left + t.r.width / 2, t.r.top + t.r.height / 2];
  const toBox = ([x, y], r) => Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
  const failing = targets.filter(small).filter((t) => {
    if (!spacing) return true;
    const c = centre(t);
    return targets.some((u) => u !== t && !u.el.contains(t.el) && !t.el.contains(u.el) &&
      (toBox(c, u.r) < minimum / 2 || (small(u) && Math.hypot(c[0] - centre(u)[0], c[1] - centre(u)[1]) < minimum)));
  });
  return {count: targets.length, small: targets.filter(small).length,
          failing: failing.map((t) => describe(t.el) + ' ' + Math.round(t.r.width) + '×' + Math.round(t.r.height))};
};
const overflow = () => {
  const width = document.documentElement.clientWidth;
  const extra = document.documentElement.scrollWidth - width;
  if (extra <= 0) return '';
  const wide = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > width + 1)
    .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= width + 1)
    .slice(0, 5).map((el) => describe(el).slice(0, 60) + ' ' + Math.round(el.getBoundingClientRect().width) + 'px');
  return extra + ' px too wide: ' + wide.join('; ');
};
window.wcag = {focusStop, targets, overflow};
})();
