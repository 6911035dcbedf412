// The baseline: a hand-written streaming loop with split/join, no CSV library, no engine. It ignores RFC 4180
// quoting (quoted fields are only carried through when they hold no delimiter), so it is an upper bound, not a peer.
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';

const [input, output] = process.argv.slice(2);
const started = performance.now();
const out = createWriteStream(output);
out.write('number,sku,displayName,description,unitPrice,unitCost,inventory,category,margin,label\n');
let rest = '';
let header = true;
let rows = 0;
for await (const chunk of createReadStream(input, { encoding: 'utf8', highWaterMark: 1 << 18 })) {
  const lines = (rest + chunk).split('\n');
  rest = lines.pop();
  let buf = '';
  for (const line of lines) {
    if (header) {
      header = false;
      continue;
    }
    if (!line) continue;
    rows++;
    const f = line.split(',');
    if (f[f.length - 1] !== 'active') continue;
    const n = f.length;
    // Quoted descriptions contain one comma: fields shift by one.
    const d = n === 13 ? `${f[3]},${f[4]}` : f[3];
    const o = n === 13 ? 1 : 0;
    const price = Number(f[4 + o]);
    const cost = Number(f[5 + o]);
    buf +=
      [
        f[0],
        f[1],
        f[2],
        d,
        price,
        cost,
        f[6 + o],
        f[7 + o],
        Math.round((price - cost) * 100) / 100,
        `${f[1]} ${f[2].toUpperCase()}`,
      ].join(',') + '\n';
  }
  if (!out.write(buf)) await once(out, 'drain');
}
out.end();
await once(out, 'finish');
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ rows, ms }) + '\n');
