#!/usr/bin/env node
// Draws RaceDesk's app icon (a stopwatch on a blue rounded square) and writes the three files
// electron-builder takes from resources/: icon.png (1024 px, Linux), icon.icns (macOS) and
// icon.ico (Windows). Plain Node, no image tools: PNG through zlib; ICNS and ICO hold PNG images,
// which both formats allow. Run it again after changing the drawing: `node scripts/make-icons.js`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const out = join(import.meta.dirname, '..', 'resources');
mkdirSync(out, { recursive: true });

/** RGBA pixels of the icon at `size` px, drawn with 4x4 supersampling for smooth edges. */
function draw(size) {
  const pixels = Buffer.alloc(size * size * 4);
  const samples = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const [pr, pg, pb, pa] = shade((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size);
          r += pr * pa; g += pg * pa; b += pb * pa; a += pa;
        }
      }
      const i = (y * size + x) * 4;
      const n = samples * samples;
      pixels[i] = a ? Math.round(r / a) : 0;
      pixels[i + 1] = a ? Math.round(g / a) : 0;
      pixels[i + 2] = a ? Math.round(b / a) : 0;
      pixels[i + 3] = Math.round((a / n) * 255);
    }
  }
  return pixels;
}

/** Colour [r, g, b, alpha 0..1] at (u, v) in 0..1. */
function shade(u, v) {
  const inset = 0.06, radius = 0.2;
  const qx = Math.max(Math.abs(u - 0.5) - (0.5 - inset - radius), 0);
  const qy = Math.max(Math.abs(v - 0.5) - (0.5 - inset - radius), 0);
  if (Math.hypot(qx, qy) > radius) return [0, 0, 0, 0];
  const white = [255, 255, 255, 1];
  const cx = 0.5, cy = 0.56, ring = 0.29;
  const d = Math.hypot(u - cx, v - cy);
  // Crown and button of the stopwatch.
  if (Math.abs(u - cx) < 0.045 && v > 0.17 && v < 0.25) return white;
  if (Math.abs(u - cx) < 0.1 && v > 0.12 && v < 0.17) return white;
  if (d > ring - 0.045 && d < ring) return white;
  // The hand, pointing to "finish" at two o'clock, and its hub.
  const angle = -Math.PI / 3;
  const hx = Math.sin(-angle), hy = -Math.cos(-angle);
  const t = (u - cx) * hx + (v - cy) * hy;
  const off = Math.abs((u - cx) * hy - (v - cy) * hx);
  if (t > 0 && t < ring - 0.09 && off < 0.025) return [255, 196, 0, 1];
  if (d < 0.04) return [255, 196, 0, 1];
  // Blue, lighter at the top.
  const k = v;
  return [Math.round(40 - 20 * k), Math.round(110 - 50 * k), Math.round(220 - 60 * k), 1];
}

function png(size) {
  const pixels = draw(size);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** ICNS: 'icns' + length, then (type, length, PNG) entries; ic07..ic10 are 128..1024 px PNGs. */
function icns(images) {
  const entries = images.map(([type, data]) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + entries.reduce((n, e) => n + e.length, 0), 4);
  return Buffer.concat([head, ...entries]);
}

/** ICO: a directory of PNG images (Windows Vista and later read PNG entries; 256 is written as 0). */
function ico(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const directory = images.map(([size, data]) => {
    const entry = Buffer.alloc(16);
    entry[0] = size >= 256 ? 0 : size;
    entry[1] = size >= 256 ? 0 : size;
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(data.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += data.length;
    return entry;
  });
  return Buffer.concat([header, ...directory, ...images.map(([, data]) => data)]);
}

const sizes = [16, 32, 48, 128, 256, 512, 1024];
const images = Object.fromEntries(sizes.map((size) => [size, png(size)]));
writeFileSync(join(out, 'icon.png'), images[1024]);
writeFileSync(join(out, 'icon.icns'), icns([['ic07', images[128]], ['ic08', images[256]], ['ic09', images[512]], ['ic10', images[1024]]]));
writeFileSync(join(out, 'icon.ico'), ico([16, 32, 48, 256].map((size) => [size, images[size]])));
console.error(`wrote icon.png, icon.icns and icon.ico in ${out}`);
