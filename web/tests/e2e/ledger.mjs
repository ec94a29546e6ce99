// A real ledger for the browser tests: `fupin-ledger init`, `serve` on an
// ephemeral loopback port with the built page, the golden campaign
// (fixtures/campaign-small) submitted over HTTP, the rule engine's flags
// raised, and one `verify` run so the integrity page has a result.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const sourceDir = path.resolve(here, '../../..');
export const cli = process.env.FUPIN_CLI_PATH ?? path.join(sourceDir, 'build/release/fupin-ledger');
export const fixtures = path.join(sourceDir, 'fixtures/campaign-small');
export const webRoot = process.env.FUPIN_WEB_ROOT ?? path.join(sourceDir, 'web/dist');
export const campaign = 'HN-2020-09';

// Read tokens of the test configuration (role, region scope).
export const TOKENS = {
  supervisor: { id: 'e2e-supervisor', token: 'e2e-supervisor-token-430000', role: 'supervisor', regions: ['430000'] },
  xiangxi: { id: 'e2e-xiangxi', token: 'e2e-auditor-token-433100', role: 'auditor', regions: ['433100'] },
  public: { id: 'e2e-public', token: 'e2e-public-token', role: 'public', regions: ['430000'] },
};

function run(args, input) {
  const result = spawnSync(cli, args, { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`fupin-ledger ${args[0]} exited ${result.status}: ${result.stderr}`);
  }
  return result.stdout;
}

export class TestLedger {
  static async start() {
    const ledger = new TestLedger();
    await ledger.#start();
    return ledger;
  }

  async #start() {
    this.dir = mkdtempSync(path.join(tmpdir(), 'fupin-web-e2e-'));
    const manifest = JSON.parse(readFileSync(path.join(fixtures, 'manifest.json'), 'utf8'));
    run(['init', '--data', this.dir, '--admin-public-key', manifest.admin_public_key, '--admin-key-id', 'admin']);
    const config = {
      listen: '127.0.0.1:0',
      web_root: webRoot,
      tokens: Object.values(TOKENS).map((t) => ({
        id: t.id,
        sha256: createHash('sha256').update(t.token).digest('hex'),
        role: t.role,
        regions: t.regions,
      })),
    };
    const configFile = path.join(this.dir, 'server.json');
    writeFileSync(configFile, JSON.stringify(config));
    this.server = spawn(cli, ['serve', '--data', this.dir, '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.stderr = '';
    this.server.stderr.on('data', (d) => (this.stderr += d));
    this.url = await new Promise((resolve, reject) => {
      let out = '';
      this.server.stdout.on('data', (d) => {
        out += d;
        const line = out.split('\n').find((l) => l.includes('"listening"'));
        if (line) resolve(JSON.parse(line).listening);
      });
      this.server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${this.stderr}`)));
    });
    const events = readFileSync(path.join(fixtures, 'events.jsonl'), 'utf8');
    run(['submit', '--url', this.url, '--batch', '1000'], events);
    await this.caughtUp();
    // The integrity page reads the last verification (DIR/verify-last.json
    // beside a running server).
    run(['verify', '--data', this.dir, '--json']);
  }

  async get(pathAndQuery, token = TOKENS.supervisor.token) {
    const response = await fetch(this.url + pathAndQuery, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`GET ${pathAndQuery}: ${response.status} ${await response.text()}`);
    return response.json();
  }

  // Until the projections and the rule engine have folded the whole log.
  async caughtUp() {
    for (let i = 0; i < 1800; i++) {
      const response = await fetch(`${this.url}/metrics`, { headers: { Authorization: `Bearer ${TOKENS.supervisor.token}` } });
      const text = await response.text();
      const lag = (name) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
      if (lag('fupin_rules_lag_records') === 0 && lag('fupin_projection_lag_records') === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the projections and the rule engine did not catch up within 180 s');
  }

  async stop() {
    if (this.server && this.server.exitCode === null) {
      const exited = new Promise((resolve) => this.server.on('exit', resolve));
      this.server.kill('SIGTERM');
      await exited;
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
