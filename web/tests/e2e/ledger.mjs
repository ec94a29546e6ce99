// A real ledger for the browser tests: `fupin-ledger init`, `serve` on an
// ephemeral loopback port with the built page, the golden campaign
// (fixtures/campaign-small, or one `fupin-ledger generate` makes, e.g. with
// SM2 keys) submitted over HTTP, the rule engine's flags raised, and one
// `verify` run so the integrity page has a result.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

// Starts a `fupin-ledger` process that prints a JSON ready line with a
// "listening" URL; resolves {child, url}.
function startListening(args) {
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.includes('"listening"'));
      if (line) resolve({ child, url: JSON.parse(line).listening });
    });
    child.on('exit', (code) => reject(new Error(`fupin-ledger ${args[0]} exited ${code}: ${stderr}`)));
  });
}

async function stopChild(child) {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

// Where screenshots and saved files go.
export const artifacts = process.env.FUPIN_WEB_ARTIFACTS ?? path.join(sourceDir, 'web/test-results');
export const DESKTOP = { width: 1280, height: 800 };

// A fresh browser context (empty session and local storage) at `url`, in
// Chinese and Beijing time, logged in with `token` (none: the login form
// stays). page.checkClean() asserts no script error and no request outside
// the ledger's origin.
export async function openLedgerPage(browser, url, { token = TOKENS.supervisor.token, viewport = DESKTOP } = {}) {
  const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const foreign = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(url) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) foreign.push(r.url());
  });
  await page.goto(`${url}/`);
  if (token) {
    await page.fill('#token', token);
    await page.click('form.login button[type=submit]');
    await page.waitForSelector('nav#nav:not([hidden])');
  }
  page.checkClean = () => {
    if (errors.length > 0) throw new Error(`script errors: ${errors.join('; ')}`);
    if (foreign.length > 0) throw new Error(`requests outside the ledger: ${foreign.join('; ')}`);
  };
  return page;
}

// The supervisor's page (openLedgerPage with the supervisor's token).
export function openSupervisorPage(browser, url, viewport = DESKTOP) {
  return openLedgerPage(browser, url, { viewport });
}

// A full-page screenshot in the artifacts folder.
export async function shot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

// A campaign's events (default: the golden one), one signed event per line.
export function campaignEvents(dir = fixtures) {
  return readFileSync(path.join(dir, 'events.jsonl'), 'utf8').split('\n').filter((l) => l.length > 0);
}

export class TestLedger {
  // options.witnesses: names of witnesses to run (`witness serve`), all
  // needed (quorum = their number); options.holdBack: events of the
  // campaign's end submitted only after a copy of the data directory was
  // taken (this.oldCopy: the operator's "backup" for the fork test);
  // options.hash: the log's hash, "sm3" for an SM3 log (`init --hash sm3`;
  // default the CLI's, SHA-256); options.generated: {seed, keyAlg} to
  // submit a campaign `fupin-ledger generate --scale small --key-alg KEYALG`
  // makes (keyAlg "mixed": every other key SM2) instead of the golden one.
  // this.campaignDir is the campaign's directory (events.jsonl, keys/,
  // manifest.json).
  static async start(options = {}) {
    const ledger = new TestLedger();
    await ledger.#start(options);
    return ledger;
  }

