// 上报 and 上报核对 in a real browser against a real ledger loaded with the
// golden campaign: a 市州's blank form downloaded from the server, filled
// in the test from the ledger's own table with one cell inflated, uploaded,
// parsed by the server, shown beside the ledger, signed in the page with
// the 市州's reporter key and submitted; then the supervisors' view of every
// 市州's latest report, the inflated cell marked and linked to the FP-15
// flag the rule engine raised. Screenshots go to $FUPIN_WEB_ARTIFACTS
// (default web/test-results/).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { artifacts, campaign, DESKTOP, fixtures, openLedgerPage, shot, TestLedger, TOKENS } from './ledger.mjs';

const NARROW = { width: 390, height: 844 };
// 怀化市: its golden report is honest, so the inflated one raises a new flag.
const REGION = '431200';
const reporterKey = (code) => path.join(fixtures, `keys/reporter-${code}.pem`);
// Debian's python3 has openpyxl (python3-openpyxl); a python3 earlier on
// PATH (pyenv) may not.
const python = process.env.FUPIN_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

// The form's figure columns by their headers (SPEC §3), and the ledger's
// field of each.
const FIGURES = [
  ['设立线上专区数(个)', 'online_zones'],
  ['设立线下专区数(个)', 'offline_zones'],
  ['设立专馆数(个)', 'pavilions'],
  ['设立专柜数(个)', 'counters'],
  ['开设直播基地(个)', 'livestream_bases'],
  ['举办大型产销活动(场)', 'promotions'],
  ['销售扶贫产品(万元)', 'sales_wan_yuan'],
  ['覆盖贫困人口(人)', 'poor_people_covered'],
];

let ledger;
let browser;
let stats; // GET /v1/stats of the campaign
let inflated; // {region, field, by}: the cell the filled form overstates
let nudged; // {region}: a coverage cell off by one person, within FP-15's 5%
let filledCsv; // the path of the filled form
let submitted; // {seq, body}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  ledger = await TestLedger.start();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  stats = await ledger.get(`/v1/stats?campaign=${campaign}`);
  const counties = stats.rows.filter((r) => r.level === 'county' && r.region.startsWith(REGION.slice(0, 4)));
  assert.ok(counties.length >= 2, `${REGION} has counties in the golden campaign`);
  inflated = { region: counties[0].region, field: 'counters', by: 3 };
  const covered = counties.slice(1).find((r) => r.poor_people_covered >= 100);
  assert.ok(covered, 'a county covering at least 100 people');
  nudged = { region: covered.region };
});

after(async () => {
  await browser?.close();
  await ledger?.stop();
});

function openPage(token, { viewport = DESKTOP } = {}) {
  return openLedgerPage(browser, ledger.url, { token, viewport });
}

// RFC 4180, as the server writes it (a BOM, CRLF, quoted fields).
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\ufeff/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

function toCsv(rows) {
  const quote = (f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
  return `\ufeff${rows.map((r) => r.map(quote).join(',')).join('\r\n')}\r\n`;
}

// The template filled from the ledger's own rows (GET /v1/stats), then
// `edits` ({region: {header: text}}) written over it. Rows are found by
// their 区划代码 (or, failing that, by name; 合计 is the 市州).
function fillTemplate(templateText, edits = {}) {
  const rows = parseCsv(templateText);
  const headerAt = rows.findIndex((r) => r[0].trim() === '序号');
  assert.ok(headerAt >= 0, 'the template has its header row');
  const header = rows[headerAt].map((h) => h.trim());
  const codeAt = header.indexOf('区划代码');
  const nameAt = header.indexOf('市县');
  const byName = new Map(stats.rows.map((r) => [r.name, r]));
  let filled = 0;
  for (const row of rows.slice(headerAt + 1)) {
    const code = codeAt >= 0 ? row[codeAt]?.trim() : undefined;
    const own = code && /^\d{6}$/.test(code)
      ? stats.rows.find((r) => r.region === code)
      : row[nameAt]?.trim() === '合计' ? stats.rows.find((r) => r.region === REGION) : byName.get(row[nameAt]?.trim());
    if (!own) continue;
    for (const [title, field] of FIGURES) {
      const at = header.indexOf(title);
      assert.ok(at >= 0, `the template has the column ${title}`);
      while (row.length <= at) row.push('');
      row[at] = String(own[field]);
    }
    for (const [title, text] of Object.entries(edits[own.region] ?? {})) row[header.indexOf(title)] = text;
    filled++;
  }
  assert.ok(filled >= 2, 'the template lists the 市州 and its counties');
  return toCsv(rows);
}

const rowOf = (region) => stats.rows.find((r) => r.region === region);

// The parse route, called directly: what the page must show.
async function parseRoute(bytes) {
  const response = await fetch(`${ledger.url}/v1/reports/parse?campaign=${campaign}&region=${REGION}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKENS.supervisor.token}`, 'Content-Type': 'application/octet-stream' },
    body: bytes,
  });
  return { status: response.status, answer: await response.json() };
}

