// Layout checks shared by the end-to-end tests of presentation mode, the phone and access
// (not a test file itself): the page's visible text boxes, tap targets, overlaps, axe-core,
// and a pixel comparison of two screenshots. Everything measured runs in the page.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repo } from './harness.mjs';

/**
 * Every visible piece of HTML text under `rootSelector`: one box per line of a text node
 * (Range.getClientRects), clipped by its scrolling or clipping ancestors (text scrolled out of
 * sight is left out), with the font size of its element. Text inside <option>, <script>,
 * <style> and visually hidden live regions is left out.
 */
export function textBoxes(page, rootSelector = 'body') {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel);
    const out = [];
    if (!root) return out;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const clipOf = (el) => {
      let r = { left: -Infinity, top: -Infinity, right: Infinity, bottom: Infinity };
      for (let a = el; a && a !== document.documentElement; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.overflowX !== 'visible' || s.overflowY !== 'visible' || s.clip !== 'auto') {
          const b = a.getBoundingClientRect();
          r = {
            left: Math.max(r.left, b.left), top: Math.max(r.top, b.top),
            right: Math.min(r.right, b.right), bottom: Math.min(r.bottom, b.bottom),
          };
        }
      }
      return r;
    };
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.replace(/\s+/g, ' ').trim();
      if (!text) continue;
      const el = node.parentElement;
      if (!el || el.closest('option, script, style, template, .visually-hidden, [hidden]')) continue;
      const style = getComputedStyle(el);
      if (style.visibility !== 'visible' || Number(style.opacity) === 0) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      // Boxes in document coordinates (the whole page counts, not only what is on screen).
      const clip = clipOf(el);
      for (const r of range.getClientRects()) {
        if (r.width < 1 || r.height < 1) continue;
        const left = Math.max(r.left, clip.left);
        const right = Math.min(r.right, clip.right);
        const top = Math.max(r.top, clip.top);
        const bottom = Math.min(r.bottom, clip.bottom);
        if (right - left < 1 || bottom - top < 1) continue;
        out.push({
          text: text.slice(0, 40),
          left: left + scrollX, top: top + scrollY, right: right + scrollX, bottom: bottom + scrollY,
          fontSize: parseFloat(style.fontSize),
          where: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}`,
        });
      }
    }
    return out;
  }, rootSelector);
}

/** Pairs of boxes that overlap by more than `slack` px each way. */
export function overlapping(boxes, slack = 1) {
  const pairs = [];
  for (let i = 0; i < boxes.length; i += 1) {
    for (let j = i + 1; j < boxes.length; j += 1) {
      const a = boxes[i];
      const b = boxes[j];
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > slack && h > slack) pairs.push([a, b]);
    }
  }
  return pairs;
}

/** A short description of overlapping pairs for an assertion message. */
export const describePairs = (pairs) =>
  pairs.slice(0, 6).map(([a, b]) => `"${a.text}" (${a.where}) × "${b.text}" (${b.where})`).join('; ');

/** Bounding boxes (viewport coordinates) of the visible elements matching each selector. */
export function boxesOf(page, selectors) {
  return page.evaluate((sels) => {
    const out = {};
    for (const s of sels) {
      const e = document.querySelector(s);
      if (!e) continue;
      const r = e.getBoundingClientRect();
      if (r.width < 1 || r.height < 1 || getComputedStyle(e).visibility !== 'visible') continue;
      out[s] = { text: s, where: s, left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    }
    return out;
  }, selectors);
}

/**
 * Visible interactive elements smaller than `min` px to tap. A checkbox or radio button counts
 * with its label (tapping the label toggles it); a slider with its track.
 */
export function smallTargets(page, min = 44) {
  return page.evaluate((m) => {
    const sel = 'button, select, input:not([type="hidden"]), textarea, summary, a[href], [role="button"], [tabindex]:not([tabindex="-1"])';
    const small = [];
    let count = 0;
    for (const e of document.querySelectorAll(sel)) {
      const r = e.getBoundingClientRect();
      if (r.width < 1 || r.height < 1 || getComputedStyle(e).visibility !== 'visible') continue;
      if (e.closest('.visually-hidden')) continue;
      // The skip link is off screen until it has the focus.
      if (r.bottom <= 0 && e.classList.contains('skip-link')) continue;
      count += 1;
      let box = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      if (['checkbox', 'radio'].includes(e.type)) {
        for (const l of e.labels ?? []) {
          const b = l.getBoundingClientRect();
          box = {
            left: Math.min(box.left, b.left), top: Math.min(box.top, b.top),
            right: Math.max(box.right, b.right), bottom: Math.max(box.bottom, b.bottom),
          };
        }
      }
      const w = box.right - box.left;
      const h = box.bottom - box.top;
      if (w < m - 0.5 || h < m - 0.5) {
        small.push(`${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.type ? `[${e.type}]` : ''} "${(e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 24)}" ${w.toFixed(0)}×${h.toFixed(0)}`);
      }
    }
    return { count, small };
  }, min);
}

const AXE = readFileSync(path.join(repo, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** Runs axe-core (WCAG 2.x A/AA rules and best practices) on the page; returns its violations. */
export async function axe(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 8),
    }));
  });
}

/** Pixels that differ between two PNG screenshots (decoded in the page): { n, where } with the
 * first few positions. */
export function pixelDiff(page, pngA, pngB) {
  return page.evaluate(
    async ([a, b]) => {
      const load = async (b64) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = new OffscreenCanvas(img.width, img.height);
        const ctx = c.getContext('2d');
        ctx.drawImage(img, 0, 0);
        return ctx.getImageData(0, 0, img.width, img.height);
      };
      const [x, y] = await Promise.all([load(a), load(b)]);
      if (x.width !== y.width || x.height !== y.height) return { n: Number.POSITIVE_INFINITY, where: 'sizes differ' };
      let n = 0;
      const where = [];
      for (let i = 0; i < x.data.length; i += 4) {
        if (x.data[i] !== y.data[i] || x.data[i + 1] !== y.data[i + 1] || x.data[i + 2] !== y.data[i + 2]) {
          n += 1;
          if (where.length < 5) where.push(`(${(i / 4) % x.width},${Math.floor(i / 4 / x.width)})`);
        }
      }
      return { n, where: where.join(' ') };
    },
    [pngA.toString('base64'), pngB.toString('base64')],
  );
}

/** Waits two animation frames (layout and canvases settle). */
export function settle(page) {
  return page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}
