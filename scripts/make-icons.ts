// Draws the app's icons (a valence gauge: a red-grey-green arc and a needle on the accent
// blue) into public/icons/: PNGs for the web app manifest (192, 512, maskable 512),
// the Apple touch icon (180) and an SVG favicon. The PNGs are committed, so the build does
// not run this; run it again after changing the drawing: `npx tsx scripts/make-icons.ts`.
// Pure Node: shapes are sampled 4x4 per pixel and written with node:zlib.
import { writeFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

const OUT = resolve(import.meta.dirname, '..', 'public', 'icons');

type RGBA = [number, number, number, number];
const hex = (h: string, a = 1): RGBA => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16), a];

/** Colours and geometry in unit coordinates (0..1, y down), shared by the PNGs and the SVG. */
const BG = '#3a6fd8';
const SEGMENTS = [
  { from: 205, to: 128, color: '#ffb3a7' }, // negative
  { from: 128, to: 52, color: '#f2f4f7' }, // neutral
  { from: 52, to: -25, color: '#b5efc6' }, // positive
];
const C = { x: 0.5, y: 0.6 };
const R = 0.28;
const ARC_WIDTH = 0.08;
const NEEDLE = { angle: 62, length: 0.25, radius: 0.032 };
const HUB = 0.06;
const CORNER = 0.2;

const rad = (deg: number) => (deg * Math.PI) / 180;

/** Colour of the glyph at (x, y), or null where it is background. */
function glyph(x: number, y: number): string | null {
  const dx = x - C.x;
  const dy = C.y - y; // y up for angles
  const r = Math.hypot(dx, dy);
  if (r <= HUB) return '#ffffff';
  const tip = { x: NEEDLE.length * Math.cos(rad(NEEDLE.angle)), y: NEEDLE.length * Math.sin(rad(NEEDLE.angle)) };
  const along = Math.max(0, Math.min(1, (dx * tip.x + dy * tip.y) / (tip.x * tip.x + tip.y * tip.y)));
  if (Math.hypot(dx - along * tip.x, dy - along * tip.y) <= NEEDLE.radius) return '#ffffff';
  if (Math.abs(r - R) <= ARC_WIDTH / 2) {
    let a = (Math.atan2(dy, dx) * 180) / Math.PI; // -180..180
    if (a < -90) a += 360; // the arc runs from -25 through 90 to 205 degrees
    for (const s of SEGMENTS) if (a <= s.from && a >= s.to) return s.color;
  }
  return null;
}

function insideRoundedSquare(x: number, y: number): boolean {
  const qx = Math.max(CORNER - x, x - (1 - CORNER), 0);
  const qy = Math.max(CORNER - y, y - (1 - CORNER), 0);
  return qx * qx + qy * qy <= CORNER * CORNER;
}

/**
 * RGBA pixels of one icon. `maskable`: full-bleed background and the glyph scaled into the
 * central safe circle (radius 0.4) that every mask shape keeps.
 */
function render(size: number, maskable: boolean): Uint8Array {
  const px = new Uint8Array(size * size * 4);
  const n = 4;
  const scale = maskable ? 0.82 : 1;
  const bg = hex(BG);
  for (let py = 0; py < size; py++) {
    for (let pxi = 0; pxi < size; pxi++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (pxi + (sx + 0.5) / n) / size;
          const y = (py + (sy + 0.5) / n) / size;
          if (!maskable && !insideRoundedSquare(x, y)) continue;
          const g = glyph(0.5 + (x - 0.5) / scale, 0.5 + (y - 0.5) / scale);
          const c = g ? hex(g) : bg;
          acc[0] += c[0];
          acc[1] += c[1];
          acc[2] += c[2];
          acc[3] += 1;
        }
      }
      const o = (py * size + pxi) * 4;
      // Colour averaged over covered samples; alpha = coverage (straight alpha, as PNG wants).
      if (acc[3] > 0) for (let k = 0; k < 3; k++) px[o + k] = Math.round(acc[k] / acc[3]);
      px[o + 3] = Math.round((255 * acc[3]) / (n * n));
    }
  }
  return px;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGBA PNG (no filtering: each row starts with filter byte 0). */
function png(size: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** The same drawing as vector paths, in a 512 box. */
function svg(): string {
  const s = 512;
  const f = (v: number) => +(v * s).toFixed(2);
  const at = (deg: number, r: number) => `${f(C.x + r * Math.cos(rad(deg)))} ${f(C.y - r * Math.sin(rad(deg)))}`;
  const arcs = SEGMENTS.map(
    (g) =>
      `<path d="M${at(g.from, R)} A${f(R)} ${f(R)} 0 0 1 ${at(g.to, R)}" stroke="${g.color}" stroke-width="${f(ARC_WIDTH)}" fill="none"/>`,
  ).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${s} ${s}">` +
    `<rect width="${s}" height="${s}" rx="${f(CORNER)}" fill="${BG}"/>${arcs}` +
    `<path d="M${at(0, 0)} L${at(NEEDLE.angle, NEEDLE.length)}" stroke="#fff" stroke-width="${f(2 * NEEDLE.radius)}" stroke-linecap="round"/>` +
    `<circle cx="${f(C.x)}" cy="${f(C.y)}" r="${f(HUB)}" fill="#fff"/></svg>\n`
  );
}

mkdirSync(OUT, { recursive: true });
const icons: [string, number, boolean][] = [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['maskable-512.png', 512, true],
  ['maskable-192.png', 192, true],
  ['apple-touch-icon.png', 180, true], // iOS rounds the corners itself and wants no transparency
];
for (const [name, size, maskable] of icons) {
  writeFileSync(resolve(OUT, name), png(size, render(size, maskable)));
  console.log(`wrote public/icons/${name}`);
}
writeFileSync(resolve(OUT, 'icon.svg'), svg());
console.log('wrote public/icons/icon.svg');