async function chooseRegion(page) {
  await page.goto(`${ledger.url}/#/report`);
  await page.waitForSelector(`#report-region option[value="${REGION}"]`, { state: 'attached' });
  await page.selectOption('#report-region', REGION);
}

async function download(page, testid, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=${testid}]`)]);
  const where = path.join(artifacts, name ?? file.suggestedFilename());
  await file.saveAs(where);
  return { name: file.suggestedFilename(), bytes: readFileSync(where) };
}

test('上报: the blank form, a filled one beside the ledger, signed and submitted in the page', async () => {
  const page = await openPage(TOKENS.supervisor.token);
  await chooseRegion(page);
  assert.equal(await page.title(), '上报 · 消费扶贫账本');
  // Every 市州 of the table is offered.
  assert.equal(await page.locator('#report-region option').count(), stats.rows.filter((r) => r.level === 'prefecture').length);

  const xlsxTemplate = await download(page, 'template-xlsx', `template-${REGION}.xlsx`);
  assert.equal(xlsxTemplate.bytes.subarray(0, 2).toString('latin1'), 'PK', 'the XLSX template is a ZIP');
  assert.match(xlsxTemplate.name, /\.xlsx$/);
  const csvTemplate = await download(page, 'template-csv', `template-${REGION}.csv`);
  const template = csvTemplate.bytes.toString('utf8');
  assert.match(template, /序号/);
  assert.match(template, /销售扶贫产品\(万元\)/);
  for (const county of stats.rows.filter((r) => r.level === 'county' && r.region.startsWith(REGION.slice(0, 4)))) {
    assert.match(template, new RegExp(county.name), 'every county of the 市州 is prefilled');
  }

  const counters = FIGURES.find(([, f]) => f === inflated.field)[0];
  filledCsv = path.join(artifacts, `report-${REGION}-filled.csv`);
  writeFileSync(filledCsv, fillTemplate(template, {
    [inflated.region]: { [counters]: String(rowOf(inflated.region)[inflated.field] + inflated.by) },
    [nudged.region]: { '覆盖贫困人口(人)': String(rowOf(nudged.region).poor_people_covered + 1) },
  }));
  const expected = await parseRoute(readFileSync(filledCsv));
  assert.equal(expected.status, 200, JSON.stringify(expected.answer));

  await page.setInputFiles('#key-file', reporterKey(REGION));
  await page.getByTestId('key-status').getByText('已载入').waitFor();
  await page.fill('#key-id', `reporter-${REGION}`);
  await page.setInputFiles('#form-file', filledCsv);
  await page.waitForSelector('[data-testid=compare-table]');

  // The parsed rows beside the ledger's: exactly the inflated cell beyond
  // FP-15's threshold, the one-person coverage difference highlighted only.
  assert.equal(await page.locator('[data-testid=compare-table] tbody tr').count(), expected.answer.rows.length);
  const firing = await page.locator('td.fires[data-side=submitted]').evaluateAll((cells) => cells.map((c) => `${c.dataset.region}/${c.dataset.column}`));
  assert.deepEqual(firing, [`${inflated.region}/${inflated.field}`]);
  const differing = await page.locator('td.differs[data-side=submitted]').evaluateAll((cells) => cells.map((c) => `${c.dataset.region}/${c.dataset.column}`));
  assert.deepEqual(differing, [`${nudged.region}/poor_people_covered`]);
  const cell = (side) => page.locator(`td[data-region="${inflated.region}"][data-column=${inflated.field}][data-side=${side}]`).innerText();
  assert.equal(await cell('submitted'), String(rowOf(inflated.region)[inflated.field] + inflated.by));
  assert.equal(await cell('ledger'), String(rowOf(inflated.region)[inflated.field]));
  const sales = page.locator(`td[data-region="${REGION}"][data-column=sales_fen][data-side=ledger]`);
  assert.equal((await sales.innerText()).replace(/,/g, ''), rowOf(REGION).sales_wan_yuan);
  assert.match(await page.getByTestId('compare-summary').innerText(), /2 处与账本不同，其中 1 处超出 FP-15 阈值/);
  await page.getByTestId('legend').getByText('超出 FP-15 阈值').waitFor();
  await shot(page, 'report-preview');

  await page.click('[data-testid=sign-submit]');
  await page.getByTestId('submit-ok').waitFor({ timeout: 15_000 });
  const seq = Number(await page.getByTestId('submit-ok').getAttribute('data-seq'));
  const record = await ledger.get(`/v1/events/${seq}`);
  assert.equal(record.event.type, 'report.submitted');
  assert.equal(record.event.v, 1);
  assert.equal(record.event.key, `reporter-${REGION}`);
  assert.match(record.event.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(record.event.occurred_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
  assert.deepEqual(record.event.body, expected.answer.body, 'the page signs exactly the body the parser returned');
  assert.equal(record.stream, `report:${campaign}:${REGION}`);
  submitted = { seq, body: record.event.body };
  await shot(page, 'report-submitted');

  // The key id is remembered; the key itself is not.
  await page.reload();
  await page.waitForSelector('#key-id');
  assert.equal(await page.inputValue('#key-id'), `reporter-${REGION}`);
  assert.equal(await page.getByTestId('key-status').innerText(), '未载入');
  page.checkClean();
  await page.context().close();
});

test('上报 reads a filled XLSX the same way (a workbook saved by openpyxl)', async () => {
  const page = await openPage(TOKENS.supervisor.token);
  await chooseRegion(page);
  const template = await download(page, 'template-xlsx', `template-${REGION}-for-openpyxl.xlsx`);
  const filledXlsx = path.join(artifacts, `report-${REGION}-filled.xlsx`);
  const figures = Object.fromEntries(stats.rows.map((r) => [r.region, FIGURES.map(([title, field]) => [title, field === 'sales_wan_yuan' ? Number(r[field]) : r[field]])]));
  figures[inflated.region] = figures[inflated.region].map(([title, v]) => [title, title === '设立专柜数(个)' ? v + inflated.by : v]);
  // Fill by headers and codes, as a person would in another spreadsheet.
  const script = `
