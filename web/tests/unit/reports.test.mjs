// The 上报 / 上报核对 comparison (web/src/lib/reports.js): FP-15's test cell
// by cell, exactly as rules/fp15_report_mismatch.cc judges, and the
// page's signature of a report.submitted as the ledger checks it (a
// golden report verifies; the page's own, signed with the same reporter
// key, is byte for byte the same signature, Ed25519 being deterministic).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { importPrivateKeyPem, importPublicKey, signEvent, verifyEventSignature } from '../../src/lib/ledger-crypto.js';
import {
  cellDiffers,
  cellFires,
  compareReport,
  formatCell,
  formatDifference,
  formatTolerance,
  reconciledRows,
  REPORT_COLUMNS,
} from '../../src/lib/reports.js';

const fixtures = new URL('../../../fixtures/campaign-small/', import.meta.url);

test('the eight columns in report.submitted field order', () => {
  assert.deepEqual(REPORT_COLUMNS.map((c) => c.field), [
    'online_zones', 'offline_zones', 'pavilions', 'counters', 'livestream_bases', 'promotions', 'sales_fen', 'poor_people_covered',
  ]);
});

test('FP-15: any count difference fires', () => {
  assert.equal(cellFires('counters', 18, 17), true);
  assert.equal(cellFires('counters', 16, 17), true);
  assert.equal(cellFires('promotions', 2, 2), false);
  assert.equal(cellFires('online_zones', 1, 0), true);
});

test('FP-15: sales and coverage fire beyond 5% of the ledger value, strictly', () => {
  // 5% of 10,000,000 fen is 500,000: exactly 5% stays within.
  assert.equal(cellFires('sales_fen', 10500000, 10000000), false);
  assert.equal(cellFires('sales_fen', 10500001, 10000000), true);
  assert.equal(cellFires('sales_fen', 9499999, 10000000), true);
  assert.equal(cellFires('poor_people_covered', 1050, 1000), false);
  assert.equal(cellFires('poor_people_covered', 1051, 1000), true);
  // Any difference from a ledger value of 0 (beyond the form's rounding).
  assert.equal(cellFires('sales_fen', 5001, 0), true);
  assert.equal(cellFires('poor_people_covered', 1, 0), true);
  assert.equal(cellFires('poor_people_covered', 0, 0), false);
  // Another tolerance (basis points).
  assert.equal(cellFires('sales_fen', 10100001, 10000000, 100), true);
  assert.equal(cellFires('sales_fen', 10100000, 10000000, 100), false);
  // Province-sized amounts stay exact (BigInt).
  assert.equal(cellFires('sales_fen', 420000000001, 400000000000), true);
  assert.equal(cellFires('sales_fen', 420000000000, 400000000000), false);
});

test('FP-15: sales within the form\'s rounding (50 元) never fire', () => {
  // A county with 800 元 of sales reported as 0.08 万元 = 800 元, or as
  // 0.07 万元: 100 元 off is beyond both the rounding and 5%.
  assert.equal(cellFires('sales_fen', 80000, 79700), false);
  assert.equal(cellFires('sales_fen', 5000, 0), false);
  assert.equal(cellFires('sales_fen', 70000, 79700), true);
});

test('sales differ only in the form\'s precision, 0.01 万元', () => {
  assert.equal(cellDiffers('sales_fen', 4540000, 4538431), false); // 4.54 both
  assert.equal(cellDiffers('sales_fen', 4550000, 4538431), true);
  assert.equal(cellDiffers('counters', 3, 3), false);
  assert.equal(cellDiffers('poor_people_covered', 978, 977), true);
});

const stats = [
  { region: '430000', name: '湖南省', level: 'province', online_zones: 9, offline_zones: 9, pavilions: 9, counters: 99, livestream_bases: 9, promotions: 9, sales_fen: 999999999, poor_people_covered: 9999 },
  { region: '431200', name: '怀化市', level: 'prefecture', online_zones: 2, offline_zones: 3, pavilions: 14, counters: 20, livestream_bases: 1, promotions: 2, sales_fen: 50000000, poor_people_covered: 3000 },
  { region: '431202', name: '鹤城区', level: 'county', online_zones: 0, offline_zones: 1, pavilions: 1, counters: 4, livestream_bases: 0, promotions: 0, sales_fen: 3000, poor_people_covered: 200 },
  { region: '431221', name: '中方县', level: 'county', online_zones: 0, offline_zones: 0, pavilions: 1, counters: 2, livestream_bases: 0, promotions: 0, sales_fen: 2000000, poor_people_covered: 150 },
  { region: '430100', name: '长沙市', level: 'prefecture', online_zones: 2, offline_zones: 3, pavilions: 1, counters: 1, livestream_bases: 1, promotions: 1, sales_fen: 1, poor_people_covered: 1 },
];

