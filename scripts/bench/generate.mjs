// The benchmark workload, fixed so Ferry can be compared with other engines on the same work.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export const HEADER = 'id,sku,name,description,price,cost,qty,category,email,country,updatedAt,status';
const categories = ['Bikes', 'Helmets', 'Lights', 'Locks', 'Tools', 'Clothing', 'Parts'];
const countries = ['NL', 'BE', 'DE', 'DK', 'FR', 'GB'];
const words = ['trail', 'city', 'road', 'kids', 'cargo', 'light', 'lock', 'pump', 'tool', 'bell', 'rack', 'bag'];

/** Deterministic (seeded) so every run and every engine reads the same bytes. */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export async function generateCsv(file, rows) {
  const rand = prng(42);
  const out = createWriteStream(file);
  out.write(`${HEADER}\n`);
  let chunk = '';
  const base = Date.UTC(2026, 0, 1);
  for (let i = 1; i <= rows; i++) {
    const w1 = words[Math.floor(rand() * words.length)];
    const w2 = words[Math.floor(rand() * words.length)];
    const price = (5 + rand() * 995).toFixed(2);
    const cost = (Number(price) * (0.4 + rand() * 0.3)).toFixed(2);
    // Every 10th description needs RFC 4180 quoting (a comma and a quote inside).
    const description = i % 10 === 0 ? `"${w1} ${w2}, the ""${w2}"" edition"` : `${w1} ${w2} for everyday use`;
    const status = rand() < 0.8 ? 'active' : 'inactive';
    const updatedAt = new Date(base + i * 1000).toISOString();
    chunk += `${i},SKU-${100000 + i},${w1} ${w2} ${i},${description},${price},${cost},${Math.floor(rand() * 500)},${categories[i % categories.length]},buyer${i}@example.com,${countries[i % countries.length]},${updatedAt},${status}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.write(chunk);
  out.end();
  await once(out, 'finish');
}