import json, re, sys
from openpyxl import load_workbook
src, dst, region = sys.argv[1], sys.argv[2], sys.argv[3]
figures = json.loads(sys.stdin.read())
wb = load_workbook(src)
ws = wb['统计表'] if '统计表' in wb.sheetnames else wb.worksheets[0]
header_row = next(r for r in ws.iter_rows() if any(c.value == '序号' for c in r))
cols = {str(c.value).strip(): c.column for c in header_row if c.value is not None}
filled = 0
for row in ws.iter_rows(min_row=header_row[0].row + 1):
    code = row[cols['区划代码'] - 1].value if '区划代码' in cols else None
    code = str(code).strip() if code is not None else ''
    if not re.fullmatch(r'\\d{6}', code):
        continue
    for title, value in figures[code]:
        ws.cell(row=row[0].row, column=cols[title], value=value)
    filled += 1
assert filled >= 2, filled
wb.save(dst)
`;
  const run = spawnSync(python, ['-c', script, path.join(artifacts, `template-${REGION}-for-openpyxl.xlsx`), filledXlsx, REGION], { input: JSON.stringify(figures), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.ok(template.bytes.length > 0);
  await page.setInputFiles('#form-file', filledXlsx);
  await page.waitForSelector('[data-testid=compare-table]');
  assert.match(await page.getByTestId('preview-file').innerText(), /XLSX/);
  const firing = await page.locator('td.fires[data-side=submitted]').evaluateAll((cells) => cells.map((c) => `${c.dataset.region}/${c.dataset.column}`));
  assert.deepEqual(firing, [`${inflated.region}/${inflated.field}`]);
  await shot(page, 'report-preview-xlsx');
  page.checkClean();
  await page.context().close();
});

test('上报: a malformed form shows every bad cell; a refused signature shows the ledger\'s code', async () => {
  const page = await openPage(TOKENS.supervisor.token);
  await chooseRegion(page);
  const [county, other] = stats.rows.filter((r) => r.level === 'county' && r.region.startsWith(REGION.slice(0, 4)));
  const template = readFileSync(path.join(artifacts, `template-${REGION}.csv`), 'utf8');
  const bad = path.join(artifacts, `report-${REGION}-malformed.csv`);
  writeFileSync(bad, fillTemplate(template, {
    [county.region]: { '销售扶贫产品(万元)': '12.345' },
    [other.region]: { '设立专柜数(个)': '-1', '设立线下专区数(个)': '两个' },
  }));
  const expected = await parseRoute(readFileSync(bad));
  assert.equal(expected.status, 422);
  assert.equal(expected.answer.code, 'invalid_form');
  assert.ok(expected.answer.errors.length >= 3, 'every bad cell at once');

  await page.setInputFiles('#form-file', bad);
  await page.waitForSelector('[data-testid=parse-errors]');
  assert.equal(await page.locator('[data-testid=parse-errors] tbody tr').count(), expected.answer.errors.length);
  assert.deepEqual(await page.locator('[data-testid=parse-errors] thead th').allInnerTexts(), ['工作表', '行', '列', '表头', '值', '原因']);
  const first = expected.answer.errors[0];
  const shown = await page.locator('[data-testid=parse-errors] tbody tr').first().locator('td').allInnerTexts();
  assert.deepEqual(shown, [first.sheet ?? '—', String(first.row ?? '—'), first.column ?? '—', first.header ?? '—', first.value ?? '—', first.reason]);
  const text = await page.getByTestId('parse-errors').innerText();
  assert.match(text, /12\.345/);
  assert.match(text, /销售扶贫产品\(万元\)/);
  assert.match(await page.getByTestId('parse-refused').innerText(), new RegExp(`${expected.answer.errors.length} 处错误`));
  assert.equal(await page.locator('[data-testid=sign-submit]').count(), 0, 'nothing to sign');
  await shot(page, 'report-errors');

  // A key file that is not the key id's: refused by the ledger, its code
  // and detail shown, nothing written.
  const size = (await ledger.get('/v1/checkpoint')).tree_size;
  await page.setInputFiles('#key-file', reporterKey(REGION));
  await page.getByTestId('key-status').getByText('已载入').waitFor();
  await page.fill('#key-id', 'reporter-431100');
  await page.setInputFiles('#form-file', filledCsv);
  await page.waitForSelector('[data-testid=compare-table]');
  await page.click('[data-testid=sign-submit]');
  await page.getByTestId('submit-refused').waitFor();
  assert.match(await page.getByTestId('submit-refused').innerText(), /HTTP 403/);
  await new Promise((resolve) => setTimeout(resolve, 1500)); // a checkpoint would have been signed
  assert.equal((await ledger.get('/v1/checkpoint')).tree_size, size);
  await shot(page, 'report-refused');
  page.checkClean();
  await page.context().close();
});

test('上报核对: every 市州\'s latest report cell by cell, the inflated cell marked and linked to its FP-15 flag, as XLSX', async () => {
  assert.ok(submitted, 'the 上报 test submitted a report');
  const page = await openPage(TOKENS.supervisor.token);
  await page.click('nav a[data-page=reconcile]');
  await page.waitForSelector('[data-testid=reports-table]');
  assert.equal(await page.title(), '上报核对 · 消费扶贫账本');
  // The rule engine raises the flag after the append: reload until linked.
  for (let i = 0; i < 60 && (await page.locator(`[data-testid=reports-table] tr[data-region="${REGION}"] [data-testid=flag-link]`).count()) === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await page.click('form.filters button[type=submit]');
    await page.waitForSelector('[data-testid=reports-table]');
  }
  const api = await ledger.get(`/v1/reports?campaign=${campaign}`);
  const ours = api.reports.find((r) => r.region === REGION);
  assert.equal(ours.seq, submitted.seq, 'the latest report of the 市州 is the one just submitted');
  assert.equal(ours.differs, true);
  assert.ok(ours.flag_id, 'FP-15 raised a flag on it');

  // One row per 市州, its status the server's.
  const statuses = await page.locator('[data-testid=reports-table] tbody tr').evaluateAll((rows) => Object.fromEntries(rows.map((r) => [r.dataset.region, r.dataset.status])));
  for (const report of api.reports) assert.equal(statuses[report.region], report.differs ? 'bad' : 'ok', report.region);
  assert.equal(await page.getByTestId('mismatch-count').innerText(), String(api.reports.filter((r) => r.differs).length));
  for (const golden of ['430800', '430900']) assert.equal(statuses[golden], 'bad', `the golden campaign's inflated report of ${golden}`);

  // Cell by cell: exactly the cells the server says fire are marked.
  for (const report of api.reports) {
    const want = report.rows.flatMap((row) => row.columns.filter((c) => c.fires).map((c) => `${row.region}/${c.column}`)).sort();
    const got = await page.locator(`[data-testid=report-detail-${report.region}] td.fires`).evaluateAll((cells) => cells.map((c) => `${c.dataset.region}/${c.dataset.column}`).sort());
    assert.deepEqual(got, want, report.region);
  }
  const mine = page.locator(`[data-testid=report-detail-${REGION}] td.fires`);
  assert.deepEqual(await mine.evaluateAll((cells) => cells.map((c) => `${c.dataset.region}/${c.dataset.column}`)), [`${inflated.region}/${inflated.field}`]);
  const text = await mine.innerText();
  assert.match(text, new RegExp(`账本 ${rowOf(inflated.region)[inflated.field]}`));
  assert.match(text, /差 \+3/);
  await shot(page, 'reconcile');

  // The XLSX of the reconciliation, fetched with the token.
  const xlsx = await download(page, 'download-reports-xlsx');
  assert.match(xlsx.name, /\.xlsx$/);
  assert.equal(xlsx.bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04', 'a real .xlsx (ZIP)');

  // The flag link opens the FP-15 flag.
  await page.click(`[data-testid=reports-table] tr[data-region="${REGION}"] [data-testid=flag-link]`);
  await page.waitForSelector('[data-testid=flag-facts]');
  assert.match(await page.getByTestId('flag-facts').innerText(), /FP-15/);
  assert.equal(new URL(page.url()).hash, `#/flags/${ours.flag_id}`);
  await shot(page, 'reconcile-flag');
  page.checkClean();
  await page.context().close();
});

test('上报 and 上报核对 fit a narrow screen', async () => {
  const page = await openPage(TOKENS.supervisor.token, { viewport: NARROW });
  await chooseRegion(page);
  await page.setInputFiles('#form-file', filledCsv);
  await page.waitForSelector('[data-testid=compare-table]');
  for (const [name, selector] of [['report', '[data-testid=compare-table]'], ['reconcile', '[data-testid=reports-table]']]) {
    if (name !== 'report') {
      await page.goto(`${ledger.url}/#/${name}`);
      await page.waitForSelector(selector);
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name} overflows the screen by ${overflow}px`);
    await shot(page, `narrow-${name}`);
  }
  page.checkClean();
  await page.context().close();
});