  async #start({ witnesses = [], holdBack = 0, hash = null, generated = null } = {}) {
    this.dir = mkdtempSync(path.join(tmpdir(), 'fupin-web-e2e-'));
    this.children = [];
    this.campaignDir = fixtures;
    if (generated) {
      this.campaignDir = path.join(this.dir, 'campaign');
      run(['generate', '--seed', String(generated.seed), '--scale', 'small', '--out', this.campaignDir,
        ...(generated.keyAlg ? ['--key-alg', generated.keyAlg] : [])]);
    }
    const manifest = JSON.parse(readFileSync(path.join(this.campaignDir, 'manifest.json'), 'utf8'));
    const genesis = JSON.parse(run(['init', '--data', path.join(this.dir, 'ledger'), '--admin-public-key', manifest.admin_public_key,
      '--admin-key-id', manifest.admin_key_id ?? 'admin', ...(hash ? ['--hash', hash] : []), '--json']));
    this.genesis = genesis;
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
    if (witnesses.length > 0) {
      config.witnesses = [];
      for (const [i, name] of witnesses.entries()) {
        const key = path.join(this.dir, `witness-${i}.pem`);
        run(['keygen', '--out', key]);
        const vkey = JSON.parse(run(['witness', 'vkey', '--key', key, '--name', name])).vkey;
        const started = await startListening(['witness', 'serve', '--key', key, '--name', name, '--data', path.join(this.dir, `witness-${i}`), '--listen', '127.0.0.1:0', '--log', genesis.vkey]);
        this.children.push(started.child);
        config.witnesses.push({ name, url: started.url, vkey });
      }
      config.witness_quorum = witnesses.length;
      config.witness_interval_ms = 200;
    }
    this.config = config;
    this.configFile = path.join(this.dir, 'server.json');
    writeFileSync(this.configFile, JSON.stringify(config));
    const events = campaignEvents(this.campaignDir);
    this.events = events;
    await this.#serve();
    run(['submit', '--url', this.url, '--batch', '1000'], events.slice(0, events.length - holdBack).join('\n') + '\n');
    if (holdBack > 0) {
      await stopChild(this.server);
      this.oldCopy = path.join(this.dir, 'old-copy');
      cpSync(path.join(this.dir, 'ledger'), this.oldCopy, { recursive: true });
      await this.#serve();
      run(['submit', '--url', this.url, '--batch', '1000'], events.slice(events.length - holdBack).join('\n') + '\n');
    }
    await this.caughtUp();
    if (witnesses.length > 0) await this.witnessed();
    // The integrity page reads the last verification (DIR/verify-last.json
    // beside a running server).
    run(['verify', '--data', path.join(this.dir, 'ledger'), '--json']);
  }

  // A new key (`fupin-ledger keygen --alg ALG`) registered by the
  // campaign's admin key (`sign` with keys/admin.pem, then `submit`) and
  // folded; resolves {keyId, alg, pemFile, public_key}.
  async registerKey({ keyId, alg = 'ed25519', roles, regions, occurredAt = '2020-09-30T12:00:00+08:00' }) {
    const pemFile = path.join(this.dir, `${keyId}.pem`);
    const { public_key } = JSON.parse(run(['keygen', '--alg', alg, '--out', pemFile, '--json']));
    const unsigned = { type: 'key.registered', occurred_at: occurredAt, body: { key_id: keyId, alg, public_key, roles, regions } };
    const signed = run(['sign', '--key', path.join(this.campaignDir, 'keys/admin.pem'), '--key-id', 'admin'], `${JSON.stringify(unsigned)}\n`);
    run(['submit', '--url', this.url], signed);
    await this.caughtUp();
    return { keyId, alg, pemFile, public_key };
  }

  async #serve() {
    const started = await startListening(['serve', '--data', path.join(this.dir, 'ledger'), '--config', this.configFile]);
    this.server = started.child;
    this.url = started.url;
  }

  // Until GET /checkpoint serves the latest checkpoint, cosigned.
  async witnessed() {
    for (let i = 0; i < 600; i++) {
      const latest = await this.get('/v1/checkpoint').catch(() => null);
      const size = (await this.get('/healthz').catch(() => ({}))).tree_size;
      if (latest && latest.tree_size === size) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the witnesses did not cosign the latest checkpoint within 60 s');
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

  // A verifying mirror of this ledger (`fupin-ledger mirror`), served with
  // the same tokens and page; resolves once it holds the ledger's latest
  // checkpoint. Returns {url, stop}.
  async startMirror() {
    const configFile = path.join(this.dir, 'mirror.json');
    const { witnesses: _w, witness_quorum: _q, witness_interval_ms: _i, ...config } = this.config;
    writeFileSync(configFile, JSON.stringify(config));
    const started = await startListening(['mirror', '--from', this.url, '--data', path.join(this.dir, 'mirror'), '--token', TOKENS.supervisor.token, '--config', configFile, '--interval-ms', '100']);
    this.children.push(started.child);
    const target = (await this.get('/v1/checkpoint')).tree_size;
    for (let i = 0; i < 600; i++) {
      const response = await fetch(`${started.url}/v1/mirror/status`, { headers: { Authorization: `Bearer ${TOKENS.supervisor.token}` } });
      if (response.ok && (await response.json()).local_tree_size >= target) {
        return { url: started.url, stop: () => stopChild(started.child) };
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the mirror did not catch up within 60 s');
  }

  async stop() {
    await stopChild(this.server);
    for (const child of this.children ?? []) await stopChild(child);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  // The operator's forgery (docs/trust.md): the old copy served without
  // witnesses, the held-back events submitted again but one benefit
  // payment (nothing refers to it), so its history differs from what the
  // witnesses cosigned. Returns {url, stop}.
  async serveForgery(holdBack) {
    const configFile = path.join(this.dir, 'forgery.json');
    const { witnesses: _w, witness_quorum: _q, witness_interval_ms: _i, ...config } = this.config;
    writeFileSync(configFile, JSON.stringify(config));
    const started = await startListening(['serve', '--data', this.oldCopy, '--config', configFile]);
    const tail = this.events.slice(-holdBack);
    const dropped = tail.findIndex((line) => JSON.parse(line).type === 'benefit.paid');
    if (dropped < 0) throw new Error('no benefit payment to drop from the held-back events');
    run(['submit', '--url', started.url, '--batch', '1000'], tail.filter((_, i) => i !== dropped).join('\n') + '\n');
    return { url: started.url, stop: () => stopChild(started.child) };
  }
}
