// Writes examples/autos.csv: node examples/make-autos.mjs 400 > examples/autos.csv (synthetic, seeded: the same file every time).
// Autos-like: origin (text), cylinders, hp (5% missing), weight, year, a target with noise.
const lines = ['origin,cyl,hp,weight,year,brand,mpg'];
let s = 7;
const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
const brands = ['ford', 'chevy', 'toyota', 'honda', 'vw', 'bmw', 'fiat', 'datsun'];
const n = Number(process.argv[2] ?? 400);
for (let i = 0; i < n; i++) {
  const o = ['USA', 'Japan', 'Europe'][Math.floor(rnd() * 3)];
  const cyl = [4, 6, 8][Math.floor(rnd() * 3)];
  const hp = 60 + cyl * 15 + rnd() * 40;
  const w = 1800 + cyl * 300 + rnd() * 600;
  const year = 70 + Math.floor(rnd() * 12);
  const b = brands[Math.floor(rnd() * brands.length)];
  const mpg = 50 - cyl * 2 - w / 400 + (o === 'Japan' ? 4 : o === 'Europe' ? 2 : 0) + (year - 70) * 0.5 + (b === 'honda' ? 2 : 0) + rnd() * 3;
  lines.push([o, cyl, rnd() < 0.05 ? '' : hp.toFixed(0), rnd() < 0.05 ? 'NA' : w.toFixed(0), year, b, mpg.toFixed(1)].join(','));
}
process.stdout.write(lines.join('\n') + '\n');