function rowOf(region, changes = {}) {
  const { level: _l, ...row } = stats.find((r) => r.region === region);
  return { ...row, ...changes };
}

test('a form against the ledger: counts, rounding, the tolerance, unknown and missing rows', () => {
  const parsed = [
    rowOf('431200', { sales_fen: 50000000 + 4999 }), // rounds to the same 0.01 万元
    rowOf('431202', { counters: 7, sales_fen: 0 }), // 30 元 reported as 0.00 万元: the form's rounding, FP-15 does not fire
    { region: '431299', name: '不存在县', online_zones: 0, offline_zones: 0, pavilions: 0, counters: 0, livestream_bases: 0, promotions: 0, sales_fen: 0, poor_people_covered: 0 },
  ];
  const c = compareReport('431200', parsed, stats);
  assert.equal(c.rows.length, 3);
  const cell = (region, field) => c.rows.find((r) => r.region === region).cells.find((x) => x.field === field);
  assert.deepEqual(cell('431200', 'sales_fen'), { field: 'sales_fen', submitted: 50004999, projected: 50000000, difference: 4999, differs: false, fires: false });
  assert.equal(cell('431202', 'counters').fires, true);
  assert.equal(cell('431202', 'counters').difference, 3);
  assert.equal(cell('431202', 'sales_fen').fires, false);
  assert.equal(cell('431202', 'sales_fen').differs, false);
  assert.equal(c.rows[2].known, false);
  assert.ok(c.rows[2].cells.every((x) => x.fires && x.projected === null));
  assert.equal(c.firing, 1 + 8);
  assert.equal(c.differing, 1 + 8);
  assert.deepEqual(c.missing.map((r) => r.region), ['431221'], 'the county the form leaves out; other 市州 are not missing');
});

test('the server\'s reconciliation keeps its own verdict', () => {
  const report = {
    region: '431200',
    rows: [
      {
        region: '431200', name: '怀化市', region_known: true, differs: true,
        columns: REPORT_COLUMNS.map(({ field }) => ({ column: field, submitted: 10, projected: field === 'sales_fen' ? 9 : 10, difference: field === 'sales_fen' ? 1 : 0, fires: field === 'sales_fen' })),
      },
      { region: '431299', name: '431299', region_known: false, differs: true, columns: REPORT_COLUMNS.map(({ field }) => ({ column: field, submitted: 1, projected: 0, difference: 1, fires: true })) },
    ],
  };
  const r = reconciledRows(report);
  assert.equal(r.firing, 1 + 8);
  assert.equal(r.rows[0].cells.find((x) => x.field === 'sales_fen').fires, true);
  assert.equal(r.rows[0].cells.find((x) => x.field === 'counters').differs, false);
  assert.equal(r.rows[1].known, false);
});

test('cells and differences as shown', () => {
  assert.equal(formatCell('sales_fen', 149692739), '149.69');
  assert.equal(formatCell('poor_people_covered', 5125), '5,125');
  assert.equal(formatCell('counters', null), '—');
  assert.equal(formatDifference('counters', 3, 17), '+3');
  assert.equal(formatDifference('counters', -2, 17), '−2');
  assert.equal(formatDifference('sales_fen', 2500000, 17500000), '+2.50（+14.3%）');
  assert.equal(formatDifference('poor_people_covered', -100, 1000), '−100（−10.0%）');
  assert.equal(formatDifference('sales_fen', 100, 0), '+0.00');
  assert.equal(formatTolerance(500), '5%');
  assert.equal(formatTolerance(250), '2.5%');
});

test('a report.submitted signed by the page is the one the ledger checks', async () => {
  const keys = JSON.parse(readFileSync(new URL('keys/keys.json', fixtures), 'utf8'));
  const lines = readFileSync(new URL('events.jsonl', fixtures), 'utf8').split('\n').filter((l) => l.includes('"type":"report.submitted"'));
  const golden = JSON.parse(lines.find((l) => l.includes('"key":"reporter-431200"')));
  const reporter = keys.find((k) => k.id === 'reporter-431200');
  const publicKey = await importPublicKey(reporter.public_key);
  assert.equal(await verifyEventSignature(golden, publicKey), true);
  const privateKey = await importPrivateKeyPem(readFileSync(new URL('keys/reporter-431200.pem', fixtures), 'utf8'));
  const { sig, ...unsigned } = golden;
  const signed = await signEvent(unsigned, privateKey);
  assert.equal(signed.sig, sig);
  const inflated = { ...unsigned, body: { ...unsigned.body, rows: [{ ...unsigned.body.rows[0], counters: unsigned.body.rows[0].counters + 3 }, ...unsigned.body.rows.slice(1)] } };
  assert.equal(await verifyEventSignature({ ...inflated, sig }, publicKey), false);
  assert.equal(await verifyEventSignature(await signEvent(inflated, privateKey), publicKey), true);
});
