// SecureFed <-> Microsoft SEAL 4.1 interop peer (node-seal 7.0.0, WebAssembly). Used by the C# interop tests
// (tests/SecureFed.Lattice.Tests/Seal, tests/SecureFed.HeProtocol.Tests/Seal) and by samples/SealClient.
//
//   node_modules/.bin/node peer.js JOB.json      (node-seal 7 needs Node >= 22; package.json pins the npm package node@22)
//
// JOB.json: { "dir": folder the file names are relative to, "parms": SEAL EncryptionParameters file,
//             "secLevel": "tc128" (default) or "none", "steps": [ ... ] }, each step one of
//   {"op":"info"}                                          parms_ids (hex) of the key, first and last level
//   {"op":"keygen","publicKey":F,"secretKey":F}            SEAL generates a key pair and saves both
//   {"op":"encrypt","publicKey":F,"values":["1",..],"out":F,"compression":"none|zlib|zstd"}
//                                                          coefficient encoding: value j is coefficient j (t = 2^bits)
//   {"op":"decrypt","secretKey":F,"in":F}                  SEAL loads the ciphertext and decrypts: coefficients
//   {"op":"resave","kind":"parms|publicKey|secretKey|ciphertext","in":F,"out":F,"compression":...}
// Prints one JSON object: {"node":..., "results":[one per step]}. Any SEAL refusal exits 1 with the message.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const HEADER = 16;

function sealHeader(size, mode = 0) {
  const h = Buffer.alloc(HEADER);
  h.writeUInt16LE(0xa15e, 0); h[2] = HEADER; h[3] = 4; h[4] = 1; h[5] = mode;
  h.writeBigUInt64LE(BigInt(size), 8);
  return h;
}

// A BFV Plaintext in SEAL's format (parms_id zero, scale 1.0, one u64 word per coefficient): node-seal has no
// coefficient setter, so the sample writes the object and loads it.
function plaintextBytes(values, n) {
  const words = Buffer.alloc(8 * n);
  values.forEach((v, j) => words.writeBigUInt64LE(BigInt(v), 8 * j));
  const dyn = Buffer.concat([sealHeader(HEADER + 8 + words.length), u64(n), words]);
  const members = Buffer.concat([Buffer.alloc(32), u64(n), f64(1.0), dyn]);
  return Buffer.concat([sealHeader(HEADER + members.length), members]);
}

function plaintextValues(bytes) {
  const b = Buffer.from(bytes);
  if (b[5] !== 0) throw new Error('expected an uncompressed plaintext');
  const count = Number(b.readBigUInt64LE(HEADER + 32));
  const data = HEADER + 32 + 8 + 8 + HEADER + 8;
  return Array.from({ length: count }, (_, j) => b.readBigUInt64LE(data + 8 * j).toString());
}

function u64(v) { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return b; }
function f64(v) { const b = Buffer.alloc(8); b.writeDoubleLE(v); return b; }
function hexId(parmsId) { return Buffer.concat(Array.from(parmsId.values(), (w) => u64(w))).toString('hex'); }

async function main() {
  if (+process.versions.node.split('.')[0] < 22) {
    throw new Error(`node-seal 7 needs Node >= 22 (WebAssembly GC, exnref); this is ${process.version}: run node_modules/.bin/node`);
  }
  const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const dir = job.dir || path.dirname(process.argv[2]);
  const file = (f) => path.resolve(dir, f);
  // embind takes a plain Uint8Array, not a Buffer.
  const read = (f) => new Uint8Array(fs.readFileSync(file(f)));
  const { default: SEAL } = await import('node-seal');
  const seal = await SEAL();
  const mode = (m) => seal.ComprModeType[m || 'none'];
  const parms = new seal.EncryptionParameters(seal.SchemeType.bfv);
  parms.loadFromArray(read(job.parms));
  const context = new seal.SEALContext(parms, true, seal.SecLevelType[job.secLevel || 'tc128']);
  if (!context.parametersSet()) throw new Error('SEAL refuses these encryption parameters');
  const n = parms.polyModulusDegree();
  const results = [];
  for (const step of job.steps) {
    switch (step.op) {
      case 'info':
        results.push({
          keyParmsId: hexId(context.keyParmsId()), firstParmsId: hexId(context.firstParmsId()), lastParmsId: hexId(context.lastParmsId()),
          degree: n, plainModulus: parms.plainModulus().value().toString(),
        });
        break;
      case 'keygen': {
        const kg = new seal.KeyGenerator(context);
        fs.writeFileSync(file(step.publicKey), kg.createPublicKey().saveToArray(mode(step.compression)));
        fs.writeFileSync(file(step.secretKey), kg.secretKey().saveToArray(mode(step.compression)));
        results.push({ ok: true });
        break;
      }
      case 'encrypt': {
        const pk = new seal.PublicKey();
        pk.loadFromArray(context, read(step.publicKey));
        const pt = new seal.Plaintext();
        pt.loadFromArray(context, new Uint8Array(plaintextBytes(step.values, n)));
        const ct = new seal.Ciphertext();
        new seal.Encryptor(context, pk).encrypt(pt, ct);
        const bytes = ct.saveToArray(mode(step.compression));
        fs.writeFileSync(file(step.out), bytes);
        results.push({ size: bytes.length, parmsId: hexId(ct.parmsId()), coeffModulusSize: ct.coeffModulusSize() });
        break;
      }
      case 'decrypt': {
        const sk = new seal.SecretKey();
        sk.loadFromArray(context, read(step.secretKey));
        const ct = new seal.Ciphertext();
        ct.loadFromArray(context, read(step.in));
        const decryptor = new seal.Decryptor(context, sk);
        const pt = new seal.Plaintext();
        decryptor.decrypt(ct, pt);
        results.push({
          values: plaintextValues(pt.saveToArray(seal.ComprModeType.none)), parmsId: hexId(ct.parmsId()),
          coeffModulusSize: ct.coeffModulusSize(), size: ct.size(), noiseBudget: decryptor.invariantNoiseBudget(ct),
        });
        break;
      }
      case 'resave': {
        const bytes = read(step.in);
        let obj;
        switch (step.kind) {
          case 'parms': obj = new seal.EncryptionParameters(seal.SchemeType.bfv); obj.loadFromArray(bytes); break;
          case 'publicKey': obj = new seal.PublicKey(); obj.loadFromArray(context, bytes); break;
          case 'secretKey': obj = new seal.SecretKey(); obj.loadFromArray(context, bytes); break;
          case 'ciphertext': obj = new seal.Ciphertext(); obj.loadFromArray(context, bytes); break;
          default: throw new Error(`unknown kind ${step.kind}`);
        }
        fs.writeFileSync(file(step.out), obj.saveToArray(mode(step.compression)));
        results.push({ ok: true });
        break;
      }
      default:
        throw new Error(`unknown op ${step.op}`);
    }
  }
  process.stdout.write(JSON.stringify({ node: process.version, nodeSeal: JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules/node-seal/package.json'), 'utf8')).version, results }) + '\n');
}

main().catch((e) => { process.stderr.write(`seal peer: ${e && e.message ? e.message : e}\n`); process.exit(1); });
