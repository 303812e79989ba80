// A device that encrypts its update with Microsoft SEAL 4.1 (node-seal 7.0.0) for a hosted SecureFed HE round.
// `securefed client --round ID --seal-encryptor "node encrypt.js update.txt"` runs it with one more argument: a
// folder holding the round's key in SEAL's format (protocol-spec/he.md section 11.3):
//   parms.seal       EncryptionParameters (BFV, N, the round's primes, t = 2^bits)
//   public-key.seal  the round's collective PublicKey (verified by securefed against the decryptors' signatures)
//   round.json       {"degree": N, "blocks": B, "vector_length": V, "bits": b}
// It writes block-0.seal .. block-(B-1).seal: block k encrypts values [k*N, (k+1)*N) as plaintext coefficients.
// Nothing but the ciphertexts leaves this program; securefed commits to them, signs and uploads them.
// Needs Node >= 22 (node-seal 7 uses WebAssembly GC): tools/seal-interop/node_modules/.bin/node after `npm ci` there.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const HEADER = 16;
const u64 = (v) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return b; };
const f64 = (v) => { const b = Buffer.alloc(8); b.writeDoubleLE(v); return b; };
const sealHeader = (size) => {
  const h = Buffer.alloc(HEADER);
  h.writeUInt16LE(0xa15e, 0); h[2] = HEADER; h[3] = 4; h[4] = 1; // magic, header size, SEAL 4.1, no compression
  h.writeBigUInt64LE(BigInt(size), 8);
  return h;
};

// A BFV Plaintext in SEAL's serialization with the values as coefficients (node-seal has no coefficient setter):
// parms_id zero, coeff_count, scale 1.0, then a DynArray of one u64 word per coefficient.
function plaintext(values, n) {
  const words = Buffer.alloc(8 * n);
  values.forEach((v, j) => words.writeBigUInt64LE(v, 8 * j));
  const data = Buffer.concat([sealHeader(HEADER + 8 + words.length), u64(n), words]);
  const members = Buffer.concat([Buffer.alloc(32), u64(n), f64(1.0), data]);
  return new Uint8Array(Buffer.concat([sealHeader(HEADER + members.length), members]));
}

async function loadSeal() {
  const local = path.join(__dirname, '..', '..', 'tools', 'seal-interop', 'node_modules', 'node-seal', 'dist', 'index_throws.js');
  const { default: SEAL } = await import(fs.existsSync(local) ? pathToFileURL(local).href : 'node-seal');
  return SEAL();
}

async function main() {
  const [input, dir] = process.argv.slice(2);
  if (!input || !dir) throw new Error('usage: node encrypt.js UPDATE_FILE KEY_FOLDER');
  const round = JSON.parse(fs.readFileSync(path.join(dir, 'round.json'), 'utf8'));
  const limit = 1n << BigInt(round.bits);
  const values = fs.readFileSync(input, 'utf8').split(/[\s,;]+/).filter((w) => w.length > 0).map((w) => BigInt(w));
  if (values.length !== round.vector_length) throw new Error(`the round sums ${round.vector_length} values; ${input} has ${values.length}`);
  if (values.some((v) => v < 0n || v >= limit)) throw new Error(`values must be integers in [0, 2^${round.bits})`);

  const seal = await loadSeal();
  const parms = new seal.EncryptionParameters(seal.SchemeType.bfv);
  parms.loadFromArray(new Uint8Array(fs.readFileSync(path.join(dir, 'parms.seal'))));
  const context = new seal.SEALContext(parms, true, seal.SecLevelType.tc128); // SEAL checks the 128-bit table itself
  if (!context.parametersSet()) throw new Error('SEAL refuses the round\'s parameters');
  const publicKey = new seal.PublicKey();
  publicKey.loadFromArray(context, new Uint8Array(fs.readFileSync(path.join(dir, 'public-key.seal'))));
  const encryptor = new seal.Encryptor(context, publicKey);
  const n = round.degree;
  for (let b = 0; b < round.blocks; b++) {
    const pt = new seal.Plaintext();
    pt.loadFromArray(context, plaintext(values.slice(b * n, (b + 1) * n), n));
    const ct = new seal.Ciphertext();
    encryptor.encrypt(pt, ct);
    fs.writeFileSync(path.join(dir, `block-${b}.seal`), ct.saveToArray(seal.ComprModeType.zstd));
    pt.delete(); ct.delete();
  }
  process.stderr.write(`node-seal: encrypted ${values.length} values in ${round.blocks} SEAL ciphertext(s), N = ${n}\n`);
}

main().catch((e) => { process.stderr.write(`encrypt.js: ${e && e.message ? e.message : e}\n`); process.exit(1); });
